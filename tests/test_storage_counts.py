"""Counts over time on both dialects: periods in UTC, shares of the same sites' output, undated articles
said and left out; and the `counts` command with several queries side by side."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage import articles
from storage.counts import CountRow, counts_over_time, period_of, undated_matches
from storage.db import open_archive
from storage.search import SearchFilters
from tests.query_archive import T0, fill, make_record
from tests.test_scraper_cli import run


@pytest.fixture(scope="module")
def archive(module_db_url: str):
    with open_archive(module_db_url) as archive:
        fill(archive)
        yield archive


def counts(archive, query: str, **options) -> list[tuple]:  # noqa: ANN001
    filters = options.pop("filters", SearchFilters())
    with archive.sessions() as session:
        rows = counts_over_time(session, query, filters, **options)
    return [(row.period, row.site, row.count, row.total, round(row.share, 4)) for row in rows]


def test_counts_by_month_week_and_day(archive) -> None:
    assert counts(archive, "glacier") == [("2024-05", None, 2, 3, 0.6667), ("2024-06", None, 1, 2, 0.5)]
    assert counts(archive, "glacier", by="week") == [
        ("2024-W18", None, 1, 1, 1.0),
        ("2024-W19", None, 1, 1, 1.0),
        ("2024-W21", None, 0, 1, 0.0),
        ("2024-W22", None, 0, 1, 0.0),
        ("2024-W24", None, 1, 1, 1.0),
    ]
    assert counts(archive, "judge", by="day")[:3] == [
        ("2024-05-01", None, 0, 1, 0.0),
        ("2024-05-11", None, 0, 1, 0.0),
        ("2024-05-21", None, 1, 1, 1.0),
    ]


def test_counts_per_site_and_with_filters(archive) -> None:
    assert counts(archive, "glacier", per_site=True) == [
        ("2024-05", "alpine", 2, 2, 1.0),
        ("2024-05", "courts", 0, 1, 0.0),
        ("2024-06", "capital", 1, 1, 1.0),
        ("2024-06", "coast", 0, 1, 0.0),
    ]
    assert counts(archive, "glacier", filters=SearchFilters(site="alpine")) == [("2024-05", None, 2, 2, 1.0)]
    since = SearchFilters(since=T0 + timedelta(days=15))
    assert counts(archive, "glacier OR judge", filters=since) == [
        ("2024-05", None, 1, 1, 1.0),
        ("2024-06", None, 1, 2, 0.5),
    ]
    assert counts(archive, "") == [("2024-05", None, 3, 3, 1.0), ("2024-06", None, 2, 2, 1.0)]


def test_undated_matches_are_counted_apart(archive) -> None:
    assert counts(archive, "policy") == [("2024-05", None, 0, 3, 0.0), ("2024-06", None, 1, 2, 0.5)]
    with archive.sessions() as session:
        assert undated_matches(session, "policy", SearchFilters()) == 1
        assert undated_matches(session, "glacier", SearchFilters()) == 0


def test_periods_are_utc_and_iso_weeks() -> None:
    assert period_of("2025-03-06", "week") == "2025-W10"
    assert period_of("2021-01-03", "week") == "2020-W53"
    assert period_of("2025-03-06", "month") == "2025-03"
    assert CountRow("2025-03", None, 0, 0, 0.0).share == 0.0


def test_a_late_evening_west_of_utc_counts_in_the_next_utc_month(db_url: str) -> None:
    evening = datetime(2024, 6, 30, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    with open_archive(db_url) as archive:
        with archive.sessions.begin() as session:
            record = make_record("unrelated") | {"published": evening}
            articles.save_article(session, record, site="coast", fetched_at=T0, extractor_version="t")
        with archive.sessions() as session:
            rows = counts_over_time(session, "harbour", SearchFilters(), by="day")
    assert [(row.period, row.count) for row in rows] == [("2024-07-01", 1)]
    assert evening.astimezone(UTC).date().isoformat() == "2024-07-01"


def test_bad_period_and_query(archive) -> None:
    from storage.querylang import QuerySyntaxError

    with archive.sessions() as session:
        with pytest.raises(ValueError, match="unknown period"):
            counts_over_time(session, "glacier", SearchFilters(), by="year")
        with pytest.raises(QuerySyntaxError):
            counts_over_time(session, "(glacier", SearchFilters())


# --- the command ---


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'archive.db'}"
    with open_archive(url) as archive:
        fill(archive)
    return url


def test_counts_command_puts_queries_side_by_side(sqlite_archive: str) -> None:
    code, out, err = run("counts", "glacier", "policy", "--db", sqlite_archive, "--csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["period", "total", "glacier count", "glacier share", "policy count", "policy share"],
        ["2024-05", "3", "2", "0.6667", "0", "0.0000"],
        ["2024-06", "2", "1", "0.5000", "1", "0.5000"],
    ]
    assert err == "'policy': 1 matching articles have no publication date and are left out\n"
    code, out, _ = run(
        "counts", "glacier", "--db", sqlite_archive, "--by", "week", "--per-site", "--site", "alpine"
    )
    assert code == 0
    assert out.splitlines()[0].split() == ["period", "site", "total", "glacier", "count", "glacier", "share"]
    assert [line.split() for line in out.splitlines()[1:]] == [
        ["2024-W18", "alpine", "1", "1", "1.0000"],
        ["2024-W19", "alpine", "1", "1", "1.0000"],
    ]


def test_counts_command_rejects_a_bad_query_in_one_line(sqlite_archive: str) -> None:
    code, out, err = run("counts", "glacier", "title:", "--db", sqlite_archive)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "query 'title:'" in err and "at character 1" in err


def test_counting_by_scan_gives_the_same_rows(archive, monkeypatch) -> None:
    import storage.matching

    cases = [
        ("glacier", {}, SearchFilters()),
        ("glacier", {"per_site": True}, SearchFilters()),
        ("glacier OR judge -visitors", {"by": "week"}, SearchFilters(since=T0 + timedelta(days=5))),
        ("policy site:capital", {}, SearchFilters()),
        ("author:silva", {}, SearchFilters()),
    ]
    looked_up = [counts(archive, query, filters=filters, **options) for query, options, filters in cases]
    monkeypatch.setattr(storage.matching, "MANY_MATCHES", 1)
    scanned = [counts(archive, query, filters=filters, **options) for query, options, filters in cases]
    assert scanned == looked_up
    assert looked_up[0] == [("2024-05", None, 2, 3, 0.6667), ("2024-06", None, 1, 2, 0.5)]

"""Search pages on both dialects: ranking, highlighted snippets, totals and pages, facets, all matches."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from storage import articles
from storage.db import open_archive
from storage.models import Article
from storage.reads import iter_export
from storage.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    SearchFilters,
    facet_counts,
    iter_matches,
    plain_snippet,
    search,
    search_page,
    snippet_segments,
)
from tests.query_archive import ALL, T0, fill, make_record, slug_of


@pytest.fixture(scope="module")
def archive(module_db_url: str):
    """One filled archive per dialect for the read-only tests (migrating costs more than searching)."""
    with open_archive(module_db_url) as archive:
        fill(archive)
        yield archive


@pytest.fixture
def fresh_archive(db_url: str):
    with open_archive(db_url) as archive:
        fill(archive)
        yield archive


def page(archive, query: str, filters: SearchFilters = SearchFilters(), **options):  # noqa: B008
    with archive.sessions() as session:
        return search_page(session, query, filters, **options)


def slugs(result) -> list[str]:
    return [slug_of(hit.url) for hit in result.hits]


def test_title_hit_ranks_above_body_only_hits(archive) -> None:
    result = page(archive, "glacier")
    assert result.total == 3
    assert slugs(result)[0] == "title-hit"
    assert sorted(slugs(result)) == ["body-hit", "climate-policy", "title-hit"]
    assert result.hits[0].score > result.hits[-1].score


def test_hits_carry_article_fields_and_marked_snippets(archive) -> None:
    hits = {slug_of(hit.url): hit for hit in page(archive, "Glacier").hits}
    title_hit, body_hit = hits["title-hit"], hits["body-hit"]
    assert (title_hit.site, title_hit.authors, title_hit.published, title_hit.removed) == (
        "alpine",
        ["Ana Silva"],
        T0,
        False,
    )
    assert (title_hit.section, title_hit.language, title_hit.copies) == ("Science", "en", 0)
    assert (body_hit.section, body_hit.language) == ("Travel", "en-GB")
    assert f"{HIGHLIGHT_START}glacier{HIGHLIGHT_END}" in body_hit.snippet.lower()
    assert f"{HIGHLIGHT_START}glacier{HIGHLIGHT_END}" in title_hit.snippet.lower()
    assert "glacier" in plain_snippet(body_hit.snippet) and HIGHLIGHT_START not in plain_snippet(
        body_hit.snippet
    )
    assert ("glacier", True) in snippet_segments(body_hit.snippet)


def test_snippet_segments_and_plain_snippet() -> None:
    snippet = f"see {HIGHLIGHT_START}<b>war</b>{HIGHLIGHT_END} and {HIGHLIGHT_START}peace{HIGHLIGHT_END}"
    assert snippet_segments(snippet) == [
        ("see ", False),
        ("<b>war</b>", True),
        (" and ", False),
        ("peace", True),
    ]
    assert plain_snippet(snippet) == "see <b>war</b> and peace"
    assert snippet_segments("") == []


def test_total_and_pages(archive) -> None:
    first = page(archive, "", limit=4)
    second = page(archive, "", limit=4, offset=4)
    beyond = page(archive, "", limit=4, offset=10)
    assert (first.total, second.total, beyond.total) == (6, 6, 6)
    assert len(first.hits) == 4 and len(second.hits) == 2 and beyond.hits == []
    assert sorted(slugs(first) + slugs(second)) == ALL
    # without words: newest first, undated last, no score, the body's start as snippet
    assert slugs(first)[0] == "climate-policy" and slugs(second)[-1] == "undated"
    assert {hit.score for hit in first.hits} == {0.0}
    assert second.hits[-1].snippet == "Notes on policy and the climate of opinion."
    ranked = [page(archive, "glacier", limit=1, offset=n).hits[0].article_id for n in range(3)]
    assert ranked == [hit.article_id for hit in page(archive, "glacier").hits]
    with pytest.raises(ValueError, match="limit"):
        page(archive, "glacier", limit=0)


def test_search_filters(archive) -> None:
    def found(query: str, **filters) -> list[str]:
        return sorted(slugs(page(archive, query, SearchFilters(**filters))))

    assert found("glacier", site="alpine") == ["body-hit", "title-hit"]
    assert found("glacier", site="coast") == []
    assert found("glacier", author="ben okafor") == ["body-hit", "climate-policy"]
    assert found("glacier", author="Ben") == []  # the filter is the exact name
    assert found("judge", author="ÉLODIE DURAND") == ["operators"]
    assert found("", section="politics") == ["climate-policy", "undated"]
    assert found("", language="en") == ["body-hit", "climate-policy", "title-hit", "undated", "unrelated"]
    assert found("glacier", since=T0 + timedelta(days=5)) == ["body-hit", "climate-policy"]
    assert found("glacier", until=T0 + timedelta(days=5)) == ["title-hit"]
    assert found("", since=T0, until=T0 + timedelta(days=31)) == ["body-hit", "operators", "title-hit"]


def test_legacy_search_brackets_matched_words(archive) -> None:
    with archive.sessions() as session:
        hits = search(session, "visitors", site="alpine")
    assert [slug_of(hit.url) for hit in hits] == ["body-hit"]
    assert "[Visitors]" in hits[0].snippet


def test_facet_counts(archive) -> None:
    with archive.sessions() as session:
        facets = facet_counts(session, "glacier", SearchFilters())
        everything = facet_counts(session, "", SearchFilters(), top=2)
    assert facets == {
        "site": [("alpine", 2), ("capital", 1)],
        "author": [("Ana Silva", 2), ("Ben Okafor", 2)],
        "section": [("Politics", 1), ("Science", 1), ("Travel", 1)],
        "language": [("en", 2), ("en-GB", 1)],
    }
    assert everything["site"] == [("alpine", 2), ("capital", 2)]
    assert everything["author"] == [("Ana Silva", 3), ("Ben Okafor", 2)]


def test_facet_counts_under_an_author_filter_or_field(archive) -> None:
    """The author facet joins the author tables itself; an author filter beside it must stay a filter."""
    with archive.sessions() as session:
        filtered = facet_counts(session, "glacier", SearchFilters(author="Ana Silva"))
        fielded = facet_counts(session, 'glacier author:"Ana Silva"', SearchFilters())
        total = search_page(session, "glacier", SearchFilters(author="Ana Silva")).total
    assert filtered == fielded
    assert sum(count for _, count in filtered["site"]) == total == 2
    assert ("Ana Silva", 2) in filtered["author"]


def test_iter_matches_gives_export_rows(archive) -> None:
    with archive.sessions() as session:
        rows = list(iter_matches(session, "policy OR harbour", SearchFilters()))
        exported = {row["id"]: row for row in iter_export(session)}
        everything = list(iter_matches(session, "", SearchFilters(site="capital")))
    assert sorted(slug_of(row["url"]) for row in rows) == ["climate-policy", "undated", "unrelated"]
    assert all(row == exported[row["id"]] for row in rows)
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert sorted(slug_of(row["url"]) for row in everything) == ["climate-policy", "undated"]


def test_iter_matches_streams_past_one_batch(sqlite_url: str, monkeypatch) -> None:
    import storage.search

    monkeypatch.setattr(storage.search, "EXPORT_BATCH", 2)
    with open_archive(sqlite_url) as archive:
        fill(archive)
        with archive.sessions() as session:
            assert len(list(iter_matches(session, "", SearchFilters()))) == 6


def test_index_follows_updates_and_removed_articles_stay_findable(fresh_archive) -> None:
    archive = fresh_archive
    with archive.sessions.begin() as session:
        record = make_record("unrelated") | {"body": "The festival was cancelled by a glacier flood."}
        articles.save_article(
            session, record, site="coast", fetched_at=T0 + timedelta(days=1), extractor_version="t"
        )
        articles.mark_removed(session, "https://news.example/unrelated", T0 + timedelta(days=2))
    assert page(archive, "boats").total == 0
    hits = {slug_of(hit.url): hit for hit in page(archive, "glacier").hits}
    assert set(hits) == {"title-hit", "body-hit", "climate-policy", "unrelated"}
    assert hits["unrelated"].removed and not hits["title-hit"].removed


def test_deleted_article_leaves_the_index(fresh_archive) -> None:
    archive = fresh_archive
    with archive.sessions.begin() as session:
        session.execute(sa.delete(Article).where(Article.url == "https://news.example/body-hit"))
    assert sorted(slugs(page(archive, "glacier"))) == ["climate-policy", "title-hit"]


def test_sqlite_index_stays_consistent_through_edits(sqlite_url: str) -> None:
    with open_archive(sqlite_url) as archive:
        fill(archive)
        with archive.sessions.begin() as session:
            edited = make_record("body-hit") | {"title": "Tourism report", "body": "Edited text."}
            articles.save_article(session, edited, site="alpine", fetched_at=T0, extractor_version="t")
            session.execute(sa.delete(Article).where(Article.url == "https://news.example/unrelated"))
        with archive.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"
            )
        assert slugs(page(archive, "edited")) == ["body-hit"]
        assert sorted(slugs(page(archive, "glacier"))) == ["climate-policy", "title-hit"]


# --- the search and export commands ---


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'archive.db'}"
    with open_archive(url) as archive:
        fill(archive)
    return url


def test_search_command_prints_total_pages_and_fields(sqlite_archive: str) -> None:
    import json

    from tests.test_scraper_cli import run

    code, out, _ = run("search", "glacier", "--db", sqlite_archive, "--limit", "2", "--page", "2")
    assert code == 0
    assert out.splitlines()[0] == "3 matches (showing 3-3, page 2)"
    code, out, err = run(
        "search", "author:silva", "--db", sqlite_archive, "--lang", "en", "--section", "science", "--json"
    )
    assert code == 0 and err == "1 matches (showing 1-1, page 1)\n"
    hit = json.loads(out)
    assert (hit["title"], hit["section"], hit["language"], hit["copies"]) == (
        "Glacier retreat accelerates",
        "Science",
        "en",
        0,
    )
    code, out, _ = run("search", "visitors", "--db", sqlite_archive)
    assert "[Visitors]" in out
    code, out, err = run("search", "(glacier OR", "--db", sqlite_archive)
    assert code == 2 and out == "" and err.count("\n") == 1 and "at character" in err


def test_export_by_query_as_jsonl_and_parquet(sqlite_archive: str, tmp_path) -> None:
    import json

    from tests.test_scraper_cli import run

    code, out, _ = run("export", "--db", sqlite_archive, "--query", "glacier -title:glacier")
    assert code == 0
    assert sorted(slug_of(json.loads(line)["url"]) for line in out.splitlines()) == [
        "body-hit",
        "climate-policy",
    ]
    target = tmp_path / "out.parquet"
    code, _, err = run("export", "--db", sqlite_archive, "--format", "parquet", "-o", str(target))
    assert code == 0 and err == f"exported 6 articles to {target}\n"
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scraper.cli.archive import EXPORT_CSV_FIELDS

    table = pq.read_table(target)
    assert table.column_names == list(EXPORT_CSV_FIELDS)
    assert table.schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("authors").type == pa.list_(pa.string())
    rows = {slug_of(row["url"]): row for row in table.to_pylist()}
    assert rows["climate-policy"]["authors"] == ["Ana Silva", "Ben Okafor"]
    assert rows["title-hit"]["published"] == T0 and rows["undated"]["published"] is None
    code, _, err = run("export", "--db", sqlite_archive, "--format", "parquet")
    assert code == 2 and "-o FILE" in err
    code, _, err = run("export", "--db", sqlite_archive, "--query", "-", "-o", str(tmp_path / "x.jsonl"))
    assert code == 2 and err.count("\n") == 1 and not (tmp_path / "x.jsonl").exists()


def test_parquet_export_without_pyarrow_is_one_line(sqlite_archive: str, tmp_path, monkeypatch) -> None:
    import sys

    from tests.test_scraper_cli import run

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, out, err = run(
        "export", "--db", sqlite_archive, "--format", "parquet", "-o", str(tmp_path / "a.parquet")
    )
    assert code == 3 and out == ""
    assert err == (
        "newsarchive: error: parquet export needs pyarrow: pip install 'newsarchive[parquet]' "
        "(or use --format csv/jsonl)\n"
    )


def test_past_the_rank_window_the_newest_matches_are_ranked(archive, monkeypatch) -> None:
    import storage.search

    monkeypatch.setattr(storage.search, "RANK_WINDOW", 2)
    windowed = page(archive, "glacier", limit=2)
    assert windowed.total == 3
    assert sorted(slugs(windowed)) == ["body-hit", "climate-policy"]  # the two stored last
    assert slugs(page(archive, "glacier", limit=3))[0] == "title-hit"  # a page past the window: all ranked
    assert slugs(page(archive, "glacier", SearchFilters(site="alpine"), limit=1)) == [
        "title-hit"
    ]  # 2 matches: all ranked


def test_totals_past_the_cap_say_so(archive, monkeypatch) -> None:
    import storage.search

    monkeypatch.setattr(storage.search, "TOTAL_CAP", 2)
    capped = page(archive, "glacier", limit=5)
    assert (capped.total, capped.total_capped, len(capped.hits)) == (2, True, 2)
    filtered = page(archive, "glacier", SearchFilters(site="alpine"))
    assert (filtered.total, filtered.total_capped) == (2, False)
    everything = page(archive, "", limit=1)
    assert (everything.total, everything.total_capped) == (6, False)  # counted exactly without words
    assert page(archive, "glacier", limit=2, offset=2).hits == []


def test_scanning_for_many_matches_finds_the_same_pages(archive, monkeypatch) -> None:
    import storage.matching
    import storage.search

    cases = [
        ("glacier", SearchFilters(site="alpine")),
        ("glacier OR judge", SearchFilters(since=T0 + timedelta(days=5))),
        ("policy -title:debate", SearchFilters(section="politics")),
        ("climate site:capital", SearchFilters()),
    ]

    def pages() -> list[tuple[int, list[str]]]:
        return [(result.total, slugs(result)) for result in (page(archive, q, f, limit=1) for q, f in cases)]

    looked_up = pages()
    monkeypatch.setattr(storage.matching, "MANY_MATCHES", 1)
    assert pages() == looked_up
    monkeypatch.setattr(storage.search, "RANK_WINDOW", 1)
    windowed = pages()
    assert [total for total, _ in windowed] == [total for total, _ in looked_up]
    assert windowed[0] == (2, ["body-hit"])  # the newest of the two alpine matches
    assert looked_up[0] == (2, ["title-hit"])


def test_counting_in_one_pass_and_filters_on_rows_find_the_same_pages(archive, monkeypatch) -> None:
    """On PostgreSQL, the one-pass count with the window ranked by id and filters tested on the index's
    matches give the pages the three-pass count and indexed filters give (on SQLite: the same, unchanged)."""
    import storage.dialects
    import storage.matching
    import storage.search

    cases = [
        ("glacier", SearchFilters(site="alpine")),
        ('"glacier melt"', SearchFilters()),
        ("glacier OR judge", SearchFilters(since=T0 + timedelta(days=5), until=T0 + timedelta(days=40))),
        ("climate site:capital", SearchFilters()),
        ("title:glacier", SearchFilters(site="alpine")),
    ]

    def pages() -> list[tuple[int, bool, list[str]]]:
        found = []
        for query, filters in cases:
            for limit, offset in ((1, 0), (5, 0), (1, 1)):
                result = page(archive, query, filters, limit=limit, offset=offset)
                found.append((result.total, result.total_capped, slugs(result)))
        return found

    def variants() -> list[list[tuple[int, bool, list[str]]]]:
        results = []
        for one_pass in (False, True) if archive.dialect == "postgresql" else (False,):
            monkeypatch.setattr(storage.search, "newest_ids_pay", lambda *_args, flag=one_pass: flag)
            for on_rows in (False, True):
                monkeypatch.setattr(storage.matching, "index_is_exact", lambda _d, _n, flag=on_rows: flag)
                results.append(pages())
        return results

    assert any(total for total, _, _ in pages())
    for window, cap in ((1000, 10_000), (1, 10_000), (1, 2), (1000, 2)):
        monkeypatch.setattr(storage.search, "RANK_WINDOW", window)
        monkeypatch.setattr(storage.search, "TOTAL_CAP", cap)
        first, *others = variants()
        assert all(other == first for other in others)

"""Syndicated copies on both dialects: a lightly edited wire story on two sites is one cluster, two stories
on the same topic are not; clusters follow edits, collapse in search and counts, and rebuild the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from storage import articles
from storage.copies import bands, copies_of, rebuild_copies, signature, similarity
from storage.counts import counts_over_time
from storage.db import open_archive
from storage.models import Article
from storage.search import SearchFilters, search_page

T0 = datetime(2025, 3, 6, 9, 0, tzinfo=UTC)

WIRE = (
    "Dock workers at the country's three largest container ports walked off the job on Thursday, halting the "
    "loading of ships after talks over pay and automation collapsed late on Wednesday night. The union said the "
    "strike would last at least 48 hours and warned that further stoppages were planned for next week unless the "
    "port operators returned to the table with a better offer. Operators said they had offered a raise of four "
    "percent over two years and guarantees that no jobs would be lost to automated cranes before 2030. Shipping "
    "lines began diverting vessels to neighbouring countries, and exporters of fruit and machinery said they "
    "feared heavy losses if the dispute dragged on. The transport minister called on both sides to resume "
    "negotiations immediately and said the government was ready to appoint a mediator."
)
#: the same wire story as a second site ran it: a new first sentence, a few words changed, a credit line added
EDITED = (
    WIRE.replace("walked off the job on Thursday", "walked out on Thursday morning")
    .replace("feared heavy losses", "feared very heavy losses")
    .replace("immediately", "without delay")
    + " Additional reporting by our business desk."
)
OTHER_STORY = (
    "The strike at the container ports entered its second day on Friday as queues of lorries stretched for "
    "kilometres outside the terminals. Farmers who rely on the ports to ship citrus abroad said their produce "
    "was starting to rot in warehouses, while car makers warned that shortages of imported parts could stop "
    "assembly lines within a week. A spokesperson for the union insisted that members were united and would not "
    "accept any deal that allowed automated cranes to replace crane operators. Economists estimated the cost of "
    "the stoppage at several hundred million a day. Opposition politicians accused the minister of doing too "
    "little, too late, and demanded an emergency debate in parliament on the future of the ports."
)


def record(slug: str, body: str, days: float, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://{slug}",
        "title": slug.split("/")[-1].replace("-", " "),
        "authors": [],
        "published": T0 + timedelta(days=days),
        "language": "en",
        "body": body,
        "related_links": [],
    } | extra


def store(archive, *records: tuple[dict[str, Any], str]) -> None:  # noqa: ANN001
    with archive.sessions.begin() as session:
        for item, site in records:
            articles.save_article(session, item, site=site, fetched_at=T0, extractor_version="t")


def ids_by_url(archive) -> dict[str, int]:  # noqa: ANN001
    with archive.sessions() as session:
        return {url: id_ for id_, url in session.execute(sa.select(Article.id, Article.url))}


def clusters(archive) -> dict[str, tuple[int | None, bool]]:  # noqa: ANN001
    with archive.sessions() as session:
        rows = session.execute(sa.select(Article.url, Article.copy_cluster_id, Article.later_copy))
        return {url.split("//")[1]: (cluster, later) for url, cluster, later in rows}


def test_signature_similarity_separates_copies_from_other_stories() -> None:
    wire, edited, other = signature(WIRE), signature(EDITED), signature(OTHER_STORY)
    assert similarity(wire, edited) >= 0.6
    assert similarity(wire, other) < 0.1
    assert signature("too short to compare") is None


def test_signature_is_datasketchs_minhash() -> None:
    """Our signatures are the values of a reference MinHash implementation fed the same shingle hashes."""
    import random

    import numpy as np
    from datasketch import MinHash

    from storage.copies import _WORD, NUM_PERM, SCHEME, SEED, shingle_hashes

    draw = random.Random(5)
    words = [*WIRE.split(), *OTHER_STORY.split(), "grève", "港口", "x"]
    bodies = [WIRE, EDITED, OTHER_STORY] + [
        " ".join(draw.choice(words) for _ in range(draw.randint(40, 3000))) for _ in range(50)
    ]
    for body in bodies:
        reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
        reference.update_batch(shingle_hashes(_WORD.findall(body.casefold())).tolist())
        ours = signature(body)
        assert ours is not None and ours.dtype == np.uint32
        assert ours.tobytes() == reference.hashvalues.astype(np.uint32).tobytes()


def test_storing_an_article_does_not_import_datasketch() -> None:
    """datasketch brings scipy (tens of MB) into the store worker; signatures do not need it."""
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    code = (
        "import sys\n"
        "from storage.copies import signature\n"
        f"assert signature({WIRE!r}) is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasketch', 'scipy')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_bands_are_datasketchs_choice() -> None:
    from datasketch import MinHashLSH

    from storage.copies import NUM_PERM, THRESHOLD

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert bands() == (lsh.b, lsh.r)


@pytest.fixture
def archive(db_url: str):
    with open_archive(db_url) as archive:
        store(
            archive,
            (record("wire.example/ports-strike", EDITED, 0.5), "wire"),  # stored first, published later
            (record("daily.example/dockers-walk-out", WIRE, 0), "daily"),
            (record("daily.example/strike-day-two", OTHER_STORY, 1), "daily"),
            (record("gazette.example/ports-strike", WIRE, 0.2, language="en-GB"), "gazette"),
            (record("journal.example/greves", WIRE, 0.1, language="fr"), "journal"),
        )
        yield archive


def test_edited_copies_on_other_sites_are_one_cluster(archive) -> None:
    found = clusters(archive)
    ids = ids_by_url(archive)
    cluster = ids["https://wire.example/ports-strike"]
    assert found == {
        "wire.example/ports-strike": (cluster, True),
        "daily.example/dockers-walk-out": (cluster, False),  # the earliest published is the one kept
        "daily.example/strike-day-two": (None, False),  # same topic, another story
        "gazette.example/ports-strike": (cluster, True),  # en-GB compares with en
        "journal.example/greves": (None, False),  # another language is never a copy
    }
    with archive.sessions() as session:
        copies = copies_of(session, ids["https://gazette.example/ports-strike"])
        assert copies_of(session, ids["https://daily.example/strike-day-two"]) == []
    assert [copy.url for copy in copies] == [
        "https://daily.example/dockers-walk-out",
        "https://wire.example/ports-strike",
    ]
    assert copies[0].similarity == 1.0 and 0.5 <= copies[1].similarity < 1.0
    assert copies[0].site == "daily" and copies[0].published == T0


def test_collapse_copies_in_search_and_counts(archive) -> None:
    with archive.sessions() as session:
        every = search_page(session, "strike", SearchFilters(language="en"))
        collapsed = search_page(session, "strike", SearchFilters(language="en", collapse_copies=True))
        counted = counts_over_time(session, "strike", SearchFilters(collapse_copies=True), by="day")
    assert every.total == 4 and collapsed.total == 2
    assert sorted(hit.url for hit in collapsed.hits) == [
        "https://daily.example/dockers-walk-out",
        "https://daily.example/strike-day-two",
    ]
    kept = next(hit for hit in collapsed.hits if hit.url.endswith("dockers-walk-out"))
    assert kept.copies == 2
    assert [(row.period, row.count, row.total) for row in counted] == [
        ("2025-03-06", 2, 2),
        ("2025-03-07", 1, 1),
    ]


def test_a_changed_body_leaves_its_cluster_and_rebuild_agrees(archive) -> None:
    before = clusters(archive)
    store(
        archive, (record("wire.example/ports-strike", OTHER_STORY.replace("Friday", "Saturday"), 0.5), "wire")
    )
    after = clusters(archive)
    ids = ids_by_url(archive)
    # now a copy of the day-two story instead, and published before it
    assert after["wire.example/ports-strike"] == (ids["https://wire.example/ports-strike"], False)
    assert after["daily.example/strike-day-two"] == (ids["https://wire.example/ports-strike"], True)
    gazette = ids["https://gazette.example/ports-strike"]
    daily = ids["https://daily.example/dockers-walk-out"]
    assert after["daily.example/dockers-walk-out"] == (min(daily, gazette), False)
    assert after["gazette.example/ports-strike"] == (min(daily, gazette), True)
    assert before != after
    with archive.sessions.begin() as session:
        assert rebuild_copies(session) == (2, 4)
    assert clusters(archive) == after


def test_show_and_copies_commands(sqlite_url: str) -> None:
    from tests.test_scraper_cli import run

    with open_archive(sqlite_url) as archive:
        store(
            archive,
            (record("daily.example/dockers-walk-out", WIRE, 0), "daily"),
            (record("wire.example/ports-strike", EDITED, 0.5), "wire"),
            (record("daily.example/strike-day-two", OTHER_STORY, 1), "daily"),
        )
        ids = ids_by_url(archive)
    first, copy = ids["https://daily.example/dockers-walk-out"], ids["https://wire.example/ports-strike"]
    code, out, _ = run("show", str(first), "--db", sqlite_url)
    assert code == 0
    assert out.splitlines()[-2:] == [
        "copies: 1",
        f"  [{copy}] {out.splitlines()[-1].split()[1]}  wire  2025-03-06  https://wire.example/ports-strike",
    ]
    code, out, _ = run("copies", str(copy), "--db", sqlite_url)
    assert code == 0 and f"[{first}] 1.00" not in out and f"[{first}]" in out and "daily" in out
    code, out, _ = run("copies", "--rebuild", "--db", sqlite_url)
    assert (code, out) == (0, "1 copy clusters holding 2 articles\n")
    code, out, _ = run("search", "strike", "--collapse-copies", "--db", sqlite_url)
    assert out.splitlines()[0] == "2 matches (showing 1-2, page 1)" and "1 copies" in out
    code, _, err = run("copies", "999", "--db", sqlite_url)
    assert code == 5 and "no article with id 999" in err

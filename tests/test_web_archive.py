"""The small archive the workbench tests read (built with save_article), and the reads it added.

Seven articles on two sites in three months: one revised, two syndicated copies of one wire story, one
full of hostile markup in every stored string (title, body, author, related link, raw page), as an
archived page may well be.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage.articles import save_article
from storage.db import open_archive
from storage.reads import raw_pages_of
from storage.runs import save_raw_page

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_TITLE = f"{SCRIPT} Hostile {IMG} headline"
HOSTILE_AUTHOR = '<b onmouseover="window.__pwned=1">Mallory</b>'
HOSTILE_LINK = {"url": "javascript:window.__pwned=1", "text": f"{SCRIPT}click"}
RAW_PAGE = f"<html><head>{SCRIPT}</head><body><h1>Harbour bridge reopens</h1>{IMG}</body></html>"


def when(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def record(slug: str, title: str, body: str, authors: list[str], published: str, **extra: object) -> dict:
    return {
        "url": f"https://{extra.pop('host', 'dispatch.example')}/{slug}",
        "title": title,
        "body": body,
        "authors": authors,
        "published": when(published),
        "language": extra.pop("language", "en"),
        "section": extra.pop("section", None),
        "related_links": extra.pop("related_links", []),
        **extra,
    }


BRIDGE_BODY = (
    "The harbour bridge reopened on Friday after eight months of repairs.\n"
    "Traffic was light in the morning, and the ferry kept its timetable."
)
STORM_V1 = "A storm closed the harbour on Saturday.\nShips waited outside the breakwater until noon."
STORM_V2 = "A storm closed the harbour on Saturday and Sunday.\nShips waited outside the breakwater until dusk."

WIRE = (
    "Grain shipments resumed along the northern corridor on Thursday after the two governments agreed "
    "on a joint inspection regime at the border crossings. Traders said the first convoys carried wheat, "
    "maize and barley, and that prices in the capital's markets eased within hours of the announcement. "
    "Officials expect the corridor to carry four million tonnes by the end of the season."
)

ARTICLES = [
    (
        "dispatch",
        record(
            "bridge-reopens", "Harbour bridge reopens after repairs", BRIDGE_BODY, ["Ann Lee"], "2025-01-10",
            section="local", related_links=[{"url": "https://dispatch.example/bridge-history", "text": "History"}],
        ),
    ),
    (
        "dispatch",
        record(
            "bridge-tolls", "Council votes on bridge tolls",
            "The council voted to keep tolls on the bridge for two more years.", ["Ann Lee", "Bo Chen"],
            "2025-02-03", section="politics",
        ),
    ),
    (
        "herald",
        record(
            "bruecke", "Brücke wieder offen", "Die Brücke am Hafen ist nach acht Monaten wieder offen.",
            ["Karl Maier"], "2025-02-15", section="lokal", language="de", host="herald.example",
        ),
    ),
    (
        "herald",
        record("storm", "Storm closes harbour", STORM_V1, ["Bo Chen"], "2025-03-01", section="weather",
               host="herald.example"),
    ),
    (
        "dispatch",
        record("wire-dispatch", "Grain shipments resume on northern corridor", WIRE, ["Agency Staff"],
               "2025-02-20", section="world"),
    ),
    (
        "herald",
        record("wire-herald", "Grain corridor reopens", WIRE + " Markets welcomed the news.", ["Agency Staff"],
               "2025-02-21", section="world", host="herald.example"),
    ),
    (
        "dispatch",
        record(
            "hostile", HOSTILE_TITLE, f"Harbour notes {SCRIPT} and {IMG} in the body.", [HOSTILE_AUTHOR],
            "2025-03-05", section="local", related_links=[HOSTILE_LINK],
            description=f"{IMG} description",
        ),
    ),
]


def build_archive(db_url: str) -> dict[str, int]:
    """Fill the archive at db_url; returns article ids by slug."""
    ids: dict[str, int] = {}
    with open_archive(db_url) as archive, archive.sessions.begin() as session:
        for site, item in ARTICLES:
            raw_id = None
            if item["url"].endswith("bridge-reopens"):
                raw_id = save_raw_page(
                    session, url=item["url"], status=200, headers={"content-type": "text/html"},
                    body=RAW_PAGE.encode(), fetched_at=when("2025-01-10"), page_type="article", site=site,
                    encoding="utf-8",
                )
            outcome = save_article(
                session, item, site=site, fetched_at=when(item["published"].date().isoformat()),
                extractor_version="test", raw_page_id=raw_id,
            )
            ids[item["url"].rsplit("/", 1)[1]] = outcome.article_id
        storm = dict(next(item for _, item in ARTICLES if item["url"].endswith("/storm")), body=STORM_V2)
        save_article(session, storm, site="herald", fetched_at=when("2025-03-02"), extractor_version="test")
    return ids


def test_raw_pages_of_lists_the_pages_stored_for_an_article(sqlite_url):
    ids = build_archive(sqlite_url)
    with open_archive(sqlite_url) as archive, archive.sessions() as session:
        pages = raw_pages_of(session, ids["bridge-reopens"])
        assert [(page.url, page.status, page.page_type, page.encoding) for page in pages] == [
            ("https://dispatch.example/bridge-reopens", 200, "article", "utf-8")
        ]
        assert raw_pages_of(session, ids["storm"]) == []

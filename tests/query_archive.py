"""A small archive for the query tests: six articles on four sites, with sections, languages and one undated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage import articles

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)

#: slug -> (title, body, authors, site, published offset in days or None, section, language)
ARTICLES: dict[str, tuple[str, str, list[str], str, int | None, str | None, str | None]] = {
    "title-hit": (
        "Glacier retreat accelerates",
        "Scientists measured ice loss across the range for a decade.",
        ["Ana Silva"],
        "alpine",
        0,
        "Science",
        "en",
    ),
    "body-hit": (
        "Mountain tourism report",
        "Visitors came to see the glacier before it shrinks further, officials said.",
        ["Ben Okafor"],
        "alpine",
        10,
        "Travel",
        "en-GB",
    ),
    "operators": (
        "Court ruling",
        "The judge did not say whether the appeal or the retrial comes first and near term plans are open.",
        ["Élodie Durand"],
        "courts",
        20,
        "Law",
        "fr",
    ),
    "unrelated": (
        "Harbour festival",
        "Boats, music and food along the quay all weekend.",
        ["Ana Silva"],
        "coast",
        31,
        None,
        "en",
    ),
    "climate-policy": (
        "Climate policy debate",
        "Parliament debated climate policy and glacier funding late into the night.",
        ["Ana Silva", "Ben Okafor"],
        "capital",
        40,
        "Politics",
        "en",
    ),
    "undated": (
        "Policy notes",
        "Notes on policy and the climate of opinion.",
        [],
        "capital",
        None,
        "Politics",
        "en",
    ),
}
ALL = sorted(ARTICLES)


def make_record(slug: str) -> dict[str, Any]:
    title, body, authors, _site, days, section, language = ARTICLES[slug]
    return {
        "url": f"https://news.example/{slug}",
        "canonical_url": None,
        "title": title,
        "authors": authors,
        "published": T0 + timedelta(days=days) if days is not None else None,
        "modified": None,
        "language": language,
        "section": section,
        "site_name": None,
        "lead_image": None,
        "description": None,
        "body": body,
        "related_links": [],
    }


def fill(archive) -> None:  # noqa: ANN001
    with archive.sessions.begin() as session:
        for slug, values in ARTICLES.items():
            articles.save_article(
                session, make_record(slug), site=values[3], fetched_at=T0, extractor_version="t"
            )


def slug_of(url: str) -> str:
    return url.rsplit("/", 1)[1]

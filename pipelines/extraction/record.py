"""The extracted article record: one vocabulary for extract output, items, fixtures and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: The keys `newsarchive extract` prints, in order (after `id`).
RECORD_FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "title",
    "authors",
    "published",
    "modified",
    "language",
    "section",
    "site_name",
    "lead_image",
    "description",
    "body",
    "related_links",
)

#: Bumped whenever a change to extraction can change a stored record.
EXTRACTOR_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class RelatedLink:
    url: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "text": self.text}


@dataclass(slots=True)
class ArticleRecord:
    """Clean fields of one article page. Dates are timezone-aware datetimes or None."""

    url: str | None
    canonical_url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    section: str | None = None
    site_name: str | None = None
    lead_image: str | None = None
    description: str | None = None
    body: str = ""
    related_links: list[RelatedLink] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with exactly RECORD_FIELDS; dates as ISO 8601 with offset."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published.isoformat() if self.published else None,
            "modified": self.modified.isoformat() if self.modified else None,
            "language": self.language,
            "section": self.section,
            "site_name": self.site_name,
            "lead_image": self.lead_image,
            "description": self.description,
            "body": self.body,
            "related_links": [link.to_dict() for link in self.related_links],
        }


@dataclass(slots=True)
class Extraction:
    """What extraction learned about a page: the record, whether it is an article, and why."""

    record: ArticleRecord
    is_article: bool = True
    page_type_reason: str = ""
    #: field name -> where its value came from (e.g. "json-ld", "meta:og:title", "h1"); for --explain
    sources: dict[str, str] = field(default_factory=dict)
    #: every date the page states: value, kind, source, where, score, and which won (for --explain)
    date_candidates: list[dict[str, Any]] = field(default_factory=list)

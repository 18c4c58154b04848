"""Metadata fields: one small typed function per field, structured data first, then the visible page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import dateparser

from pipelines.authors import authors
from pipelines.titles import title

if TYPE_CHECKING:
    from pipelines.document import Document


def _ld_article(doc: Document) -> dict[str, Any] | None:
    found = doc.ld_objects("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle")
    return found[0] if found else None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC"})
    return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=UTC)


def published(doc: Document, sources: dict[str, str]) -> datetime | None:
    ld = _ld_article(doc) or {}
    value = _text(ld.get("datePublished")) or doc.meta_first("article:published_time")
    if value:
        sources["published"] = "structured"
    return _date(value)


def modified(doc: Document, sources: dict[str, str]) -> datetime | None:
    ld = _ld_article(doc) or {}
    value = _text(ld.get("dateModified")) or doc.meta_first("article:modified_time")
    if value:
        sources["modified"] = "structured"
    return _date(value)


def canonical_url(doc: Document) -> str | None:
    found = doc.links.get("canonical")
    return found[0] if found else doc.meta_first("og:url")


def language(doc: Document) -> str | None:
    lang = doc.tree.get("lang") or doc.meta_first("og:locale", "content-language")
    return lang.split("-")[0].split("_")[0].lower() if lang else None


def section(doc: Document) -> str | None:
    ld = _ld_article(doc) or {}
    return _text(ld.get("articleSection")) or doc.meta_first("article:section")


def site_name(doc: Document) -> str | None:
    return doc.meta_first("og:site_name")


def lead_image(doc: Document) -> str | None:
    return doc.absolute(doc.meta_first("og:image", "twitter:image"))


def description(doc: Document) -> str | None:
    return doc.meta_first("og:description", "description")

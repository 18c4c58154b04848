"""Metadata fields: one small typed function per field, structured data first, then the visible page.

The larger fields live in their own modules (titles, authors, dates, language, sitenames); this module
re-exports them so callers have one place to look.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipelines.extraction import structured
from pipelines.extraction.authors import authors
from pipelines.extraction.dates import modified, published
from pipelines.extraction.language import language
from pipelines.extraction.sitenames import site_name
from pipelines.extraction.titles import title

if TYPE_CHECKING:
    from pipelines.extraction.document import Document

__all__ = [
    "authors",
    "canonical_url",
    "description",
    "language",
    "lead_image",
    "modified",
    "published",
    "section",
    "site_name",
    "title",
]

SECTION_META: tuple[str, ...] = (
    "article:section",
    "og:article:section",
    "section",
    "parsely-section",
    "category",
)
IMAGE_META: tuple[str, ...] = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)
DESCRIPTION_META: tuple[str, ...] = ("og:description", "description", "twitter:description", "dc.description")


def _first_text(value: Any) -> str | None:
    for item in structured.as_list(value):
        text = structured.clean_text(item.get("name") if isinstance(item, dict) else item)
        if text:
            return text
    return None


def _noted(sources: dict[str, str] | None, field: str, source: str, value: str | None) -> str | None:
    if value and sources is not None:
        sources[field] = source
    return value


def canonical_url(doc: Document, sources: dict[str, str] | None = None) -> str | None:
    found = doc.links.get("canonical")
    if found:
        return _noted(sources, "canonical_url", "link:canonical", found[0])
    return _noted(sources, "canonical_url", "meta:og:url", doc.absolute(doc.meta_first("og:url")))


def section(doc: Document, sources: dict[str, str] | None = None) -> str | None:
    for obj in structured.page_objects(doc):
        found = _first_text(obj.get("articleSection"))
        if found:
            return _noted(sources, "section", "json-ld:articleSection", found)
    return _noted(sources, "section", "meta", structured.clean_text(doc.meta_first(*SECTION_META)))


def _ld_image(doc: Document) -> str | None:
    for obj in structured.page_objects(doc):
        for item in structured.as_list(obj.get("image")):
            item = structured.resolve(doc, item)
            url = item.get("url") or item.get("contentUrl") if isinstance(item, dict) else item
            if isinstance(url, str) and url.strip():
                return url
    return None


def lead_image(doc: Document, sources: dict[str, str] | None = None) -> str | None:
    found = doc.absolute(doc.meta_first(*IMAGE_META))
    if found:
        return _noted(sources, "lead_image", "meta", found)
    found = doc.absolute(_ld_image(doc))
    if found:
        return _noted(sources, "lead_image", "json-ld:image", found)
    return _noted(sources, "lead_image", "link:image_src", doc.absolute(_first_link(doc, "image_src")))


def _first_link(doc: Document, rel: str) -> str | None:
    found = doc.links.get(rel)
    return found[0] if found else None


def description(doc: Document, sources: dict[str, str] | None = None) -> str | None:
    value = structured.clean_text(doc.meta_first(*DESCRIPTION_META))
    if value:
        return _noted(sources, "description", "meta", value)
    for obj in structured.page_objects(doc):
        found = structured.clean_text(obj.get("description"))
        if found:
            return _noted(sources, "description", "json-ld:description", found)
    return None

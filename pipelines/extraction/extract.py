"""Page bytes to an Extraction: parse once, then one small function per field. Shared by the CLI and the crawl."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.extraction import body, dates, links, metadata
from pipelines.extraction.classify import classify_page
from pipelines.extraction.decode import DecodeError
from pipelines.extraction.document import ParseError, parse_document
from pipelines.extraction.record import ArticleRecord, Extraction

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime


class ExtractionError(ValueError):
    """A page that yields no record (undecodable, empty, not HTML). The message is the reason recorded."""


def extract_page(
    data: bytes | str,
    url: str | None = None,
    header_charset: str | None = None,
    overrides: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> Extraction:
    """Extract the article record from one page. Raises ExtractionError with a one-line reason.
    fetched_at (None = now): no date later than it is taken from the page."""
    try:
        doc = parse_document(data, url, header_charset)
    except (ParseError, DecodeError) as error:
        raise ExtractionError(" ".join(str(error).split()) or type(error).__name__) from error
    sources: dict[str, str] = {}
    # Metadata first: it reads the tree as parsed, before body extraction looks at it.
    record = ArticleRecord(
        url=url,
        canonical_url=metadata.canonical_url(doc, sources),
        title=metadata.title(doc, sources, overrides),
        authors=metadata.authors(doc, sources, overrides),
        published=metadata.published(doc, sources, overrides, fetched_at),
        modified=metadata.modified(doc, sources, fetched_at),
        language=metadata.language(doc, sources),
        section=metadata.section(doc, sources),
        site_name=metadata.site_name(doc, sources),
        lead_image=metadata.lead_image(doc, sources),
        description=metadata.description(doc, sources),
    )
    record.body = body.extract_body(doc, title=record.title, overrides=overrides, authors=record.authors)
    record.related_links = links.related_links(doc)
    # Article or not (pipelines/classify.py): listing, author and static pages are not stored as articles.
    is_article, reason = classify_page(doc, record)
    return Extraction(
        record=record,
        is_article=is_article,
        page_type_reason=reason,
        sources=sources,
        date_candidates=dates.explain(doc),
    )

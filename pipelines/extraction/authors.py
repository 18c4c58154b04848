"""Authors: clean person names from JSON-LD, <meta>, microdata and byline elements, in that order of trust.

Finding the raw strings is bylines.py's job, cleaning and validating them names.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.extraction.bylines import (
    from_bylines,
    from_json_ld,
    from_lead_line,
    from_meta,
    from_selector,
    from_signature,
    only_editors,
)
from pipelines.extraction.names import clean_names, dedupe

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipelines.extraction.document import Document

__all__ = ["authors", "clean_names"]


def authors(doc: Document, sources: dict[str, str], overrides: Mapping[str, str] | None = None) -> list[str]:
    """Person names, de-duplicated case-insensitively, in the order the best source lists them."""
    selector = (overrides or {}).get("authors")
    if selector:
        names = from_selector(doc, selector)
        if names:
            sources["authors"] = "override"
            return dedupe(names)
    finders = (
        ("json-ld", from_json_ld),
        ("meta", from_meta),
        ("byline", from_bylines),
        ("signature", from_signature),
        ("lead-line", from_lead_line),
    )
    for source, finder in finders:
        names = finder(doc)
        if names and source in ("json-ld", "meta") and only_editors(names, doc):
            names, source = from_bylines(doc) or names, "byline"
        if names:
            sources["authors"] = source
            return dedupe(names)
    # No person anywhere: the page credits the outlet itself ("Associated Press", "FOCUS online"); say so.
    for source, fallback in (("json-ld:organisation", from_json_ld), ("meta:organisation", from_meta)):
        names = fallback(doc, allow_site=True)
        if names:
            sources["authors"] = source
            return dedupe(names)
    return []

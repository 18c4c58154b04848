"""The page's language as an ISO 639-1 code: <html lang>, Content-Language, og:locale, JSON-LD inLanguage."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines import structured

if TYPE_CHECKING:
    from pipelines.document import Document

#: <meta> names that state the language or locale, in order of trust.
LANGUAGE_META: tuple[str, ...] = ("content-language", "og:locale", "language", "dc.language", "inlanguage")
_CODE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def normalise(value: str | None) -> str | None:
    """'en-US', 'de_DE', 'EN' -> 'en'; anything that is not a language tag -> None."""
    if not value:
        return None
    match = _CODE.match(value.split(",")[0])
    return match.group(1).lower() if match else None


def _find(doc: Document) -> tuple[str, str] | None:
    found = normalise(doc.tree.get("lang") or doc.tree.get("xml:lang"))
    if found:
        return "html:lang", found
    for key in LANGUAGE_META:
        found = normalise(doc.meta_first(key))
        if found:
            return f"meta:{key}", found
    for obj in structured.page_objects(doc):
        value = obj.get("inLanguage")
        if isinstance(value, dict):
            value = value.get("alternateName") or value.get("name")
        found = normalise(value if isinstance(value, str) else None)
        if found:
            return "json-ld:inLanguage", found
    return None


def language(doc: Document, sources: dict[str, str] | None = None) -> str | None:
    """The page's language code, or None when the page does not say."""
    if "language" not in doc.cache:
        doc.cache["language"] = _find(doc)
    found = doc.cache["language"]
    if found is None:
        return None
    if sources is not None:
        sources["language"] = found[0]
    return found[1]

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


def language(doc: Document) -> str | None:
    if "language" in doc.cache:
        return doc.cache["language"]
    found = normalise(doc.tree.get("lang") or doc.tree.get("xml:lang"))
    if not found:
        for key in LANGUAGE_META:
            found = normalise(doc.meta_first(key))
            if found:
                break
    if not found:
        for obj in structured.page_objects(doc):
            value = obj.get("inLanguage")
            if isinstance(value, dict):
                value = value.get("alternateName") or value.get("name")
            found = normalise(value if isinstance(value, str) else None)
            if found:
                break
    doc.cache["language"] = found
    return found

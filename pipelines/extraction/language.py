"""The page's language as an ISO 639-1 code: <html lang>, Content-Language, og:locale, JSON-LD inLanguage."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.extraction import structured

if TYPE_CHECKING:
    from pipelines.extraction.document import Document

#: <meta> names that state the language or locale, in order of trust.
LANGUAGE_META: tuple[str, ...] = ("content-language", "og:locale", "language", "dc.language", "inlanguage")
#: Scripts that name their language outright (checked on the page's own text when it states no language).
SCRIPT_LANGUAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
#: Very common function words of Latin-script languages; the language whose words occur most wins.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "with",
            "was",
            "on",
            "are",
            "by",
            "this",
            "have",
            "from",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "und",
            "das",
            "ist",
            "nicht",
            "mit",
            "den",
            "sich",
            "auf",
            "für",
            "ein",
            "eine",
            "dem",
            "auch",
        ]
    ),
    "fr": frozenset(
        ["le", "la", "les", "et", "des", "est", "une", "pour", "dans", "que", "qui", "pas", "sur", "du", "au"]
    ),
    "es": frozenset(
        ["el", "la", "los", "las", "y", "que", "es", "una", "por", "para", "con", "del", "en", "se", "su"]
    ),
    "it": frozenset(
        ["il", "di", "che", "la", "per", "una", "sono", "con", "non", "gli", "della", "del", "le", "un", "è"]
    ),
    "pt": frozenset(
        ["o", "que", "de", "não", "uma", "para", "com", "os", "as", "do", "da", "em", "no", "na", "ao"]
    ),
    "nl": frozenset(
        ["de", "het", "een", "en", "van", "is", "dat", "op", "niet", "met", "voor", "zijn", "te", "ook"]
    ),
}
#: Function words needed before the guess is trusted.
MIN_STOPWORD_HITS = 5
#: Share of all words the winning language's function words must reach (unlisted languages stay None).
MIN_STOPWORD_SHARE = 0.12
#: How far the winner must lead the runner-up.
MIN_LEAD = 2.0
#: Characters of page text looked at.
SAMPLE_CHARS = 3000
_WORD = re.compile(r"[^\W\d_]+")
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
    found = guess(_sample(doc))
    return ("guess", found) if found else None


def _sample(doc: Document) -> str:
    parts: list[str] = [doc.meta_first("og:title", "description", "og:description") or ""]
    size = len(parts[0])
    for paragraph in doc.tree.iter("p", "h1"):
        text = paragraph.text_content()
        parts.append(text)
        size += len(text)
        if size > SAMPLE_CHARS:
            break
    return " ".join(parts)[:SAMPLE_CHARS]


def guess(text: str) -> str | None:
    """A cheap guess from the script, else from common function words; None when unsure."""
    for code, script in SCRIPT_LANGUAGES:
        if len(script.findall(text)) >= 20:
            return code
    words = [word.casefold() for word in _WORD.findall(text)]
    scores = sorted(
        ((sum(word in stops for word in words), code) for code, stops in STOPWORDS.items()), reverse=True
    )
    (best, code), (second, _) = scores[0], scores[1]
    if best < MIN_STOPWORD_HITS or best < MIN_STOPWORD_SHARE * len(words) or best < MIN_LEAD * second:
        return None
    return code


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

"""The headline: reconcile JSON-LD headline, og:title, <title> and the visible <h1>, without site-name affixes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines import sitenames, structured

if TYPE_CHECKING:
    from lxml import etree

    from pipelines.document import Document

#: Separators between a headline and a site name / section ("Headline | Site", "Site - Headline").
AFFIX_SEPARATOR = re.compile(r"\s*(?:\||ㅣ|::|»)\s*|\s+[-–—·•/]\s+")
#: "Site: Headline" prefix separator.
PREFIX_SEPARATOR = re.compile(r"^(.{2,40}?)\s*:\s+")
#: Meta names that carry the headline, in order of trust after JSON-LD.
TITLE_META: tuple[str, ...] = ("og:title", "twitter:title", "dc.title", "title")
#: Where the article's own <h1> lives, most specific first.
HEADLINE_XPATHS: tuple[str, ...] = (
    "//*[@itemprop='headline']",
    "//article//h1",
    "//main//h1",
    "//*[@role='main']//h1",
    "//h1",
)
_ELLIPSIS = ("…", "...")
#: Longest unknown suffix ("| Politics | Site Name") taken for a site affix rather than headline words.
MAX_SUFFIX_WORDS = 6
_MIN_WORDS = 1


def _norm(text: str) -> str:
    """Comparison key: case, quotes, dashes and spacing do not make two headlines different."""
    return sitenames.squash(text)


def strip_site_affixes(title: str, doc: Document) -> str:
    """Drop leading/trailing segments that name the site ('Headline | Site', 'Site - Headline', 'Site: Headline')."""
    changed = True
    while changed:
        changed = False
        parts = AFFIX_SEPARATOR.split(title)
        if len(parts) > 1 and sitenames.is_site_name(parts[-1], doc):
            cut = list(AFFIX_SEPARATOR.finditer(title))[-1].start()
            title, changed = title[:cut].strip(), True
        elif len(parts) > 1 and sitenames.is_site_name(parts[0], doc):
            cut = next(AFFIX_SEPARATOR.finditer(title)).end()
            title, changed = title[cut:].strip(), True
        else:
            prefix = PREFIX_SEPARATOR.match(title)
            if prefix and sitenames.is_site_name(prefix.group(1), doc):
                title, changed = title[prefix.end() :].strip(), True
        if not title:
            return ""
    return title


def _element_text(element: etree._Element) -> str | None:
    return structured.clean_text(element.text_content())


def visible_headline(doc: Document) -> str | None:
    """The article's <h1> (or itemprop=headline), skipping h1s that only hold the site's name or logo."""
    for xpath in HEADLINE_XPATHS:
        for element in doc.tree.xpath(xpath):
            if element.tag == "meta":
                continue
            text = _element_text(element)
            if text and not sitenames.is_site_name(text, doc):
                return text
    return None


def _metadata_candidates(doc: Document) -> list[tuple[str, str]]:
    """(source, headline) pairs from structured data, most trusted first, site affixes removed."""
    found: list[tuple[str, str]] = []
    article = structured.article_object(doc)
    if article:
        headline = structured.clean_text(article.get("headline")) or structured.clean_text(
            article.get("name")
        )
        if headline:
            found.append(("json-ld:headline", headline))
    for key in TITLE_META:
        value = structured.clean_text(doc.meta_first(key))
        if value:
            found.append((f"meta:{key}", value))
    tag = structured.clean_text(doc.tree.findtext(".//title"))
    if tag:
        found.append(("title", tag))
    cleaned = []
    for source, value in found:
        stripped = strip_site_affixes(value, doc)
        if stripped:
            cleaned.append((source, stripped))
    return cleaned


def _completes(short: str, full: str) -> bool:
    """True when short is full cut off with an ellipsis (JSON-LD headlines are often truncated)."""
    stem = short.rstrip("".join(_ELLIPSIS) + " ")
    return short.endswith(_ELLIPSIS) and len(full) > len(stem) and _norm(full).startswith(_norm(stem))


def _within(h1: str, text: str) -> bool:
    """True when text is h1 plus a separator and more ('Headline - Site Name' for a brand we did not know)."""
    if not _norm(text).startswith(_norm(h1)) or len(text) <= len(h1):
        return False
    rest = text[len(h1) :]
    return bool(AFFIX_SEPARATOR.match(rest)) and len(rest.split()) <= MAX_SUFFIX_WORDS


def title(doc: Document, sources: dict[str, str]) -> str | None:
    """The headline: structured metadata first; the visible h1 wins when it says the same thing."""
    candidates = _metadata_candidates(doc)
    h1 = visible_headline(doc)
    primary = next(((s, v) for s, v in candidates if s != "title"), None)
    if primary is None:
        tag = candidates[0][1] if candidates else None
        if h1:
            sources["title"] = "h1+title" if tag and (_norm(tag) == _norm(h1) or _within(h1, tag)) else "h1"
            return h1
        if tag:
            sources["title"] = "title"
        return tag
    source, value = primary
    if h1 and _norm(h1) == _norm(value):
        # Same words: keep the metadata spelling, the h1's text loses spaces between inline elements.
        sources["title"] = f"h1+{source}"
        return value
    if h1 and _completes(value, h1):
        sources["title"] = f"h1+{source}"
        return h1
    if h1 and _within(h1, value):
        sources["title"] = f"h1+{source}"
        return h1
    for other_source, other in candidates:
        if _completes(value, other):
            sources["title"] = other_source
            return other
    sources["title"] = source
    return value

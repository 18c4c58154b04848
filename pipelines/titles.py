"""The headline: reconcile JSON-LD headline, og:title, <title> and the visible <h1>, without site-name affixes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipelines import sitenames, structured

if TYPE_CHECKING:
    from pipelines.document import Document

#: Separators between a headline and a site name / section ("Headline | Site", "Site - Headline").
AFFIX_SEPARATOR = re.compile(r"\s*(?:\||ㅣ|::|»)\s*|\s+[-–—·•/]\s+")
#: "Site: Headline" prefix separator.
PREFIX_SEPARATOR = re.compile(r"^(.{2,40}?)\s*:\s+")
#: Meta names that carry the headline, in order of trust after JSON-LD.
TITLE_META: tuple[str, ...] = ("og:title", "twitter:title", "dc.title", "title")
#: Where the article's own <h1> lives, most specific first.
HEADLINE_XPATH = etree.XPath("//*[@itemprop='headline'][not(self::meta)] | //h1")
#: Containers that hold the article itself; an h1 inside one ranks first.
ARTICLE_CONTAINERS: frozenset[str] = frozenset({"article", "main"})
_ELLIPSIS = ("…", "...")
#: "Kicker: Headline" / "Kicker - Headline": where a kicker (topline) ends.
KICKER_SEPARATOR = re.compile(r"\s*:\s+|\s+[-–—|]\s+")
#: Longest kicker, in words.
MAX_KICKER_WORDS = 8
#: Shortest headline two sources must share behind their different kickers.
MIN_SHARED_WORDS = 4
#: How many times longer than each kicker the shared headline must be.
KICKER_RATIO = 1.5
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


def _rank(element: etree._Element) -> int:
    """0: itemprop=headline; 1: h1 inside <article>/<main>/role=main; 2: any other h1."""
    if element.get("itemprop") == "headline":
        return 0
    for ancestor in element.iterancestors():
        if ancestor.tag in ARTICLE_CONTAINERS or ancestor.get("role") == "main":
            return 1
    return 2


def visible_headline(doc: Document) -> str | None:
    """The article's <h1> (or itemprop=headline), skipping h1s that only hold the site's name or logo."""
    found = sorted(HEADLINE_XPATH(doc.tree), key=_rank)  # one scan; sorted() keeps page order within a rank
    for element in found:
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


def _tails(text: str) -> dict[str, tuple[str, int]]:
    """What follows each kicker separator in text: squashed -> (original, words before it)."""
    tails: dict[str, tuple[str, int]] = {}
    for match in KICKER_SEPARATOR.finditer(text):
        kicker_words = len(text[: match.start()].split())
        if kicker_words > MAX_KICKER_WORDS:
            break
        tails.setdefault(_norm(text[match.end() :]), (text[match.end() :], kicker_words))
    return tails


def _shared_headline(metadata: str, h1: str) -> str | None:
    """The headline both carry behind different kickers ('Kicker A: X' in metadata, 'Kicker B - X' on the page).

    The shared part must clearly outweigh each kicker, so a dash inside one long headline does not count.
    """
    theirs = _tails(h1)
    for key, (text, our_kicker) in _tails(metadata).items():
        if key not in theirs or not our_kicker or not theirs[key][1]:
            continue  # the same text, or a kicker on one side only: the metadata headline stands
        words = len(text.split())
        if words >= MIN_SHARED_WORDS and words >= KICKER_RATIO * max(our_kicker, theirs[key][1]):
            return text
    return None


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
    shared = _shared_headline(value, h1) if h1 else None
    if shared:
        sources["title"] = f"h1+{source}:shared"
        return shared
    sources["title"] = source
    return value

"""The headline: reconcile JSON-LD headline, og:title, <title> and the visible <h1>, without site-name affixes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extraction import sitenames, structured

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipelines.extraction.document import Document

#: Separators between a headline and a site name / section ("Headline | Site", "Site - Headline",
#: "Site › Section", "Headline : 31.10.2023").
AFFIX_SEPARATOR = re.compile(r"\s*(?:\||ㅣ|::|»|›|‹|//)\s*|\s+[-–—·•/~:]\s+")
#: Separators that only ever join affixes (a dash or a spaced colon may also sit inside a headline).
STRONG_SEPARATOR = re.compile(r"\s*(?:\||ㅣ|::|»|›|‹|//)\s*")
#: A trailing affix in parentheses ("Headline (Site Name)").
PAREN_AFFIX = re.compile(r"\s+\(([^()]{2,60})\)$")
#: "Site: Headline" prefix separator.
PREFIX_SEPARATOR = re.compile(r"^(.{2,40}?)\s*:\s+")
#: Meta names that carry the headline, in order of trust after JSON-LD.
TITLE_META: tuple[str, ...] = ("og:title", "twitter:title", "dc.title", "title")
#: Where the article's own <h1> lives, most specific first.
HEADLINE_XPATH = etree.XPath("//*[@itemprop='headline'][not(self::meta)] | //h1")
#: Containers that hold the article itself; an h1 inside one ranks first.
ARTICLE_CONTAINERS: frozenset[str] = frozenset({"article", "main"})
#: An h1 inside one of these is a navigation label (a breadcrumb / 'crumb' trail), not the article's headline.
NAVIGATION_XPATH = etree.XPath(
    "ancestor-or-self::*[self::nav or @role='navigation' or contains(@class, 'crumb')][1]"
)
#: Where the article's displayed headline sits when the page's h1 is a navigation label.
ARTICLE_HEADING_XPATH = etree.XPath("(//article//h2 | //main//h2)[1]")
#: The publisher's two main headline declarations; the displayed heading arbitrates when they differ.
PRIMARY_SOURCES: tuple[str, ...] = ("json-ld:headline", "meta:og:title")
_ELLIPSIS = ("…", "...")
_DIGIT = re.compile(r"\d")
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
#: The same behind a strong separator ("Headline | Parco Nazionale d'Abruzzo, Lazio e Molise").
MAX_STRONG_AFFIX_WORDS = 10
#: Longest section label ("Politics", "Local News") stripped next to a site name.
MAX_SECTION_WORDS = 3
#: Fewest words a headline keeps when section labels are stripped from it.
MIN_HEADLINE_WORDS = 4
#: Fewest words an h1 needs to be found after a title's first segment (a one-word h1 there is a section label).
MIN_H1_SEGMENT_WORDS = 2
_MIN_WORDS = 1


def _norm(text: str) -> str:
    """Comparison key: case, quotes, dashes and spacing do not make two headlines different."""
    return sitenames.squash(text)


def _strong(separator: re.Match[str]) -> bool:
    return bool(STRONG_SEPARATOR.fullmatch(separator.group()))


def _strip_sections(title: str, separator: str, at_end: bool) -> str:
    """After a site name cut at one end with a strong separator, the section labels joined to the headline by
    that same separator go too ('Site | Politics | Headline' -> 'Headline'), while a headline stays."""
    while True:
        matches = [m for m in STRONG_SEPARATOR.finditer(title) if m.group().strip() == separator]
        if not matches:
            return title
        match = matches[-1] if at_end else matches[0]
        section, rest = (
            (title[match.end() :], title[: match.start()])
            if at_end
            else (
                title[: match.start()],
                title[match.end() :],
            )
        )
        if len(section.split()) > MAX_SECTION_WORDS or len(rest.split()) < MIN_HEADLINE_WORDS:
            return title
        title = rest.strip()


def strip_site_affixes(title: str, doc: Document) -> str:
    """Drop leading/trailing segments that name the site ('Headline | Site', 'Site - Headline', 'Site: Headline'),
    and the section labels a strong separator joins between the site name and the headline."""
    changed = True
    while changed:
        changed = False
        parts = AFFIX_SEPARATOR.split(title)
        if len(parts) > 1 and sitenames.is_site_name(parts[-1], doc):
            separator = list(AFFIX_SEPARATOR.finditer(title))[-1]
            title, changed = title[: separator.start()].strip(), True
            if _strong(separator):
                title = _strip_sections(title, separator.group().strip(), at_end=True)
        elif len(parts) > 1 and sitenames.is_site_name(parts[0], doc):
            separator = next(AFFIX_SEPARATOR.finditer(title))
            title, changed = title[separator.end() :].strip(), True
            if _strong(separator):
                title = _strip_sections(title, separator.group().strip(), at_end=False)
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


def _is_navigation(element: etree._Element) -> bool:
    return bool(NAVIGATION_XPATH(element))


def _headline_elements(doc: Document) -> list[etree._Element]:
    """itemprop=headline elements and h1s, best ranked first (one scan per page, memoised)."""
    found = doc.cache.get("headline_elements")
    if found is None:
        found = sorted(HEADLINE_XPATH(doc.tree), key=_rank)  # sorted() keeps page order within a rank
        doc.cache["headline_elements"] = found
    return found


def navigation_labels(doc: Document) -> list[str]:
    """Texts of h1s inside navigation: breadcrumb trails that repeat an (SEO) title as their last item."""
    found = _headline_elements(doc)
    return [
        text
        for element in found
        if element.tag == "h1" and _is_navigation(element) and (text := _element_text(element))
    ]


def headline_element(doc: Document) -> etree._Element | None:
    """The element showing the article's headline: itemprop=headline or an h1 that is neither the site's
    name nor inside navigation (a breadcrumb h1 only repeats a title for search engines)."""
    for element in _headline_elements(doc):
        text = _element_text(element)
        if (
            text
            and not sitenames.is_site_name(text, doc)
            and not (element.tag == "h1" and _is_navigation(element))
        ):
            return element
    return None


def visible_headline(doc: Document) -> str | None:
    """The text of the article's headline element, else of a breadcrumb h1 (better than no h1 at all)."""
    element = headline_element(doc)
    if element is not None:
        return _element_text(element)
    labels = [label for label in navigation_labels(doc) if not sitenames.is_site_name(label, doc)]
    return labels[0] if labels else None


def _without_kicker(element: etree._Element) -> str | None:
    """The heading's text after a leading kicker element ('<span>Kicker</span><span>Headline</span>')."""
    parts = [text for child in element.iterchildren(etree.Element) if (text := _element_text(child))]
    if len(parts) < 2 or (element.text or "").strip():
        return None
    return structured.clean_text(" ".join(parts[1:]))


def _shown_wording(doc: Document, candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The metadata wording the page displays in its headline element, when the JSON-LD headline is only
    repeated in a breadcrumb h1 and og:title says something else: the heading without its kicker first
    (the kicker is a separate label above it), then the whole heading."""
    by_source = dict(candidates)
    primary = [_norm(by_source[key]) for key in PRIMARY_SOURCES if key in by_source]
    if len(set(primary)) < 2:
        return None  # JSON-LD and og:title agree (or one is missing): nothing to arbitrate
    if primary[0] not in {_norm(label) for label in navigation_labels(doc)}:
        return None  # only a breadcrumb h1 repeating the JSON-LD headline marks that one as the SEO title
    element = headline_element(doc)
    if element is None:  # the breadcrumb held the only h1: such pages show their headline as an h2
        heading = ARTICLE_HEADING_XPATH(doc.tree)
        element = heading[0] if heading else None
    if element is None:
        return None
    for shown in (_without_kicker(element), _element_text(element)):
        if not shown:
            continue
        for source, value in candidates:
            if _norm(value) == _norm(shown):
                return source, value
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


def _affix_like(affix: str, separator: re.Match[str] | None) -> bool:
    """Whether text cut off a title beside the headline can be a site name, section or date, not headline words.

    A spaced colon joins only a date or number ('Headline : 31.10.2023'): in French ' : ' opens the headline
    after its kicker ('Angleterre : Manchester United ...')."""
    if separator is not None and separator.group().strip() == ":" and not _DIGIT.search(affix):
        return False
    strong = separator is not None and _strong(separator)
    return len(affix.split()) <= (MAX_STRONG_AFFIX_WORDS if strong else MAX_SUFFIX_WORDS)


def _within(h1: str, text: str) -> bool:
    """True when text is the h1 plus separator-joined affixes on either side ('Site » Headline', 'Headline -
    Site', 'Site | Section | Headline', 'Headline (Site)'): the brand, section or date we did not know."""
    key = _norm(h1)
    if not key or key == _norm(text):
        return False
    paren = PAREN_AFFIX.search(text)
    if paren and _norm(text[: paren.start()]) == key:
        return len(paren.group(1).split()) <= MAX_STRONG_AFFIX_WORDS
    separators = list(AFFIX_SEPARATOR.finditer(text))
    # Segment boundaries: (end of the text before the separator, start of the text after it).
    bounds = [(0, 0), *((match.start(), match.end()) for match in separators), (len(text), len(text))]
    for first in range(len(bounds) - 1):
        start = bounds[first][1]
        for last in range(first + 1, len(bounds)):
            end = bounds[last][0]
            if _norm(text[start:end]) != key or (first and len(h1.split()) < MIN_H1_SEGMENT_WORDS):
                continue  # a one-word h1 only opens the title ("Winterhechte | Site"), else it is a section label
            before, after = text[: bounds[first][0]], text[bounds[last][1] :]
            if (not before or _affix_like(before, separators[first - 1])) and (
                not after or _affix_like(after, separators[last - 1])
            ):
                return True
    return False


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


def _from_selector(doc: Document, selector: str) -> str | None:
    texts = (structured.clean_text(element.text_content()) for element in doc.select(selector))
    return next((text for text in texts if text), None)


def title(doc: Document, sources: dict[str, str], overrides: Mapping[str, str] | None = None) -> str | None:
    """The headline: a site's override selector; else structured metadata first, the visible h1 winning
    when it says the same thing, and when the h1 is only a breadcrumb label the displayed heading picks
    between JSON-LD and og:title."""
    selector = (overrides or {}).get("title")
    if selector:
        found = _from_selector(doc, selector)
        if found:
            sources["title"] = "override"
            return found
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
    shown = _shown_wording(doc, candidates)
    if shown:
        sources["title"] = f"h1+{shown[0]}"
        return shown[1]
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

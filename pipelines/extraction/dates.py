"""Published and modified dates: JSON-LD, <meta>, <time>/microdata, the URL, then the visible dateline.

ISO-like strings are parsed with a regex and datetime (fast); dateparser is only used for free text in the
page's language. Naive times take the page's own stated UTC offset when another date on the page has one,
else UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from pipelines.extraction import language, structured

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from lxml import etree

    from pipelines.extraction.document import Document

#: JSON-LD keys, in order of trust, on the article object then page objects.
LD_PUBLISHED: tuple[str, ...] = ("datePublished", "dateCreated", "uploadDate")
LD_MODIFIED: tuple[str, ...] = ("dateModified",)
#: <meta> names / properties / itemprops (lower-cased), in order of trust.
META_PUBLISHED: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "og:published_time",
    "published_time",
    "publish-date",
    "publishdate",
    "publish_date",
    "pubdate",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "datecreated",
    "article.published",
    "originalpublicationdate",
)
META_MODIFIED: tuple[str, ...] = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "modified_time",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "article.updated",
    "parsely-updated-date",
)
#: Elements that state the dates in the page body (microdata and semantic <time>).
ITEMPROP_PUBLISHED = "//*[@itemprop='datePublished' or @itemprop='dateCreated'][not(self::meta)]"
ITEMPROP_MODIFIED = "//*[@itemprop='dateModified'][not(self::meta)]"
TIME_XPATHS: tuple[str, ...] = (
    "//time[@pubdate][@datetime]",
    "//article//time[@datetime]",
    "//main//time[@datetime]",
    "//time[@datetime]",
)
#: Class/id fragments of a visible dateline.
DATELINE_HINT = re.compile(r"date|time|published|publish|datum|fecha|data|meta|byline|zeit")
DATELINE_XPATH = "//body//*[@class or @id][self::p or self::span or self::div or self::time or self::li]"
#: Longest dateline text we try to parse.
MAX_DATELINE = 80
#: dateparser calls allowed per page (each costs milliseconds; a page full of date-ish classes must not stall).
MAX_FREE_TEXT_PARSES = 3

ISO_LIKE = re.compile(
    r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T\s,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?",
    re.IGNORECASE,
)
#: 05.01.2025, 15:23 / 5/1/2025 - day first, as written outside the US.
DAY_FIRST = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:19|20)\d{2})"
    r"(?:[\s,|-]+(?:um\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
COMPACT = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:T?(?P<H>[0-2]\d)(?P<M>[0-5]\d))?"
)
URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:[/-]|$)")
URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]\d)/")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_WORD_AND_DIGIT = re.compile(r"(?=.*\d)(?=.*[^\W\d_]{3})")


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    text = text.upper()
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    try:
        value = datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts.get("H") or 0),
            int(parts.get("M") or 0),
            int(parts.get("S") or 0),
        )
    except ValueError:
        return None
    zone = _offset(parts.get("tz"))
    return value.replace(tzinfo=zone) if zone else value


def parse_iso(text: str | None) -> datetime | None:
    """ISO 8601 and close relatives ('2024-11-22 08:12', '2024/11/22', epoch seconds); naive when no offset."""
    if not text:
        return None
    text = text.strip()
    if _EPOCH.match(text):
        seconds = int(text[:10])
        return datetime.fromtimestamp(seconds, tz=UTC)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    match = ISO_LIKE.search(text) or COMPACT.fullmatch(text)
    return _build(match) if match else None


def parse_structured(text: str | None) -> datetime | None:
    """A date from structured data: ISO 8601 as the standards ask, else the English-language forms some
    publishers write there ('19 Nov 2019 05:44 GMT', 'Fri Apr 28 19:20:36 CEST 2023')."""
    return parse_iso(text) or (parse_text(text, ["en"]) if text else None)


def parse_numeric(text: str) -> datetime | None:
    match = ISO_LIKE.search(text) or DAY_FIRST.search(text)
    return _build(match) if match else None


def parse_text(text: str, languages: list[str] | None = None) -> datetime | None:
    """A date in visible text: numeric forms first, then dateparser in the page's language (never all languages)."""
    found = parse_numeric(text)
    if found is not None or not languages:
        return found
    if not _WORD_AND_DIGIT.search(text) or len(text) > MAX_DATELINE:
        return None
    import dateparser  # slow to import and to run: only for the rare page that states its date in words

    settings = {"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False, "REQUIRE_PARTS": ["year", "month"]}
    try:
        search = dateparser.parse(text, languages=languages, settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError, TypeError):
        return None
    return search


def _page_zone(doc: Document) -> tzinfo | None:
    """The UTC offset the page states on any of its structured dates."""
    if "zone" in doc.cache:
        return doc.cache["zone"]
    zone = None
    for _, value in _structured_values(doc, LD_PUBLISHED + LD_MODIFIED, META_PUBLISHED + META_MODIFIED):
        parsed = parse_iso(value)
        if parsed is not None and parsed.tzinfo is not None:
            zone = parsed.tzinfo
            break
    doc.cache["zone"] = zone
    return zone


def _aware(value: datetime | None, doc: Document) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=_page_zone(doc) or UTC)


def _structured_values(
    doc: Document, ld_keys: Iterable[str], meta_keys: Iterable[str]
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for obj in structured.page_objects(doc):
        for key in ld_keys:
            value = structured.first_string(obj.get(key))
            if value:
                found.append((f"json-ld:{key}", value))
    for key in meta_keys:
        for value in doc.meta.get(key, ()):
            if value.strip():
                found.append((f"meta:{key}", value))
                break
    return found


def _element_value(element: etree._Element) -> str | None:
    return element.get("datetime") or element.get("content") or structured.clean_text(element.text_content())


def _from_elements(doc: Document, xpaths: Iterable[str]) -> tuple[str, datetime] | None:
    for xpath in xpaths:
        for element in doc.tree.xpath(xpath):
            value = _element_value(element)
            parsed = parse_iso(value)
            if parsed is not None:
                return (f"html:{element.tag}", parsed)
    return None


def _from_url(url: str | None) -> datetime | None:
    if not url:
        return None
    match = URL_DATE.search(url)
    return _build(match) if match else None


def _from_dateline(doc: Document) -> datetime | None:
    """The first short element with a date-ish class whose text holds a date (visible text, page language)."""
    lang = language.language(doc)
    budget = MAX_FREE_TEXT_PARSES if lang else 0
    for element in doc.tree.xpath(DATELINE_XPATH):
        hint = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if not DATELINE_HINT.search(hint):
            continue
        text = structured.clean_text(element.text_content())
        if not text or len(text) > MAX_DATELINE or not re.search(r"\d", text):
            continue
        parsed = parse_numeric(text)
        if parsed is None and budget and _WORD_AND_DIGIT.search(text):
            budget -= 1
            parsed = parse_text(text, [lang] if lang else None)
        if parsed is not None:
            return parsed
    return None


def _from_selector(doc: Document, selector: str) -> datetime | None:
    lang = language.language(doc)
    for element in doc.select(selector):
        value = _element_value(element)
        parsed = parse_iso(element.get("datetime") or element.get("content")) or (
            parse_text(value, [lang] if lang else None) if value else None
        )
        if parsed is not None:
            return parsed
    return None


def published(
    doc: Document, sources: dict[str, str], overrides: Mapping[str, str] | None = None
) -> datetime | None:
    """When the article was first published (timezone-aware)."""
    selector = (overrides or {}).get("published")
    if selector:
        found = _from_selector(doc, selector)
        if found is not None:
            sources["published"] = "override"
            return _aware(found, doc)
    for source, value in _structured_values(doc, LD_PUBLISHED, META_PUBLISHED):
        parsed = parse_structured(value)
        if parsed is not None:
            sources["published"] = source
            return _aware(parsed, doc)
    element = _from_elements(doc, (ITEMPROP_PUBLISHED, *TIME_XPATHS))
    if element is not None:
        sources["published"] = element[0]
        return _aware(element[1], doc)
    for source, finder in (("url", lambda: _from_url(doc.url)), ("dateline", lambda: _from_dateline(doc))):
        parsed = finder()
        if parsed is not None:
            sources["published"] = source
            return _aware(parsed, doc)
    image = _from_url(doc.meta_first("og:image"))
    if image is not None:
        sources["published"] = "url:og:image"
        return _aware(image, doc)
    return None


def modified(doc: Document, sources: dict[str, str]) -> datetime | None:
    """When the article was last updated, where the page states it."""
    for source, value in _structured_values(doc, LD_MODIFIED, META_MODIFIED):
        parsed = parse_structured(value)
        if parsed is not None:
            sources["modified"] = source
            return _aware(parsed, doc)
    element = _from_elements(doc, (ITEMPROP_MODIFIED,))
    if element is not None:
        sources["modified"] = element[0]
        return _aware(element[1], doc)
    return None

"""The site's own name(s): for the site_name field and to recognise site affixes in titles and author fields."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipelines.extraction import structured

if TYPE_CHECKING:
    from pipelines.extraction.document import Document

#: <meta> names that hold the site's display name, most specific first.
SITE_NAME_META: tuple[str, ...] = (
    "og:site_name",
    "application-name",
    "apple-mobile-web-app-title",
    "al:ios:app_name",
)
#: Shortest normalised brand we match inside longer text (shorter ones give false hits).
MIN_BRAND = 3
#: A site name is short; longer "names" in JSON-LD are mislabelled headlines.
MAX_NAME_WORDS = 6
_NON_ALNUM = re.compile(r"[\W_]+")
_GENERIC_HOST_LABELS = frozenset({"www", "m", "mobile", "amp", "news", "edition", "co", "com", "org", "net"})


def squash(text: str) -> str:
    """Lower-case letters and digits only: 'Metro.co.uk', 'METRO co uk' and 'metro-co-uk' compare equal."""
    return _NON_ALNUM.sub("", text.casefold())


def _host_brands(url: str | None) -> list[str]:
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return []
    brands = [".".join(labels[-2:]) if len(labels[-2]) > 3 else ".".join(labels[-3:])]
    brands += [label for label in labels[:-1] if label not in _GENERIC_HOST_LABELS]
    return brands


def publisher_names(doc: Document) -> list[str]:
    """Names of the publishing organisation(s) declared in JSON-LD (article publisher, Organization, WebSite)."""
    cached = doc.cache.get("publisher_names")
    if cached is not None:
        return cached
    found: list[str] = []
    for obj in structured.page_objects(doc):
        found += structured.names(doc, obj.get("publisher"))
    for obj in doc.ld_objects(*structured.ORGANIZATION_TYPES):
        found += structured.names(doc, obj.get("name"))
        found += structured.names(doc, obj.get("alternateName"))
    doc.cache["publisher_names"] = found
    return found


def site_names(doc: Document) -> list[str]:
    """Every name the site goes by on this page: meta site names, publisher names, Twitter handle, host brands
    (of the page's URL, its canonical link and its og:url)."""
    cached = doc.cache.get("site_names")
    if cached is not None:
        return cached
    names: list[str] = []
    for key in SITE_NAME_META:
        names += [value.strip() for value in doc.meta.get(key, ()) if value.strip()]
    names += publisher_names(doc)
    handle = doc.meta_first("twitter:site")
    if handle:
        names.append(handle.lstrip("@"))
    canonical = doc.links.get("canonical")
    names += _host_brands(doc.url) + _host_brands(canonical[0] if canonical else None)
    names += _host_brands(doc.meta_first("og:url"))  # the page's address when it was saved without one
    names = [name for name in names if len(name.split()) <= MAX_NAME_WORDS]
    doc.cache["site_names"] = names
    return names


def brands(doc: Document) -> set[str]:
    """Squashed site names long enough to match inside other text."""
    cached = doc.cache.get("brands")
    if cached is None:
        cached = {squash(name) for name in site_names(doc)}
        cached = {brand for brand in cached if len(brand) >= MIN_BRAND}
        doc.cache["brands"] = cached
    return cached


def is_site_name(text: str, doc: Document, exact: bool = False) -> bool:
    """True when text names the site itself ('Metro News' on metro.co.uk, 'SRF'); exact: only the name itself."""
    squashed = squash(text)
    if not squashed:
        return False
    if exact:
        return squashed in brands(doc)
    for brand in brands(doc):
        if squashed == brand or (len(squashed) <= 3 * len(brand) and brand in squashed):
            return True
        if len(squashed) >= MIN_BRAND and squashed in brand:
            return True
    return False


def site_name(doc: Document, sources: dict[str, str] | None = None) -> str | None:
    """The site's display name: og:site_name, then the JSON-LD publisher, then application-name."""
    found = [
        ("meta:og:site_name", doc.meta_first("og:site_name")),
        ("json-ld:publisher", (publisher_names(doc) or [None])[0]),
        ("meta:application-name", doc.meta_first("application-name", "apple-mobile-web-app-title")),
    ]
    for source, value in found:
        if value and not value.lower().startswith(("http:", "https:", "www.")):
            if sources is not None:
                sources["site_name"] = source
            return value
    return None

"""JSON-LD helpers shared by the metadata fields: the page's own article object, @id references, clean text."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.extraction.document import Document

#: schema.org types that describe the article itself, most specific first.
ARTICLE_TYPES: tuple[str, ...] = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "LiveBlogPosting",
    "BlogPosting",
    "SocialMediaPosting",
    "Article",
    "Report",
    "TechArticle",
    "ScholarlyArticle",
    "SatiricalArticle",
)
#: schema.org types of pages that list or describe other things: never an article.
NON_ARTICLE_TYPES: tuple[str, ...] = (
    "CollectionPage",
    "ItemList",
    "SearchResultsPage",
    "ProfilePage",
    "AboutPage",
    "ContactPage",
    "FAQPage",
)
#: Types a page wrapper uses; they carry the article's fields when no Article object exists.
PAGE_TYPES: tuple[str, ...] = ("WebPage", "ItemPage", "VideoObject")
ORGANIZATION_TYPES: tuple[str, ...] = ("Organization", "NewsMediaOrganization", "Corporation", "WebSite")

_TAG = re.compile(r"<[^>]{0,200}>")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def first_string(value: Any) -> str | None:
    """A JSON-LD value that should be one string but is sometimes a list of them: the first string."""
    for item in as_list(value):
        if isinstance(item, str) and item.strip():
            return item
    return None


def clean_text(value: Any) -> str | None:
    """A one-line string with entities decoded, tags, soft hyphens and repeated whitespace removed."""
    if isinstance(value, list):
        value = first_string(value)
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(value)
    if "<" in value:
        value = _TAG.sub(" ", value)
    value = " ".join(_INVISIBLE.sub("", value).split())
    return value or None


def _matches_page(obj: dict[str, Any], urls: set[str]) -> bool:
    if not urls:
        return False
    for key in ("url", "@id", "mainEntityOfPage"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.split("#")[0].rstrip("/") in urls:
            return True
    return False


def article_object(doc: Document) -> dict[str, Any] | None:
    """The JSON-LD object describing this page's article: one pointing at the page URL, else the first with a headline."""
    cached = doc.cache.get("ld_article", False)
    if cached is not False:
        return cached
    found = doc.ld_objects(*ARTICLE_TYPES)
    urls = {u.split("#")[0].rstrip("/") for u in (doc.url, *doc.links.get("canonical", ())) if u}
    best = next((obj for obj in found if _matches_page(obj, urls)), None)
    if best is None:
        best = next((obj for obj in found if obj.get("headline")), found[0] if found else None)
    doc.cache["ld_article"] = best
    return best


def page_objects(doc: Document) -> list[dict[str, Any]]:
    """The article object first, then page-wrapper objects, then what those describe as their mainEntity
    (an article stated only inside its page object): where article fields are looked up, in order."""
    article = article_object(doc)
    objects = ([article] if article else []) + doc.ld_objects(*PAGE_TYPES)
    return objects + [e for obj in objects if isinstance(e := obj.get("mainEntity"), dict) and e not in objects]


def resolve(doc: Document, value: Any) -> Any:
    """Follow a bare {"@id": ...} reference to the node it names in the page's JSON-LD, if present."""
    if isinstance(value, dict) and "@id" in value and len(value.keys() - {"@id", "@type"}) == 0:
        return doc.ld_index.get(str(value["@id"]), value)
    return value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def names(doc: Document, value: Any) -> list[str]:
    """Names in a JSON-LD value: strings, {"name": ...} objects, lists of them, @id references."""
    found = []
    for item in as_list(value):
        item = resolve(doc, item)
        name = clean_text(item.get("name")) if isinstance(item, dict) else clean_text(item)
        if name:
            found.append(name)
    return found


def type_names(obj: dict[str, Any]) -> set[str]:
    return {t.rsplit("/", 1)[-1].lower() for t in as_list(obj.get("@type")) if isinstance(t, str)}

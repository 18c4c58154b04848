"""Article or not: page evidence first (structured data type, body length, date, byline), URL shape as a hint.

Listing, section, tag, author, search, static and error pages feed discovery but are not stored as articles.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipelines.extraction import structured
from pipelines.extraction.content import any_content
from pipelines.extraction.url_rules import NON_ARTICLE_PATH

if TYPE_CHECKING:
    from pipelines.extraction.document import Document
    from pipelines.extraction.record import ArticleRecord

#: schema.org types of an article and of listing/profile pages, lower-cased as _ld_types gives them.
ARTICLE_TYPES = frozenset(name.lower() for name in structured.ARTICLE_TYPES)
NON_ARTICLE_TYPES = frozenset(name.lower() for name in structured.NON_ARTICLE_TYPES)
#: A dated path, a slug of four or more words, or a long numeric id.
ARTICLE_PATH = re.compile(
    r"/(category|categories|tag|tags|topic|topics|theme|themen|thema|author|authors|autor|auteur|writer|"
    r"section|sections|rubrik|ressort|page|seite|search|suche|recherche|archive|archives|about|about-us|"
    r"contact|kontakt|impressum|privacy|privacy-policy|datenschutz|terms|imprint|newsletter|subscribe|"
    r"login|register|feed|rss)(/|$)",
    re.IGNORECASE,
)
ARTICLE_PATH = re.compile(r"/(19|20)\d\d/[01]?\d/|[-_][a-z0-9]+(?:[-_][a-z0-9]+){3,}|\d{5,}", re.IGNORECASE)
_WORD = re.compile(r"\w+")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5")
#: A heading is a teaser's when links make up this share of its text.
LINKED_SHARE = 0.8
#: Linked headlines in the main content from which a page reads as a listing.
MANY_LINKED_HEADLINES = 5


def _ld_types(doc: Document) -> set[str]:
    types: set[str] = set()
    for obj in doc.json_ld:
        value = obj.get("@type")
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str):
                types.add(name.rsplit("/", 1)[-1].lower())
    for value in doc.tree.xpath("//*[@itemtype]/@itemtype")[:20]:
        types.add(value.rstrip("/").rsplit("/", 1)[-1].lower())
    return types


def linked_headlines(doc: Document) -> int:
    """Headings in the page's main content that are links to distinct pages: the teasers of a listing.

    An article's own content holds at most a few (its related rails are furniture, outside the content);
    a section, tag or author page is made of them, whatever else it claims (og:type, dates, bylines).
    """
    content = any_content(doc)
    targets: set[str] = set()
    for root in content.roots:
        for heading in root.iter(*HEADING_TAGS):
            if heading in content.furniture or any(a in content.furniture for a in heading.iterancestors()):
                continue
            text = " ".join(heading.text_content().split())
            links = [a for a in heading.iter("a") if a.get("href")]
            linked = " ".join(" ".join(a.text_content().split()) for a in links)
            if text and links and len(linked) >= LINKED_SHARE * len(text):
                targets.add(links[0].get("href", ""))
    return len(targets)


#: Weights of the evidence for "article" (positive) and against it (negative), summed into one score.
WEIGHT_ARTICLE_TYPE = 3
WEIGHT_LISTING_TYPE = -3
WEIGHT_OG_ARTICLE = 2
WEIGHT_OG_WEBSITE = -1
WEIGHT_LONG_BODY = 2
WEIGHT_MEDIUM_BODY = 1
WEIGHT_SHORT_BODY = -3
WEIGHT_DATED = 1
WEIGHT_BYLINE = 1
WEIGHT_SITE_ROOT = -5
WEIGHT_LISTING_URL = -2
WEIGHT_ARTICLE_URL = 1
WEIGHT_ARTICLE_TEASERS = -2
WEIGHT_SOME_LINKED_HEADLINES = -4
WEIGHT_MANY_LINKED_HEADLINES = -6
#: Body lengths in words: a long article, a short one, and a stub that is no article at all.
LONG_BODY_WORDS = 250
MEDIUM_BODY_WORDS = 120
SHORT_BODY_WORDS = 50
#: <article> elements from which a page reads as a list of teasers.
ARTICLE_TEASERS = 3
#: The score from which a page is an article.
ARTICLE_SCORE = 2


def classify_page(doc: Document, record: ArticleRecord) -> tuple[bool, str]:
    """(is_article, reason): a score over independent pieces of evidence, each named in the reason."""
    score = 0
    evidence: list[str] = []
    types = _ld_types(doc)
    if types & ARTICLE_TYPES:
        score += WEIGHT_ARTICLE_TYPE
        evidence.append("article structured data")
    elif types & NON_ARTICLE_TYPES:
        score += WEIGHT_LISTING_TYPE
        evidence.append("listing/profile structured data")
    og_type = (doc.meta_first("og:type") or "").lower()
    if og_type == "article":
        score += WEIGHT_OG_ARTICLE
        evidence.append("og:type article")
    elif og_type in ("website", "profile"):
        score += WEIGHT_OG_WEBSITE
        evidence.append(f"og:type {og_type}")
    words = len(_WORD.findall(record.body))
    if words >= LONG_BODY_WORDS:
        score += WEIGHT_LONG_BODY
    elif words >= MEDIUM_BODY_WORDS:
        score += WEIGHT_MEDIUM_BODY
    elif words < SHORT_BODY_WORDS:
        score += WEIGHT_SHORT_BODY
    evidence.append(f"{words} body words")
    if record.published:
        score += WEIGHT_DATED
        evidence.append("dated")
    if record.authors:
        score += WEIGHT_BYLINE
        evidence.append("byline")
    path = urlsplit(record.url or "").path or "/"
    if path in ("", "/"):
        score += WEIGHT_SITE_ROOT
        evidence.append("site root")
    elif NON_ARTICLE_PATH.search(path):
        score += WEIGHT_LISTING_URL
        evidence.append("listing/static URL")
    elif ARTICLE_PATH.search(path):
        score += WEIGHT_ARTICLE_URL
        evidence.append("article-like URL")
    if len(doc.tree.xpath("//article")) >= ARTICLE_TEASERS:
        score += WEIGHT_ARTICLE_TEASERS
        evidence.append("several <article> teasers")
    headlines = linked_headlines(doc)
    if headlines >= MANY_LINKED_HEADLINES:
        many = headlines >= 2 * MANY_LINKED_HEADLINES
        score += WEIGHT_MANY_LINKED_HEADLINES if many else WEIGHT_SOME_LINKED_HEADLINES
        evidence.append(f"{headlines} linked headlines in the content")
    is_article = score >= ARTICLE_SCORE
    return (
        is_article,
        f"{'article' if is_article else 'not an article'} (score {score}: {', '.join(evidence)})",
    )

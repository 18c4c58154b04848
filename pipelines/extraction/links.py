"""Related links: story-related promos and "Related" blocks, not navigation, rails or footers."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipelines.extraction import boilerplate as bp
from pipelines.extraction.content import any_content
from pipelines.extraction.hints import norm, tokens
from pipelines.extraction.record import RelatedLink
from pipelines.extraction.url_rules import NON_ARTICLE_PATH, TRACKING_PARAMETERS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml import etree

    from pipelines.extraction.document import Document

#: Longest paragraph that can be an inline promotion ("Read more: <link>").
MAX_PROMO_LENGTH = 250
#: Longest text of an element that can be a block's heading.
MAX_HEADING_LENGTH = 60
#: How far up from a "Related" heading we look for the block holding its links.
HEADING_LEVELS = 3
#: Class/id tokens of elements that can serve as a block heading besides h2-h6.
HEADING_TOKENS = frozenset({"title", "heading", "headline", "header", "label", "hed"})
#: Elements that hold page furniture; a related block inside one is not tied to the story.
FURNITURE_ANCESTORS = frozenset({"aside", "nav", "footer", "header"})
#: A story link's text has at least this many words (or, in scripts without spaces, characters).
MIN_TITLE_WORDS = 3
MIN_TITLE_CHARS = 6
#: With a two-word slug, the link text must read like a full headline.
LONG_TITLE_WORDS = 5
_PROMO_BLOCKS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "strong", "em", "span", "blockquote")


def _is_unrelated_rail(element: etree._Element, article_ancestors: set[etree._Element]) -> bool:
    """Whether the block is site furniture (nav, sidebar, trending...) or sits inside such furniture.

    Wrappers that also hold the article ("layout has-sidebar") are page layout, not a rail.
    """
    if tokens(element) & bp.UNRELATED_RAIL_TOKENS:
        return True
    node: etree._Element | None = element
    while node is not None and node not in article_ancestors:
        if node.tag in FURNITURE_ANCESTORS or tokens(node) & bp.RAIL_ANCESTOR_TOKENS:
            return True
        node = node.getparent()
    return False


def _heading_text(element: etree._Element) -> str | None:
    """The text of an element that reads as a short block heading, else None."""
    tag = element.tag
    if tag not in bp.HEADING_TAGS and not (tokens(element) & HEADING_TOKENS):
        return None
    text = norm(element.text_content())
    return text if 0 < len(text) <= MAX_HEADING_LENGTH else None


def _heading_blocks(tree: etree._Element, article: set[etree._Element]) -> Iterable[etree._Element]:
    """Blocks introduced by a "Related" / "Lesen Sie auch" heading (the nearest ancestor holding links).

    When the heading sits in the article text itself, only the elements after it (up to the next
    heading) form the block, so the story's own in-text links are not taken for related ones.
    """
    for element in tree.iter("h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong"):
        text = _heading_text(element)
        if not text or not bp.RELATED_HEADING.match(text) or bp.UNRELATED_HEADING.match(text):
            continue
        block = element.getparent()
        for _ in range(HEADING_LEVELS):
            if block is None or block in article or block.find(".//a[@href]") is not None:
                break
            element, block = block, block.getparent()
        if block is None or block.tag in ("body", "html"):
            continue
        if block in article:
            yield from _following(element)
        else:
            yield block


def _following(heading: etree._Element) -> Iterable[etree._Element]:
    """The siblings after a heading, up to the next heading."""
    for sibling in heading.itersiblings():
        if sibling.tag in bp.HEADING_TAGS or _heading_text(sibling):
            break
        yield sibling


def _class_blocks(tree: etree._Element) -> Iterable[etree._Element]:
    """Blocks whose class or id says "related" (and not also "trending", "sidebar"...)."""
    for element in tree.iter("div", "section", "ul", "ol", "aside", "nav"):
        found = tokens(element)
        if found & bp.RELATED_TOKENS and not found & bp.UNRELATED_RAIL_TOKENS:
            yield element


def _promo_blocks(roots: Iterable[etree._Element]) -> Iterable[etree._Element]:
    """Short paragraphs inside the article that promote another story ("Read more: <link>")."""
    for root in roots:
        for element in root.iter(*_PROMO_BLOCKS):
            if element.find(".//a[@href]") is None:
                continue
            text = norm(element.text_content())
            if len(text) <= MAX_PROMO_LENGTH and bp.PROMO_PREFIX.match(text):
                yield element


def _text(element: etree._Element) -> str:
    """Visible text with inline pieces joined by spaces (so "Premium" badges do not glue onto titles)."""
    parts = []
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag not in bp.DROP_TAGS and node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return norm(" ".join(parts))


def _anchor_text(anchor: etree._Element) -> str:
    """The heading inside the link, else its text without a promo prefix, else its title attribute."""
    for heading in anchor.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _text(heading)
        if text:
            return text
    text = _text(anchor)
    prefix = bp.PROMO_PREFIX.match(text)
    if prefix and prefix.end() < len(text):
        text = text[prefix.end() :].strip(" :-–—»›|")
    return text or norm(anchor.get("title") or "")


def _looks_like_story(path: str, text: str) -> bool:
    """A story link: a headline-length text, and a URL with a slug of several words or a numeric id.

    Section pages ("/world/middle-east/") have short slugs and one- or two-word link texts.
    """
    words = len(text.split())
    if words < MIN_TITLE_WORDS and (text.isascii() or len(text) < MIN_TITLE_CHARS):
        return False
    if bp.STORY_PATH.search(path):
        return True
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return ("-" in last or "_" in last) and words >= LONG_TITLE_WORDS


def _is_story_url(url: str, page_urls: set[str]) -> bool:
    """False for the page itself, the home page, share buttons and author/category/tag/service pages."""
    if url.split("#", 1)[0].rstrip("/") in page_urls or bp.SHARE_URL.search(url):
        return False
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    path = parts.path
    if not path.strip("/"):
        return False
    return not NON_ARTICLE_PATH.search(path)


def _clean_url(url: str) -> str:
    """Drop the fragment and tracking parameters, so one story is one URL."""
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETERS.match(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def related_links(doc: Document) -> list[RelatedLink]:
    """Links to stories related to this one, absolute, de-duplicated, in page order, with anchor text."""
    tree = doc.tree
    content = any_content(doc)
    article_ancestors = {node for root in content.roots for node in root.iterancestors()}
    article = article_ancestors.union(content.roots)
    blocks = [
        block
        for block in (*_heading_blocks(tree, article), *_class_blocks(tree))
        if not _is_unrelated_rail(block, article_ancestors)
    ]
    blocks.extend(_promo_blocks(content.roots))
    accepted = {anchor for block in blocks for anchor in block.iter("a")}
    if not accepted:
        return []
    page_urls = {u.split("#", 1)[0].rstrip("/") for u in (doc.url, *doc.links.get("canonical", ())) if u}
    found: list[RelatedLink] = []
    seen: set[str] = set()
    for anchor in tree.iter("a"):
        if anchor not in accepted:
            continue
        url = doc.absolute(anchor.get("href"))
        if not url or not _is_story_url(url, page_urls):
            continue
        url = _clean_url(url)
        if url in seen:
            continue
        text = _anchor_text(anchor)
        if not text or not _looks_like_story(urlsplit(url).path, text):
            continue
        seen.add(url)
        found.append(RelatedLink(url=url, text=text))
    return found

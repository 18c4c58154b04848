"""What an element's tag, role, flags and class/id say about it: article text, or page furniture.

One tokeniser for class and id ("relatedPosts" gives "related", "posts"), the hints it gives, and the
furniture test that body, links and bylines share. The token lists themselves are data in boilerplate.py.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from pipelines.extraction import boilerplate as bp

#: Shortest text a block needs before it counts as a paragraph.
MIN_PARAGRAPH = 25
#: Paragraph text a noscript block needs before it is read as article text rather than a notice.
NOSCRIPT_MIN_PROSE = 200
#: An id with this many hyphens is a slug of the element's text, not a layout name.
SLUG_HYPHENS = 4
#: Most text an element with only a weak furniture hint may hold and still be dropped as furniture.
WEAK_HINT_MAX_TEXT = 1000


def norm(text: str) -> str:
    return " ".join(text.split())


def tokens(element: etree._Element) -> frozenset[str]:
    """Lower-cased tokens of an element's class and id ("relatedPosts" gives "related", "posts")."""
    classes, ident = element.get("class"), element.get("id")
    if not classes and not ident:
        return _NO_TOKENS
    return _tokens(classes or "", ident or "")


_NO_TOKENS: frozenset[str] = frozenset()


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@functools.lru_cache(maxsize=4096)
def _tokens(classes: str, ident: str) -> frozenset[str]:
    if ident.count("-") >= SLUG_HYPHENS:
        ident = ""  # a slug of the element's words (a subheading anchor) names what it says, not what it is
    raw = _CAMEL.sub(" ", f"{classes} {ident}").lower()
    return frozenset(token for token in bp.TOKEN_SPLIT.split(raw) if token)


@functools.lru_cache(maxsize=4096)
def _hint(classes: str, ident: str) -> int:
    found = _tokens(classes, ident)
    if not found:
        return 0
    if found & bp.STRONG_NEGATIVE_TOKENS:
        return -2
    if found & bp.POSITIVE_TOKENS:
        return 1
    return -1 if found & bp.NEGATIVE_TOKENS else 0


def hint(element: etree._Element) -> int:
    """+1 for an article-like class/id, -1 for furniture (-2 when unmistakable), 0 for neither."""
    if element.tag in bp.FURNITURE_TAGS:
        return -1
    return _hint(element.get("class") or "", element.get("id") or "")


def is_furniture(element: etree._Element, strong_limit: int | None = None, hints: bool = True) -> bool:
    """An element that holds no article text: by tag, role, hidden flag or a furniture class/id."""
    tag = element.tag
    role = (element.get("role") or "").lower()
    if tag == "noscript":
        return not _noscript_article(element)
    if not element.attrib and tag not in bp.DROP_TAGS:
        return False  # no role, flag or class/id to read
    if tag in bp.DROP_TAGS or role in bp.NEGATIVE_ROLES:
        # In the lenient pass, a menu or banner holding much of the page is a tag left unclosed, not furniture.
        landmark = tag == "nav" or role in bp.NEGATIVE_ROLES
        if not (landmark and strong_limit is not None and len(norm(element.text_content())) >= strong_limit):
            return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    classes = element.get("class")
    if classes and ":" not in classes and bp.HIDDEN_CLASS.search(classes):
        return True  # a hidden box (utility-class frameworks write "hidden md:block" and are left alone)
    style = element.get("style")
    if style and "display:none" in style.replace(" ", "").lower():
        return True
    if not hints or tag in ("html", "body", "main") or tag in bp.FURNITURE_TAGS:
        return False
    if element.get("itemprop") == "articleBody":
        return False
    found = hint(element)
    if found == -1:
        # A weak hint ("meta", "header", "rail") on a wrapper holding much text is a layout name, not furniture.
        limit = WEAK_HINT_MAX_TEXT if strong_limit is None else min(WEAK_HINT_MAX_TEXT, strong_limit)
        return len(norm(element.text_content())) < limit
    if found < 0 and strong_limit is not None:
        return len(norm(element.text_content())) < strong_limit
    return found < 0


def _noscript_article(element: etree._Element) -> bool:
    """A noscript block carrying paragraphs of prose: the text a script renders, for browsers without one."""
    prose = 0
    for paragraph in element.iter("p"):
        text = norm(paragraph.text_content())
        if len(text) >= MIN_PARAGRAPH:
            prose += len(text)
            if prose >= NOSCRIPT_MIN_PROSE:
                return True
    return False

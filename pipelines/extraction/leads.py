"""Lead paragraphs: the standfirst an article header carries between the headline and the body container.

The body container's own paragraphs come from content.py; a lead sits outside it, above, often inside a
header-named block that furniture rules would drop. Near the body a lead is recognised by a lead-like
class or id or by repeating the meta description; further up, by its class or id only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extraction import boilerplate as bp
from pipelines.extraction.hints import hint, is_furniture, norm, tokens

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipelines.extraction.document import Document

#: Lead paragraphs: how far up from the body container to look, and their length bounds.
LEAD_LEVELS = 4
HEADLINE_LEVELS = 8
LEAD_MIN = 40
LEAD_MAX = 1200


def _headline_scope(first: etree._Element) -> etree._Element | None:
    """The lowest ancestor (HEADLINE_LEVELS up at most) holding an h1 before the content root: the
    article header sits between the headline and the body, whatever wraps the two."""
    child, node = first, first.getparent()
    for _ in range(HEADLINE_LEVELS):
        if node is None or node.tag in ("body", "html"):
            break
        for before in child.itersiblings(preceding=True):
            if isinstance(before.tag, str) and (before.tag == "h1" or next(before.iter("h1"), None) is not None):
                return node
        child, node = node, node.getparent()
    return None


def _lead_scope(first: etree._Element) -> etree._Element | None:
    """The article element around the content root, else the ancestor LEAD_LEVELS // 2 up."""
    node = first.getparent()
    scope = None
    for level in range(LEAD_LEVELS):
        if node is None or node.tag in ("body", "html"):
            break
        if node.tag == "article":
            return node
        if level < LEAD_LEVELS // 2:
            scope = node
        node = node.getparent()
    return scope


def _article_header(node: etree._Element) -> bool:
    """Furniture only by a header-like class/id ('header', 'meta'): the article header is named so."""
    return (
        hint(node) == -1
        and bool(tokens(node) & bp.HEADER_TOKENS)
        and node.tag not in bp.FURNITURE_TAGS
        and not is_furniture(node, hints=False)
    )


def leads(
    doc: Document, first: etree._Element, sizes: Mapping[etree._Element, tuple[int, int]], furniture: set
) -> list[etree._Element]:
    """Lead / standfirst paragraphs placed before the body container (in the article header).

    Near the body (in its article element or two levels up) a lead is recognised by a lead-like class or
    id, or by repeating the page's meta description; further up, between the headline and the body, by
    its class or id only.
    """
    near = _lead_scope(first)
    scope = _headline_scope(first)
    if scope is None or (near is not None and (scope is near or near in set(scope.iterancestors()))):
        scope = near  # no headline further up than the near scope
    if scope is None:
        return []
    description = norm(doc.meta_first("og:description", "description", "twitter:description") or "")
    ancestors = set(first.iterancestors())
    found: list[etree._Element] = []
    seen_headline = scope is near
    for element in scope.iter(first.tag, "h1", *bp.LEAD_TAGS):
        if element is first:
            break
        if element is near:
            seen_headline = True
        if element.tag == "h1":
            seen_headline = True
            continue
        if not seen_headline or element in ancestors or element.tag not in bp.LEAD_TAGS:
            continue
        if found and found[-1] in set(element.iterancestors()):
            continue
        size = sizes.get(element)
        if size is None:
            # Measuring skipped it: it sits in furniture, which only an article header may be.
            if any(
                node in furniture and not _article_header(node)
                for node in (element, *element.iterancestors())
                if node is not scope and node not in ancestors
            ):
                continue
            size = _size(element)
        total, links = size
        if not LEAD_MIN <= total <= LEAD_MAX or links > total * 0.2:
            continue
        is_near = scope is near or (near is not None and near in set(element.iterancestors()))
        if tokens(element) & bp.LEAD_TOKENS or (
            is_near and description and _same_start(norm(element.text_content()), description)
        ):
            found.append(element)
    return found


def _size(element: etree._Element) -> tuple[int, int]:
    """Text and link text lengths of an element the measuring pass skipped (it sits in weak furniture)."""
    links = sum(len(norm(link.text_content())) for link in element.iter("a"))
    return len(norm(element.text_content())), links


#: Typographic quotes and apostrophes as plain ones: a meta description is often typed without them.
_PLAIN_QUOTES = str.maketrans("‘’‚‛“”„‟«»‹›", "''''\"\"\"\"\"\"''")


def _same_start(text: str, description: str) -> bool:
    size = min(len(text), len(description), 100)
    return size >= LEAD_MIN and text[:size].translate(_PLAIN_QUOTES) == description[:size].translate(_PLAIN_QUOTES)

"""Locate the article's main content node(s): one measuring pass, then container scoring.

1. Measure: one walk over the tree records text and link lengths per element, skips furniture (by tag,
   role, hidden flags and class/id hints), and credits every paragraph's score to its nearest ancestors.
2. Select: the best-scoring container (paragraph score x (1 - link density) + hints), moved up while its
   ancestors add mostly prose, widened to prose siblings, with lead paragraphs from the article header.
3. Check: when the result holds little of the page's text, a hint on a wrapper ("has-sidebar") may have
   hidden the article; measure again trusting hints only on small elements.

Shared by body and links extraction; the result is cached per parsed tree so a page is measured once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extraction import boilerplate as bp
from pipelines.extraction import structured
from pipelines.extraction.hints import MIN_PARAGRAPH, hint, is_furniture, norm, tokens
from pipelines.extraction.leads import leads

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pipelines.extraction.document import Document

#: JSON-LD types whose articleBody is the article text: an article's, or a page wrapper's.
LD_ARTICLE_TYPES = (*structured.ARTICLE_TYPES, "WebPage")
#: Shortest JSON-LD articleBody worth using.
LD_BODY_MIN = 300
#: Tags dropped unless is_furniture finds article text in them (a noscript fallback, an unclosed menu).
READ_DROP_TAGS = frozenset({"noscript", "nav"})
#: Weight of a positive / negative class hint on a candidate container.
HINT_WEIGHT = 25.0
#: A positive hint adds at most this multiple of the candidate's own score (plus MIN_HINT).
HINT_CAP = 2.0
MIN_HINT = 2.0
#: Content shorter than this is suspicious: class/id hints may have hidden the article.
MIN_CONTENT = 200
#: Climbing to a parent needs this much more prose (absolute and as a share of the current prose) ...
CLIMB_MIN_PROSE = 150
CLIMB_MIN_SHARE = 0.2
#: ... and the text it adds must be mostly prose with few links.
CLIMB_PROSE_SHARE = 0.6
CLIMB_LINK_SHARE = 0.25
#: A level adding less text than this (a section heading, a date line) is looked through, not judged.
CLIMB_LOOK_THROUGH = 60
#: Levels above the best candidate that climbing looks at.
CLIMB_MAX_LEVELS = 6
#: In the lenient second pass, furniture hints hold only on elements with less than this share of the text.
LENIENT_SHARE = 0.2
#: In the lenient pass, a furniture name on an element holding this share of its <article>'s or <main>'s
#: text is a layout name.
LANDMARK_SHARE = 0.5
#: In the lenient pass, a weak furniture name on the wrappers of more than this share of the page's
#: paragraphs (at least this many) is a layout name.
SHARED_SHARE = 0.5
SHARED_MIN_PARAGRAPHS = 3
_NEGATIVE = bp.NEGATIVE_TOKENS | bp.STRONG_NEGATIVE_TOKENS
#: Content holding less than this share of the page's visible text triggers the lenient pass ...
SUSPICIOUS_SHARE = 0.15
#: ... whose result is taken only when it holds this many times more text.
LENIENT_GAIN = 2.0
#: Content this long is never suspicious (saves measuring the page's visible text).
SURE_CONTENT = 2500
#: A sibling of the body container joins it when it is mostly prose: this much, this share, few links.
SIBLING_MIN_PROSE = 150
SIBLING_PROSE_SHARE = 0.7
SIBLING_MAX_LINKS = 0.25
#: The body container's parent stands in for it when the container holds this share of the parent's text.
ANCHOR_SHARE = 0.7
#: Shortest headline (letters and digits) matched against the page title.
STORY_KEY_MIN = 12
#: How many ancestors a paragraph credits (with a share falling as 1/level).
SCORE_LEVELS = 3


@dataclass(slots=True)
class Content:
    """The chosen content roots (in document order) and the per-element measurements behind them."""

    roots: list[etree._Element]
    #: element -> (text length, link text length) of its non-furniture text
    sizes: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)
    #: elements judged furniture during measuring
    furniture: set[etree._Element] = field(default_factory=set)


class _Measure:
    """One recursive pass: text, link and paragraph-text lengths per element; paragraph scores to ancestors."""

    def __init__(
        self, ld_body: str, strong_limit: int | None = None, layout: frozenset[etree._Element] = frozenset()
    ) -> None:
        self.strong_limit = strong_limit
        #: wrappers whose class/id is a layout name whatever it says (the ancestors of <main>)
        self.layout = layout
        self.ld_body = ld_body
        self.sizes: dict[etree._Element, tuple[int, int]] = {}
        #: element -> length of the paragraph text (low link density blocks) inside it
        self.prose: dict[etree._Element, int] = {}
        self.scores: dict[etree._Element, float] = {}
        self.furniture: set[etree._Element] = set()

    def run(self, root: etree._Element, released: frozenset[str] = frozenset()) -> None:
        self._visit(root, False, released=released)

    def _visit(
        self, element: etree._Element, in_link: bool, landmark: int = 0, released: frozenset[str] = frozenset()
    ) -> tuple[int, int, int, int, int]:
        """(text, link text, inline text, inline link text, paragraph text) lengths of an element.

        landmark: in the lenient pass, the text length of the nearest <article> or <main> holding the element."""
        tag = element.tag
        if not isinstance(tag, str):
            return 0, 0, 0, 0, 0
        hints = element not in self.layout
        if self.strong_limit is not None:
            if tag in ("article", "main"):
                landmark = len(norm(element.text_content()))
            elif element.attrib and hint(element) < 0:
                names = {token.removesuffix("s") for token in tokens(element) & _NEGATIVE}
                if names and names <= released:
                    hints = False  # a layout name of the page, or an item of a list released above
                elif landmark and len(norm(element.text_content())) >= LANDMARK_SHARE * landmark:
                    hints = False  # a furniture name on the wrapper of most of the article ("sharingContainer")
                    released = released.union(names)
        if (tag in bp.DROP_TAGS and tag not in READ_DROP_TAGS) or is_furniture(
            element, self.strong_limit, hints=hints
        ):
            self.furniture.add(element)
            return 0, 0, 0, 0, 0
        link = in_link or tag == "a"
        text = element.text
        own = len(norm(text)) if text and not text.isspace() else 0
        total = direct = own
        links = direct_links = own if link else 0
        prose = 0
        has_block_child = False
        for child in element:
            ctext, clinks, _, _, cprose = self._visit(child, link, landmark, released)
            tail = child.tail
            tail = len(norm(tail)) if tail and not tail.isspace() else 0
            total += ctext + tail
            links += clinks + (tail if link else 0)
            direct += tail
            direct_links += tail if link else 0
            prose += cprose
            if child.tag in bp.BLOCK_TAGS:
                has_block_child = True
            else:
                direct += ctext
                direct_links += clinks
        self.sizes[element] = (total, links)
        if tag in ("p", "pre") or (tag in bp.PARAGRAPH_TAGS and not has_block_child):
            if self._score(element, total, links, 1):
                prose = total
        elif (
            tag in bp.CONTAINER_TAGS
            and direct >= MIN_PARAGRAPH * 2
            and self._score(element, direct, direct_links, 0)
        ):
            prose += direct
        if element.get("itemprop") == "articleBody" and total >= MIN_PARAGRAPH:
            self.scores.setdefault(element, 0.0)
        if prose:
            self.prose[element] = prose
        return total, links, direct, direct_links, prose

    def _score(self, element: etree._Element, length: int, links: int, first_level: int) -> bool:
        """Credit a paragraph's container(s); False when the block is too short or mostly links."""
        if length < MIN_PARAGRAPH or links > length / 2:
            return False
        text = norm(element.text_content()) if first_level else ""
        points = 1.0 + (min(length / 100.0, 3.0) if first_level else length / 100.0)
        points += text.count(",") * 0.5
        if self.ld_body and text and text[:60] in self.ld_body:
            points *= 2.0
        target = element.getparent() if first_level else element
        level = 1
        while target is not None and level <= SCORE_LEVELS:
            self.scores[target] = self.scores.get(target, 0.0) + points / level
            target = target.getparent()
            level += 1
        return True


def _ld_article_body(doc: Document) -> str:
    return " ".join(ld_article_body_lines(doc))


def _final_score(element: etree._Element, score: float, sizes: Mapping) -> float:
    """Paragraph score, discounted by link density, plus class/id and tag hints.

    The hint bonus is capped by the score itself so a hinted wrapper around a few words cannot win.
    """
    total, links = sizes.get(element, (0, 0))
    density = links / total if total else 1.0
    base = score * (1.0 - density)
    weight = max(hint(element), -1) * HINT_WEIGHT
    if element.get("itemprop") == "articleBody":
        weight += 4 * HINT_WEIGHT
    if element.tag in ("article", "main"):
        weight += HINT_WEIGHT / 2
    if weight > 0:
        weight = min(weight, base * HINT_CAP + MIN_HINT)
    return base + weight


def _siblings(top: etree._Element, measure: _Measure, top_score: float) -> list[etree._Element]:
    """The top candidate plus siblings that carry article text too (lead paragraphs, split bodies)."""
    parent = top.getparent()
    if parent is None:
        return [top]
    scores, sizes, prose = measure.scores, measure.sizes, measure.prose
    threshold = max(10.0, top_score * 0.2)
    chosen = []
    for sibling in parent:
        if sibling is top:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or sibling not in sizes:
            continue
        total, links = sizes[sibling]
        if not total:
            continue
        density = links / total
        sibling_prose = prose.get(sibling, 0)
        if (
            scores.get(sibling, 0.0) * (1 - density) + max(hint(sibling), -1) * HINT_WEIGHT >= threshold
            or (sibling.tag == "p" and density < 0.25 and total > 80)
            or (
                sibling_prose >= SIBLING_MIN_PROSE
                and sibling_prose >= SIBLING_PROSE_SHARE * total
                and density < SIBLING_MAX_LINKS
                and hint(sibling) >= 0
            )
        ):
            chosen.append(sibling)
    return chosen


def _anchor(top: etree._Element, measure: _Measure) -> etree._Element:
    """The highest ancestor (two levels at most) that holds little besides the top candidate."""
    anchor = top
    top_text = measure.sizes.get(top, (0, 0))[0]
    for _ in range(0 if top.tag in ("article", "main") else 2):
        parent = anchor.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            break
        if top_text < ANCHOR_SHARE * measure.sizes.get(parent, (0, 0))[0]:
            break
        anchor = parent
    return anchor


def _select(root: etree._Element, measure: _Measure) -> list[etree._Element]:
    if not measure.scores:
        return []
    best, best_score = None, float("-inf")
    for element, score in measure.scores.items():
        final = _final_score(element, score, measure.sizes)
        if final > best_score:
            best, best_score = element, final
    if best is None:
        return []
    story = _own_story(root, best, measure)
    if story is not None:
        best, scope = story
        best = _climb(best, measure, ceiling=scope)
        anchor = _anchor(best, measure)
        if anchor is scope or scope in set(anchor.iterancestors()):
            return [best]  # the siblings around the story are the other stories
    else:
        best = _climb(best, measure)
    siblings = _siblings(_anchor(best, measure), measure, best_score)
    return [best] if len(siblings) == 1 else siblings


def _story_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _own_story(
    root: etree._Element, best: etree._Element, measure: _Measure
) -> tuple[etree._Element, etree._Element] | None:
    """On a page holding several stories (an endless scroll, a list of articles), the best candidate of the
    story whose headline the page's <title> names, when the overall best belongs to another story, and the
    element holding that story."""
    headlines = [
        h for h in root.iter("h1") if not any(node in measure.furniture for node in (h, *h.iterancestors()))
    ]
    if len(headlines) < 2:
        return None
    title = _story_key(root.findtext(".//title") or "")
    named = [h for h in headlines if len(key := _story_key(h.text_content())) >= STORY_KEY_MIN and key in title]
    if len(named) != 1:
        return None
    scope = named[0]
    others = set(headlines) - {scope}
    while (parent := scope.getparent()) is not None and parent.tag not in ("body", "html"):
        if any(h in others for h in parent.iter("h1")):  # the parent holds another story
            break
        scope = parent
    if scope is best or scope in set(best.iterancestors()) or best in set(scope.iterancestors()):
        return None
    found, found_score = None, float("-inf")
    for element in scope.iter():
        score = measure.scores.get(element)
        if score is not None and (final := _final_score(element, score, measure.sizes)) > found_score:
            found, found_score = element, final
    return None if found is None else (found, scope)


def _climb(best: etree._Element, measure: _Measure, ceiling: etree._Element | None = None) -> etree._Element:
    """Move up while ancestors add mostly prose (an article split into several sections), never above ceiling."""
    sizes, prose = measure.sizes, measure.prose
    chosen = current = best
    for _ in range(CLIMB_MAX_LEVELS):
        if current is ceiling:
            break
        parent = current.getparent()
        if parent is None or parent.tag == "html":
            break
        base_prose = prose.get(chosen, 0)
        added_prose = prose.get(parent, 0) - base_prose
        total, links = sizes.get(chosen, (0, 0))
        parent_total, parent_links = sizes.get(parent, (0, 0))
        added_text, added_links = parent_total - total, parent_links - links
        current = parent
        if added_text < CLIMB_LOOK_THROUGH:
            continue  # a bare wrapper, or one adding a heading or a date line: look further up
        if added_prose < max(CLIMB_MIN_SHARE * base_prose, CLIMB_MIN_PROSE):
            break
        if added_prose < CLIMB_PROSE_SHARE * added_text or added_links > CLIMB_LINK_SHARE * added_text:
            break
        chosen = parent
    return chosen


_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]", smart_strings=False
)

def find_content(doc: Document, overrides: Mapping[str, str] | None = None) -> Content:
    """The content roots of a page; cached on the Document so body and links share one pass.

    The cache lives on the Document (not in a module-level map keyed by the tree): the cached elements
    keep their tree alive, so a map keyed by the tree would hold every page ever parsed.
    """
    selector = (overrides or {}).get("body")
    cached = doc.cache.get("content")
    if cached is not None and cached[0] == selector:
        return cached[1]
    content = _compute(doc, selector)
    doc.cache["content"] = (selector, content)
    return content


def any_content(doc: Document) -> Content:
    """The content found for this page by the body (whatever overrides it used), else the default one."""
    cached = doc.cache.get("content")
    return cached[1] if cached is not None else find_content(doc)


def ld_article_body_lines(doc: Document) -> list[str]:
    """The JSON-LD articleBody as paragraphs ([] when absent or short)."""
    for obj in doc.ld_objects(*LD_ARTICLE_TYPES):
        value = obj.get("articleBody")
        if isinstance(value, str) and len(value) >= LD_BODY_MIN:
            return [line for line in (norm(part) for part in value.splitlines()) if line]
    return []


def _compute(doc: Document, selector: str | None) -> Content:
    root = doc.tree
    ld_body = _ld_article_body(doc)
    # A furniture name on a wrapper of the page's <main> landmark ("page-wrapper left-navigation") is layout.
    layout = frozenset(ancestor for main in root.iter("main") for ancestor in main.iterancestors())
    measure = _Measure(ld_body, layout=layout)
    measure.run(root)
    if selector:
        roots = doc.select(selector)
        if roots:
            return Content(roots=roots, sizes=measure.sizes, furniture=measure.furniture)
    roots = _roots(doc, measure)
    found = _text_of(roots, measure)
    if found >= SURE_CONTENT:
        return Content(roots=roots, sizes=measure.sizes, furniture=measure.furniture)
    page_text = sum(len(text.strip()) for text in _VISIBLE_TEXT(root))
    if found < max(MIN_CONTENT, page_text * SUSPICIOUS_SHARE):
        # A furniture name on a wrapper ("has-sidebar", "liveAlertAd") can hide the whole article: measure
        # again, now trusting hints only on elements that hold a small share of the page's text.
        lenient = _Measure(ld_body, strong_limit=int(page_text * LENIENT_SHARE), layout=layout)
        lenient.run(root, _shared_names(root))
        lenient_roots = _roots(doc, lenient)
        lenient_found = _text_of(lenient_roots, lenient)
        if lenient_found > found * LENIENT_GAIN or (found < MIN_CONTENT and lenient_found > found):
            return Content(roots=lenient_roots, sizes=lenient.sizes, furniture=lenient.furniture)
    return Content(roots=roots, sizes=measure.sizes, furniture=measure.furniture)


def _shared_names(root: etree._Element) -> frozenset[str]:
    """Furniture names found on most of the page's paragraphs or their wrappers: a page builder's layout names
    ("elementor-widget-wrap" around every block, a style class on every paragraph), not furniture."""
    counts: dict[str, int] = {}
    paragraphs = 0
    for paragraph in root.iter("p"):
        if len(norm(paragraph.text_content())) < MIN_PARAGRAPH:
            continue
        paragraphs += 1
        names: set[str] = set()
        for ancestor in (paragraph, *paragraph.iterancestors()):
            if ancestor.attrib:
                names.update(token.removesuffix("s") for token in tokens(ancestor) & bp.NEGATIVE_TOKENS)
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    if paragraphs < SHARED_MIN_PARAGRAPHS:
        return frozenset()
    return frozenset(name for name, count in counts.items() if count > SHARED_SHARE * paragraphs)


def _roots(doc: Document, measure: _Measure) -> list[etree._Element]:
    roots = _select(doc.tree, measure)
    return leads(doc, roots[0], measure.sizes, measure.furniture) + roots if roots else []


def _text_of(roots: list[etree._Element], measure: _Measure) -> int:
    return sum(measure.sizes.get(root, (0, 0))[0] for root in roots)

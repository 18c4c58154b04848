"""Every date a page states, with where it was found and how far it can be trusted.

Sources: structured data (JSON-LD, <meta>), microdata and <time> elements, visible datelines (elements whose
class names a date or byline, the lines printed just under the headline), the URL path, and htmldate as the
last resort. A visible date is scored by its place: beside the headline and inside the article it counts;
in a comment, a teaser, a sidebar, a footer or a navigation block it loses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extraction import structured
from pipelines.extraction.date_parse import find_dates, from_url, parse_iso, parse_structured

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pipelines.extraction.document import Document

#: JSON-LD keys -> (kind, score on the article object; page objects score 10 less).
LD_KEYS: dict[str, tuple[str, float]] = {
    "datePublished": ("published", 90),
    "dateCreated": ("published", 84),
    "uploadDate": ("published", 45),
    "dateModified": ("modified", 90),
}
#: <meta> names / properties / itemprops (lower-cased) -> (kind, score).
META_KEYS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(
        (
            "article:published_time", "og:article:published_time", "article:published", "datepublished",
            "og:published_time", "published_time", "publish-date", "publishdate", "publish_date", "pubdate",
            "publication_date", "dc.date.issued", "dcterms.issued", "sailthru.date", "parsely-pub-date",
            "cxenseparse:recs:publishtime", "citation_publication_date", "prism.publicationdate",
            "article.published", "originalpublicationdate", "datecreated", "dc.date.created",
            "dcterms.created",
        ),
        ("published", 80),
    ),
    # Generic names: often the day the page was generated, so a printed dateline beats them.
    **dict.fromkeys(("dc.date", "dcterms.date", "date", "citation_date"), ("published", 50)),
    **dict.fromkeys(
        (
            "article:modified_time", "og:article:modified_time", "og:updated_time", "article:modified",
            "datemodified", "modified_time", "dc.date.modified", "dcterms.modified", "last-modified",
            "lastmod", "article.updated", "parsely-updated-date",
        ),
        ("modified", 80),
    ),
}  # fmt: skip
META_RANK = {key: rank for rank, key in enumerate(META_KEYS)}
#: schema.org property names that microdata states with <meta itemprop> anywhere in the page.
MICRODATA_KEYS = frozenset({"datepublished", "datecreated", "datemodified"})
MICRODATA = frozenset({"datePublished", "dateCreated", "dateModified"})
#: Class/id fragments of an element holding a visible dateline.
DATELINE_HINT = re.compile(r"date|time|publish|datum|fecha|data|byline|zeit|posted|meta|stand|info", re.I)
#: Class/id names of blocks whose dates are not the article's (comments, teasers, widgets, page chrome), read
#: at the start of a class token ("comment-list", "c-sidebar"; not "layout-with-sidebar", "no-comments").
ELSEWHERE = re.compile(
    r"(?:^|\s)(?!(?:no|has|with|hide|show)[-_])(?:[a-z]{1,3}[-_])?(?P<name>"
    r"comment|kommentar|respon|reply|repli|sidebar|widget|related|teaser|recommend|popular|trending|"
    r"archiv|newsletter|footer|promo|breadcrumb|calendar|cookie|more-|weitere|also-|latest|recent|"
    r"similar|aehnlich|ähnlich|next|prev|pager|pagination|toolbar|ticker|weather|wetter|share|masthead|"
    r"topbar|top-bar|site-header)",
    re.I,
)
#: Class/id fragments of the article's own blocks.
ARTICLE_HINT = re.compile(r"article|artikel|post|entry|story|content|hentry|headline|byline|meta", re.I)
#: Words before a date that make it the update, not the publication.
UPDATED_LABEL = re.compile(
    r"updat|aktualisiert|geändert|mis à jour|modifié|actualizad|aggiornat|atualizad|bijgewerkt|zuletzt|"
    r"last modified|edited|revised",
    re.I,
)
PUBLISHED_LABEL = re.compile(
    r"\b(?:publi|posted|veröffentlicht|erschienen|erstellt|created|written|datum|date|fecha|data\b)",
    re.I,
)
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option", "textarea"})
#: Longest own text of an element that is read as a dateline.
MAX_DATELINE = 200
#: How far (in elements) after the headline a printed date still counts as the article's dateline.
NEAR_TITLE = 120
#: Elements read for visible dates at most (a calendar or an archive of thousands must not stall a page).
MAX_DATED = 500
#: Score change of a date that is one of a list of different dates in the same markup.
LIST_PENALTY = -30
#: How far before the headline a date still counts (a kicker line above it).
NEAR_BEFORE = 60


@dataclass(slots=True)
class Candidate:
    value: datetime
    source: str
    where: str
    score: float
    kind: str = "published"
    order: int = 0
    rejected: str = ""

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "value": self.value.isoformat(),
            "kind": self.kind,
            "source": self.source,
            "where": self.where,
            "score": round(self.score, 1),
        }
        if self.rejected:
            found["rejected"] = self.rejected
        return found


def structured_candidates(doc: Document) -> list[Candidate]:
    found: list[Candidate] = []
    article = structured.article_object(doc)
    for obj in structured.page_objects(doc):
        penalty = 0 if obj is article else 10
        for key, (kind, score) in LD_KEYS.items():
            text = structured.first_string(obj.get(key))
            value = parse_structured(text)
            if value is not None:
                where = "/".join(sorted(structured.type_names(obj))) or "object"
                found.append(Candidate(value, f"json-ld:{key}", where, score - penalty, kind))
    for key, values in doc.meta.items():
        known = META_KEYS.get(key)
        if known is None:
            continue
        if key in MICRODATA_KEYS:
            # Microdata <meta> in the body belongs to whatever item holds it (often a teaser): read with
            # its place by visible_candidates; here only the ones in <head>.
            values = _head_values(doc, key)
        value = next((v for v in (parse_structured(text) for text in values if text.strip()) if v), None)
        if value is not None:
            rank = META_RANK[key]  # on a tie, the more specific name (earlier in META_KEYS) wins
            found.append(Candidate(value, f"meta:{key}", "head", known[1], known[0], order=rank))
    return found


def _head_values(doc: Document, key: str) -> list[str]:
    head = doc.tree.find("head")
    if head is None:
        return []
    return [
        meta.get("content") or ""
        for meta in head.iter("meta")
        if key in ((meta.get(a) or "").strip().lower() for a in ("itemprop", "name", "property"))
    ]


def url_candidates(doc: Document) -> list[Candidate]:
    found = []
    value = from_url(doc.url)
    if value is not None:
        found.append(Candidate(value, "url", doc.url or "", 52))
    image = from_url(doc.meta_first("og:image"))
    if image is not None:
        found.append(Candidate(image, "url:og:image", "meta og:image", 15))
    return found


def _label(element: etree._Element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _where(element: etree._Element) -> str:
    names = []
    node: etree._Element | None = element
    while node is not None and len(names) < 3 and node.tag not in ("body", "html"):
        first_class = (node.get("class") or "").split()
        names.append(f"{node.tag}.{first_class[0]}" if first_class else str(node.tag))
        node = node.getparent()
    return " < ".join(names)


def _context(element: etree._Element, holds_title: set[etree._Element]) -> tuple[float, str]:
    """Score adjustment for where an element sits: in the article, or in a block that is not the article's
    (a footer counts as one only outside the article: an article's own footer often holds its date; a block
    that holds the headline is the page's layout, not a sidebar)."""
    chain = []
    node: etree._Element | None = element
    while node is not None and node.tag not in ("body", "html"):
        chain.append(node)
        node = node.getparent()
    in_article = in_article_tag = False
    for depth in range(len(chain) - 1, -1, -1):  # from the top down
        node = chain[depth]
        tag, label = node.tag, _label(node)
        if node in holds_title:
            in_article_tag = in_article_tag or tag == "article"
            continue
        if tag == "nav" or (tag == "aside" and not in_article_tag):
            return -40, f"in <{tag}>"
        if tag == "header" and not in_article_tag:
            return -20, "in the page header"
        if tag == "footer" and not in_article:
            return -40, "in a footer"
        if label.strip():
            bad = ELSEWHERE.search(label)
            name = bad.group("name").lower() if bad else ""
            if bad and not (in_article and name == "footer"):
                return -40, f"in a {name} block"
            if ARTICLE_HINT.search(label):
                in_article = True
        if tag in ("article", "main"):
            in_article = True
            in_article_tag = in_article_tag or tag == "article"
    return (4, "") if in_article else (0, "")


def _own_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return " ".join(" ".join(parts).split())


#: Text nodes that may hold a year: the only places a printed date is looked for (XPath runs in C).
YEAR_TEXTS = etree.XPath(".//text()[contains(., '20') or contains(., '19')]")


def _around(title: etree._Element | None) -> tuple[dict[etree._Element, int], set[etree._Element]]:
    """The elements just after the headline (with their distance from it) and just before it."""
    if title is None:
        return {}, set()
    after: list[etree._Element] = list(title.iter())
    node: etree._Element | None = title
    while node is not None and len(after) < NEAR_TITLE + 1:
        following = node.getnext()
        while following is not None and len(after) < NEAR_TITLE + 1:
            after.extend(islice(following.iter(), NEAR_TITLE + 1 - len(after)))
            following = following.getnext()
        node = node.getparent()
    return {element: index for index, element in reversed(list(enumerate(after)))}, set(
        islice(_backwards(title), NEAR_BEFORE)
    )


def _backwards(element: etree._Element) -> Iterator[etree._Element]:
    """The elements before this one, in reverse document order (ancestors included)."""
    node: etree._Element | None = element
    while node is not None:
        previous = node.getprevious()
        if previous is None:
            node = node.getparent()
            if node is not None:
                yield node
            continue
        while len(previous):
            previous = previous[-1]
        node = previous
        yield node


def _headline(doc: Document, body: etree._Element) -> etree._Element | None:
    """The article's headline: the <h1> whose words the page title or og:title repeats, else the first <h1>
    inside an <article>, else the first <h1> (a site logo is often the first)."""
    headings = list(body.iter("h1"))
    if len(headings) < 2:
        return headings[0] if headings else None
    titles = " ".join(
        filter(None, (doc.meta_first("og:title"), doc.tree.findtext(".//title"), doc.meta_first("twitter:title")))
    ).casefold()
    named = [(len(text), heading) for heading in headings if (text := _words(heading)) in titles and len(text) > 10]
    if named:
        return max(named, key=lambda pair: pair[0])[1]  # the longest: a site name is repeated in titles too
    for heading in headings:
        if any(ancestor.tag == "article" for ancestor in heading.iterancestors()):
            return heading
    return headings[0]


def _words(element: etree._Element) -> str:
    return " ".join(element.text_content().split()).casefold()


def _hinted(element: etree._Element) -> bool:
    """The element or one of its two nearest ancestors names a date, a byline or microdata for one."""
    node: etree._Element | None = element
    for _ in range(3):
        if node is None or node.tag == "body":
            return False
        if (node.get("itemprop") or "").startswith("date") or DATELINE_HINT.search(_label(node)):
            return True
        node = node.getparent()
    return False


def visible_candidates(doc: Document, month_first: bool) -> list[Candidate]:
    """<time> elements, microdata and printed datelines in the body."""
    found: list[Candidate] = []
    body = doc.tree.find("body")
    if body is None:
        return found
    title = _headline(doc, body)
    after, above = _around(title)
    holds_title = set(title.iterancestors()) | {title} if title is not None else set()

    def place(element: etree._Element) -> float:
        """+10 right under the headline down to +4 at NEAR_TITLE elements after it; 0 just above it; -6
        anywhere else."""
        if title is None:
            return 0
        if element in after:
            return 10 - 6 * after[element] / NEAR_TITLE
        return 0 if element in above else -6

    seen: set[etree._Element] = set()
    dated: list[tuple[etree._Element, bool]] = [
        (element, True)
        for element in body.iter("time", "meta")
        if element.tag == "time" or element.get("itemprop") in MICRODATA
    ]
    for text in YEAR_TEXTS(body):
        if len(text) > MAX_DATELINE:
            continue
        element = text.getparent()
        if element is not None and text.is_tail:
            element = element.getparent()
        if element is None or element.tag in SKIP_TAGS:
            continue
        dated.append((element, False))
    for order, (element, is_time) in enumerate(dated[:MAX_DATED]):
        if element in seen or element.tag in SKIP_TAGS or (not is_time and element.tag in ("time", "meta")):
            continue
        seen.add(element)
        hinted = is_time or _hinted(element)
        if not hinted and element not in after:
            continue
        before = len(found)
        _read_element(element, hinted, month_first, order, found)
        if len(found) == before:
            continue
        adjustment, reason = _context(element, holds_title)
        for candidate in found[before:]:
            candidate.score += place(element) + adjustment
            if reason:
                candidate.where = f"{candidate.where} ({reason})"
    _lists_lose(found)
    return found


def _lists_lose(found: list[Candidate]) -> None:
    """Dates repeated in one markup pattern with different days are a list of other items (teasers,
    comments, an archive): they lose to a dateline printed once."""
    days: dict[str, set[object]] = {}
    for candidate in found:
        days.setdefault(candidate.where, set()).add(candidate.value.date())
    for candidate in found:
        if len(days[candidate.where]) > 1:
            candidate.score += LIST_PENALTY
            candidate.where = f"{candidate.where} (one of a list)"


def _read_element(
    element: etree._Element, hinted: bool, month_first: bool, order: int, found: list[Candidate]
) -> None:
    tag = element.tag
    itemprop = element.get("itemprop")
    if itemprop in MICRODATA:
        stated = element.get("datetime") or element.get("content") or element.text_content()
        value = parse_iso(stated) or _first_printed(stated, month_first)
        if value is not None:
            kind = "modified" if itemprop == "dateModified" else "published"
            found.append(Candidate(value, f"itemprop:{itemprop}", _where(element), 76, kind, order))
            return
    if tag == "time":
        stated = element.get("datetime")
        text = " ".join(element.text_content().split())
        value = parse_iso(stated) if stated else None
        if value is None:
            value = _first_printed(text, month_first)
        if value is not None:
            score = 70 if element.get("pubdate") is not None else 62
            found.append(Candidate(value, "html:time", _where(element), score, _kind_before(element, text), order))
        return
    text = _own_text(element)
    printed_dates = find_dates(text, month_first) if len(text) <= MAX_DATELINE else []
    if not printed_dates and len(element):
        # A date split over child elements (<span>3.</span> <span>November</span> 2023).
        text = " ".join(element.text_content().split())
        printed_dates = find_dates(text, month_first) if len(text) <= MAX_DATELINE else []
    previous_end = 0
    for printed in printed_dates:
        label = text[previous_end : printed.start][-40:]
        previous_end = printed.end
        kind = "modified" if UPDATED_LABEL.search(label) else "published"
        score = (58 if hinted else 50) + (3 if PUBLISHED_LABEL.search(label) else 0)
        found.append(Candidate(printed.value, "dateline", _where(element), score, kind, order))


def _first_printed(text: str | None, month_first: bool) -> datetime | None:
    if not text or len(text) > MAX_DATELINE:
        return None
    printed = find_dates(text, month_first)
    return printed[0].value if printed else None


def _kind_before(element: etree._Element, text: str) -> str:
    """'modified' when the words printed just before a date (or in it) say it is an update."""
    before = ""
    previous = element.getprevious()
    if previous is not None:
        before = previous.tail or previous.text_content()[-40:]
    else:
        parent = element.getparent()
        before = (parent.text or "") if parent is not None else ""
    label = f"{before[-40:]} {text[:20]} {element.get('class') or ''}"
    return "modified" if UPDATED_LABEL.search(label) else "published"

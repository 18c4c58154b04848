"""Bylines: where a page names its authors (JSON-LD, <meta>, rel/itemprop/class "author" elements, signature
and lead lines); each raw string found is cleaned and validated by names.clean_names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipelines.extraction import sitenames, structured
from pipelines.extraction.content import find_content
from pipelines.extraction.hints import tokens as class_tokens
from pipelines.extraction.names import EDITOR_BEFORE, EDITOR_LABEL, EDITOR_WINDOW, clean_names, is_account_url

if TYPE_CHECKING:
    from pipelines.extraction.document import Document

#: <meta> names holding author names (URLs among their values are ignored).
AUTHOR_META: tuple[str, ...] = (
    "author",
    "article:author",
    "article:author_name",
    "byl",
    "sailthru.author",
    "parsely-author",
    "cxenseparse:author",
    "dc.creator",
    "citation_author",
)
#: Meta names whose values are "Last, First" (library convention), one person per value.
INVERTED_NAME_META: frozenset[str] = frozenset({"dc.creator", "citation_author"})
#: Class/id token fragments marking a byline or author element.
BYLINE_HINT = re.compile(r"author|byline|autor|verfasser|writer|reporter|journalist")
#: Class/id tokens marking things near a byline that are not names (dates, roles, photos, teasers, bios).
NOT_A_NAME_TOKENS: frozenset[str] = frozenset(
    {
        "date", "time", "dateline", "timestamp", "published", "updated", "position", "role", "job", "title",
        "desc", "description", "bio", "biography", "about", "avatar", "image", "img", "photo", "picture",
        "credit", "caption", "teaser", "related", "recommended", "comment", "comments", "form", "follow",
        "social", "share", "email", "mail", "twitter", "newsletter", "label", "icon", "more", "affiliation",
        "search", "publications", "tooltip", "button", "count",
    }
)  # fmt: skip
#: Tokens of parts left out of a byline block's text: the not-a-name parts, except labels ("Autor:"),
#: which tell a block's labelled fields apart.
EXCLUDED_TEXT_TOKENS: frozenset[str] = NOT_A_NAME_TOKENS - {"label"}
_NOT_BYLINE_TAGS = frozenset({"meta", "link", "img", "input", "script", "style", "svg", "path"})
#: Form controls: an element holding one is a widget, not a byline block.
_CONTROLS: tuple[str, ...] = ("textarea", "input", "select")
#: Elements never holding the article's byline.
SKIP_ANCESTORS: frozenset[str] = frozenset({"nav", "footer", "form", "button", "select", "script", "style"})
#: Short right-aligned paragraphs: where many sites sign an article at its end.
SIGNATURE_XPATH = etree.XPath(
    "//body//p[contains(translate(@style, ' ', ''), 'text-align:right')][string-length(normalize-space()) < 60]"
)
#: Longest text of a byline element read for names (a longer one is a whole teaser or article marked "author").
MAX_BYLINE_CHARS = 200
#: Longest first paragraph read as a byline ("BY JANE DOE AND JOHN ROE").
LEAD_BYLINE_MAX = 80


def _person_name(doc: Document, item: Any) -> tuple[str | None, bool]:
    """(name, is_organisation) of one JSON-LD author entry."""
    item = structured.resolve(doc, item)
    if isinstance(item, str):
        return item, False
    if not isinstance(item, dict) or any(is_account_url(item.get(key)) for key in ("@id", "url")):
        return None, False
    name = item.get("name") or item.get("byline")
    if not isinstance(name, str) and (item.get("givenName") or item.get("familyName")):
        name = f"{item.get('givenName') or ''} {item.get('familyName') or ''}"
    is_org = bool(structured.type_names(item) & {t.lower() for t in structured.ORGANIZATION_TYPES})
    return (name if isinstance(name, str) else None), is_org


def from_json_ld(doc: Document, allow_site: bool = False) -> list[str]:
    names: list[str] = []
    for obj in structured.page_objects(doc):
        for key in ("author", "creator"):
            for item in structured.as_list(obj.get(key)):
                name, is_org = _person_name(doc, item)
                if not name or (is_org and not allow_site and sitenames.is_site_name(name, doc)):
                    continue
                # A Person entry is trusted unless it is exactly the site's name ("Guardian staff" is a byline).
                person_ok = allow_site or (not is_org and not sitenames.is_site_name(name, doc, exact=True))
                # With no person named anywhere (allow_site), an entry named after the site credits the outlet.
                outlet = is_org or (allow_site and sitenames.is_site_name(name, doc))
                names += clean_names(name, doc, allow_site=person_ok, organisation=outlet)
        if names:
            break
    return names


def _invert(name: str) -> str:
    last, _, first = name.partition(",")
    return f"{first.strip()} {last.strip()}" if first.strip() and len(last.split()) <= 2 else name


def from_meta(doc: Document, allow_site: bool = False) -> list[str]:
    for key in AUTHOR_META:
        names: list[str] = []
        for value in doc.meta.get(key, ()):
            if key in INVERTED_NAME_META and value.count(",") == 1:
                value = _invert(value)
            names += clean_names(value, doc, allow_site, organisation=allow_site)
        if names:
            return names
    return []


def _skipped(element: etree._Element) -> bool:
    return any(ancestor.tag in SKIP_ANCESTORS for ancestor in element.iterancestors())


def _byline_elements(doc: Document) -> list[etree._Element]:
    """Elements whose class/id, itemprop or rel says 'author', outside navigation and forms, in page order."""
    found = []
    body = doc.tree.find("body")
    for element in body.iter() if body is not None else ():
        attributes = element.attrib
        if not attributes or not isinstance(element.tag, str) or element.tag in _NOT_BYLINE_TAGS:
            continue
        raw = f"{attributes.get('class', '')} {attributes.get('id', '')} {attributes.get('itemprop', '')} {attributes.get('rel', '')}"
        if not BYLINE_HINT.search(raw.lower()):
            continue
        tokens = class_tokens(element)
        prop = f"{attributes.get('itemprop', '')} {attributes.get('rel', '')}".lower()
        hinted = "author" in prop or any(BYLINE_HINT.search(token) for token in tokens)
        if hinted and not NOT_A_NAME_TOKENS.intersection(tokens) and not _links_to_account(element):
            found.append(element)
    return found


def _links_to_account(element: etree._Element) -> bool:
    links = [element] if element.tag == "a" else list(element.iter("a"))
    return bool(links) and all(is_account_url(link.get("href")) for link in links)


def _names_in(element: etree._Element, doc: Document, candidates: set[etree._Element]) -> list[str]:
    """Names inside one byline element: its innermost author-marked parts, else its own text (also when
    those parts are only labels: '<span class="author-label">Autor:</span> Jane Doe')."""
    inner = [e for e in element.iterdescendants() if e in candidates]
    named = [e for e in element.iterdescendants() if e.get("itemprop") == "name"]
    parts = named or [e for e in inner if not any(d in candidates for d in e.iterdescendants())]
    names: list[str] = []
    for part in parts:
        names += clean_names(_own_text(part), doc, strict=True)
    if names or (parts and any(True for _ in element.iter(*_CONTROLS))):
        return names  # an editing widget ('<textarea>', 'Save') is no byline block
    text = _own_text(element)
    return clean_names(text, doc, strict=True) if len(text) <= MAX_BYLINE_CHARS else []


def _own_text(element: etree._Element) -> str:
    """Text of an element without the parts marked as dates, roles or photo credits."""
    chunks: list[str] = []
    for node in element.iter():
        if node is not element and EXCLUDED_TEXT_TOKENS.intersection(class_tokens(node)):
            continue
        if node.text and not _inside_excluded(node, element):
            chunks.append(node.text)
        if node is not element and node.tail and not _inside_excluded(node.getparent(), element):
            chunks.append(node.tail)
    return " ".join(" ".join(chunks).split())


def _inside_excluded(node: etree._Element | None, root: etree._Element) -> bool:
    while node is not None and node is not root:
        if EXCLUDED_TEXT_TOKENS.intersection(class_tokens(node)) or node.tag in ("script", "style"):
            return True
        node = node.getparent()
    return False


def _outer_bylines(doc: Document) -> tuple[list[etree._Element], set[etree._Element]]:
    """(outermost byline elements in page order, every byline element), outside navigation and forms."""
    elements = [element for element in _byline_elements(doc) if not _skipped(element)]
    candidates = set(elements)
    outer = [e for e in elements if not any(ancestor in candidates for ancestor in e.iterancestors())]
    return outer, candidates


def from_bylines(doc: Document) -> list[str]:
    """The first byline element (outermost, in page order) that yields names; editor credits are skipped."""
    outer, candidates = _outer_bylines(doc)
    for element in outer:
        if EDITOR_LABEL.match(_own_text(element)):
            continue
        names = _names_in(element, doc, candidates)
        if names:
            return names
    return []


def _all_bold(element: etree._Element, text: str) -> bool:
    """Whether the element's whole text (given, cleaned) is set in <b>/<strong>."""
    return text == (
        structured.clean_text(" ".join(b.text_content() for b in element.iter("b", "strong"))) or ""
    )


def from_signature(doc: Document) -> list[str]:
    """A right-aligned signature line closing the article ('<p style="text-align:right"><b>Name</b></p>')."""
    for element in SIGNATURE_XPATH(doc.tree):
        text = structured.clean_text(element.text_content()) or ""
        if text and _all_bold(element, text):
            names = clean_names(text, doc, strict=True)
            if names and all(word[:1].isupper() for name in names for word in name.split()):
                return names
    return []


def from_lead_line(doc: Document) -> list[str]:
    """A byline set as the article's first paragraph, in bold and nothing else ('<p><b>JANE DOE</b></p>')."""
    for root in find_content(doc).roots:
        for paragraph in root.iter("p"):
            text = structured.clean_text(paragraph.text_content()) or ""
            if not text:
                continue
            if not _all_bold(paragraph, text) or len(text) > LEAD_BYLINE_MAX:
                return []
            names = clean_names(text, doc, strict=True)
            words = [word for name in names for word in name.split()]
            if len(words) >= 2 and all(word[:1].isupper() for word in words):
                return names
            return []
    return []


def from_selector(doc: Document, selector: str) -> list[str]:
    names: list[str] = []
    for element in doc.select(selector):
        names += clean_names(element.get("content") or element.text_content(), doc)
    return names


def _credited_as_editor(name: str, text: str) -> bool:
    """True when the page text shows name right after an editor label ('Editor: name')."""
    start = text.find(name)
    while start >= 0:
        if EDITOR_BEFORE.search(text[max(0, start - EDITOR_WINDOW) : start]):
            return True
        start = text.find(name, start + len(name))
    return False


def only_editors(names: list[str], doc: Document) -> bool:
    """True when every name is one the page's own credits call its editor (metadata naming the desk editor)."""
    body = doc.tree.find("body")
    text = etree.tostring(body, method="text", encoding=str) if body is not None else ""
    return all(_credited_as_editor(name, text) for name in names)

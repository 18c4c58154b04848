"""Authors: clean person names from JSON-LD, <meta>, microdata and byline elements, in that order of trust."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml import etree

from pipelines.extraction import sitenames, structured
from pipelines.extraction.content import find_content

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

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
_NOT_BYLINE_TAGS = frozenset({"meta", "link", "img", "input", "script", "style", "svg", "path"})
#: Elements never holding the article's byline.
SKIP_ANCESTORS: frozenset[str] = frozenset({"nav", "footer", "form", "button", "select", "script", "style"})
#: Byline lead-ins in several languages ("By", "Von", "Par", "Por", "Door", "Av", "Di" ...).
BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|reported|reporting|story|words|text|interview|photos?|video)\s+by|by|von|vom|par|por|door|"
    r"av|af|di|da|de|z|od|от|автор|text|texte|autor(?:in)?|author|auteur|autore|redaktion|fotos?)\b\s*[:\-–]?\s*",
    re.IGNORECASE,
)
#: Separators between several names in one byline string.
NAME_SPLIT = re.compile(
    r"\s*(?:[,;&/•·]|\s(?:and|und|og|och|et|y|e|en|ve|i|und|sowie|with|mit)\s)\s*",
    re.IGNORECASE,
)
#: A role after the name ("Maria Rossi, Reporter" is split off by the comma; this catches "Maria Rossi Redakteurin").
TRAILING_ROLE = re.compile(
    r"\s+(?:redakteur(?:in)?|reporter(?:in)?|korrespondent(?:in)?|correspondent|journalist(?:in)?|editor|"
    r"staff writer|senior writer|contributor|기자|記者|특파원|編集委員)$",
    re.IGNORECASE,
)
#: Short right-aligned paragraphs: where many sites sign an article at its end.
SIGNATURE_XPATH = etree.XPath(
    "//body//p[contains(translate(@style, ' ', ''), 'text-align:right')][string-length(normalize-space()) < 60]"
)
#: A standalone number ("12", "05.01.2025", "15:23"): where a date starts inside a byline part.
_NUMBER_TOKEN = re.compile(r"\s\d[\d.:/,-]*(?:\s|$)")
#: Weekdays closing a byline part ("Jane Doe Monday, March 4"): never a surname, always dropped.
TRAILING_WEEKDAY = re.compile(
    r"\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?$",
    re.IGNORECASE,
)
#: Words left before a cut-off date ("Max Muster am", "Jane Doe on March"); dropped only where a date was cut,
#: or when they are the whole part, so "Theresa May" keeps her name.
TRAILING_DATE_WORD = re.compile(
    r"\s+(?:on|am|le|el|il|em|op|updated|published|aktualisiert|veröffentlicht|publié|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|januar|februar|märz|mai|juni|juli|oktober|dezember)\.?$",
    re.IGNORECASE,
)
#: Collective credits that name no person ("red, Agenturen"); a byline made only of these is no byline.
COLLECTIVE_CREDITS: frozenset[str] = frozenset(
    {
        "agenturen",
        "agentur",
        "agencies",
        "agency",
        "agences",
        "redaktion",
        "red",
        "newsroom",
        "wires",
        "staff",
    }
)
#: Login names of CMS accounts ("admin"): the software's default author, never a person's byline.
ACCOUNT_NAMES: frozenset[str] = frozenset(
    {"admin", "administrator", "webmaster", "webadmin", "root", "wordpress", "guest", "default", "user"}
)
#: Post-nominal letters split off a name by a comma ("Jane Doe, MS, RDN"), compared without dots.
POST_NOMINALS: frozenset[str] = frozenset(
    {
        "phd", "md", "ms", "msc", "ma", "mba", "mph", "rd", "rdn", "ld", "rn", "np", "pa", "cpt", "cscs",
        "bsc", "ba", "jd", "dds", "dmd", "dvm", "pharmd", "llm", "cfa", "cpa", "mfa", "frcp", "mrcp",
    }
)  # fmt: skip
#: A byline part that is a job title ("AP National Political Writer") following the name it describes.
ROLE_PART = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|photographer|producer|"
    r"analyst|critic|redakteur(?:in)?|korrespondent(?:in)?|rédacteur|rédactrice|journaliste|periodista)$",
    re.IGNORECASE,
)
#: Labels that credit an editor, who is not an author.
_EDITOR_WORDS = (
    r"(?:edited\s+by|editor|editado\s+por|édité\s+par|redigiert\s+von|bearbeitet\s+von|redaktur|penyunting)"
)
#: "Editor: Name" / "Edited by Name": a credit for the editor, who is not an author.
EDITOR_LABEL = re.compile(
    r"^\s*" + _EDITOR_WORDS + r"\s*[:\-–]?\s*",
    re.IGNORECASE,
)
#: An editor label ending right before a name in the page text ("Editor : Jane Doe").
EDITOR_BEFORE = re.compile(
    r"(?:^|\W)" + _EDITOR_WORDS + r"\s*[:\-–]?\s*$",
    re.IGNORECASE,
)
#: How many characters before a name an editor label may start.
EDITOR_WINDOW = 24
#: "Name. Organisation" / "Name - Organisation": where an organisation suffix starts.
ORG_SUFFIX = re.compile(r"(?:\.|\s[-–—])\s+(?=\S)")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_URL_VALUE = re.compile(r"\s*(?:https?:|www\.|//)", re.IGNORECASE)
_URLISH = re.compile(r"https?:|www\.|@|\.(?:com|de|org|net)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_DATE_LIKE = re.compile(r"\d+\s*[.:/-]\s*\d+|\d{4}")
#: Share of digits above which a "name" is a date, time or count.
MAX_DIGIT_SHARE = 0.2
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
#: Longest first paragraph read as a byline ("BY JANE DOE AND JOHN ROE").
LEAD_BYLINE_MAX = 80
#: Longest plausible name, in words.
MAX_NAME_WORDS = 5


def _tokens(element: etree._Element) -> list[str]:
    raw = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return [token for token in re.split(r"[^a-z0-9]+", raw) if token]


def _is_name(text: str, doc: Document, allow_site: bool, strict: bool) -> bool:
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or len(text) < 2:
        return False
    digits = len(_DIGIT.findall(text))
    if digits and (digits / len(text.replace(" ", "")) >= MAX_DIGIT_SHARE or _DATE_LIKE.search(text)):
        return False
    if _URLISH.search(text) or _SLUG.match(text):
        return False
    if strict and len(words) == 1 and text.islower():
        return False
    if text.casefold() in COLLECTIVE_CREDITS or text.casefold() in ACCOUNT_NAMES:
        return False
    return allow_site or not sitenames.is_site_name(text, doc)


def _strip_role(part: str) -> str:
    """'Daniel Weiss Redakteur' -> 'Daniel Weiss'; 'Guardian staff reporter' is a credit and stays whole."""
    stripped = TRAILING_ROLE.sub("", part).strip(" .,:-–—")
    if stripped != part and any(word[:1].islower() for word in stripped.split()):
        return part.strip(" .,:-–—")
    return stripped


def _without_site_suffix(part: str, doc: Document) -> str:
    """'Jane Doe. Harbour Gazette' -> 'Jane Doe': the outlet named after the person is not a second author."""
    for match in ORG_SUFFIX.finditer(part):
        before = part[: match.start()].split()
        if len(before) < 2 or len(before[-1]) < 2:
            continue  # "J. Smith", "John A. Smith": a dot after an initial, not before an outlet
        if sitenames.is_site_name(part[match.end() :], doc):
            return part[: match.start()]
    return part


def _is_post_nominal(part: str) -> bool:
    return part.replace(".", "").casefold() in POST_NOMINALS


def clean_names(raw: str, doc: Document, allow_site: bool = False, strict: bool = False) -> list[str]:
    """Names in one byline string: lead-ins, roles, parentheses, '| Org' suffixes and non-names dropped."""
    text = structured.clean_text(_PARENTHESES.sub(" ", raw)) or ""
    if _URL_VALUE.match(text):
        return []
    text = text.split("|")[0]
    names: list[str] = []
    parts = NAME_SPLIT.split(text)
    for part in parts:
        part = part.strip(" .:-–—\"'“”")
        if (names and _is_post_nominal(part)) or (
            len(parts) > 1 and (ROLE_PART.search(part) or EDITOR_LABEL.match(part))
        ):
            continue  # "Jane Doe, MS, RDN" / "Jane Doe, Staff Writer" / "..., Editor: Tom Roe": not authors
        part = _without_site_suffix(part, doc)
        previous = None
        while previous != part:
            previous = part
            part = BYLINE_PREFIX.sub("", part).strip()
            cut = _NUMBER_TOKEN.split(f" {part} ", maxsplit=1)[0].strip()
            if cut != part or TRAILING_DATE_WORD.fullmatch(f" {part}"):
                shorter = TRAILING_DATE_WORD.sub("", f" {cut}").strip()
                while shorter != cut:
                    cut, shorter = shorter, TRAILING_DATE_WORD.sub("", f" {shorter}").strip()
            part = TRAILING_WEEKDAY.sub("", f" {cut}").strip()
            part = _strip_role(part)
        if _is_name(part, doc, allow_site, strict):
            names.append(part)
    return names


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


def is_account_url(url: object) -> bool:
    """True for a CMS account's profile page ('/author/admin/'): its display name is no person's byline."""
    if not isinstance(url, str):
        return False
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    return bool(segments) and segments[-1].casefold() in ACCOUNT_NAMES


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
                names += clean_names(name, doc, allow_site=person_ok)
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
            names += clean_names(value, doc, allow_site)
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
        tokens = _tokens(element)
        prop = f"{attributes.get('itemprop', '')} {attributes.get('rel', '')}".lower()
        hinted = "author" in prop or any(BYLINE_HINT.search(token) for token in tokens)
        if hinted and not NOT_A_NAME_TOKENS.intersection(tokens) and not _links_to_account(element):
            found.append(element)
    return found


def _links_to_account(element: etree._Element) -> bool:
    links = [element] if element.tag == "a" else list(element.iter("a"))
    return bool(links) and all(is_account_url(link.get("href")) for link in links)


def _names_in(element: etree._Element, doc: Document, candidates: set[etree._Element]) -> list[str]:
    """Names inside one byline element: its innermost author-marked parts, else its own text."""
    inner = [e for e in element.iterdescendants() if e in candidates]
    named = [e for e in element.iterdescendants() if e.get("itemprop") == "name"]
    parts = named or [e for e in inner if not any(d in candidates for d in e.iterdescendants())]
    if not parts:
        return clean_names(_own_text(element), doc, strict=True)
    names: list[str] = []
    for part in parts:
        names += clean_names(_own_text(part), doc, strict=True)
    return names


def _own_text(element: etree._Element) -> str:
    """Text of an element without the parts marked as dates, roles or photo credits."""
    chunks: list[str] = []
    for node in element.iter():
        if node is not element and NOT_A_NAME_TOKENS.intersection(_tokens(node)):
            continue
        if node.text and not _inside_excluded(node, element):
            chunks.append(node.text)
        if node is not element and node.tail and not _inside_excluded(node.getparent(), element):
            chunks.append(node.tail)
    return " ".join(" ".join(chunks).split())


def _inside_excluded(node: etree._Element | None, root: etree._Element) -> bool:
    while node is not None and node is not root:
        if NOT_A_NAME_TOKENS.intersection(_tokens(node)) or node.tag in ("script", "style"):
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
    return text == (structured.clean_text(" ".join(b.text_content() for b in element.iter("b", "strong"))) or "")


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


def _only_editors(names: list[str], doc: Document) -> bool:
    """True when every name is one the page's own credits call its editor (metadata naming the desk editor)."""
    body = doc.tree.find("body")
    text = etree.tostring(body, method="text", encoding=str) if body is not None else ""
    return all(_credited_as_editor(name, text) for name in names)


def authors(doc: Document, sources: dict[str, str], overrides: Mapping[str, str] | None = None) -> list[str]:
    """Person names, de-duplicated case-insensitively, in the order the best source lists them."""
    selector = (overrides or {}).get("authors")
    if selector:
        names = from_selector(doc, selector)
        if names:
            sources["authors"] = "override"
            return _dedupe(names)
    finders = (
        ("json-ld", from_json_ld),
        ("meta", from_meta),
        ("byline", from_bylines),
        ("signature", from_signature),
        ("lead-line", from_lead_line),
    )
    for source, finder in finders:
        names = finder(doc)
        if names and source in ("json-ld", "meta") and _only_editors(names, doc):
            names, source = from_bylines(doc) or names, "byline"
        if names:
            sources["authors"] = source
            return _dedupe(names)
    # No person anywhere: the page credits the outlet itself ("Associated Press", "FOCUS online"); say so.
    for source, fallback in (("json-ld:organisation", from_json_ld), ("meta:organisation", from_meta)):
        names = fallback(doc, allow_site=True)
        if names:
            sources["authors"] = source
            return _dedupe(names)
    return []

"""Names: turn one raw author string (a JSON-LD name, a meta value, a byline's text) into clean person names.

Every author source goes through clean_names, and every name it keeps has passed one validation step,
not_a_name: dates, times, bare numbers, e-mails, URLs, verbs ("Posted"), roles alone ("Editor"),
share/follow labels, placeholders and CMS login names are never authors, in several languages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipelines.extraction import sitenames, structured

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipelines.extraction.document import Document

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
#: Longest plausible name, in words.
MAX_NAME_WORDS = 5


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


def dedupe(names: Iterable[str]) -> list[str]:
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

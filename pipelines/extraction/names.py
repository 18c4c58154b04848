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
#: A verb or noun before the lead-in ("Posted by", "Erstellt von", "Ein Beitrag von", "Publié par", "Scritto da"):
#: "by", "par", "por", "door", "przez" after up to five words ("Posted 3 hours ago by"); the ambiguous "von",
#: "da", "di", "de" (also name particles: "Justus von Daniels") only after a known verb or noun.
LEAD_IN = re.compile(
    r"^(?:(?:[\w'’+.,:-]+\s+){1,5}(?:by|par|por|door|przez)|"
    r"(?:ein(?:e[rn]?)?\s+)?(?:erstellt|eingestellt|geschrieben|verfasst|veröffentlicht|gepostet|publiziert|"
    r"beitrag|gastbeitrag|artikel|kommentar|kolumne|analyse|pressemitteilung|meldung|bericht)\s+von|"
    r"(?:scritto|pubblicato|inviato|articolo)\s+da|(?:a\s+cura|articolo)\s+di|"
    r"(?:publicado|escrito|publicada|escrita)\s+(?:por|de))\s*[:\-–]?\s+",
    re.IGNORECASE,
)
#: "Datum: 19.11.2021 Autor: Jane Doe Quelle: Agency": the value of the author field among labelled fields.
AUTHOR_FIELD = re.compile(
    r"(?:^|\s)(?i:autor(?:in|en)?|authors?|auteur(?:e|s)?|autore|autori|autora|text|texte|written\s+by|by|von|par|por|door|przez)"
    r"\s*:\s*(.+?)(?=\s+[A-ZÄÖÜÀ-Ý][\w-]*\s*:|$)"
)
#: "Jane Doe for Outlet" / "für" / "pour" / "para": where the outlet a person writes for starts.
FOR_OUTLET = re.compile(r"\s+(?:for|für|pour|para)\s+", re.IGNORECASE)
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
_NUMBER_TOKEN = re.compile(r"\s\d[\d.:/,-]*(?:st|nd|rd|th|er|e|º|ª)?(?:\s|$)")
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


def _words(*groups: str) -> frozenset[str]:
    return frozenset(word for group in groups for word in group.split())


#: Month and weekday names and relative days (en, de, fr, es, it, pt, nl, pl): a part made only of these, or
#: of these and numbers, is a date ("October 14th", "Montag", "hier").
DATE_WORDS: frozenset[str] = _words(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august",
    "september october november december januar jänner februar märz mai juni juli oktober dezember janvier",
    "février mars avril juin juillet août septembre octobre novembre décembre enero febrero marzo abril mayo",
    "junio julio agosto septiembre setiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno",
    "luglio settembre ottobre dicembre janeiro fevereiro março maio junho julho setembro outubro novembro",
    "dezembro januari februari maart mei augustus stycznia lutego marca kwietnia maja czerwca lipca sierpnia",
    "września października listopada grudnia monday tuesday wednesday thursday friday saturday sunday montag",
    "dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miércoles jueves viernes sábado domingo today yesterday heute gestern aujourd'hui hier hoy",
    "ayer oggi ieri hoje ontem vandaag gisteren dzisiaj wczoraj ago vor uhr am pm a.m. p.m. h",
)
#: Verbs and labels that stand next to a byline but are never a name ("Posted", "Aktualisiert", "Publié").
ACTION_WORDS: frozenset[str] = _words(
    "posted updated published written modified created submitted filed reviewed sponsored",
    "aktualisiert veröffentlicht erstellt eingestellt geschrieben verfasst geändert gepostet publiziert",
    "publié publiée modifié modifiée écrit rédigé publicado publicada actualizado actualizada escrito",
    "pubblicato aggiornato scritto atualizado opublikowano zaktualizowano gepubliceerd bijgewerkt geplaatst",
    "datum date fecha quelle source sources fuente fonte źródło foto fotos photo photos",
    "image images credit credits about über sobre propos article articles artikel artículo articolo artigo",
    "beitrag beiträge autorenseite profile profil biography biografie newsletter",
    "edit save login logout menu search css",  # the page's own controls
)
#: Share, follow and contact labels; a byline's text is cut where the first one starts ("Jane Doe Twitter").
SOCIAL_WORDS: frozenset[str] = _words(
    "facebook twitter instagram linkedin xing whatsapp telegram pinterest youtube tiktok mastodon google+ rss",
    "e-mail email share teilen partager compartir condividi udostępnij delen follow folgen suivre seguir segui",
    "obserwuj volgen subscribe abonnieren print drucken imprimer imprimir stampa contact kontakt comment",
    "comments kommentar kommentare commentaires comentarios",
)
#: A role, a desk or the software standing alone where a name should be ("Editor", "Staff", "Redaktion").
ROLE_WORDS: frozenset[str] = _words(
    "editor editors editorial staff author authors autor autorin autoren auteur auteurs autore autora redaktion",
    "redakteur redakteurin redaktor redakcja redacción redaccion rédaction redazione redactie reporter",
    "correspondent contributor contributors columnist writer writers guest gastautor gastautorin team desk",
    "newsroom publisher herausgeber website webredaktion presse press pressestelle journalist journaliste",
    "periodista giornalista dziennikarz moderator",
)
#: Placeholders a CMS fills in when nobody is credited.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "anonymous", "anonym", "anonyme", "anónimo", "anonimo", "anónima", "anonimowy", "unknown", "unbekannt",
        "inconnu", "desconocido", "sconosciuto", "none", "null", "undefined", "n/a", "na", "unbenannt", "untitled",
        "no author", "sin autor", "kein autor", "public domain", "domena publiczna", "gemeinfrei",
        "dominio público", "domaine public",
    }
)  # fmt: skip
#: Lower-case words allowed inside a capitalised name ("Ursula von der Leyen", "Michelle de Oliveira").
NAME_PARTICLES: frozenset[str] = _words(
    "von vom der den des zu zum zur van ten ter de del della dei di da das do dos du la le les lo y e i bin ibn",
    "bint al el ben mac af av",
)
#: A byline's lead-in word left at the end of a part ("Article by", "Autorenseite von"): a label, not a name.
_TRAILING_LEAD_IN = frozenset({"by", "von", "par", "por", "door", "przez", "di", "da"})
_PURE_NUMBER = re.compile(r"^[.:/,-]?\d[\d.:/,-]*(?:st|nd|rd|th|er|e|º|ª|h)?$", re.IGNORECASE)
_SENTENCE_MARK = re.compile(r"[!?:;«»“”„\"]")
#: A login name: one token with dots/underscores between lower-case pieces or digits after letters
#: ("edilson.la.rosa", "jdoe_2", "Author1").
_LOGIN = re.compile(r"^(?:[a-z]+(?:[._][a-z0-9]+)+|[A-Za-z]+\d+)$")
#: Shortest lower-case single token read as a login name rather than an acronym ("dpa", "afp" are credits).
MIN_LOGIN = 4


def _bare(word: str) -> str:
    return word.casefold().strip(".,:;()[]'’\"")


def not_a_name(text: str, strict: bool = False, organisation: bool = False) -> str | None:
    """Why text cannot be a person's (or credited outlet's) name, or None when it can be one.

    The one validation step every author source goes through (JSON-LD, meta, microdata, byline text):
    dates, times, bare numbers, e-mails, URLs, verbs ("Posted"), roles alone ("Editor"), share/follow labels,
    placeholders ("Unknown"), sentences and CMS login names ("jdoe", "edilson.la.rosa") are never authors.
    strict: byline text, where a single lower-case word is a slug or a label. organisation: the outlet itself
    is being credited (brands are spelt freely: "kicker", "FOCUS online").
    """
    words = text.split()
    if not words or len(text) < 2:
        return "empty"
    if len(words) > MAX_NAME_WORDS:
        return "too long"
    if _URLISH.search(text) or _SLUG.match(text):
        return "address"
    bare = [_bare(word) for word in words]
    digits = len(_DIGIT.findall(text))
    if digits and (digits / len(text.replace(" ", "")) >= MAX_DIGIT_SHARE or _DATE_LIKE.search(text)):
        return "date or number"
    if any(_PURE_NUMBER.match(word) for word in bare):
        return "date or number"
    if all(word in DATE_WORDS for word in bare):
        return "date"
    if any(word in ACTION_WORDS or word in SOCIAL_WORDS for word in bare):
        return "label"
    if words[0] == "the" and len(words) > 1:
        return "phrase"  # "the founder", "the editors": a description, not a name
    if bare[-1] == "by" or (
        words[-1].islower() and (bare[-1] in _TRAILING_LEAD_IN or bare[-1] in NAME_PARTICLES)
    ):
        return "label"  # "Article by", "Autorenseite von", "Estallido de": a name never ends on a particle
    if _SENTENCE_MARK.search(text):
        return "sentence"
    folded = " ".join(bare)
    if folded.removeprefix("the ") in PLACEHOLDERS or folded in ACCOUNT_NAMES:
        return "placeholder"
    if all(word in ROLE_WORDS or word == "the" for word in bare):
        return "role"
    if folded in COLLECTIVE_CREDITS:
        return "collective credit"
    if (
        not organisation
        and len(words) == 1
        and (_LOGIN.match(text) or (text.islower() and (strict or len(text) >= MIN_LOGIN)))
    ):
        return "login name"
    cased = [
        word
        for word, key in zip(words, bare, strict=True)
        if word[:1].isalpha() and word[:1].lower() != word[:1].upper()
    ]
    upper = [word for word in cased if word[:1].isupper()]
    lower = [
        key
        for word, key in zip(words, bare, strict=True)
        if word in cased
        and word[:1].islower()
        and key not in NAME_PARTICLES
        and key not in ROLE_WORDS
        and word == word.lower()  # "al-Sharif", "d'Alembert": a particle joined to a capitalised name
    ]
    if upper and lower and not organisation:
        return "lower-case words"  # "em São Paulo", "ev on Unsplash": a phrase, not a name
    return None


def _is_name(text: str, doc: Document, allow_site: bool, strict: bool, organisation: bool) -> bool:
    if not_a_name(text, strict=strict, organisation=organisation):
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


def _without_outlet(part: str) -> str:
    """'Jane Doe for The Daily Planet' -> 'Jane Doe': the outlet a person writes for is not a second author."""
    match = FOR_OUTLET.search(part)
    if match and 2 <= len(part[: match.start()].split()) <= 3 and part[match.end() :][:1].isupper():
        return part[: match.start()]
    return part


def _before_social_label(text: str) -> str:
    """'Jane Doe Twitter Facebook' -> 'Jane Doe': share/follow/contact links after the name are cut off."""
    words = text.split()
    for index, word in enumerate(words):
        if _bare(word) in SOCIAL_WORDS:
            return " ".join(words[:index])
    return text


def _before_label(part: str) -> str:
    """'Jane Doe Published: 3 hours ago' -> 'Jane Doe': a verb or label after a name ends it (one opening the
    part, as in 'Posted', leaves nothing to keep and the part fails validation)."""
    words = part.split()
    for index, word in enumerate(words[1:], start=1):
        if _bare(word) in ACTION_WORDS or _bare(word) in SOCIAL_WORDS:
            return " ".join(words[:index])
    return part


def _is_post_nominal(part: str) -> bool:
    return part.replace(".", "").casefold() in POST_NOMINALS


def clean_names(
    raw: str, doc: Document, allow_site: bool = False, strict: bool = False, organisation: bool = False
) -> list[str]:
    """Names in one byline string: lead-ins, roles, parentheses, '| Org' suffixes and non-names dropped.

    allow_site: the site's own name may be kept; strict: byline text (see not_a_name); organisation: an
    outlet is credited, whose brand may be spelt in lower case."""
    text = structured.clean_text(_PARENTHESES.sub(" ", raw)) or ""
    if _URL_VALUE.match(text):
        return []
    field = AUTHOR_FIELD.search(text)
    if field:
        text = field.group(1)
    text = _before_social_label(text.split("|")[0])
    names: list[str] = []
    parts = NAME_SPLIT.split(text)
    for part in parts:
        part = part.strip(" .:-–—\"'“”")
        if (names and _is_post_nominal(part)) or (
            len(parts) > 1 and (ROLE_PART.search(part) or EDITOR_LABEL.match(part))
        ):
            continue  # "Jane Doe, MS, RDN" / "Jane Doe, Staff Writer" / "..., Editor: Tom Roe": not authors
        part = _without_site_suffix(_without_outlet(part), doc)
        previous = None
        while previous != part:
            previous = part
            part = _before_label(BYLINE_PREFIX.sub("", LEAD_IN.sub("", part)).strip())
            cut = _NUMBER_TOKEN.split(f" {part} ", maxsplit=1)[0].strip()
            if cut != part or TRAILING_DATE_WORD.fullmatch(f" {part}"):
                shorter = TRAILING_DATE_WORD.sub("", f" {cut}").strip()
                while shorter != cut:
                    cut, shorter = shorter, TRAILING_DATE_WORD.sub("", f" {shorter}").strip()
            part = TRAILING_WEEKDAY.sub("", f" {cut}").strip()
            part = _strip_role(part)
        if _is_name(part, doc, allow_site, strict, organisation):
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

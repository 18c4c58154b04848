"""The article body: the article's own paragraphs, in order, without boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extraction import boilerplate as bp
from pipelines.extraction.content import find_content, ld_article_body_lines
from pipelines.extraction.document import Document, ParseError, parse_document
from pipelines.extraction.embedded import embedded_html
from pipelines.extraction.hints import norm

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from lxml import etree


#: A block whose linked text exceeds this share of its text is navigation, not prose.
MAX_LINK_DENSITY = 0.5
#: Extracted text shorter than this is checked against the JSON-LD articleBody.
MIN_BODY = 250
#: A line of at most this many words with an e-mail address in it is a signature or contact line.
SIGNATURE_WORDS = 6
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
#: A template slot the page's scripts fill in ('$$ARTICLEAD$$', '{{ad_slot}}'): never text.
TEMPLATE_PLACEHOLDER = re.compile(r"^(?:\$\$|\{\{|\[\[|%%)\s*[\w.:-]+\s*(?:\$\$|\}\}|\]\]|%%)$")
CLOSING_PUNCTUATION = frozenset(".,;:!?)]}”’»%")
OPENING_PUNCTUATION = frozenset("([{“‘«$")
QUOTE_MARKS = frozenset("\"'“”„‘’‚«»‹›「『")
#: Inline-level elements the browser renders apart from their neighbours.
SPACED_TAGS: frozenset[str] = frozenset({"td", "th", "dt", "dd", "label", "button", "img", "input"})
#: How many kept lines from the top a byline repeating the authors may come after.
LEADING_LINES = 3
#: Words joining names in a byline, ignored when comparing a line with the authors.
BYLINE_WORDS: frozenset[str] = frozenset({"by", "and", "von", "und", "par", "et", "por", "y", "door", "en"})
_WORD = re.compile(r"\w+")
#: Shortest line of a headline group (<hgroup>) read as body: a tagline long enough to be the lead.
HGROUP_TEXT_MIN = 80
#: Longest line an inline promotion ("Read more: <link>") can have.
MAX_PROMO_LENGTH = 250


@dataclass(slots=True)
class Line:
    text: str
    tag: str
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def _glued(before: str, after: str) -> bool:
    """Whether two inline runs with no whitespace between them are one word or one phrase.

    Inside a word ('i' + 'n their', from a link starting mid-word), before closing punctuation, after an
    opening bracket, between a quote mark and its word, and in scripts written without spaces. Elsewhere
    ('2019' + 'Updated', 'Uhr' + 'Lesedauer') the runs were set apart by the layout, not by the text, and get
    a space.
    """
    if after in CLOSING_PUNCTUATION or before in OPENING_PUNCTUATION:
        return True
    if before.isalnum() and (after.islower() or after == "-") or before == "-" and after.isalnum():
        return True  # inside a word, or a compound joined by a hyphen ('KI' + '-Systemen')
    if before in QUOTE_MARKS and after.isalnum() or after in QUOTE_MARKS and (before.isalnum() or before in CLOSING_PUNCTUATION):
        return True  # a quote mark and the word it touches ('„' + 'Toilet Map' + '“'): quotes are not layout
    return is_unspaced_script(before) or is_unspaced_script(after)


def is_unspaced_script(char: str) -> bool:
    """CJK ideographs, kana, Thai and their punctuation: text written without spaces between words."""
    code = ord(char)
    return 0x0E00 <= code <= 0x0EFF or 0x3000 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xFF00 <= code <= 0xFFEF


def join_inline(parts: list[str]) -> str:
    joined: list[str] = []
    for part in parts:
        if not part:
            continue
        if joined and not joined[-1][-1].isspace() and not part[0].isspace() and not _glued(joined[-1][-1], part[0]):
            joined.append(" ")
        joined.append(part)
    return "".join(joined)


class _Collector:
    """Flattens content roots into lines: block elements start new lines; inline text is joined as the
    browser renders it (a link inside a word stays inside it), with table cells kept apart."""

    def __init__(self, furniture: set[etree._Element]) -> None:
        self.furniture = furniture
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._link_chars = 0
        self._tags: list[str] = ["p"]

    def _add(self, text: str, in_link: bool) -> None:
        self._parts.append(text)
        if in_link:
            self._link_chars += len(norm(text))

    def _flush(self) -> None:
        if self._parts:
            text = norm(join_inline(self._parts))
            if text:
                self.lines.append(Line(text, self._tags[-1], min(self._link_chars, len(text))))
        self._parts = []
        self._link_chars = 0

    def walk(self, element: etree._Element, in_link: bool = False, is_root: bool = False) -> None:
        tag = element.tag
        if not isinstance(tag, str):
            return
        if tag == "rt" and (ruby := element.getparent()) is not None and ruby.find("rp") is None:
            # The reading printed over a word ('<ruby>子<rt>こ</rt></ruby>') is not part of the text; one with
            # fallback brackets ('<rp>（</rp><rt>...</rt><rp>）</rp>') reads as a gloss in brackets and stays.
            return
        if element in self.furniture or (not is_root and tag in bp.FURNITURE_TAGS):
            self._parts.append(" ")  # what was dropped between two words still separated them
            return
        if tag == "br":
            self._flush()
            return
        if len(element) == 0 and not element.text:
            if tag != "wbr":
                self._parts.append(" ")  # an empty marker ('<span class="br"></span>', an icon) separates words
            return
        block = tag in bp.LINE_TAGS or tag == "hgroup"
        link = in_link or tag == "a"
        if block:
            self._flush()
            # Blocks inside a headline group (the headline, its kicker, its tagline) keep the group's tag.
            self._tags.append("hgroup" if self._tags[-1] == "hgroup" else tag)
        elif tag in SPACED_TAGS:
            self._parts.append(" ")
        if element.text:
            self._add(element.text, link)
        for child in element:
            self.walk(child, link)
            if child.tail:
                self._add(child.tail, link)
        if block:
            self._flush()
            self._tags.pop()
        elif tag in SPACED_TAGS:
            self._parts.append(" ")


def _title_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _may_be_title(text: str, title_key: str) -> bool:
    """A cheap length test before comparing a line with the title (most lines are far longer or shorter)."""
    return len(title_key) <= len(text) <= 2 * len(title_key) + 20


def _keep(line: Line, title_key: str) -> bool:
    """Whether a line is article text rather than furniture, a promo or the headline."""
    text = line.text
    if not any(ch.isalnum() for ch in text) or TEMPLATE_PLACEHOLDER.match(text):
        return False
    if line.tag == "hgroup" and len(text) < HGROUP_TEXT_MIN:
        return False  # the kicker or the headline in the headline group; a long tagline is a lead
    if line.tag == "h1" or (title_key and _may_be_title(text, title_key) and _title_key(text) == title_key):
        return False
    if len(text) <= bp.BOILERPLATE_LINE_MAX and bp.BOILERPLATE_LINE.match(text):
        return False
    if line.link_chars and len(text) <= MAX_PROMO_LENGTH and bp.PROMO_PREFIX.match(text):
        return False
    if len(text) <= bp.META_LINE_MAX and _is_meta(text):
        return False
    if len(text) <= bp.AFFILIATE_NOTICE_MAX and bp.AFFILIATE_NOTICE.search(text):
        return False  # 'Links marked * are affiliate links': the site's disclosure, not the story
    if len(text.split()) <= SIGNATURE_WORDS and EMAIL.search(text):
        return False  # 'Jane Doe, reporter jane@paper.example': a signature, not a sentence
    return line.link_density <= MAX_LINK_DENSITY


def _is_date(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not bp.DATE_PIECE.sub("", text).strip()


def _is_meta(text: str) -> bool:
    """A short line that is a date, a label, a credit, or the bare heading of a promo or rail."""
    if _is_date(text) or any(p.match(text) for p in (bp.META_LINE, bp.BYLINE_LINE, bp.CREDIT_LINE)):
        return True
    for pattern in (bp.PROMO_PREFIX, bp.RELATED_HEADING, bp.UNRELATED_HEADING, bp.FURTHER_HEADING):
        found = pattern.match(text)
        if found and len(text) - found.end() <= 20:
            return True
    return False


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.casefold()) if word not in BYLINE_WORDS]


def _is_byline_of(text: str, authors: Sequence[str]) -> bool:
    """A line made of nothing but the authors' names ('MTHOBISI SITHOLE', 'By Jane Doe and John Roe')."""
    if not authors or len(text) > bp.META_LINE_MAX:
        return False
    return sorted(_words(text)) == sorted(word for name in authors for word in _words(name))


def clean_lines(lines: list[Line], title: str | None, authors: Sequence[str] = ()) -> list[str]:
    """Drop furniture lines, a line repeating the one before it, a leading byline, and headings left
    without text after them."""
    title_key = _title_key(title) if title else ""
    kept: list[Line] = []
    for line in lines:
        if len(line.text) <= bp.PAYWALL_LINE_MAX and bp.PAYWALL_LINE.search(line.text):
            break  # the rest is the paywall's sales copy
        if not _keep(line, title_key) or (kept and kept[-1].text == line.text):
            continue
        if len(kept) < LEADING_LINES and _is_byline_of(line.text, authors):
            continue
        kept.append(line)
    closing = len(kept) - bp.CTA_LAST_LINES
    kept = [line for n, line in enumerate(kept) if n < closing or not _is_call_to_action(line.text)]
    if len(kept) > 1 and len(kept[-1].text) <= bp.AUTHOR_BIO_MAX and bp.AUTHOR_BIO.match(kept[-1].text):
        kept.pop()  # the author's bio closing the page
    while kept and kept[-1].tag in bp.HEADING_TAGS:
        kept.pop()
    return [line.text for line in kept]


def _is_call_to_action(text: str) -> bool:
    """'Download our app', 'Get the best stories in your inbox': the site offering itself, not the story."""
    if len(text) > bp.CTA_LINE_MAX or text[0] in QUOTE_MARKS:
        return False  # a quotation is somebody speaking in the story
    return bool(bp.CTA_CHANNEL.search(text)) and bool(bp.CTA_ADDRESS.search(text))


def extract_body(
    doc: Document,
    title: str | None = None,
    overrides: Mapping[str, str] | None = None,
    authors: Sequence[str] = (),
) -> str:
    """Paragraphs joined by newlines ("" when the page has no article text)."""
    content = find_content(doc, overrides)
    collector = _Collector(content.furniture)
    for root in content.roots:
        collector.walk(root, is_root=True)
    lines = clean_lines(collector.lines, title, authors)
    if sum(len(line) for line in lines) < MIN_BODY:
        # Script-rendered pages ship the text only in JSON-LD or as HTML inside a script: better that
        # than a stray caption.
        for fallback in (lambda: ld_article_body_lines(doc), lambda: _embedded_lines(doc, title, authors)):
            found = fallback()
            if sum(len(line) for line in found) > 2 * sum(len(line) for line in lines):
                lines = found
                break
    return "\n".join(lines)


def _embedded_lines(doc: Document, title: str | None, authors: Sequence[str]) -> list[str]:
    """The body of the article markup a script carries, read like a page of its own."""
    markup = embedded_html(doc)
    if not markup:
        return []
    try:
        inner = parse_document(f"<html><body><article>{markup}</article></body></html>", doc.url)
    except ParseError:
        return []
    body = extract_body(inner, title, authors=authors)
    # Hydration state often carries the same story twice (the stream and the query cache).
    return list(dict.fromkeys(body.splitlines())) if body else []

"""Name validation: the one step every author string goes through, whatever source it came from."""

from __future__ import annotations

import json

import pytest

from pipelines.extraction.authors import authors
from pipelines.extraction.document import parse_document
from pipelines.extraction.names import clean_names, not_a_name

URL = "https://www.harbourgazette.example/news/story"
SITE = '<meta property="og:site_name" content="Harbour Gazette">'


def page(head: str = "", body: str = "", ld: object | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return f"<html><head>{SITE}{head}{script}</head><body>{body}</body></html>"


def names_of(html: str) -> tuple[list[str], str | None]:
    sources: dict[str, str] = {}
    found = authors(parse_document(html, URL), sources)
    return found, sources.get("authors")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("October 14th", "date or number"),
        ("14. Oktober", "date or number"),
        ("Montag", "date"),
        ("10:45", "date or number"),
        ("2024", "date or number"),
        ("Posted", "label"),
        ("Updated", "label"),
        ("Aktualisiert", "label"),
        ("Publié", "label"),
        ("Editor", "role"),
        ("Staff", "role"),
        ("Redaktion", "role"),
        ("The Editors", "role"),
        ("jane.doe@harbour.example", "address"),
        ("www.harbour.example", "address"),
        ("Share", "label"),
        ("Follow", "label"),
        ("Teilen", "label"),
        ("Unknown", "placeholder"),
        ("anónimo", "placeholder"),
        ("No Author", "placeholder"),
        ("admin", "placeholder"),
        ("jdoe", "login name"),
        ("edilson.la.rosa", "login name"),
        ("Author1", "login name"),
        ("Article by", "label"),
        ("Autorenseite von", "label"),
        ("Endlich geht es los!", "sentence"),
        ("em São Paulo", "lower-case words"),
        ("the founder", "phrase"),
        ("Edit", "label"),
        ("Jane Mary Ann Doe Roe Smith", "too long"),
    ],
)
def test_what_is_never_a_name(text: str, reason: str) -> None:
    assert not_a_name(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Jane Doe",
        "Theresa May",
        "April Roach",
        "Ursula von der Leyen",
        "Michelle de Oliveira",
        "viktor hedlund",
        "Guardian staff reporter",
        "BR24 Redaktion",
        "dpa",
        "Jean-Luc Picard",
        "松岡大地",
        "J.O. Haselhoef",
        "Ahmed al-Sharif",
        "Valéry Giscard d'Estaing",
        "Tiago dos Santos",
        "Jan van der Berg",
        "Glenn Close",
        "Li Da",
        "BILD",
    ],
)
def test_names_pass(text: str) -> None:
    assert not_a_name(text) is None


def test_brands_credited_as_the_outlet_are_spelt_freely() -> None:
    assert not_a_name("kicker", organisation=True) is None
    assert not_a_name("FOCUS online", organisation=True) is None
    assert not_a_name("kicker") == "login name"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Posted by Nathan Hale", ["Nathan Hale"]),
        ("Erstellt von Anna Schmidt", ["Anna Schmidt"]),
        ("Ein Beitrag von Max Weber", ["Max Weber"]),
        ("Publié par Claire Martin", ["Claire Martin"]),
        ("Scritto da Marco Rossi", ["Marco Rossi"]),
        ("Justus von Daniels", ["Justus von Daniels"]),
        ("Jane Doe October 14th", ["Jane Doe"]),
        ("Jane Doe Twitter Facebook", ["Jane Doe"]),
        ("Datum: 19.11.2021 Autor: Fritz Imhof Quelle: Agentur", ["Fritz Imhof"]),
        ("Por: Ana García", ["Ana García"]),
        ("Posted on October 14th", []),
        ("Jane Doe Published: 3 hours ago", ["Jane Doe"]),
        ("Published 3 hours ago by Jane Doe", ["Jane Doe"]),
        ("Posted on October 14th, 2024 by Jane Doe", ["Jane Doe"]),
        ("Jane Doe Foto: Agentur", ["Jane Doe"]),
        ("By Jane Doe Updated Oct. 14, 2024", ["Jane Doe"]),
        ("Jane Doe Aktualisiert am 14.10.2024", ["Jane Doe"]),
        ("Updated", []),
    ],
)
def test_clean_names_cuts_verbs_labels_and_dates(raw: str, expected: list[str]) -> None:
    doc = parse_document(page(), URL)
    assert clean_names(raw, doc) == expected


def test_every_source_is_validated() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Updated"}}
    head = '<meta name="author" content="October 14, 2024">'
    body = (
        '<article><h1>T</h1><a rel="author" href="/a/x">Posted</a><p class="byline">By Tom Reed</p></article>'
    )
    assert names_of(page(head, body, ld)) == (["Tom Reed"], "byline")


def test_cms_login_in_metadata_gives_way_to_the_displayed_byline() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "jreed"}}
    body = '<article><h1>T</h1><a rel="author" href="/author/jreed/">Tom Reed</a></article>'
    assert names_of(page(ld=ld, body=body)) == (["Tom Reed"], "byline")


def test_byline_element_holding_a_whole_article_is_not_read() -> None:
    text = "Long teaser sentence about the harbour. " * 8
    body = f'<section class="post has-author"><p>{text}</p><p>Por Ana García</p></section>'
    assert names_of(page(body=body)) == ([], None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe For Dailymail.com", ["Jane Doe"]),
        ("By Tom Reed for The Daily Planet", ["Tom Reed"]),
        ("Anna Schmidt für Tagesblatt", ["Anna Schmidt"]),
        ("Words for the wise", []),
    ],
)
def test_the_outlet_a_person_writes_for_is_not_an_author(raw: str, expected: list[str]) -> None:
    doc = parse_document(page(), URL)
    assert clean_names(raw, doc) == expected


def test_labelled_fields_in_a_byline_block_give_the_author_field() -> None:
    body = (
        '<article><h1>T</h1><div class="article-author-block">'
        '<span class="articleAuthorLabel">Datum:</span> 19.11.2021<br>'
        '<span class="articleAuthorLabel">Autor:</span> Fritz Imhof<br>'
        '<span class="articleAuthorLabel">Quelle:</span> Agentur</div></article>'
    )
    assert names_of(page(body=body)) == (["Fritz Imhof"], "byline")


def test_an_editing_widget_marked_writer_is_no_byline() -> None:
    body = (
        '<article><h1>T</h1></article><div class="css-writer"><a>Edit with Live CSS</a>'
        '<textarea class="css-writer-editor"></textarea><a>Save</a></div>'
    )
    assert names_of(page(body=body)) == ([], None)


def test_a_person_entry_named_after_the_site_credits_the_outlet_when_nobody_else_is_named() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "harbourgazette"}}
    assert names_of(page(ld=ld)) == (["harbourgazette"], "json-ld:organisation")
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "jreed"}}
    assert names_of(page(ld=ld)) == ([], None)

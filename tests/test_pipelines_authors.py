"""Author names: JSON-LD (objects, lists, @id references), meta, microdata and bylines, cleaned and split."""

from __future__ import annotations

import json

import pytest

from pipelines.extraction.authors import authors
from pipelines.extraction.document import parse_document
from pipelines.extraction.names import clean_names

URL = "https://www.harbourgazette.example/news/story"
SITE = '<meta property="og:site_name" content="Harbour Gazette">'


def page(head: str = "", body: str = "", ld: object | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return f"<html><head>{SITE}{head}{script}</head><body>{body}</body></html>"


def extract(html: str, overrides: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    sources: dict[str, str] = {}
    return authors(parse_document(html, URL), sources, overrides), sources


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("Von Anna Schmidt und Max Weber", ["Anna Schmidt", "Max Weber"]),
        ("Par Claire Martin et Louis Petit", ["Claire Martin", "Louis Petit"]),
        ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
        ("Jane Doe, John Roe & Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
        ("Jane Doe | Reuters", ["Jane Doe"]),
        ("Autor: Eva Maier (Text), 05.01.2025, 15:23", ["Eva Maier"]),
        ("Daniel Weiss Redakteur", ["Daniel Weiss"]),
        ("By Jeff Stone Monday, November 18, 2019", ["Jeff Stone"]),
        ("Jane Doe on March 5, 2024", ["Jane Doe"]),
        ("Theresa May", ["Theresa May"]),
        ("red, Agenturen", []),
        ("Gazette staff reporter", ["Gazette staff reporter"]),
        ("https://www.facebook.com/someone", []),
        ("Harbour Gazette", []),
        ("Jane Doe, MS, RDN", ["Jane Doe"]),
        ("Jane Doe, Ph.D.", ["Jane Doe"]),
        ("By JANE DOE, AP National Political Writer", ["JANE DOE"]),
        ("Jane Doe, Tom Reed", ["Jane Doe", "Tom Reed"]),
        ("Staff Writer, Jane Doe", ["Jane Doe"]),
        ("Text: Jane Doe; Editor: Tom Reed", ["Jane Doe"]),
        ("Jane Doe. Harbour Gazette International", ["Jane Doe"]),
        ("Jane Doe - Harbour Gazette", ["Jane Doe"]),
        ("Jean-Luc Picard", ["Jean-Luc Picard"]),
        ("John A. Harbour", ["John A. Harbour"]),
        ("admin", []),
    ],
)
def test_clean_names(raw: str, expected: list[str]) -> None:
    doc = parse_document(page(), URL)
    assert clean_names(raw, doc) == expected


def test_json_ld_author_list_and_given_family_names() -> None:
    ld = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Person", "name": "Jane Doe"},
            {"@type": "Person", "givenName": "Ann", "familyName": "Poe"},
        ],
    }
    assert extract(page(ld=ld)) == (["Jane Doe", "Ann Poe"], {"authors": "json-ld"})


def test_json_ld_author_id_reference_into_graph() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "headline": "x", "author": {"@id": "https://hg.example/#/person/1"}},
            {"@type": "Person", "@id": "https://hg.example/#/person/1", "name": "Mara Lind"},
        ],
    }
    assert extract(page(ld=ld))[0] == ["Mara Lind"]


def test_publisher_organisation_as_author_gives_way_to_byline() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Harbour Gazette"}}
    html = page(ld=ld, body='<article><h1>T</h1><p class="byline">By Tom Reed</p></article>')
    assert extract(html) == (["Tom Reed"], {"authors": "byline"})


def test_publisher_organisation_is_kept_only_when_no_person_is_named() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Harbour Gazette"}}
    assert extract(page(ld=ld)) == (["Harbour Gazette"], {"authors": "json-ld:organisation"})


def test_meta_author_ignores_urls_and_photo_credits() -> None:
    head = (
        '<meta property="article:author" content="https://social.example/jane">'
        '<meta name="author" content="Jane Doe"><meta name="author" content="(Image: Agency)">'
    )
    assert extract(page(head)) == (["Jane Doe"], {"authors": "meta"})


def test_inverted_dc_creator_names() -> None:
    head = '<meta name="dc.creator" content="Doe, Jane"><meta name="dc.creator" content="Roe, John">'
    assert extract(page(head))[0] == ["Jane Doe", "John Roe"]


def test_byline_skips_dates_roles_and_teasers() -> None:
    body = (
        '<article><div class="article-author"><span class="author-label">By</span>'
        '<a class="author-name" href="/authors/ella">Ella Stone</a><span class="author-role">Chief reporter</span>'
        '<time class="date">12 March 2025</time></div></article>'
        '<aside><div class="teaser"><span class="teaser__author">By Someone Else</span></div></aside>'
    )
    assert extract(page(body=body))[0] == ["Ella Stone"]


def test_itemprop_author_with_name() -> None:
    body = '<div itemprop="author" itemscope><span itemprop="name">Lee Park</span><span>Senior Writer</span></div>'
    assert extract(page(body=body))[0] == ["Lee Park"]


def test_duplicates_removed_case_insensitively_in_order() -> None:
    ld = {"@type": "NewsArticle", "author": ["Jane Doe", "JANE DOE", "John Roe"]}
    assert extract(page(ld=ld))[0] == ["Jane Doe", "John Roe"]


def test_override_selector_wins() -> None:
    ld = {"@type": "NewsArticle", "author": "Jane Doe"}
    html = page(ld=ld, body='<p class="credit-line">Text: Nora Quist</p>')
    assert extract(html, {"authors": ".credit-line"}) == (["Nora Quist"], {"authors": "override"})


def test_override_that_matches_nothing_falls_back() -> None:
    ld = {"@type": "NewsArticle", "author": "Jane Doe"}
    assert extract(page(ld=ld), {"authors": ".missing"})[0] == ["Jane Doe"]


def test_right_aligned_signature_line_when_nothing_else() -> None:
    body = '<article><p>Story text here.</p><p style="text-align: right;"><strong>Lan Pham</strong></p></article>'
    assert extract(page(body=body)) == (["Lan Pham"], {"authors": "signature"})


def test_collective_byline_falls_back_to_the_outlet() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Harbour Gazette"}}
    body = '<div class="byline">red, Agenturen</div>'
    assert extract(page(ld=ld, body=body))[0] == ["Harbour Gazette"]


def test_cms_admin_account_is_not_an_author() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "admin"}}
    body = '<p class="byline">By Tom Reed</p>'
    assert extract(page(ld=ld, body=body)) == (["Tom Reed"], {"authors": "byline"})


def test_metadata_author_credited_as_editor_gives_way_to_the_byline() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ann Poe"}}
    body = (
        '<div class="info"><div class="author-2">Tom Reed</div></div><article><p>Text.</p></article>'
        '<div class="info-author">Editor : <a class="author" href="/author/ann">Ann Poe</a></div>'
    )
    assert extract(page(ld=ld, body=body)) == (["Tom Reed"], {"authors": "byline"})


def test_editor_credit_is_not_read_as_the_byline() -> None:
    body = '<div class="info-author">Edited by <a class="author">Ann Poe</a></div><p class="byline">By Tom Reed</p>'
    assert extract(page(body=body)) == (["Tom Reed"], {"authors": "byline"})


def test_metadata_author_who_is_also_named_elsewhere_stays() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ann Poe"}}
    body = '<p class="byline">By Ann Poe</p><aside><p>More from Ann Poe and the desk</p></aside>'
    assert extract(page(ld=ld, body=body)) == (["Ann Poe"], {"authors": "json-ld"})


def test_json_ld_person_with_the_outlet_after_the_name() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe - Harbour Gazette"}}
    assert extract(page(ld=ld)) == (["Jane Doe"], {"authors": "json-ld"})


PROSE = "".join(
    f"<p>Paragraph {n} of the report gives the council's reasons, the figures, and what happens next.</p>"
    for n in range(1, 6)
)


def test_display_name_of_a_cms_account_is_not_an_author() -> None:
    account = "https://www.harbourgazette.example/author/admin/"
    html = page(
        body=f'<h1>Story</h1><p class="meta">by <span class="author vcard"><a href="{account}" rel="author">'
        f"Lindiwe Dube</a></span></p><article>{PROSE}</article>",
        ld={"@type": "NewsArticle", "author": {"@id": account, "name": "Lindiwe Dube"}},
    )
    assert extract(html)[0] == []


def test_bold_first_paragraph_naming_a_person_is_the_byline() -> None:
    html = page(body=f"<h1>Story</h1><article><p><strong>THANDI MOLEFE&nbsp;</strong></p>{PROSE}</article>")
    names, sources = extract(html)
    assert names == ["THANDI MOLEFE"] and sources["authors"] == "lead-line"


@pytest.mark.parametrize(
    "first",
    [
        "<p><strong>Key points</strong></p>",  # a lower-case word: a heading, not a name
        "<p><strong>WASHINGTON</strong></p>",  # one word: a dateline
        "<p>Jane Doe met the council on Monday.</p>",  # not bold: prose
    ],
)
def test_other_first_paragraphs_are_not_bylines(first: str) -> None:
    assert extract(page(body=f"<h1>Story</h1><article>{first}{PROSE}</article>"))[0] == []


def test_authors_of_an_article_described_inside_its_page_object() -> None:
    ld = {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Mira Holt"}}}
    assert extract(page(ld=ld)) == (["Mira Holt"], {"authors": "json-ld"})

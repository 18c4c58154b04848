"""Metadata through extract_page: the seed article exactly, --explain sources, small fields, failures."""

from __future__ import annotations

import json

import pytest

from pipelines.extraction.decode import decode_html
from pipelines.extraction.document import parse_document
from pipelines.extraction.extract import ExtractionError, extract_page
from pipelines.extraction.language import language
from pipelines.extraction.metadata import lead_image, section
from pipelines.extraction.sitenames import site_name
from tests.conftest import FIXTURES

SEED = FIXTURES / "seed-article"
EXACT_FIELDS = (
    "title",
    "authors",
    "published",
    "modified",
    "section",
    "site_name",
    "canonical_url",
    "lead_image",
    "language",
)


def test_seed_article_fields_are_exact() -> None:
    truth = json.loads((SEED / "truth.json").read_text(encoding="utf-8"))
    record = extract_page((SEED / "page.html").read_bytes(), truth["url"]).record.to_dict()
    assert {field: record[field] for field in EXACT_FIELDS} == {field: truth[field] for field in EXACT_FIELDS}


def test_seed_article_sources_explain_each_field() -> None:
    truth = json.loads((SEED / "truth.json").read_text(encoding="utf-8"))
    sources = extract_page((SEED / "page.html").read_bytes(), truth["url"]).sources
    assert sources["title"] == "h1+json-ld:headline"
    assert sources["authors"] == "json-ld"
    assert sources["published"] == "json-ld:datePublished"
    assert sources["modified"] == "json-ld:dateModified"
    assert sources["language"] == "html:lang"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<html lang="de-AT"><body></body></html>', "de"),
        ('<html><head><meta http-equiv="content-language" content="fr-FR"></head></html>', "fr"),
        ('<html><head><meta property="og:locale" content="pt_BR"></head></html>', "pt"),
        (
            '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "inLanguage": "it-IT"}</script></head></html>',
            "it",
        ),
        ('<html lang="{{ lang }}"><body></body></html>', None),
    ],
)
def test_language_sources(html: str, expected: str | None) -> None:
    assert language(parse_document(html, "https://x.example/")) == expected


def test_language_guessed_from_text_when_the_page_is_silent() -> None:
    english = (
        "<p>"
        + "The council said that the plan for the harbour was approved by the board on Monday. " * 3
        + "</p>"
    )
    german = (
        "<p>"
        + "Der Rat sagte, dass die Pläne für den Hafen nicht mit dem Vorstand abgestimmt sind. " * 3
        + "</p>"
    )
    korean = "<p>" + "한국어 기사 본문입니다 " * 10 + "</p>"
    polish = "<p>" + "Rada miasta przyjęła w poniedziałek nowy plan budowy portu i drogi. " * 3 + "</p>"
    sources: dict[str, str] = {}
    assert language(parse_document(f"<html><body>{english}</body></html>"), sources) == "en"
    assert sources == {"language": "guess"}
    assert language(parse_document(f"<html><body>{german}</body></html>")) == "de"
    assert language(parse_document(f"<html><body>{korean}</body></html>")) == "ko"
    assert language(parse_document(f"<html><body>{polish}</body></html>")) is None


def test_site_name_that_is_a_url_is_skipped() -> None:
    html = '<html><head><meta property="og:site_name" content="https://valley.example"><meta name="application-name" content="Valley Courier"></head></html>'
    assert site_name(parse_document(html)) == "Valley Courier"


def test_section_and_image_from_json_ld_and_site_name_from_publisher() -> None:
    ld = {
        "@type": "NewsArticle",
        "articleSection": ["Sport", "Local"],
        "image": [{"@type": "ImageObject", "url": "/img/a.jpg"}],
        "publisher": {"@type": "Organization", "name": "Valley Courier"},
    }
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body></body></html>'
    )
    doc = parse_document(html, "https://valley.example/sport/a")
    assert section(doc) == "Sport"
    assert lead_image(doc) == "https://valley.example/img/a.jpg"
    assert site_name(doc) == "Valley Courier"


def test_microdata_meta_is_read() -> None:
    html = (
        '<html><body><div itemscope itemtype="https://schema.org/NewsArticle">'
        '<meta itemprop="datePublished" content="2024-05-06T07:08:09Z"><h1 itemprop="headline">Quay works</h1>'
        "</div></body></html>"
    )
    record = extract_page(html, "https://x.example/a").record
    assert record.title == "Quay works"
    assert record.published is not None and record.published.isoformat() == "2024-05-06T07:08:09+00:00"


def test_utf8_page_declaring_latin1_is_not_mojibake() -> None:
    data = '<html><head><meta charset="iso-8859-1"><title>Grüße aus Köln</title></head></html>'.encode()
    assert decode_html(data)[0].endswith("<title>Grüße aus Köln</title></head></html>")
    assert decode_html("<p>Grüße</p>".encode("latin-1"), "iso-8859-1")[0] == "<p>Grüße</p>"


@pytest.mark.parametrize("data", [b"", b"   \n  "])
def test_unparseable_page_raises_with_a_one_line_reason(data: bytes) -> None:
    with pytest.raises(ExtractionError) as error:
        extract_page(data, "https://x.example/")
    assert str(error.value) and "\n" not in str(error.value)


def test_json_ld_nested_ids_are_indexed() -> None:
    ld = {
        "@graph": [
            {"@type": "WebPage", "@id": "#page", "author": {"@id": "#p", "@type": "Person", "name": "Ida"}}
        ]
    }
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head></html>'
    assert parse_document(html).ld_index["#p"]["name"] == "Ida"


def test_odd_json_ld_shapes_do_not_crash_and_lists_give_their_first_string() -> None:
    ld = {
        "@type": ["NewsArticle"],
        "headline": ["Quay works resume", "ignored"],
        "author": [1, None, {"@id": "#nobody"}, {"name": {"x": 1}}, "Ida Berg"],
        "datePublished": ["2024-01-02T03:04:05Z"],
        "image": [None, {"url": 5}],
    }
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body><h1></h1></body></html>'
    record = extract_page(html, "https://x.example/2024/02/30/").record
    assert record.title == "Quay works resume"
    assert record.authors == ["Ida Berg"]
    assert record.published is not None and record.published.isoformat() == "2024-01-02T03:04:05+00:00"

"""Published/modified dates: source precedence, fast ISO parsing, offsets, URL and visible datelines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pipelines.extraction.dates import modified, parse_iso, published
from pipelines.extraction.document import parse_document

CET = timezone(timedelta(hours=1))


def page(head: str = "", body: str = "", ld: object | None = None, lang: str = "en") -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return f'<html lang="{lang}"><head>{head}{script}</head><body>{body}</body></html>'


def dates(html: str, url: str = "https://news.example/story", overrides: dict[str, str] | None = None):
    doc = parse_document(html, url)
    sources: dict[str, str] = {}
    return published(doc, sources, overrides), modified(doc, sources), sources


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-11-22T08:12:00+01:00", datetime(2024, 11, 22, 8, 12, tzinfo=CET)),
        ("2024-11-22T08:12:00Z", datetime(2024, 11, 22, 8, 12, tzinfo=UTC)),
        ("2024-11-22 08:12:00 +0100", datetime(2024, 11, 22, 8, 12, tzinfo=CET)),
        ("2024/11/22", datetime(2024, 11, 22)),
        ("2024-11-22T08:12:00.000+0100", datetime(2024, 11, 22, 8, 12, tzinfo=CET)),
        ("1732259520", datetime(2024, 11, 22, 7, 12, tzinfo=UTC)),
        ("not a date", None),
    ],
)
def test_parse_iso(text: str, expected: datetime | None) -> None:
    assert parse_iso(text) == expected


def test_json_ld_beats_meta_and_modified_is_filled() -> None:
    ld = {
        "@type": "NewsArticle",
        "datePublished": "2024-03-01T10:00:00+01:00",
        "dateModified": "2024-03-02T09:00:00+01:00",
    }
    head = '<meta property="article:published_time" content="2024-02-28T10:00:00Z">'
    pub, mod, sources = dates(page(head, ld=ld))
    assert pub == datetime(2024, 3, 1, 10, tzinfo=CET)
    assert mod == datetime(2024, 3, 2, 9, tzinfo=CET)
    assert sources == {"published": "json-ld:datePublished", "modified": "json-ld:dateModified"}


def test_meta_then_time_element() -> None:
    head = '<meta name="parsely-pub-date" content="2023-07-04T12:00:00Z">'
    assert dates(page(head))[0] == datetime(2023, 7, 4, 12, tzinfo=UTC)
    body = '<header><time datetime="2020-01-01">today</time></header><article><time datetime="2023-07-04T12:00">x</time></article>'
    pub, _, sources = dates(page(body=body))
    assert pub == datetime(2023, 7, 4, 12, tzinfo=UTC)
    assert sources["published"] == "html:time"


def test_naive_time_takes_the_page_offset() -> None:
    head = (
        '<meta property="article:published_time" content="2024-06-01T23:30:00">'
        '<meta property="article:modified_time" content="2024-06-02T08:00:00+02:00">'
    )
    pub, _, _ = dates(page(head))
    assert pub == datetime(2024, 6, 1, 23, 30, tzinfo=timezone(timedelta(hours=2)))


def test_naive_time_without_any_offset_is_utc() -> None:
    assert dates(page('<meta name="date" content="2024-06-01">'))[0] == datetime(2024, 6, 1, tzinfo=UTC)


def test_url_date_pattern() -> None:
    pub, _, sources = dates(page(), "https://news.example/2024/11/22/harbour-story/")
    assert pub == datetime(2024, 11, 22, tzinfo=UTC)
    assert sources["published"] == "url"


def test_visible_dateline_numeric_day_first() -> None:
    body = '<p class="article-dateline">Erstellt: 05.01.2025, 15:23 Uhr</p>'
    assert dates(page(body=body, lang="de"))[0] == datetime(2025, 1, 5, 15, 23, tzinfo=UTC)


def test_visible_dateline_in_words_in_the_page_language() -> None:
    body = '<span class="post-date">12 mars 2024</span>'
    assert dates(page(body=body, lang="fr"))[0].date() == datetime(2024, 3, 12).date()


def test_published_override_selector() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2024-03-01T10:00:00Z"}
    body = '<div class="stamp" data-x="1">2024-02-01 08:00</div>'
    pub, _, sources = dates(page(ld=ld, body=body), overrides={"published": ".stamp"})
    assert pub == datetime(2024, 2, 1, 8, tzinfo=UTC)
    assert sources["published"] == "override"


def test_no_date_anywhere() -> None:
    assert dates(page(body="<p>Nothing here</p>"))[:2] == (None, None)


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("19 Nov 2019 05:44 GMT", "2019-11-19T05:44:00+00:00"),
        ("Fri Apr 28 19:20:36 CEST 2023", "2023-04-28T19:20:36+02:00"),
    ],
)
def test_structured_dates_in_english_forms_are_read(stated: str, expected: str) -> None:
    ld = {"@type": "NewsArticle", "headline": "H", "datePublished": stated, "dateModified": stated}
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body><p>x</p></body></html>'
    doc = parse_document(html, "https://paper.example/a/")
    assert published(doc, {}).isoformat() == expected
    assert modified(doc, {}).isoformat() == expected


def test_dates_of_an_article_described_inside_its_page_object() -> None:
    ld = {
        "@type": "WebPage",
        "mainEntity": {"@type": "NewsArticle", "headline": "H", "datePublished": "2025-11-03T08:00:00Z",
                       "dateModified": "2025-11-04T09:30:00Z"},
    }
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body><p>x</p></body></html>'
    doc = parse_document(html, "https://paper.example/a/")
    assert published(doc, {}).isoformat() == "2025-11-03T08:00:00+00:00"
    sources: dict[str, str] = {}
    assert modified(doc, sources).isoformat() == "2025-11-04T09:30:00+00:00"
    assert sources["modified"] == "json-ld:dateModified"

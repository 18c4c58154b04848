"""Published/modified dates: source precedence, fast ISO parsing, offsets, URL and visible datelines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pipelines.extraction.date_parse import find_dates
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


# --- candidates from every source, and the choice between them ------------------------------------------

FETCHED = datetime(2024, 12, 1, 12, 0, tzinfo=UTC)
PST = timezone(timedelta(hours=-8))


def chosen(html: str, url: str | None = None, fetched_at: datetime = FETCHED) -> tuple[datetime | None, str]:
    doc = parse_document(html, url)
    sources: dict[str, str] = {}
    return published(doc, sources, fetched_at=fetched_at), sources.get("published", "")


@pytest.mark.parametrize(
    ("lang", "line", "expected"),
    [
        ("de", "Veröffentlicht am 3. November 2023", "2023-11-03T00:00:00+00:00"),
        ("de", "Erstellt: 05.01.2024, 15:23 Uhr", "2024-01-05T15:23:00+00:00"),
        ("fr", "Publié le 12 mars 2020 à 14h05", "2020-03-12T14:05:00+00:00"),
        ("es", "Publicado el 5 de mayo de 2020", "2020-05-05T00:00:00+00:00"),
        ("en", "Published 4 Mar 2024, 18:20", "2024-03-04T18:20:00+00:00"),
        ("en", "By Ann Lee | November 8, 2023 at 10:35 p.m. PST", "2023-11-08T22:35:00-08:00"),
        ("en", "Posted 03/04/2024", "2024-03-04T00:00:00+00:00"),
        ("en-GB", "Posted 03/04/2024", "2024-04-03T00:00:00+00:00"),
    ],
)
def test_visible_dateline_under_the_headline_without_structured_data(lang: str, line: str, expected: str) -> None:
    body = f"<article><h1>Harbour reopens</h1><p>{line}</p><p>{'Ships came back. ' * 20}</p></article>"
    value, source = chosen(page(body=body, lang=lang))
    assert value is not None and value.isoformat() == expected
    assert source == "dateline"


def test_time_element_without_datetime_is_read_from_its_text() -> None:
    body = "<h1>Title</h1><div><time>12. März 2021</time></div>"
    assert chosen(page(body=body, lang="de")) == (datetime(2021, 3, 12, tzinfo=UTC), "html:time")


def test_cms_date_class_away_from_the_headline() -> None:
    body = "<div class='entry-date'>2019-07-07</div><p>Intro</p>"
    assert chosen(page(body=body)) == (datetime(2019, 7, 7, tzinfo=UTC), "dateline")


def test_url_path_date_when_nothing_else() -> None:
    assert chosen(page(body="<p>Text</p>"), "https://news.example/2021/09/30/story")[0] == datetime(
        2021, 9, 30, tzinfo=UTC
    )


def test_comment_timestamp_loses_to_the_byline_date() -> None:
    body = (
        "<article><h1>Council votes</h1><p class='byline'>By Ann Lee, 2 May 2022</p><p>Text.</p></article>"
        "<section id='comments'><div class='comment'><span class='comment-date'>1 May 2022</span>"
        "<p>First!</p></div></section>"
    )
    assert chosen(page(body=body)) == (datetime(2022, 5, 2, tzinfo=UTC), "dateline")


def test_teasers_sidebar_and_archive_widget_lose_to_the_dateline() -> None:
    teasers = "".join(
        f"<div class='card'><span class='date'>{day} June 2022</span><a href='/x{day}'>Other story</a></div>"
        for day in (1, 2, 3)
    )
    body = (
        "<div class='list'>" + teasers + "</div>"
        "<aside><ul class='archive'><li><span class='date'>30 June 2022</span></li></ul></aside>"
        "<main><h1>Title</h1><p>Text.</p><div class='meta'>20.06.2022</div><p>More.</p></main>"
    )
    assert chosen(page(body=body))[0] == datetime(2022, 6, 20, tzinfo=UTC)


def test_last_updated_stamp_is_the_modified_date_not_the_published_one() -> None:
    body = "<h1>Title</h1><p class='dateline'>Published 4 Mar 2024 | Updated 6 Mar 2024</p>"
    doc = parse_document(page(body=body))
    sources: dict[str, str] = {}
    assert published(doc, sources, fetched_at=FETCHED) == datetime(2024, 3, 4, tzinfo=UTC)
    assert modified(doc, sources, fetched_at=FETCHED) == datetime(2024, 3, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    "line",
    ["2 hours ago", "vor 3 Stunden", "il y a 5 minutes", "14:05", "Today, 09:12", "© 2024 News Example"],
)
def test_relative_time_only_or_copyright_strings_give_no_date(line: str) -> None:
    body = f"<h1>Title</h1><p class='date'>{line}</p><footer>Copyright 2023</footer>"
    assert chosen(page(body=body)) == (None, "")


def test_a_date_later_than_the_fetch_time_is_rejected_not_clamped() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2030-01-01T00:00:00Z"}
    body = "<h1>Title</h1><p class='date'>3 May 2024</p>"
    assert chosen(page(body=body, ld=ld)) == (datetime(2024, 5, 3, tzinfo=UTC), "dateline")
    assert chosen(page(ld=ld)) == (None, "")


def test_evening_article_in_utc_minus_8_keeps_its_day_and_offset() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2023-11-09T06:35:29+00:00"}
    body = '<h1>Title</h1><p>Posted: <time datetime="2023-11-08T22:35:29-08:00">Nov 8, 2023</time></p>'
    value, source = chosen(page(body=body, ld=ld))
    assert value is not None and value.isoformat() == "2023-11-08T22:35:29-08:00"
    assert source == "json-ld:datePublished"


def test_a_stated_offset_is_kept_never_converted_to_utc() -> None:
    head = '<meta property="article:published_time" content="2023-11-08T22:35:00-08:00">'
    value, _ = chosen(page(head))
    assert value == datetime(2023, 11, 8, 22, 35, tzinfo=PST)
    assert value is not None and value.isoformat() == "2023-11-08T22:35:00-08:00"


def test_utc_timestamp_shown_in_the_local_offset_the_page_prints() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2023-11-09T01:09:55Z"}
    body = '<h1>Title</h1><div class="time"><time datetime="2023-11-08 18:09:55">November 8, 2023</time></div>'
    value, _ = chosen(page(body=body, ld=ld))
    assert value is not None and value.isoformat() == "2023-11-08T18:09:55-07:00"


def test_date_without_zone_or_time_keeps_its_calendar_day() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2024-06-01"}
    value, _ = chosen(page(ld=ld), fetched_at=datetime(2024, 6, 1, 9, 0, tzinfo=PST))
    assert value is not None and value.date().isoformat() == "2024-06-01"


def test_generic_meta_date_loses_to_the_printed_dateline() -> None:
    head = '<meta name="date" content="2020-04-30">'
    body = "<h1>Title</h1><ul><li class='author'>Von A. B.</li><li class='date'><time>29.04.2020, 12:01 Uhr</time></li></ul>"
    assert chosen(page(head, body, lang="de"))[0] == datetime(2020, 4, 29, 12, 1, tzinfo=UTC)


def test_htmldate_is_the_last_resort() -> None:
    body = "<div><p>Some words about the harbour.</p><p>2019-07-07</p></div>"
    assert chosen(page(body=body)) == (datetime(2019, 7, 7, tzinfo=UTC), "htmldate")


def test_extract_page_lists_the_candidates_and_honours_the_fetch_time() -> None:
    from pipelines.extraction.extract import extract_page

    ld = {"@type": "NewsArticle", "headline": "H", "datePublished": "2024-05-03T10:00:00+02:00"}
    body = "<article><h1>H</h1><p class='date'>3 May 2024</p><p>" + "Text here. " * 30 + "</p></article>"
    extraction = extract_page(page(body=body, ld=ld), "https://news.example/a", fetched_at=FETCHED)
    assert extraction.record.published == datetime(2024, 5, 3, 10, tzinfo=timezone(timedelta(hours=2)))
    first = extraction.date_candidates[0]
    assert first["source"] == "json-ld:datePublished" and first["chosen"] is True
    assert first["recorded"] == "2024-05-03T10:00:00+02:00"
    assert {"value", "kind", "source", "where", "score"} <= first.keys()
    assert any(c["source"] == "dateline" for c in extraction.date_candidates)
    early = extract_page(page(body=body, ld=ld), fetched_at=datetime(2024, 5, 2, tzinfo=UTC))
    assert early.record.published is None


def test_on_a_tie_between_meta_names_the_more_specific_one_wins() -> None:
    head = (
        '<meta itemprop="datePublished" content="2020-02-19">'
        '<meta property="article:published_time" content="2017-04-12T18:33:59+02:00">'
    )
    assert chosen(page(head)) == (
        datetime(2017, 4, 12, 18, 33, 59, tzinfo=timezone(timedelta(hours=2))),
        "meta:article:published_time",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veröffentlicht am 3. November 2023", "2023-11-03T00:00:00"),
        ("le 12 mars 2020 à 14h05", "2020-03-12T14:05:00"),
        ("Published 4 Mar 2024, 18:20", "2024-03-04T18:20:00"),
        ("Nov. 8, 2023 / 10:35 PM PST", "2023-11-08T22:35:00-08:00"),
        ("Thursday, November 9th 2023", "2023-11-09T00:00:00"),
        ("5 de mayo de 2020", "2020-05-05T00:00:00"),
        ("13 Haziran 2020", "2020-06-13T00:00:00"),
        ("13. června 2020", "2020-06-13T00:00:00"),
        ("13 июня 2020", "2020-06-13T00:00:00"),
        ("2019年6月24日", "2019-06-24T00:00:00"),
        ("26 | 01 | 2022", "2022-01-26T00:00:00"),
        ("von A. B., 8.5.12", "2012-05-08T00:00:00"),
        ("Stand: 28.04.2020 18:00 Uhr", "2020-04-28T18:00:00"),
    ],
)
def test_printed_dates_in_several_languages(text: str, expected: str) -> None:
    assert [found.value.isoformat() for found in find_dates(text)] == [expected]


@pytest.mark.parametrize("text", ["2 hours ago", "gestern, 14:05", "v1.2.12", "May 2024", "© 2023", "12:30"])
def test_no_full_date_in_the_string_gives_nothing(text: str) -> None:
    assert find_dates(text) == []


def test_a_local_day_ahead_of_utc_is_not_taken_for_a_future_date() -> None:
    # Fetched at 20:00 UTC on 31 May: in UTC+9 it is already 1 June, and the page prints that day.
    body = "<h1>Title</h1><p class='date'>1 June 2024</p>"
    fetched = datetime(2024, 5, 31, 20, 0, tzinfo=UTC)
    assert chosen(page(body=body), fetched_at=fetched)[0] == datetime(2024, 6, 1, tzinfo=UTC)
    assert chosen(page(body=body), fetched_at=datetime(2024, 5, 30, 20, 0, tzinfo=UTC)) == (None, "")


def test_microdata_of_a_teaser_loses_to_the_article_microdata() -> None:
    body = (
        "<div class='related'><div itemscope itemtype='https://schema.org/NewsArticle'>"
        "<meta itemprop='datePublished' content='2021-01-02'><a href='/other'>Other story</a></div></div>"
        "<article itemscope itemtype='https://schema.org/NewsArticle'><h1>Title</h1>"
        "<meta itemprop='datePublished' content='2021-03-04T08:00:00+01:00'><p>Text.</p></article>"
    )
    assert chosen(page(body=body)) == (datetime(2021, 3, 4, 8, tzinfo=CET), "itemprop:datePublished")


def test_the_headline_is_the_h1_the_page_title_repeats_not_the_logo() -> None:
    head = "<title>Harbour reopens after storm | Daily Example</title>"
    body = (
        "<header><h1>Daily Example</h1><ul class='menu'><li>Today 3 June 2022</li></ul></header>"
        + "<div><p>x</p></div>" * 130
        + "<div class='story'><h1>Harbour reopens after storm</h1><p>21-Apr-2022, by Ann Lee</p></div>"
    )
    assert chosen(page(head, body))[0] == datetime(2022, 4, 21, tzinfo=UTC)


def test_a_time_range_is_not_an_utc_offset() -> None:
    assert [f.value.isoformat() for f in find_dates("19.01.2023, 10:00 - 11:30 Uhr")] == ["2023-01-19T10:00:00"]

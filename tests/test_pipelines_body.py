"""Body extraction on hand-written pages of different shapes (tests/fixtures/pages) and on small snippets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extraction.body import extract_body
from pipelines.extraction.document import parse_document
from pipelines.extraction.extract import extract_page
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*/*.html"))


def _expected(page: Path) -> dict:
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.fixture(params=PAGES, ids=lambda page: f"{page.parent.name}/{page.stem}")
def page_case(request: pytest.FixtureRequest) -> tuple[str, dict]:
    page: Path = request.param
    expected = _expected(page)
    body = extract_page(page.read_bytes(), expected["url"]).record.body
    return body, expected


def test_there_are_fixture_pages() -> None:
    assert len(PAGES) >= 4


def test_body_paragraphs_exact(page_case: tuple[str, dict]) -> None:
    body, expected = page_case
    if "body_paragraphs" not in expected:
        pytest.skip("this page's expectations give no exact paragraph list")
    assert body.split("\n") == expected["body_paragraphs"]


def test_body_must_contain(page_case: tuple[str, dict]) -> None:
    body, expected = page_case
    for text in expected.get("body_must_contain", []):
        assert text in body


def test_body_must_not_contain(page_case: tuple[str, dict]) -> None:
    body, expected = page_case
    for text in expected.get("body_must_not_contain", []):
        assert text not in body, f"boilerplate {text!r} leaked into the body"


def _body(html: str, **kwargs: object) -> str:
    return extract_body(parse_document(html, "https://news.example/a/story"), **kwargs)


PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story carries enough words, commas, and detail to count as real article prose.</p>"
    for n in range(1, 5)
)


def test_empty_page_gives_empty_body() -> None:
    assert _body("<html><body><nav><a href='/'>Home</a></nav></body></html>") == ""


def test_headline_is_not_part_of_the_body() -> None:
    html = f"<html><body><article><h1>Big Story</h1><h2>Big Story</h2>{PARAGRAPHS}</article></body></html>"
    body = _body(html, title="Big Story")
    assert "Big Story" not in body
    assert body.count("\n") == 3


def test_inline_text_is_joined_with_single_spaces() -> None:
    html = f"<html><body><article>{PARAGRAPHS}<p>Split  <em>across</em>\n  inline <b>tags</b> and, of course, enough words to be prose.</p></article></body></html>"
    assert _body(html).endswith("Split across inline tags and, of course, enough words to be prose.")


@pytest.mark.parametrize(
    "promo",
    [
        "Read more: <a href='/x'>Another story</a>",
        "READ MORE: <a href='/x'>Another story</a>",
        "Lire aussi : <a href='/x'>Un autre article</a>",
        "Leia também: <a href='/x'>Outra notícia</a>",
        "Lee también: <a href='/x'>Otra noticia</a>",
        "Читайте также: <a href='/x'>Другая новость</a>",
    ],
)
def test_inline_promotions_are_dropped(promo: str) -> None:
    html = f"<html><body><article>{PARAGRAPHS}<p>{promo}</p></article></body></html>"
    body = _body(html)
    assert "Paragraph 4" in body
    assert "<a" not in body and promo.split("<a")[0].strip() not in body


def test_date_and_reading_time_lines_are_dropped() -> None:
    html = f"<html><body><article><p>Updated 5 March 2024, 10:42 GMT</p><p>4 min read</p>{PARAGRAPHS}</article></body></html>"
    body = _body(html)
    assert "2024" not in body and "min read" not in body


def test_override_selector_sets_the_content_root() -> None:
    html = (
        "<html><body><div class='story'><p>Only this short paragraph is wanted here.</p></div>"
        f"<div class='other'>{PARAGRAPHS}</div></body></html>"
    )
    assert _body(html, overrides={"body": "div.story"}) == "Only this short paragraph is wanted here."


def test_override_selector_that_matches_nothing_falls_back() -> None:
    html = f"<html><body><article>{PARAGRAPHS}</article></body></html>"
    assert _body(html, overrides={"body": "div.missing"}).startswith("Paragraph 1")


def test_wrapper_named_like_a_sidebar_does_not_hide_the_article() -> None:
    html = (
        f"<html><body><div class='container with-sidebar'><article>{PARAGRAPHS}</article></div></body></html>"
    )
    assert _body(html).count("Paragraph") == 4


def test_script_rendered_page_falls_back_to_json_ld_article_body() -> None:
    article_body = "First paragraph of the story, long enough to matter here.\n" * 6
    html = (
        '<html><head><script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "articleBody": article_body})
        + '</script></head><body><div id="app"><p>Loading…</p></div></body></html>'
    )
    assert _body(html).split("\n") == ["First paragraph of the story, long enough to matter here."] * 6


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("By Jane Doe", False),
        ("Von der Leyen kritisiert die Pläne der Kommission scharf", True),
        ("We use cookies to give you the best experience on our website.", False),
        ("The bakery sold ten thousand cookies on Sunday, a record for the town.", True),
        ("Natalie Example | Bloomberg | Getty Images", False),
        ("Shutterstock shares fell five percent on Tuesday after the report.", True),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", False),
        ("Tags:", False),
    ],
)
def test_short_furniture_lines(line: str, kept: bool) -> None:
    html = f"<html><body><article>{PARAGRAPHS}<p>{line}</p></article></body></html>"
    assert (line in _body(html)) is kept


def test_short_article_inside_a_wrapper_with_a_weak_furniture_name() -> None:
    html = (
        "<html><body><div class='rail-layout'><article>"
        "<p>A short brief of two sentences, with commas, about the council vote on Tuesday.</p>"
        "<p>The motion passed by nine votes to four and takes effect next month.</p>"
        "</article></div></body></html>"
    )
    assert _body(html).count("\n") == 1


@pytest.mark.parametrize("byline", ["<p><b>JANE DOE</b></p>", "<p>By Jane Doe and John Roe</p>"])
def test_a_leading_line_naming_only_the_authors_is_not_body(byline: str) -> None:
    html = f"<html><body><article><h1>Story</h1>{byline}{PARAGRAPHS}</article></body></html>"
    body = _body(html, authors=["Jane Doe", "John Roe"] if "Roe" in byline else ["Jane Doe"])
    assert body.splitlines()[0].startswith("Paragraph 1") and "Jane Doe" not in body


def test_a_paragraph_that_mentions_the_author_stays() -> None:
    html = f"<html><body><article><h1>Story</h1><p>Jane Doe reported from the harbour.</p>{PARAGRAPHS}</article></body></html>"
    assert _body(html, authors=["Jane Doe"]).startswith("Jane Doe reported from the harbour.")


@pytest.mark.parametrize(
    ("inline", "expected"),
    [
        ('the plans i<a href="/x">n</a> their first speech, and more', "the plans in their first speech, and more"),
        ('the year.<span class="br"></span>The next', "the year. The next"),
        ("<span>The council met</span><span>Votes follow</span>", "The council met Votes follow"),
        ("<table><tr><td>Ticker</td><td>Last</td></tr></table>", "Ticker Last"),
        ("地震が<b>あった</b>。", "地震があった。"),
        ("super<wbr>califragilistic", "supercalifragilistic"),
    ],
)
def test_inline_runs_join_as_the_page_reads(inline: str, expected: str) -> None:
    html = f"<html><body><article><div>{inline}</div>{PARAGRAPHS}</article></body></html>"
    assert expected in _body(html).splitlines()


def test_a_script_rendered_page_gives_the_article_markup_its_script_carries() -> None:
    story = "".join(f"<p>Streamed paragraph {n} explains the council vote, its cost, and the next steps.</p>" for n in range(4))
    chunk = json.dumps(f"<div>{story}<p>$$ARTICLEAD$$</p><p>Jane Doe, reporter jane@paper.example</p></div>")
    state = json.dumps({"article": {"html": f"<section>{story}</section>"}})
    html = (
        "<html><body><div id='root'><h1>Vote</h1></div>"
        f"<script>self.__next_f.push([1,{chunk}])</script><script>window.__STATE__ = {state};</script></body></html>"
    )
    lines = _body(html).splitlines()
    assert lines == [f"Streamed paragraph {n} explains the council vote, its cost, and the next steps." for n in range(4)]


def test_a_page_with_its_own_text_ignores_markup_in_scripts() -> None:
    script = json.dumps("<p>Injected teaser one about something else.</p><p>Injected teaser two.</p>" * 20)
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}</article><script>var t = {script};</script></body></html>"
    assert "Injected" not in _body(html)


@pytest.mark.parametrize(
    "notice",
    ["この記事は会員限定です。", "This article is only available to subscribers.", "Dieser Artikel ist nur für Abonnenten."],
)
def test_a_paywall_notice_ends_the_body(notice: str) -> None:
    html = (
        f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<div><p>{notice}</p><p>Register for free and read "
        "every members' article, newsletters included, with the first two months at no cost.</p></div>"
        "</article></body></html>"
    )
    body = _body(html)
    assert body.splitlines()[-1].startswith("Paragraph 4") and "Register" not in body


@pytest.mark.parametrize(
    "date_line",
    ["2025年1月14日 20:00", "1月13日", "Veröffentlichung: 2. Februar 2022", "Erstellt: 28.04.2023, 18:16 Uhr",
     "Publicerad 23 okt 2025 kl 10.23 Uppdaterad kl 12.17", "Publiziert 17. Dezember 2024, 12:17",
     "Sat 13 Jun 2026 18.30 UTC+05:00"],
)
def test_date_lines_in_many_languages_are_not_body(date_line: str) -> None:
    html = f"<html><body><article><h1>Story</h1><p>{date_line}</p>{PARAGRAPHS}</article></body></html>"
    assert date_line not in _body(html)


@pytest.mark.parametrize(
    ("inline", "expected"),
    [
        ("the <a href='/g/it'>IT</a>-Sicherheit of cars", "the IT-Sicherheit of cars"),
        ("a <b>Radon</b>-Messung in the ground", "a Radon-Messung in the ground"),
        ("the Bundes-<a href='/x'>Liga</a> table", "the Bundes-Liga table"),
    ],
)
def test_a_compound_split_by_a_link_stays_one_word(inline: str, expected: str) -> None:
    html = f"<html><body><article>{PARAGRAPHS}<p>This sentence names {inline}, and it has enough words.</p></article></body></html>"
    assert f"This sentence names {expected}, and it has enough words." in _body(html).splitlines()


SECTION = (
    "<section class='block'><div class='wrap'><h3>Part {n}</h3><div class='row'><div class='text'>"
    "<p>Section {n} opens with a sentence long enough, with commas, to read as article prose here.</p>"
    "<p>Section {n} goes on with a second sentence, just as long, so that the block carries weight.</p>"
    "</div></div></div></section>"
)


def test_an_article_split_into_sections_with_headings_is_read_whole() -> None:
    blocks = "".join(SECTION.format(n=n) for n in range(1, 4))
    html = (
        f"<html><body><div class='page'><div class='blocks'>{blocks}</div>"
        "<div class='more'><a href='/a'>Other story one</a> <a href='/b'>Other story two</a></div></div></body></html>"
    )
    body = _body(html)
    assert [line.split(",")[0] for line in body.splitlines()] == [
        line
        for n in range(1, 4)
        for line in (f"Part {n}", f"Section {n} opens with a sentence long enough", f"Section {n} goes on with a second sentence")
    ]
    assert "Other story" not in body


HEADER_LEAD = (
    "<html><body><div class='page'><header class='page-header'><h1>Council backs the plan</h1>"
    "<p class='{cls}'>The council backed the plan on Monday, ending a year of debate over its cost.</p>"
    "<p class='dateline'>5 March 2024</p></header>"
    "<div class='layout'><div class='columns'><div class='main-column'>"
    f"<div class='text'>{PARAGRAPHS}</div></div></div></div></div></body></html>"
)


def test_a_lead_in_the_article_header_above_the_body_is_read() -> None:
    body = _body(HEADER_LEAD.format(cls="a-lead"), title="Council backs the plan")
    assert body.splitlines()[0] == "The council backed the plan on Monday, ending a year of debate over its cost."
    assert "Council backs" not in body and "2024" not in body


def test_a_paragraph_in_the_article_header_without_a_lead_name_is_not_read() -> None:
    body = _body(HEADER_LEAD.format(cls="note"), title="Council backs the plan")
    assert body.splitlines()[0].startswith("Paragraph 1")


def test_an_unclosed_menu_swallowing_the_page_does_not_hide_the_article() -> None:
    html = (
        "<html><body><nav class='menu'><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a>"
        f"<div class='sub'><article><h1>Story</h1>{PARAGRAPHS}</article></div></li></ul></nav></body></html>"
    )
    assert _body(html).count("Paragraph") == 4


@pytest.mark.parametrize(
    "heading",
    [
        "<h3>Ähnliche Beiträge</h3>",
        "<h2>NOTAS RELACIONADAS</h2>",
        "<p><strong>Zum Weiterlesen:</strong></p>",
        "<h2>Weitere Informationen</h2>",
        "<p>Explore further</p>",
        "<div>Externer Inhalt</div>",
        "<div>Meistdiskutierte Artikel</div>",
    ],
)
def test_headings_of_boxes_pointing_away_from_the_story_are_dropped(heading: str) -> None:
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}{heading}<p>Closing paragraph of the story, long enough to be prose.</p></article></body></html>"
    lines = _body(html).splitlines()
    assert lines[-1] == "Closing paragraph of the story, long enough to be prose." and len(lines) == 5


@pytest.mark.parametrize(
    "cta",
    [
        "For the latest stories and breaking news updates download the Paper apps for iOS and Android.",
        "Get the latest news straight to your phone with the Paper app.",
        "Lust auf mehr? Lass dir die besten Storys jede Woche in deinen Posteingang liefern.",
        "We want to hear what you think about this article. Submit a letter to the editor.",
        "Sie möchten mehr? Schauen Sie mal in unseren Musiknewsletter!",
        "Check out more of our travel stories by signing up to our free weekly email.",
    ],
)
def test_a_closing_call_to_action_is_not_body(cta: str) -> None:
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<p>{cta}</p></article></body></html>"
    assert _body(html).splitlines()[-1].startswith("Paragraph 4")


def test_a_closing_quote_naming_an_app_stays() -> None:
    quote = "“You will get the app on your phone next year,” the minister said."
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<p>{quote}</p></article></body></html>"
    assert _body(html).splitlines()[-1] == quote


def test_a_call_to_action_early_in_the_story_stays() -> None:
    line = "The council wants you to download its new app, which lists every bin collection."
    html = f"<html><body><article><h1>Story</h1><p>{line}</p>{PARAGRAPHS}</article></body></html>"
    assert _body(html).splitlines()[0] == line


def test_a_subscription_notice_cuts_the_paywalled_rest() -> None:
    notice = "To view the full story, please subscribe to The Paper. You can choose an annual or a monthly plan."
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<p>{notice}</p><p>When you join, you get unlimited access to all our journalism.</p></article></body></html>"
    assert _body(html).splitlines()[-1].startswith("Paragraph 4")


def test_article_text_in_a_noscript_block_is_read() -> None:
    html = (
        "<html><body><article><h1>Story</h1><div class='post-body'><script>render()</script>"
        f"<noscript>{PARAGRAPHS}</noscript></div></article>"
        "<noscript><img src='/pixel.gif'>Please enable JavaScript.</noscript></body></html>"
    )
    body = _body(html)
    assert body.count("Paragraph") == 4 and "enable JavaScript" not in body


def test_on_an_endless_scroll_page_the_story_the_title_names_is_read() -> None:
    def story(n: int, headline: str, paragraphs: int) -> str:
        text = "".join(
            f"<p>Story {n} paragraph {k} has words, commas, and detail enough to count as real prose here.</p>"
            for k in range(paragraphs)
        )
        return f"<article id='article-{n}'><header><h1>{headline}</h1></header><div class='entry-text'>{text}</div></article>"

    html = (
        "<html><head><title>Paper | Council backs the harbour plan</title></head><body><div class='scroll'>"
        + story(0, "Council backs the harbour plan", 3)
        + story(1, "Storm closes the coast road", 8)
        + "</div></body></html>"
    )
    body = _body(html)
    assert body.splitlines()[0].startswith("Story 0 paragraph 0") and "Story 1" not in body


def test_a_subheading_anchor_named_after_its_words_is_not_a_furniture_hint() -> None:
    heading = "<h3 id='what-most-readers-want-to-know-first'>What most readers want to know first</h3>"
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}{heading}<p>Closing paragraph of the story, long enough to be prose.</p></article></body></html>"
    assert "What most readers want to know first" in _body(html).splitlines()


def test_a_share_named_wrapper_holding_a_fifth_of_the_page_is_not_furniture() -> None:
    story = "".join(
        f"<p>Story paragraph {n} tells what happened, to whom, and why it matters to the town and its people.</p>"
        for n in range(22)
    )  # about 2,200 characters
    menu = "".join(f"<li><a href='/s/{n}'>Section link number {n:03d} of the site menu</a></li>" for n in range(200))
    html = (
        f"<html><body><nav><ul>{menu}</ul></nav><main><h1>Story</h1>"
        f"<div class='article-sharing-container'>{story}</div></main></body></html>"
    )
    assert _body(html).count("Story paragraph") == 22


def test_the_kicker_in_a_headline_group_is_not_body() -> None:
    html = (
        "<html><body><article><hgroup><div><span>Parliament row</span></div><h1>Story</h1></hgroup>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    body = _body(html, title="Story")
    assert "Parliament row" not in body and body.startswith("Paragraph 1")


@pytest.mark.parametrize(
    "bio",
    [
        "Jane Doe is the founder of a marketing consultancy that helps small businesses tell their stories.",
        "Inga Buller ist Head of Social & Community bei der Zeitung.",
    ],
)
def test_an_author_bio_closing_the_page_is_not_body(bio: str) -> None:
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<p>Über die Autorin:</p><p><em>{bio}</em></p></article></body></html>"
    assert _body(html).splitlines()[-1].startswith("Paragraph 4")


def test_a_closing_sentence_about_a_person_in_the_story_stays() -> None:
    line = "The mayor said the harbour would reopen in May, after the repairs."
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<p>{line}</p></article></body></html>"
    assert _body(html).splitlines()[-1] == line


def test_a_tiny_box_named_content_does_not_outscore_the_article() -> None:
    words = " ".join(["The club met on the pier and the new boards were tested in strong wind"] * 3)
    html = (
        "<html><body><div class='top'><div class='content'><p>Short box text of thirty-five chars</p></div></div>"
        f"<div class='wrap'><div class='textarea'><p>{words} first.</p><p>{words} second.</p></div></div></body></html>"
    )
    body = _body(html)
    assert body.endswith("second.") and "Short box" not in body


@pytest.mark.parametrize(
    "line",
    [
        "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)",
        "Kommentare schreiben",
        "Sie sind aktuell nicht eingeloggt.",
        "Möchten Sie den Artikel teilen?",
        "Permalien https://p.example/p/RPYx",
        "Temas",
        "Kontakt:",
        "This post contains references to products from our advertisers. We may receive compensation when you click on links.",
        "Die mit Sternchen (*) gekennzeichneten Links sind Affiliate-Links.",
        "Erstellt am Dienstag 6. Mai 2014 um 23:30 und abgelegt unter Linux, Tutorials",
        "News date : 04/21/2022 Category : Press Releases",
        "Aufrufe: 1120 | Hinzugefügt von: Posh | Rating: 0.0 / 0",
        "(Alle Angaben ohne Gewähr)",
        "Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.",
        "Warning: Creating default object from empty value in /www/wp-includes/classes.php on line 276",
        "Beitragsbild: Titelseite der Zeitung vom 2.4.2019",
        "SUGGESTED CITATION Doe, Jane: A title, Blog, 2020/4/09",
    ],
)
def test_comment_share_contact_and_disclosure_lines_are_not_body(line: str) -> None:
    html = f"<html><body><article><h1>Story</h1>{PARAGRAPHS}<p>{line}</p><p>Closing paragraph of the story, long enough to be prose.</p></article></body></html>"
    lines = _body(html).splitlines()
    assert line not in lines and len(lines) == 5


def test_ruby_readings_over_words_are_dropped_and_bracketed_glosses_stay() -> None:
    html = (
        "<html><body><article><h1>Story</h1>"
        "<p><ruby>子<rt>こ</rt></ruby>どもの<ruby>学校<rt>がっこう</rt></ruby>が、あしたから<ruby>休<rt>やす</rt></ruby>みになります。</p>"
        "<p><ruby><rb>尹錫悦</rb><rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>大統領は３日夜、緊急談話を出した。</p>"
        "</article></body></html>"
    )
    assert _body(html).splitlines() == [
        "子どもの学校が、あしたから休みになります。",
        "尹錫悦（ユンソンニョル）大統領は３日夜、緊急談話を出した。",
    ]


NAV = "".join(f"<li><a href='/s{n}'>Section number {n} of the site</a></li>" for n in range(40))


def test_a_furniture_name_on_a_wrapper_of_main_is_a_layout_name() -> None:
    box = "".join(f"<p>Teaser {n} of another page, with words, commas, and enough detail to read as prose.</p>" for n in range(3))
    html = (
        f"<html><body><div class='box'>{box}</div><div class='page-wrapper' id='left-navigation-wrapper'>"
        f"<ul>{NAV}</ul><main><h1>Story</h1>{PARAGRAPHS}</main></div></body></html>"
    )
    assert _body(html).splitlines()[0].startswith("Paragraph 1")


def test_a_furniture_name_on_the_wrapper_of_most_of_the_article_is_a_layout_name() -> None:
    html = (
        f"<html><body><ul>{NAV}</ul><main><article><h1>Story</h1><div class='intro'>Short lead.</div>"
        f"<div class='sharingContainer'>{PARAGRAPHS}</div></article></main><footer><ul>{NAV}</ul></footer></body></html>"
    )
    lines = _body(html).splitlines()
    assert lines[-1].startswith("Paragraph 4") and len(lines) >= 4


def test_a_live_ticker_named_comments_holding_the_whole_article_is_read() -> None:
    items = "".join(
        f"<div class='live-comment'><p>Minute {n}: the home side pressed high, won the ball, and shot just wide of the post.</p></div>"
        for n in range(1, 6)
    )
    html = (
        f"<html><body><ul>{NAV}</ul><main><article><h1>Live</h1><div class='live-comments'>{items}</div>"
        f"</article></main><footer><ul>{NAV}</ul></footer></body></html>"
    )
    lines = _body(html).splitlines()
    assert lines[0].startswith("Minute 1:") and lines[-1].startswith("Minute 5:")


def test_a_furniture_name_on_the_wrapper_of_every_paragraph_is_a_layout_name() -> None:
    blocks = "".join(
        f"<div class='builder-widget-wrap'><p>Paragraph {n} of the story carries enough words, commas, and detail.</p></div>"
        for n in range(1, 5)
    )
    html = f"<html><body><ul>{NAV}</ul><div class='page'>{blocks}</div><ul>{NAV}</ul></body></html>"
    lines = _body(html).splitlines()
    assert lines[0].startswith("Paragraph 1") and lines[-1].startswith("Paragraph 4")


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Die „<a href='/m'>Toilet Map</a>„, die erste App der Stadt", "Die „Toilet Map„, die erste App der Stadt"),
        ("said on the programme \"<em>Trading Nation</em>\" on Monday", 'said on the programme "Trading Nation" on Monday'),
        ("Ein Interview über „<a href='/k'>Intelligenz (KI)</a>“ geführt", "Ein Interview über „Intelligenz (KI)“ geführt"),
        ("the <span>“</span>best<span>”</span> plan", "the “best” plan"),
    ],
)
def test_a_quote_mark_next_to_an_inline_element_stays_glued_to_its_word(paragraph: str, expected: str) -> None:
    html = f"<html><body><article><h1>Story</h1><p>{paragraph}, with enough words to be prose.</p>{PARAGRAPHS}</article></body></html>"
    assert _body(html).splitlines()[0] == f"{expected}, with enough words to be prose."


def test_a_furniture_name_on_every_paragraph_itself_is_a_layout_name() -> None:
    paragraphs = "".join(
        f"<p class='tag-text'>Paragraph {n} of the story carries enough words, commas, and detail.</p>" for n in range(1, 5)
    )
    html = f"<html><body><ul>{NAV}</ul><main><div>{paragraphs}</div></main><ul>{NAV}</ul></body></html>"
    lines = _body(html).splitlines()
    assert lines[0].startswith("Paragraph 1") and lines[-1].startswith("Paragraph 4")


def test_a_lead_repeating_the_meta_description_with_other_quote_marks_is_read() -> None:
    lead = "It’s the council’s plan: backed on Monday after a year of “debate” over its cost."
    description = lead.replace("’", "'").replace("“", '"').replace("”", '"')
    html = (
        f"<html><head><meta name='description' content='{description.replace(chr(39), '&#39;')}'></head><body>"
        f"<div><h1>Council backs the plan</h1><div class='box'><p>{lead}</p></div>"
        f"<div class='text'>{PARAGRAPHS * 3}</div></div></body></html>"
    )
    assert _body(html, title="Council backs the plan").splitlines()[0] == lead

"""Headline reconciliation: JSON-LD headline, og:title, <title> and the visible h1, without site affixes."""

from __future__ import annotations

import json

import pytest

from pipelines.extraction.document import parse_document
from pipelines.extraction.titles import strip_site_affixes, title


def page(
    head: str = "", body: str = "", ld: dict | None = None, url: str = "https://news.example/a/story"
) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return f"<html><head>{head}{script}</head><body>{body}</body></html>"


def extract_title(html: str, url: str = "https://news.example/a/story") -> tuple[str | None, dict[str, str]]:
    sources: dict[str, str] = {}
    return title(parse_document(html, url), sources), sources


def test_site_suffix_is_stripped_using_og_site_name() -> None:
    html = page(
        '<meta property="og:site_name" content="Harbour Gazette"><title>Ferry fares rise | Harbour Gazette</title>'
    )
    assert extract_title(html)[0] == "Ferry fares rise"


def test_site_prefix_and_dash_suffix_are_stripped() -> None:
    doc = parse_document(
        page('<meta property="og:site_name" content="Harbour Gazette">'), "https://hg.example/x"
    )
    assert strip_site_affixes("Harbour Gazette: Ferry fares rise", doc) == "Ferry fares rise"
    assert strip_site_affixes("Ferry fares rise - Harbour Gazette", doc) == "Ferry fares rise"
    assert (
        strip_site_affixes("Ferry fares rise – Politics | Harbour Gazette", doc)
        == "Ferry fares rise – Politics"
    )


def test_site_name_from_host_when_no_meta() -> None:
    html = page("<title>Council approves budget - Riverton Post</title>")
    assert extract_title(html, "https://www.rivertonpost.example/news/1")[0] == "Council approves budget"


def test_a_dash_inside_the_headline_is_kept() -> None:
    html = page(
        '<meta property="og:site_name" content="Harbour Gazette">'
        '<meta property="og:title" content="Mayor - and council - agree on plan">'
    )
    assert extract_title(html)[0] == "Mayor - and council - agree on plan"


def test_json_ld_headline_wins_over_og_title() -> None:
    ld = {"@type": "NewsArticle", "headline": "Bridge reopens after repairs"}
    html = page('<meta property="og:title" content="Drivers cheer as bridge reopens">', ld=ld)
    assert extract_title(html) == ("Bridge reopens after repairs", {"title": "json-ld:headline"})


def test_h1_agreeing_with_metadata_is_recorded_as_both() -> None:
    ld = {"@type": "NewsArticle", "headline": "Bridge reopens after repairs"}
    html = page(ld=ld, body="<article><h1>Bridge  reopens after repairs</h1></article>")
    assert extract_title(html) == ("Bridge reopens after repairs", {"title": "h1+json-ld:headline"})


def test_truncated_json_ld_headline_is_completed_from_h1() -> None:
    ld = {"@type": "NewsArticle", "headline": "A very long headline about the harbour…"}
    html = page(ld=ld, body="<h1>A very long headline about the harbour expansion plans</h1>")
    assert extract_title(html)[0] == "A very long headline about the harbour expansion plans"


def test_h1_holding_the_site_logo_is_skipped() -> None:
    html = page(
        '<meta property="og:site_name" content="Harbour Gazette">',
        body="<header><h1>Harbour Gazette</h1></header><main><h1>Storm closes port</h1></main>",
    )
    assert extract_title(html)[0] == "Storm closes port"


def test_entities_and_soft_hyphens_are_cleaned() -> None:
    ld = {"@type": "NewsArticle", "headline": "Coach: &quot;We stay&quot; after Ver\u00adlängerung"}
    assert extract_title(page(ld=ld))[0] == 'Coach: "We stay" after Verlängerung'


def test_title_tag_when_nothing_else() -> None:
    assert extract_title(page("<title>Only a title</title>")) == ("Only a title", {"title": "title"})


def test_headline_shared_behind_different_kickers() -> None:
    head = '<meta property="og:title" content="Storm season: Harbour walls to be raised by two metres">'
    body = "<h1><span>Coastal defence</span> - Harbour walls to be raised by two metres</h1>"
    assert extract_title(page(head, body))[0] == "Harbour walls to be raised by two metres"


def test_kicker_in_metadata_alone_is_kept() -> None:
    ld = {"@type": "NewsArticle", "headline": "Storm season: Harbour walls to be raised"}
    body = "<h1>Harbour walls to be raised</h1>"
    assert extract_title(page(ld=ld, body=body))[0] == "Storm season: Harbour walls to be raised"


BREADCRUMB_H1 = '<nav class="breadcrumb"><a href="/">Home</a><h1>Storm season: Port closes early</h1></nav>'
SEO_LD = {"@type": "NewsArticle", "headline": "Storm season: Port closes early"}


@pytest.mark.parametrize(
    "trail",
    [
        BREADCRUMB_H1,
        '<div class="article-header__crumb"><a href="/port">Port</a><h1>Storm season: Port closes early</h1></div>',
        '<ol role="navigation"><li><h1>Storm season: Port closes early</h1></li></ol>',
    ],
)
def test_breadcrumb_h1_is_not_the_headline_the_article_heading_decides(trail: str) -> None:
    head = '<meta property="og:title" content="Ferries stay in harbour as gale arrives">'
    body = trail + "<article><header><h2>Ferries stay in harbour as gale arrives</h2></header></article>"
    assert extract_title(page(head, body, ld=SEO_LD)) == (
        "Ferries stay in harbour as gale arrives",
        {"title": "h1+meta:og:title"},
    )


def test_article_heading_without_its_kicker_picks_the_matching_wording() -> None:
    head = '<meta property="og:title" content="Ferries stay in harbour">'
    body = BREADCRUMB_H1 + (
        '<article><h2><span class="kicker">Gale warning</span>'
        '<span class="headline">Ferries stay in harbour</span></h2></article>'
    )
    assert extract_title(page(head, body, ld=SEO_LD))[0] == "Ferries stay in harbour"


def test_article_heading_keeps_its_kicker_when_the_metadata_does() -> None:
    head = '<meta property="og:title" content="Gale warning: Ferries stay in harbour">'
    body = BREADCRUMB_H1 + (
        "<article><header><h2><span>Gale warning</span><span>Ferries stay in harbour</span></h2></header></article>"
    )
    assert extract_title(page(head, body, ld=SEO_LD))[0] == "Gale warning: Ferries stay in harbour"


def test_itemprop_headline_decides_when_the_h1_is_a_breadcrumb() -> None:
    head = '<meta property="og:title" content="Six charts that explain the port closure">'
    body = (
        '<div class="breadcrumbs"><span><h1 class="breadcrumb_last">Storm season: Port closes early</h1></span></div>'
        '<h2 itemprop="headline">Six charts that explain the port closure</h2>'
    )
    assert extract_title(page(head, body, ld=SEO_LD))[0] == "Six charts that explain the port closure"


def test_agreeing_json_ld_and_og_title_win_over_a_differing_article_heading() -> None:
    head = '<meta property="og:title" content="Storm season: Port closes early">'
    body = BREADCRUMB_H1 + "<article><h2>Gale shuts the port</h2></article>"
    assert extract_title(page(head, body, ld=SEO_LD))[0] == "Storm season: Port closes early"


def test_visible_h1_outside_navigation_does_not_override_json_ld() -> None:
    head = '<meta property="og:title" content="Ferries stay in harbour as gale arrives">'
    body = "<article><h1>Ferries stay in harbour as gale arrives</h1></article>"
    ld = {"@type": "NewsArticle", "headline": "Gale keeps ferries in harbour"}
    assert extract_title(page(head, body, ld=ld))[0] == "Gale keeps ferries in harbour"


def test_breadcrumb_h1_not_repeating_json_ld_leaves_json_ld_in_charge() -> None:
    head = '<meta property="og:title" content="Live: Ferries stay in harbour">'
    body = (
        '<article><header><div class="breadcrumb"><h1>Live: Ferries stay in harbour</h1></div>'
        "<h2>Live: Ferries stay in harbour</h2></header></article>"
    )
    ld = {"@type": "NewsArticle", "headline": "Storm week: all the news as it happens"}
    assert extract_title(page(head, body, ld=ld))[0] == "Storm week: all the news as it happens"


def test_breadcrumb_h1_still_beats_a_bare_title_tag() -> None:
    html = page(
        "<title>Port closes early | Harbour Gazette</title>",
        BREADCRUMB_H1 + "<article><h2>What the closure means</h2></article>",
    )
    assert extract_title(html) == ("Storm season: Port closes early", {"title": "h1"})


def test_a_sites_file_title_selector_wins_and_a_bad_one_is_ignored() -> None:
    html = "<html><head><title>SEO title | Paper</title></head><body><h1>Visible</h1><p class='hed'>Override</p></body></html>"
    doc = parse_document(html, "https://paper.example/a/")
    sources: dict[str, str] = {}
    assert title(doc, sources, {"title": "p.hed"}) == "Override" and sources["title"] == "override"
    assert title(doc, {}, {"title": "p[[["}) == "Visible"


@pytest.mark.parametrize(
    "metadata",
    [
        "Storm closes the port » Harbour Gazette",
        "Harbour Gazette » Storm closes the port",
        "Harbour Gazette :: Storm closes the port",
        "HARBOUR GAZETTE — Storm closes the port",
        "Storm closes the port · Harbour Gazette",
        "Harbour Gazette | News | Storm closes the port",
        "Storm closes the port › Harbour Gazette",
        "Storm closes the port : 31.10.2023, 10.19 Uhr",
        "31.10.2023 | Storm closes the port",
        "Storm closes the port (Harbour Gazette)",
        "Weather - Storm closes the port | Harbour Gazette",
    ],
)
def test_unknown_affix_around_the_visible_headline_is_dropped(metadata: str) -> None:
    html = page(f'<meta property="og:title" content="{metadata}">', body="<h1>Storm closes the port</h1>")
    assert extract_title(html) == ("Storm closes the port", {"title": "h1+meta:og:title"})


def test_a_french_kicker_before_a_spaced_colon_stays() -> None:
    metadata = "Angleterre : Manchester United rate la marche"
    html = page(
        f'<meta property="og:title" content="{metadata}">', body="<h1>Manchester United rate la marche</h1>"
    )
    assert extract_title(html)[0] == metadata


def test_a_one_word_h1_inside_the_title_is_a_section_label() -> None:
    html = page(
        '<meta property="og:title" content="Gazette | News | Storm closes the port">', body="<h1>News</h1>"
    )
    assert extract_title(html)[0] == "Gazette | News | Storm closes the port"


def test_long_text_beside_the_h1_is_headline_not_affix() -> None:
    metadata = "Storm closes the port - and the ferries stay in the harbour for the rest of this week"
    html = page(f'<meta property="og:title" content="{metadata}">', body="<h1>Storm closes the port</h1>")
    assert extract_title(html)[0] == metadata


def test_sections_between_the_site_name_and_the_headline_go_with_it() -> None:
    doc = parse_document(
        page('<meta property="og:site_name" content="Harbour Gazette">'), "https://hg.example/x"
    )
    assert (
        strip_site_affixes("Harbour Gazette | Local News | Storm closes the port", doc)
        == "Storm closes the port"
    )
    assert (
        strip_site_affixes("Storm closes the port | Weather | Harbour Gazette", doc)
        == "Storm closes the port"
    )
    assert (
        strip_site_affixes("Harbour Gazette » Blog Archive » Storm closes the port", doc)
        == "Storm closes the port"
    )
    assert strip_site_affixes("Harbour Gazette | Storm | Port closed", doc) == "Storm | Port closed"


def test_site_name_from_og_url_when_the_page_has_no_address() -> None:
    html = page(
        '<meta property="og:url" content="https://www.rivertonpost.example/news/1">'
        "<title>Council approves budget - Riverton Post</title>"
    )
    sources: dict[str, str] = {}
    assert title(parse_document(html, None), sources) == "Council approves budget"

"""Related links on hand-written pages (tests/fixtures/pages) and on small snippets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extraction.document import parse_document
from pipelines.extraction.extract import extract_page
from pipelines.extraction.links import related_links
from pipelines.extraction.record import RelatedLink
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*/*.html"))


@pytest.fixture(params=PAGES, ids=lambda page: f"{page.parent.name}/{page.stem}")
def page_case(request: pytest.FixtureRequest) -> tuple[list[RelatedLink], dict]:
    page: Path = request.param
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return extract_page(page.read_bytes(), expected["url"]).record.related_links, expected


def test_required_links_present_with_text(page_case: tuple[list[RelatedLink], dict]) -> None:
    links, expected = page_case
    for wanted in expected.get("related_links_required", []):
        assert RelatedLink(url=wanted["url"], text=wanted["text"]) in links


def test_forbidden_links_absent(page_case: tuple[list[RelatedLink], dict]) -> None:
    links, expected = page_case
    urls = {link.url for link in links}
    for url in expected.get("related_links_forbidden", []):
        assert url not in urls


def test_links_are_unique(page_case: tuple[list[RelatedLink], dict]) -> None:
    links, _ = page_case
    assert len({link.url for link in links}) == len(links)


PROSE = (
    "<p>The story itself, with enough words, commas, and detail to be the article's own prose here.</p>" * 4
)


def _links(html: str) -> list[RelatedLink]:
    return related_links(parse_document(html, "https://news.example/world/story"))


def test_related_block_links_are_absolute_in_order_and_deduplicated() -> None:
    html = f"""<html><body><article>{PROSE}
      <div class="box"><h3>See also</h3>
        <a href="/world/talks-resume-in-geneva">Talks resume in Geneva</a>
        <a href="/world/ceasefire-holds-overnight"><h4>Ceasefire holds overnight</h4><span>2 hours ago</span></a>
        <a href="/world/talks-resume-in-geneva">Talks resume in Geneva, again</a>
        <a title="Aid convoy reaches the border" href="/world/2025/04/123456"><img src="x.jpg"></a>
      </div></article></body></html>"""
    assert _links(html) == [
        RelatedLink("https://news.example/world/talks-resume-in-geneva", "Talks resume in Geneva"),
        RelatedLink("https://news.example/world/ceasefire-holds-overnight", "Ceasefire holds overnight"),
        RelatedLink("https://news.example/world/2025/04/123456", "Aid convoy reaches the border"),
    ]


def test_share_author_tag_home_and_self_links_are_dropped() -> None:
    html = f"""<html><body><article>{PROSE}
      <div class="related-posts">
        <a href="https://www.facebook.com/sharer/sharer.php?u=1">Share</a>
        <a href="/author/jane/">Jane</a> <a href="/tag/europe/">Europe</a> <a href="/">Home</a>
        <a href="https://news.example/world/story">This very story</a>
        <a href="/world/">World news section</a> <a href="/world/middle-east/">Middle East</a>
        <a href="/world/harbour-strike-ends-after-talks">Harbour strike ends after talks</a>
      </div></article></body></html>"""
    assert _links(html) == [
        RelatedLink(
            "https://news.example/world/harbour-strike-ends-after-talks", "Harbour strike ends after talks"
        )
    ]


def test_trending_rail_and_navigation_are_not_related() -> None:
    html = f"""<html><body><nav><a href="/world/">World</a></nav><article>{PROSE}</article>
      <aside><h3>Related</h3><a href="/world/story-in-the-sidebar">A story in the sidebar</a></aside>
      <div class="trending"><h3>Trending</h3><a href="/world/hot-story-of-the-day">Hot story of the day</a></div>
      <section><h2>Most read</h2><a href="/world/most-popular-story-today">Most popular story today</a></section>
      </body></html>"""
    assert _links(html) == []


def test_promo_prefix_inside_the_anchor_is_not_part_of_the_text() -> None:
    html = f"""<html><body><article>{PROSE}<p><a href="/world/port-strike-enters-third-week">Read more: Port strike enters third week</a></p></article></body></html>"""
    assert _links(html) == [
        RelatedLink(
            "https://news.example/world/port-strike-enters-third-week", "Port strike enters third week"
        )
    ]


def test_inline_promo_link_inside_the_article() -> None:
    html = f"""<html><body><article>{PROSE}<p><strong>Lire aussi :</strong> <a href="/world/la-greve-continue-au-port">La grève continue au port</a></p>{PROSE}</article></body></html>"""
    assert _links(html) == [
        RelatedLink("https://news.example/world/la-greve-continue-au-port", "La grève continue au port")
    ]


def test_fragment_and_tracking_parameters_are_dropped() -> None:
    html = f"""<html><body><article>{PROSE}<div class="related">
      <a href="/world/bridge-vote-passes?utm_source=x&amp;id=7#comments">Bridge vote passes after long debate</a>
      <a href="/world/bridge-vote-passes?id=7&amp;fbclid=abc">Bridge vote passes after long debate</a>
      </div></article></body></html>"""
    assert _links(html) == [
        RelatedLink(
            "https://news.example/world/bridge-vote-passes?id=7", "Bridge vote passes after long debate"
        )
    ]

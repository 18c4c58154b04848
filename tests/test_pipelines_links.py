"""Related links on hand-written pages (tests/fixtures/pages) and on small snippets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.document import parse_document
from pipelines.extract import extract_page
from pipelines.links import related_links
from pipelines.record import RelatedLink
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*/*.html"))


@pytest.fixture(params=PAGES, ids=lambda page: f"{page.parent.name}/{page.stem}")
def page_case(request: pytest.FixtureRequest) -> tuple[list[RelatedLink], dict]:
    page: Path = request.param
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return extract_page(page.read_bytes(), expected["url"]).record.related_links, expected


def test_required_links_present_with_text(page_case: tuple[list[RelatedLink], dict]) -> None:
    links, expected = page_case
    for wanted in expected["related_links_required"]:
        assert RelatedLink(url=wanted["url"], text=wanted["text"]) in links


def test_forbidden_links_absent(page_case: tuple[list[RelatedLink], dict]) -> None:
    links, expected = page_case
    urls = {link.url for link in links}
    for url in expected["related_links_forbidden"]:
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
        <a href="/world/b">Second story</a> <a href="/world/a"><h4>First story</h4><span>2 hours ago</span></a>
        <a href="/world/b">Second story again</a> <a title="Third story" href="/world/c"><img src="x.jpg"></a>
      </div></article></body></html>"""
    assert _links(html) == [
        RelatedLink("https://news.example/world/b", "Second story"),
        RelatedLink("https://news.example/world/a", "First story"),
        RelatedLink("https://news.example/world/c", "Third story"),
    ]


def test_share_author_tag_home_and_self_links_are_dropped() -> None:
    html = f"""<html><body><article>{PROSE}
      <div class="related-posts">
        <a href="https://www.facebook.com/sharer/sharer.php?u=1">Share</a>
        <a href="/author/jane/">Jane</a> <a href="/tag/europe/">Europe</a> <a href="/">Home</a>
        <a href="https://news.example/world/story">This story</a>
        <a href="/world/kept">A related story</a>
      </div></article></body></html>"""
    assert _links(html) == [RelatedLink("https://news.example/world/kept", "A related story")]


def test_trending_rail_and_navigation_are_not_related() -> None:
    html = f"""<html><body><nav><a href="/world/">World</a></nav><article>{PROSE}</article>
      <aside><h3>Related</h3><a href="/world/sidebar-story">In the sidebar</a></aside>
      <div class="trending"><h3>Trending</h3><a href="/world/hot">Hot story</a></div>
      <section><h2>Most read</h2><a href="/world/popular">Popular story</a></section>
      </body></html>"""
    assert _links(html) == []


def test_inline_promo_link_inside_the_article() -> None:
    html = f"""<html><body><article>{PROSE}<p><strong>Lire aussi :</strong> <a href="/world/autre">Un autre article</a></p>{PROSE}</article></body></html>"""
    assert _links(html) == [RelatedLink("https://news.example/world/autre", "Un autre article")]

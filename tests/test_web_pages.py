"""The workbench's HTML pages through the ASGI test client: search with facets and marks, the chart,
the article with its revision diff and raw source, and hostile stored text that never reaches a page
unescaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scraper.web.app import create_app
from scraper.web.diff import word_diff
from storage.db import open_archive
from tests.test_web_archive import HOSTILE_AUTHOR, build_archive

TEMPLATES = Path(__file__).resolve().parent.parent / "scraper" / "web" / "templates"


@pytest.fixture(scope="module")
def setup(module_db_url):
    ids = build_archive(module_db_url)
    with open_archive(module_db_url) as archive, TestClient(create_app(archive)) as client:
        yield client, ids


@pytest.fixture(scope="module")
def client(setup):
    return setup[0]


@pytest.fixture(scope="module")
def ids(setup):
    return setup[1]


def page(client, path, status=200, **params):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


class Elements(HTMLParser):
    """Every element and attribute of a page, as the browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_harmless(html: str) -> None:
    """No stored markup became markup: no script or img element, no event handler, no javascript: URL."""
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("script", "img", "iframe", "object", "b"), (tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def test_search_page_lists_hits_with_marked_words_and_facets(client, ids):
    html = page(client, "/", q="bridge")
    assert "2 articles" in html
    assert f'href="/articles/{ids["bridge-tolls"]}"' in html
    assert re.search(r"<mark>bridge</mark>", html, re.IGNORECASE)
    assert 'href="/?q=bridge&amp;site=dispatch"' in html
    assert 'href="/api/export?q=bridge&amp;format=csv"' in html


def test_search_page_filters_and_pages(client, ids):
    html = page(client, "/", site="herald")
    assert "3 articles" in html and "Storm closes harbour" in html and "Council votes" not in html
    assert "No articles match." in page(client, "/", q="zeppelin")


def test_an_author_link_lists_that_authors_articles(client, ids):
    html = page(client, "/", author="Ann Lee")
    assert "2 articles" in html
    assert f'href="/articles/{ids["bridge-reopens"]}"' in html and f'href="/articles/{ids["bridge-tolls"]}"' in html
    assert f'href="/articles/{ids["storm"]}"' not in html


def test_a_bad_query_is_one_line_above_the_form(client):
    html = page(client, "/", status=400, q='"unclosed phrase')
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', html, re.DOTALL)
    assert len(errors) == 1 and "\n" not in errors[0]
    assert 'value="&#34;unclosed phrase"' in html


def test_a_bad_date_is_one_line_naming_the_field(client):
    html = page(client, "/", status=400, since="last tuesday")
    assert "since: not an ISO date" in html


def test_the_article_page_shows_the_record_the_diff_and_the_escaped_source(client, ids):
    html = page(client, f"/articles/{ids['storm']}")
    assert "<h1>Storm closes harbour</h1>" in html
    assert '<a class="author" href="/?author=Bo%20Chen">Bo Chen</a>' in html
    assert "Revisions (2)" in html
    assert "<del>noon.</del>" in html and "<ins>dusk.</ins>" in html
    bridge = page(client, f"/articles/{ids['bridge-reopens']}")
    assert '<a href="https://dispatch.example/bridge-history" rel="noopener noreferrer nofollow">History</a>' in bridge
    assert "&lt;h1&gt;Harbour bridge reopens&lt;/h1&gt;" in bridge
    assert_harmless(bridge)


def test_the_article_page_names_its_syndicated_copies(client, ids):
    html = page(client, f"/articles/{ids['wire-dispatch']}")
    assert f'<a href="/articles/{ids["wire-herald"]}">Grain corridor reopens</a>' in html
    assert "1 copy" in page(client, "/", q="grain")


def test_an_absent_article_is_a_404_page(client):
    assert "no article with id 424242" in page(client, "/articles/424242", status=404)
    page(client, "/articles/not-a-number", status=404)


def test_hostile_stored_text_is_escaped_everywhere(client, ids):
    hostile = ids["hostile"]
    pages = [
        page(client, "/"),
        page(client, "/", q="harbour notes"),
        page(client, "/", author=HOSTILE_AUTHOR),
        page(client, f"/articles/{hostile}"),
        page(client, "/chart", q="<script>alert(1)</script>", q2="<img src=x onerror=alert(1)>"),
        page(client, "/", status=400, q='"<script>alert(1)</script>'),
    ]
    for html in pages:
        assert_harmless(html)
    article = pages[3]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "click (javascript:window.__pwned=1)</span>" in article  # shown as text, not a link
    svg = client.get("/chart.svg", params={"q": "<script>alert(1)</script>"}).text
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_the_chart_draws_one_line_per_query(client):
    html = page(client, "/chart", q="harbour", q2="bridge", by="month")
    assert html.count("<polyline") == 2
    assert "2025-01" in html and "2025-03" in html
    share = page(client, "/chart", q="harbour", measure="share", by="week")
    assert share.count("<polyline") == 1 and "%" in share
    response = client.get("/chart.svg", params={"q": "bridge", "by": "day"})
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg") and "<polyline" in response.text
    assert "No matching articles" in page(client, "/chart", q="zeppelin")
    per_site = page(client, "/chart", per_site="1", by="month")
    assert per_site.count("<polyline") == 2
    assert re.search(r"<text [^>]*>dispatch</text>", per_site) and re.search(r"<text [^>]*>herald</text>", per_site)
    assert "by: expected one of" in page(client, "/chart", status=400, by="year")


def test_templates_have_no_inline_script_style_or_handler():
    for template in TEMPLATES.iterdir():
        text = template.read_text()
        assert "<script" not in text and "<style" not in text and "style=" not in text, template.name
        assert not re.search(r"\son\w+=", text), template.name
        assert "|safe" not in text.replace(" ", ""), template.name


def test_word_diff_marks_changed_words_and_shortens_long_unchanged_runs():
    old = " ".join(f"w{i}" for i in range(100)) + "\nend of story."
    new = " ".join(f"w{i}" for i in range(100)) + "\nend of the story."
    diff = word_diff(old, new, context=5)
    assert (diff.inserted, diff.deleted) == (1, 0)
    kinds = [segment.kind for segment in diff.segments]
    assert kinds[0] == "gap" and "ins" in kinds
    assert diff.segments[0].text == "… 98 unchanged words …"
    assert next(segment.text for segment in diff.segments if segment.kind == "ins") == "the"
    assert not word_diff("same words", "same words").changed


def test_a_per_site_chart_sums_the_quieter_sites_as_other_sites():
    from scraper.web.chart import build_chart, split_by_site
    from storage.counts import CountRow

    rows = [CountRow("2025-01", f"site{n}", n, 10, n / 10) for n in range(1, 10)]
    series = split_by_site(rows, top=3)
    assert [label for label, _ in series] == ["site9", "site8", "site7", "6 other sites"]
    other = series[-1][1]
    assert [(row.count, row.total) for row in other] == [(1 + 2 + 3 + 4 + 5 + 6, 60)]
    chart = build_chart(series, title="all articles per site")
    assert [line.total for line in chart.lines] == [9, 8, 7, 21]
    assert chart.top > 44  # a second legend row pushes the plot down
    assert chart.lines[3].legend_y > chart.lines[0].legend_y

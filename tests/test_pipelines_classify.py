"""Article or not, decided through extract_page as the crawl does."""

from pipelines.extract import extract_page
from tests.routes_server import article_html, filler


def teaser_listing(n: int = 8) -> str:
    items = "".join(
        f'<article><h2><a href="/news/story-{i}-about-the-town-hall/">Story {i} about the town hall</a></h2>'
        f"<p>A short teaser for story {i}, one sentence long.</p></article>"
        for i in range(n)
    )
    return f'<html lang="en"><head><title>World | Test Times</title><meta property="og:type" content="website">' \
           f"</head><body><h1>World</h1>{items}</body></html>"


def test_article_page_is_an_article():
    extraction = extract_page(article_html("Budget vote", [filler("budget")]), "https://t.example/news/budget-vote-passes-council/")
    assert extraction.is_article, extraction.page_type_reason


def test_section_listing_is_not_an_article():
    extraction = extract_page(teaser_listing(), "https://t.example/category/world/")
    assert not extraction.is_article, extraction.page_type_reason


def test_front_page_is_not_an_article():
    extraction = extract_page(teaser_listing(20), "https://t.example/")
    assert not extraction.is_article
    assert "site root" in extraction.page_type_reason


def test_long_static_page_without_date_or_byline_is_not_an_article():
    about = (
        '<html lang="en"><head><title>About us</title></head><body><h1>About us</h1>'
        f"<p>{filler('about', 8)}</p><p>{filler('mission', 8)}</p></body></html>"
    )
    extraction = extract_page(about, "https://t.example/about-us/")
    assert not extraction.is_article, extraction.page_type_reason


def test_author_profile_page_is_not_an_article():
    profile = (
        '<html><head><script type="application/ld+json">{"@type": "ProfilePage", "name": "Ada Reporter"}</script>'
        f"</head><body><h1>Ada Reporter</h1><p>{filler('bio', 2)}</p></body></html>"
    )
    extraction = extract_page(profile, "https://t.example/author/ada-reporter/")
    assert not extraction.is_article

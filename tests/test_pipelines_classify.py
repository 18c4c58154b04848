"""Article or not, decided through extract_page as the crawl does."""

from pipelines.extraction.extract import extract_page
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


def test_listing_that_claims_to_be_an_article_is_still_a_listing():
    """og:type article, long teasers with dates and bylines, no <article> elements, a plain section URL."""
    cards = "".join(
        f'<div class="card"><h3><a href="/news/2025/03/0{i + 1}/harbour-story-number-{i}/">Harbour story {i}: '
        f"the council vote and its budget</a></h3><p>The council debated the harbour budget for three hours on "
        f"Tuesday, and members disagreed on dredging costs, ferry subsidies and the quay wall timetable.</p>"
        f'<span class="by">By Jane Doe</span> <time datetime="2025-03-0{i + 1}T10:00:00Z">March {i + 1}</time></div>'
        for i in range(9)
    )
    html = (
        '<html><head><meta property="og:type" content="article"><title>Local | Harbour Times</title></head>'
        f"<body><main><h1>Local</h1>{cards}<a href='/local/?page=2'>Next</a></main></body></html>"
    )
    extraction = extract_page(html, "https://harbourtimes.example/local/")
    assert not extraction.is_article, extraction.page_type_reason
    assert "linked headlines" in extraction.page_type_reason


def test_article_with_a_few_linked_subheads_stays_an_article():
    subheads = "".join(f'<h2><a href="/topic/{i}/">Topic {i}</a></h2><p>{filler(str(i))}</p>' for i in range(3))
    html = article_html("Budget vote", [filler("budget")]).replace("</article>", subheads + "</article>")
    extraction = extract_page(html, "https://t.example/news/budget-vote-passes-council/")
    assert extraction.is_article, extraction.page_type_reason

"""The site's non-article pages, all in the WordPress theme: home, paginated listings, fixed pages, search, 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scraper.demo_site.engine.markup import esc, json_ld
from scraper.demo_site.engine.routing import listing_path, page_count
from scraper.demo_site.render import PAGE_SIZE, iso, long_date
from scraper.demo_site.theme import document

if TYPE_CHECKING:
    from scraper.demo_site.content import Article
    from scraper.demo_site.render import View

HOME_LATEST = 9
HOME_PER_SECTION = 3


def _card(view: View, article: Article, heading: str = "h2") -> str:
    url = esc(view.url(article.path))
    return f"""<article class="post type-post category-{article.section_slug}">
  <{heading} class="entry-title"><a href="{url}" rel="bookmark">{esc(article.title)}</a></{heading}>
  <div class="entry-meta"><time class="entry-date" datetime="{iso(article.published)}">{esc(long_date(article.published))}</time> <span class="byline">by {esc(" and ".join(article.authors))}</span></div>
  <div class="entry-summary"><p>{esc(article.summary)}</p></div>
  <a class="more-link" href="{url}">Continue reading<span class="screen-reader-text"> {esc(article.title)}</span></a>
</article>"""


def _website_head(view: View, title: str, url: str) -> str:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": view.url("/#website"),
                "url": view.url("/"),
                "name": view.catalog.name,
            },
            {
                "@type": "CollectionPage",
                "@id": url,
                "url": url,
                "name": title,
                "isPartOf": {"@id": view.url("/#website")},
            },
        ],
    }
    return "\n".join(
        [
            '<meta property="og:type" content="website">',
            f'<meta property="og:title" content="{esc(title)}">',
            f'<meta property="og:url" content="{esc(url)}">',
            f'<script type="application/ld+json" class="yoast-schema-graph">{json_ld(graph)}</script>',
        ]
    )


def home_page(view: View) -> str:
    latest = view.latest(HOME_LATEST + 1)
    lead, rest = latest[0], latest[1:]
    blocks = []
    for section in view.catalog.sections.values():
        cards = "".join(
            f'<li><a href="{esc(view.url(a.path))}">{esc(a.title)}</a></li>'
            for a in view.in_section(section.slug)[:HOME_PER_SECTION]
        )
        blocks.append(
            f'<section class="home-section home-section--{section.slug}"><h2 class="home-section__title">'
            f'<a href="{esc(view.url(section.path))}">{esc(section.name)}</a></h2><ul>{cards}</ul>'
            f'<a class="home-section__more" href="{esc(view.url(section.path))}">View all {esc(section.name)} news</a></section>'
        )
    main = f"""<section class="top-story"><h2 class="block-title">Top Story</h2>{_card(view, lead, "h3")}</section>
<section class="latest-news"><h2 class="block-title">Latest News</h2>{"".join(_card(view, a, "h3") for a in rest)}</section>
{"".join(blocks)}"""
    title = f"{view.catalog.name} - {view.catalog.tagline}"
    return document(
        view,
        title=title,
        description=view.catalog.tagline,
        canonical=view.url("/"),
        main=main,
        body_class="home blog",
        head_extra=_website_head(view, title, view.url("/")),
    )


def _pagination(view: View, base_path: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""

    def href(number: int) -> str:
        return esc(view.url(listing_path(base_path, number)))

    links = []
    if page > 1:
        links.append(f'<a class="prev page-numbers" href="{href(page - 1)}">&laquo; Previous</a>')
    for number in range(1, pages + 1):
        if number == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{number}</span>')
        else:
            links.append(f'<a class="page-numbers" href="{href(number)}">{number}</a>')
    if page < pages:
        links.append(f'<a class="next page-numbers" href="{href(page + 1)}">Next &raquo;</a>')
    return f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{"".join(links)}</div></nav>'


def listing_page(
    view: View,
    *,
    base_path: str,
    heading: str,
    intro: str,
    articles: list[Article],
    page: int,
    body_class: str,
) -> str:
    """One page (in range, from 1) of a paginated archive: a section, tag or author."""
    pages = page_count(len(articles), PAGE_SIZE)
    shown = articles[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    path = listing_path(base_path, page)
    title = (
        f"{heading} - {view.catalog.name}"
        if page == 1
        else f"{heading} - Page {page} of {pages} - {view.catalog.name}"
    )
    rel = []
    if page > 1:
        rel.append(f'<link rel="prev" href="{esc(view.url(listing_path(base_path, page - 1)))}">')
    if page < pages:
        rel.append(f'<link rel="next" href="{esc(view.url(listing_path(base_path, page + 1)))}">')
    main = f"""<header class="page-header"><h1 class="page-title">{esc(heading)}</h1><div class="archive-description"><p>{esc(intro)}</p></div></header>
{"".join(_card(view, a) for a in shown)}
{_pagination(view, base_path, page, pages)}"""
    return document(
        view,
        title=title,
        description=intro,
        canonical=view.url(path),
        main=main,
        body_class=f"archive {body_class}" + (" paged" if page > 1 else ""),
        head_extra=_website_head(view, title, view.url(path)) + "\n" + "\n".join(rel),
    )


def fixed_page(view: View, slug: str) -> str | None:
    page = view.catalog.pages.get(slug)
    if page is None:
        return None
    text = "\n".join(f"<p>{esc(p)}</p>" for p in page.paragraphs)
    main = f"""<article class="page type-page status-publish">
  <header class="entry-header"><h1 class="entry-title">{esc(page.title)}</h1></header>
  <div class="entry-content">{text}</div>
</article>"""
    title = f"{page.title} - {view.catalog.name}"
    return document(
        view,
        title=title,
        description=page.paragraphs[0][:150],
        canonical=view.url(page.path),
        main=main,
        body_class=f"page-template-default page page-{slug}",
        head_extra=_website_head(view, title, view.url(page.path)),
    )


def search_page(view: View, query: str) -> str:
    """Results for a plain substring search; robots.txt keeps crawlers out of this area."""
    needle = query.strip().lower()
    hits = (
        [a for a in view.latest() if needle in a.title.lower() or needle in a.body.lower()] if needle else []
    )
    found = "".join(_card(view, a) for a in hits) or "<p>Sorry, but nothing matched your search terms.</p>"
    main = f'<header class="page-header"><h1 class="page-title">Search Results for: {esc(query)}</h1></header>\n{found}'
    return document(
        view,
        title=f"You searched for {query} - {view.catalog.name}",
        description=f"Search results for {query}",
        canonical=view.url("/search/"),
        main=main,
        body_class="search search-results",
        robots="noindex, follow",
    )


def not_found_page(view: View) -> str:
    main = """<section class="error-404 not-found">
  <header class="page-header"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1></header>
  <div class="page-content"><p>It looks like nothing was found at this location. Try one of the sections above or a search.</p></div>
</section>"""
    return document(
        view,
        title=f"Page not found - {view.catalog.name}",
        description="Page not found",
        canonical=view.url("/"),
        main=main,
        body_class="error404",
        robots="noindex, follow",
    )

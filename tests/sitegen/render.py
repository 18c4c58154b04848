"""HTML pages of the generated site: the shared layout with its boilerplate, articles, listings, home.

Every function returns a complete HTML document as `str` and is pure given the site state, so the same
state renders byte-identical pages (the server hashes them for ETags). Boilerplate on every page: cookie
notice, header nav and search form, feed `<link rel="alternate">`s, a sidebar of the 5 latest articles
(absolute URLs), a newsletter blurb and a footer. Article pages add a share bar (links to `.example`
hosts that never resolve), tags, a related block whose links use `LINK_VARIANTS`, and a comments stub.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scraper.demo_site.engine.markup import byline, esc, json_ld
from scraper.demo_site.engine.routing import listing_path, page_count
from tests.sitegen.site import LATEST_ON_HOME, LINK_VARIANTS, PAGE_SIZE

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from tests.sitegen.site import Article, GeneratedSite

FEED_LINKS: tuple[tuple[str, str, str], ...] = (
    ("application/rss+xml", "RSS", "/feed/rss.xml"),
    ("application/atom+xml", "Atom", "/feed/atom.xml"),
    ("application/feed+json", "JSON Feed", "/feed/feed.json"),
)
SIDEBAR_ITEMS = 5
COOKIE_NOTICE = (
    "We use cookies to remember your preferences and to measure our audience. "
    "You can change your choice at any time in the privacy settings."
)
NEWSLETTER = "Get the morning briefing: the five stories you need, in your inbox before breakfast."


def human_date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def _a(href: str, label: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<a href="{esc(href)}"{attr}>{esc(label)}</a>'


def _author_links(article: Article) -> list[str]:
    return [
        _a(f"/author/{s}/", n, "author") for n, s in zip(article.authors, article.author_slugs, strict=True)
    ]


def _sidebar(site: GeneratedSite, base: str) -> str:
    items = "".join(f"<li>{_a(base + a.path, a.title)}</li>" for a in site.latest[:SIDEBAR_ITEMS])
    return (
        f'<aside class="sidebar"><h2>Latest</h2><ul class="latest">{items}</ul>'
        f'<div class="newsletter"><h2>Newsletter</h2><p>{NEWSLETTER}</p>'
        '<form action="/newsletter" method="post"><input name="email"><button>Sign up</button></form></div>'
        "</aside>"
    )


def layout(site: GeneratedSite, base: str, *, title: str, canonical: str, main: str, head: str = "") -> str:
    """The full document: head (canonical, feeds, extra), cookie notice, header, main, sidebar, footer."""
    feeds = "".join(
        f'<link rel="alternate" type="{kind}" title="{esc(site.name)} {label}" href="{base}{path}">'
        for kind, label, path in FEED_LINKS
    )
    nav = "".join(f"<li>{_a(f'/section/{s}/', s.capitalize())}</li>" for s in site.sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)} | {esc(site.name)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="canonical" href="{esc(canonical)}">{feeds}{head}</head>\n<body>'
        f'<div class="cookie-notice" id="cookie-consent"><p>{COOKIE_NOTICE}</p>'
        '<a href="/about/#cookies">Privacy settings</a><button>Accept</button></div>'
        f'<header class="site-header">{_a("/", site.name, "logo")}'
        f'<nav class="main-nav"><ul><li>{_a("/", "Home")}</li>{nav}</ul></nav>'
        '<form class="search" action="/search" method="get"><input name="q"><button>Search</button></form>'
        f"</header>\n<main>{main}</main>\n{_sidebar(site, base)}"
        f'<footer class="site-footer"><ul><li>{_a("/about/", "About us")}</li>'
        f"<li>{_a('/contact/', 'Contact')}</li><li>{_a('/feed/rss.xml', 'RSS')}</li></ul>"
        f"<p>&copy; {site.now.year} {esc(site.name)}. All rights reserved.</p></footer>"
        "</body></html>\n"
    )


# ----- article templates -----


def _json_ld(site: GeneratedSite, article: Article, base: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.description,
        "datePublished": article.published.isoformat(),
        "author": [{"@type": "Person", "name": n, "url": f"{base}/author/{s}/"}
                   for n, s in zip(article.authors, article.author_slugs, strict=True)],
        "articleSection": article.section.capitalize(),
        "keywords": list(article.tags),
        "image": f"{base}/images/{article.slug}.gif",
        "mainEntityOfPage": base + article.path,
        "publisher": {"@type": "NewsMediaOrganization", "name": site.name, "url": base + "/"},
    }  # fmt: skip
    if article.modified:
        data["dateModified"] = article.modified.isoformat()
    return f'<script type="application/ld+json">{json_ld(data, ascii_only=True)}</script>'


def _open_graph(site: GeneratedSite, article: Article, base: str) -> str:
    pairs = [
        ("og:type", "article"),
        ("og:site_name", site.name),
        ("og:title", article.title),
        ("og:url", base + article.path),
        ("og:description", article.description),
        ("og:image", f"{base}/images/{article.slug}.gif"),
        ("article:published_time", article.published.isoformat()),
        ("article:section", article.section.capitalize()),
        *(("article:tag", tag) for tag in article.tags),
    ]
    if article.modified:
        pairs.append(("article:modified_time", article.modified.isoformat()))
    meta = "".join(f'<meta property="{p}" content="{esc(v)}">' for p, v in pairs)
    return f'<meta name="description" content="{esc(article.description)}">{meta}'


def _paragraphs(article: Article) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)


def _jsonld_body(article: Article) -> str:
    return (
        f'<article class="story"><header><h1 class="headline">{esc(article.title)}</h1>'
        f'<div class="meta"><span class="authors">{", ".join(_author_links(article))}</span> '
        f'<span class="date">{human_date(article.published)}</span></div></header>'
        f'<figure><img src="/images/{article.slug}.gif" alt=""><figcaption>File photo.</figcaption></figure>'
        f'<div class="article-body">{_paragraphs(article)}</div></article>'
    )


def _microdata_body(article: Article) -> str:
    people = [
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'<a itemprop="url" href="/author/{s}/"><span itemprop="name">{esc(n)}</span></a></span>'
        for n, s in zip(article.authors, article.author_slugs, strict=True)
    ]
    updated = ""
    if article.modified:
        updated = (
            f' &middot; Updated <time itemprop="dateModified" datetime="{article.modified.isoformat()}">'
            f"{human_date(article.modified)}</time>"
        )
    return (
        '<article itemscope itemtype="https://schema.org/NewsArticle">'
        f'<h1 itemprop="headline">{esc(article.title)}</h1>'
        f'<p class="byline">By {byline(people)}</p>'
        f'<p class="dateline">Published <time itemprop="datePublished" datetime="{article.published.isoformat()}">'
        f"{human_date(article.published)}</time>{updated}</p>"
        f'<meta itemprop="articleSection" content="{article.section.capitalize()}">'
        f'<figure><img itemprop="image" src="/images/{article.slug}.gif" alt=""></figure>'
        f'<div itemprop="articleBody">{_paragraphs(article)}</div></article>'
    )


def _plain_body(article: Article) -> str:
    return (
        f'<div class="story"><h1>{esc(article.title)}</h1>'
        f'<div class="byline">By {esc(byline(article.authors))}</div>'
        f'<time datetime="{article.published.isoformat()}">{human_date(article.published)}</time>'
        f"<article>{_paragraphs(article)}</article></div>"
    )


ARTICLE_BODIES = {"jsonld": _jsonld_body, "microdata": _microdata_body, "plain": _plain_body}


def _share_bar(article: Article, canonical: str) -> str:
    target = esc(canonical)
    return (
        '<div class="share-bar"><span>Share this article</span>'
        f'<a href="https://social.example/sharer?u={target}">Facebook</a>'
        f'<a href="https://microblog.example/intent/post?url={target}">X</a>'
        f'<a href="mailto:?subject={esc(article.title)}&amp;body={target}">Email</a></div>'
    )


def _related(site: GeneratedSite, article: Article) -> str:
    items = []
    for i, other in enumerate(site.related(article)):
        variant = LINK_VARIANTS[(article.serial + i) % len(LINK_VARIANTS)]
        items.append(f"<li>{_a(site.variant_path(other, variant), other.title)}</li>")
    return f'<section class="related"><h2>Related stories</h2><ul>{"".join(items)}</ul></section>'


def article_page(site: GeneratedSite, article: Article, base: str, *, amp: bool = False) -> str:
    """The article in its template; `amp=True` is the AMP duplicate (no sidebar, same canonical)."""
    canonical = base + article.path
    head = ""
    if article.template == "jsonld":
        head = _open_graph(site, article, base) + _json_ld(site, article, base)
    elif article.template == "microdata":
        head = f'<meta name="description" content="{esc(article.description)}">'
    body = ARTICLE_BODIES[article.template](article)
    if amp:
        return (
            f'<!DOCTYPE html>\n<html amp lang="en"><head><meta charset="utf-8">'
            f"<title>{esc(article.title)}</title>"
            f'<link rel="canonical" href="{canonical}">{head}</head><body>'
            f"<header>{_a('/', site.name)}</header><main>{body}</main></body></html>\n"
        )
    tags = "".join(f"<li>{_a(f'/tag/{t}/', t)}</li>" for t in article.tags)
    main = (
        f'<nav class="breadcrumb">{_a("/", "Home")} &rsaquo; '
        f"{_a(f'/section/{article.section}/', article.section.capitalize())}</nav>"
        f'{_share_bar(article, canonical)}{body}<ul class="tags">{tags}</ul>{_related(site, article)}'
        '<section id="comments"><h2>Comments</h2><p>Comments are closed for this article.</p></section>'
    )
    head += f'<link rel="amphtml" href="{base}{site.amp_path(article)}">'
    return layout(site, base, title=article.title, canonical=canonical, main=main, head=head)


# ----- listings and other pages -----


def _teaser(article: Article) -> str:
    return (
        f'<li class="teaser"><h2>{_a(article.path, article.title)}</h2>'
        f'<p class="summary">{esc(article.description)}</p>'
        f'<span class="byline">By {byline(_author_links(article))}</span> '
        f'<time datetime="{article.published.isoformat()}">{human_date(article.published)}</time></li>'
    )


def _pagination(prefix: str, page: int, pages: int) -> str:
    if pages == 1:
        return ""
    links = [_a(listing_path(prefix, 1), "First", "first")]
    if page > 1:
        links.append(_a(listing_path(prefix, page - 1), "Previous", "prev"))
    links.extend(
        _a(listing_path(prefix, n), str(n), "page") for n in range(max(1, page - 3), min(pages, page + 3) + 1)
    )
    if page < pages:
        links.append(_a(listing_path(prefix, page + 1), "Next", "next"))
    links.append(_a(listing_path(prefix, pages), "Last", "last"))
    return f'<nav class="pagination">{"".join(links)}</nav>'


def listing_page(
    site: GeneratedSite, base: str, *, heading: str, prefix: str, items: Sequence[Article], page: int
) -> str:
    """Page `page` (from 1) of a listing at `prefix`, PAGE_SIZE teasers, with pagination links."""
    pages = page_count(len(items), PAGE_SIZE)
    chunk = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    title = heading if page == 1 else f"{heading} (page {page})"
    main = (
        f'<h1>{esc(heading)}</h1><ul class="article-list">{"".join(_teaser(a) for a in chunk)}</ul>'
        f"{_pagination(prefix, page, pages)}"
    )
    return layout(site, base, title=title, canonical=base + listing_path(prefix, page), main=main)


def home_page(site: GeneratedSite, base: str) -> str:
    """Latest articles, section links, hazard links (variants, 404s, PDF) and links into the disallowed area."""
    latest = site.latest
    sections = "".join(f"<li>{_a(f'/section/{s}/', s.capitalize())}</li>" for s in site.sections)
    more = []
    for i, variant in enumerate(LINK_VARIANTS[1:] if latest else ()):
        other = latest[(LATEST_ON_HOME + i) % len(latest)]
        more.append(f"<li>{_a(site.variant_path(other, variant), other.title)}</li>")
    more += [f"<li>{_a(p, 'An older story')}</li>" for p in site.missing_paths]
    more.append(f"<li>{_a(site.pdf_path, 'Annual report (PDF)')}</li>")
    main = (
        f'<section class="top-stories"><h1>Latest news</h1><ul class="article-list">'
        f"{''.join(_teaser(a) for a in latest[:LATEST_ON_HOME])}</ul></section>"
        f'<section class="sections"><h2>Sections</h2><ul>{sections}</ul></section>'
        f'<section class="more"><h2>More stories</h2><ul>{"".join(more)}</ul></section>'
        f'<section class="staff"><ul><li>{_a("/private/", "Staff area")}</li>'
        f"<li>{_a('/search?q=budget', 'Everything about the budget')}</li></ul></section>"
    )
    return layout(site, base, title="Home", canonical=base + "/", main=main)


STATIC_PAGES: dict[str, tuple[str, str]] = {
    "about": (
        "About us",
        "We are an independent newsroom covering politics, the economy, science, sport and culture. "
        '<h2 id="cookies">Cookies</h2><p>We store a consent cookie and anonymous audience statistics.</p>'
        '<p><a href="/files/report.pdf">Read our annual report</a>.</p>',
    ),
    "contact": ("Contact", "Write to the newsroom at newsroom@sitegen.example or call +00 000 0000."),
}


def static_page(site: GeneratedSite, base: str, name: str) -> str:
    heading, body = STATIC_PAGES[name]
    main = f'<h1>{esc(heading)}</h1><div class="page-body"><p>{body}</p></div>'
    return layout(site, base, title=heading, canonical=f"{base}/{name}/", main=main)


def search_page(site: GeneratedSite, base: str, query: str) -> str:
    """Robots-disallowed: results link to articles with a `ref=search` parameter."""
    words = query.lower().split()
    hits = [a for a in site.latest if words and all(w in a.title.lower() for w in words)][:PAGE_SIZE]
    items = "".join(f"<li>{_a(a.path + '?ref=search', a.title)}</li>" for a in hits)
    main = f'<h1>Search results for "{esc(query)}"</h1><ul class="results">{items}</ul>'
    return layout(site, base, title=f"Search: {query}", canonical=f"{base}/search", main=main)


def private_page(site: GeneratedSite, base: str, draft: int | None) -> str:
    """Robots-disallowed staff pages: an index of drafts and the drafts themselves."""
    if draft is None:
        items = "".join(f"<li>{_a(f'/private/drafts/{n}/', f'Draft {n}')}</li>" for n in range(1, 4))
        main = f'<h1>Staff area</h1><ul class="drafts">{items}</ul>'
        return layout(site, base, title="Staff area", canonical=f"{base}/private/", main=main)
    main = f"<h1>Draft {draft}</h1><article><p>This draft is not for publication.</p></article>"
    return layout(site, base, title=f"Draft {draft}", canonical=f"{base}/private/drafts/{draft}/", main=main)

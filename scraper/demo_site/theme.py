"""The WordPress-like theme: the page shell (header, sidebar, footer, cookie notice) and article template A.

Template A carries its metadata the way most WordPress news sites do: OpenGraph and article:* meta, a Yoast-style
JSON-LD graph with a NewsArticle, and <time> elements in the entry header. Around the story sit the usual
distractions a crawler must see past: a search box, share bars, an inline "Read More:" promotion, an ad slot,
post navigation, "Related News", a "Trending" sidebar, a newsletter box, comments and a cookie notice.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scraper.demo_site.engine.markup import esc, json_ld, slugify
from scraper.demo_site.render import clock_time, iso, long_date, reading_minutes

if TYPE_CHECKING:
    from scraper.demo_site.content import Article
    from scraper.demo_site.render import View

SHARE_NETWORKS = ("Facebook", "X", "WhatsApp", "Email")
FOOTER_PAGES = ("about-us", "contact-us", "privacy-policy", "terms-and-conditions")
RECENT_COUNT = 5
RELATED_COUNT = 3


def _header(view: View) -> str:
    today = datetime.now(UTC)
    menu = "".join(
        f'<li class="menu-item menu-item-type-taxonomy"><a href="{esc(view.url(section.path))}">{esc(section.name)}</a></li>'
        for section in view.catalog.sections.values()
    )
    return f"""<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
  <div class="top-bar"><span class="top-bar__date">{today:%A}, {esc(long_date(today))}</span></div>
  <div class="site-branding">
    <a href="{esc(view.url("/"))}" class="custom-logo-link" rel="home"><img src="{esc(view.url("/wp-content/uploads/logo.png"))}" class="custom-logo" alt="{esc(view.catalog.name)}" width="240" height="60"></a>
    <p class="site-title"><a href="{esc(view.url("/"))}" rel="home">{esc(view.catalog.name)}</a></p>
    <p class="site-description">{esc(view.catalog.tagline)}</p>
  </div>
  <nav id="site-navigation" class="main-navigation" aria-label="Primary menu">
    <button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
    <ul id="primary-menu" class="menu"><li class="menu-item menu-item-home"><a href="{esc(view.url("/"))}">Home</a></li>{menu}</ul>
  </nav>
  <div class="header-search">
    <form role="search" method="get" class="search-form" action="{esc(view.url("/search/"))}">
      <label><span class="screen-reader-text">Search for:</span>
      <input type="search" class="search-field" placeholder="Type to Search" value="" name="q"></label>
      <button type="submit" class="search-submit">Search</button>
    </form>
  </div>
</header>"""


def _link_list(view: View, articles: list[Article], *, with_dates: bool) -> str:
    items = []
    for article in articles:
        date = f' <span class="post-date">{esc(long_date(article.published))}</span>' if with_dates else ""
        items.append(f'<li><a href="{esc(view.url(article.path))}">{esc(article.title)}</a>{date}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def _sidebar(view: View) -> str:
    trending = [view.site.article(slug) for slug in view.catalog.trending]
    return f"""<aside id="secondary" class="widget-area" role="complementary">
  <section class="widget widget_trending"><h3 class="widget-title">Trending</h3>{_link_list(view, trending, with_dates=False)}</section>
  <section class="widget widget_recent_entries"><h3 class="widget-title">Recent News</h3>{_link_list(view, view.latest(RECENT_COUNT), with_dates=True)}</section>
  <section class="widget widget_newsletter">
    <h3 class="widget-title">Subscribe to our newsletter</h3>
    <p>The morning briefing: the five stories you need, before your first cup of tea.</p>
    <form class="newsletter-form" method="post"><input type="email" name="email" placeholder="Your email address" required><button type="submit">Subscribe</button></form>
  </section>
</aside>"""


def _footer(view: View) -> str:
    pages = "".join(
        f'<li><a href="{esc(view.url(view.catalog.pages[slug].path))}">{esc(view.catalog.pages[slug].title)}</a></li>'
        for slug in FOOTER_PAGES
    )
    sections = "".join(
        f'<li><a href="{esc(view.url(section.path))}">{esc(section.name)}</a></li>'
        for section in view.catalog.sections.values()
    )
    return f"""<footer id="colophon" class="site-footer">
  <div class="footer-widgets">
    <div class="footer-about"><p>{esc(view.catalog.name)} brings you the latest news from Pakistan and around the world.</p></div>
    <ul class="footer-menu">{pages}<li><a href="{esc(view.url("/feed/"))}">RSS Feed</a></li></ul>
    <ul class="footer-sections">{sections}</ul>
  </div>
  <div class="site-info"><p class="copyright">&copy; {view.catalog.copyright_year} {esc(view.catalog.name)}. All rights reserved.</p></div>
</footer>
<div id="cookie-notice" class="cookie-notice" role="dialog" aria-live="polite"><span class="cookie-notice__text">We use cookies to remember your preferences and to understand how the site is read.</span> <a href="#" class="cookie-notice__accept">Accept</a></div>"""


def document(
    view: View,
    *,
    title: str,
    description: str,
    canonical: str,
    main: str,
    body_class: str,
    head_extra: str = "",
    robots: str = "index, follow",
) -> str:
    """A complete page of the WordPress theme around `main`."""
    return f"""<!DOCTYPE html>
<html lang="en-US" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="description" content="{esc(description)}">
<meta name="robots" content="{esc(robots)}">
<link rel="canonical" href="{esc(canonical)}">
<meta property="og:locale" content="en_US">
<meta property="og:site_name" content="{esc(view.catalog.name)}">
{head_extra}
<link rel="alternate" type="application/rss+xml" title="{esc(view.catalog.name)} &raquo; Feed" href="{esc(view.url("/feed/"))}">
<link rel="stylesheet" id="dispatch-style-css" href="{esc(view.url("/wp-content/themes/dispatch/style.css?ver=2.4.1"))}" media="all">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
</head>
<body class="{esc(body_class)}">
<div id="page" class="site">
{_header(view)}
<div id="content" class="site-content">
<main id="primary" class="site-main">
{main}
</main>
{_sidebar(view)}
</div>
{_footer(view)}
</div>
</body>
</html>
"""


def _article_ld(view: View, article: Article) -> str:
    url = view.url(article.path)
    people = [view.catalog.author_by_name(name) for name in article.authors]
    news = {
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "isPartOf": {"@id": url},
        "headline": article.title,
        "description": article.summary,
        "author": [{"@id": view.url(f"/#/schema/person/{person.slug}")} for person in people],
        "datePublished": iso(article.published),
        "mainEntityOfPage": {"@id": url},
        "wordCount": sum(len(p.split()) for p in article.paragraphs),
        "publisher": {"@id": view.url("/#organization")},
        "image": {"@type": "ImageObject", "url": view.url("/" + article.image), "width": 1200, "height": 675},
        "keywords": list(article.tags),
        "articleSection": [article.section],
        "inLanguage": "en-US",
    }
    if article.modified:
        # Only a real update gets a dateModified, so the page never claims an edit that did not happen.
        news["dateModified"] = iso(article.modified)
    page = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": f"{article.title} - {view.catalog.name}",
        "datePublished": iso(article.published),
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
        "inLanguage": "en-US",
    }
    crumbs = {
        "@type": "BreadcrumbList",
        "@id": f"{url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": view.url("/")},
            {
                "@type": "ListItem",
                "position": 2,
                "name": article.section,
                "item": view.url(view.section_of(article).path),
            },
            {"@type": "ListItem", "position": 3, "name": article.title},
        ],
    }
    organization = {
        "@type": "Organization",
        "@id": view.url("/#organization"),
        "name": view.catalog.name,
        "url": view.url("/"),
        "logo": {"@type": "ImageObject", "url": view.url("/wp-content/uploads/logo.png")},
    }
    persons = [
        {
            "@type": "Person",
            "@id": view.url(f"/#/schema/person/{p.slug}"),
            "name": p.name,
            "url": view.url(p.path),
        }
        for p in people
    ]
    graph = {"@context": "https://schema.org", "@graph": [news, page, crumbs, organization, *persons]}
    return f'<script type="application/ld+json" class="yoast-schema-graph">{json_ld(graph)}</script>'


def _article_head(view: View, article: Article) -> str:
    url = view.url(article.path)
    lines = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(article.title)}">',
        f'<meta property="og:description" content="{esc(article.summary)}">',
        f'<meta property="og:url" content="{esc(url)}">',
        f'<meta property="og:image" content="{esc(view.url("/" + article.image))}">',
        f'<meta property="article:section" content="{esc(article.section)}">',
        f'<meta property="article:published_time" content="{iso(article.published)}">',
    ]
    if article.modified:
        lines.append(f'<meta property="article:modified_time" content="{iso(article.modified)}">')
    lines += [f'<meta property="article:tag" content="{esc(tag)}">' for tag in article.tags]
    lines += [
        f'<meta name="author" content="{esc(", ".join(article.authors))}">',
        '<meta name="twitter:card" content="summary_large_image">',
        _article_ld(view, article),
    ]
    return "\n".join(lines)


def _byline(view: View, article: Article) -> str:
    links = [
        f'<span class="author vcard"><a class="url fn n" href="{esc(view.url(view.catalog.author_by_name(name).path))}">{esc(name)}</a></span>'
        for name in article.authors
    ]
    return '<span class="byline">by ' + " and ".join(links) + "</span>"


def _share_bar(view: View, article: Article, position: str) -> str:
    buttons = "".join(
        f'<a class="share-btn share-btn--{slugify(network)}" href="#share-{slugify(network)}" aria-label="Share on {network}">{network}</a>'
        for network in SHARE_NETWORKS
    )
    return f'<div class="share-bar share-bar--{position}"><span class="share-bar__label">Share</span>{buttons}</div>'


def _entry_content(view: View, article: Article, promo: Article | None) -> str:
    blocks = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        blocks.append(f"<p>{esc(paragraph)}</p>")
        if number == 2 and promo is not None and len(article.paragraphs) > 3:
            blocks.append(
                f'<p class="inline-promo"><strong>Read More: <a href="{esc(view.url(promo.path))}">{esc(promo.title)}</a></strong></p>'
            )
        if number == 4 and len(article.paragraphs) > 4:
            blocks.append(
                '<div class="ad-slot ad-slot--inarticle"><ins class="adsbygoogle" data-ad-slot="8842201"></ins>'
                "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>"
                '<p class="ad-label">Advertisement</p></div>'
            )
    return '<div class="entry-content">\n' + "\n".join(blocks) + "\n</div>"


def _neighbours(view: View, article: Article) -> tuple[Article | None, Article | None]:
    """The previous (older) and next (newer) posts, site-wide, as WordPress links them."""
    ordered = view.latest()
    index = ordered.index(article)
    newer = ordered[index - 1] if index > 0 else None
    older = ordered[index + 1] if index + 1 < len(ordered) else None
    return older, newer


def _post_navigation(view: View, article: Article) -> str:
    older, newer = _neighbours(view, article)
    parts = []
    if older:
        parts.append(
            f'<div class="nav-previous"><a href="{esc(view.url(older.path))}" rel="prev"><span class="nav-subtitle">Previous</span> <span class="nav-title">{esc(older.title)}</span></a></div>'
        )
    if newer:
        parts.append(
            f'<div class="nav-next"><a href="{esc(view.url(newer.path))}" rel="next"><span class="nav-subtitle">Next</span> <span class="nav-title">{esc(newer.title)}</span></a></div>'
        )
    return (
        '<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">'
        + "".join(parts)
        + "</div></nav>"
    )


def _related_block(view: View, article: Article, promo: Article | None) -> str:
    chosen = [a for a in view.related_articles(article) if a is not promo]
    for candidate in view.in_section(article.section_slug):
        if len(chosen) >= RELATED_COUNT:
            break
        if candidate not in chosen and candidate is not article and candidate is not promo:
            chosen.append(candidate)
    cards = "".join(
        f'<article class="related-post"><h3 class="related-post__title"><a href="{esc(view.url(a.path))}">{esc(a.title)}</a></h3>'
        f'<span class="related-post__date">{esc(long_date(a.published))}</span></article>'
        for a in chosen[:RELATED_COUNT]
    )
    return f'<section class="related-news"><h2 class="related-news__title">Related News</h2><div class="related-news__grid">{cards}</div></section>'


def _comments(view: View, article: Article) -> str:
    pool = view.catalog.comments
    start = zlib.crc32(article.slug.encode()) % len(pool)
    picked = [pool[start], pool[(start + 1) % len(pool)]]
    items = []
    for number, comment in enumerate(picked, start=1):
        when = article.published + timedelta(hours=3 * number)
        items.append(
            f'<li id="comment-{start * 10 + number}" class="comment"><article class="comment-body">'
            f'<footer class="comment-meta"><b class="fn">{esc(comment.name)}</b> <time datetime="{iso(when)}">{esc(long_date(when))} at {clock_time(when)}</time></footer>'
            f'<div class="comment-content"><p>{esc(comment.text)}</p></div></article></li>'
        )
    return f"""<section id="comments" class="comments-area">
  <h2 class="comments-title">{len(picked)} thoughts on &ldquo;{esc(article.title)}&rdquo;</h2>
  <ol class="comment-list">{"".join(items)}</ol>
  <div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3>
    <form class="comment-form" method="post"><textarea name="comment" placeholder="Your comment"></textarea><input name="author" placeholder="Name"><button type="submit">Post Comment</button></form>
  </div>
</section>"""


def _author_box(view: View, article: Article) -> str:
    author = view.catalog.author_by_name(article.authors[0])
    return f"""<div class="author-box">
  <img class="avatar" src="{esc(view.url(f"/wp-content/uploads/avatars/{author.slug}.jpg"))}" alt="Picture of {esc(author.name)}" width="80" height="80">
  <div class="author-box__text"><h4 class="author-box__name"><a href="{esc(view.url(author.path))}">{esc(author.name)}</a></h4><p class="author-box__bio">{esc(author.bio)}</p></div>
</div>"""


def article_page(view: View, article: Article) -> str:
    """Template A: the WordPress-like single post."""
    section = view.section_of(article)
    related = view.related_articles(article)
    promo = related[0] if related else None
    updated = (
        f'<time class="updated" datetime="{iso(article.modified)}">Updated {esc(long_date(article.modified))}</time>'
        if article.modified
        else ""
    )
    tags = "".join(
        f'<a href="{esc(view.url(f"/tag/{slugify(tag)}/"))}" rel="tag">{esc(tag)}</a>' for tag in article.tags
    )
    post_class = f"post type-post status-publish format-standard has-post-thumbnail category-{section.slug}"
    main = f"""<article id="post-{zlib.crc32(article.slug.encode()) % 90000 + 10000}" class="{post_class}">
  <header class="entry-header">
    <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{esc(view.url("/"))}">Home</a> &raquo; <a href="{esc(view.url(section.path))}">{esc(section.name)}</a></nav>
    <span class="cat-links"><a href="{esc(view.url(section.path))}" rel="category tag">{esc(section.name)}</a></span>
    <h1 class="entry-title">{esc(article.title)}</h1>
    <div class="entry-meta">{_byline(view, article)}
      <span class="posted-on"><time class="entry-date published" datetime="{iso(article.published)}">{esc(long_date(article.published))}</time> <span class="entry-time">{clock_time(article.published)}</span> {updated}</span>
      <span class="reading-time">{reading_minutes(article)} min read</span>
    </div>
  </header>
  {_share_bar(view, article, "top")}
  <figure class="post-thumbnail"><img src="{esc(view.url("/" + article.image))}" alt="{esc(article.title)}" width="1200" height="675"></figure>
  {_entry_content(view, article, promo)}
  <footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
  {_share_bar(view, article, "bottom")}
  {_author_box(view, article)}
  {_post_navigation(view, article)}
  {_related_block(view, article, promo)}
  {_comments(view, article)}
</article>"""
    return document(
        view,
        title=f"{article.title} - {view.catalog.name}",
        description=article.summary,
        canonical=view.url(article.path),
        main=main,
        body_class=f"post-template-default single single-post single-format-standard category-{section.slug}",
        head_extra=_article_head(view, article),
    )

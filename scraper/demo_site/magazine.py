"""Article template B: the magazine CMS that runs part of the site, with its own markup and class names.

Unlike the WordPress theme it has no JSON-LD and no article:* meta: the metadata is schema.org microdata
(itemprop headline / author / datePublished / dateModified / articleBody), the byline is visible text
("By A and B"), links are root-relative, and the lead photo sits in a <figure> with a caption and credit.
An "Also read" box inside the article body and a "More from <section>" block are its boilerplate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scraper.demo_site.engine.markup import byline, esc, slugify
from scraper.demo_site.render import iso, long_date, magazine_date

if TYPE_CHECKING:
    from scraper.demo_site.content import Article
    from scraper.demo_site.render import View

MORE_FROM_COUNT = 4
INLINE_LINK_AFTER = 3


def _masthead(view: View) -> str:
    links = "".join(
        f'<li class="primary-nav__item"><a class="primary-nav__link" href="{esc(section.path)}">{esc(section.name)}</a></li>'
        for section in view.catalog.sections.values()
    )
    return f"""<header class="masthead" role="banner">
  <div class="masthead__brand"><a class="masthead__logo" href="/">{esc(view.catalog.name)}</a><span class="masthead__strap">The Weekend Magazine</span></div>
  <nav class="primary-nav" aria-label="Sections"><ul class="primary-nav__list">{links}</ul></nav>
</header>"""


def _byline(view: View, article: Article) -> str:
    people = []
    for name in article.authors:
        author = view.catalog.author_by_name(name)
        people.append(
            f'<span class="contributor" itemprop="author" itemscope itemtype="https://schema.org/Person">'
            f'<a class="contributor__link" rel="author" itemprop="url" href="{esc(author.path)}"><span itemprop="name">{esc(name)}</span></a></span>'
        )
    return f'<p class="story-meta__byline">By {byline(people)}</p>'


def _dateline(article: Article) -> str:
    published = f'<time class="story-meta__date" itemprop="datePublished" datetime="{iso(article.published)}">{esc(magazine_date(article.published))}</time>'
    if not article.modified:
        return f'<p class="story-meta__dateline">{published}</p>'
    updated = f'<time itemprop="dateModified" datetime="{iso(article.modified)}">{esc(magazine_date(article.modified))}</time>'
    return f'<p class="story-meta__dateline">{published} <span class="story-meta__updated">Last modified on {updated}</span></p>'


def _body(view: View, article: Article) -> str:
    related = view.related_articles(article)
    blocks = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        blocks.append(f'<p class="story-body__para">{esc(paragraph)}</p>')
        if number == INLINE_LINK_AFTER and related and len(article.paragraphs) > INLINE_LINK_AFTER:
            target = related[0]
            blocks.append(
                f'<aside class="story-body__also" role="note"><span class="also__label">Also read</span> '
                f'<a class="also__link" href="{esc(target.path)}">{esc(target.title)}</a></aside>'
            )
    return '<div class="story-body" itemprop="articleBody">\n' + "\n".join(blocks) + "\n</div>"


def _more_from(view: View, article: Article) -> str:
    section = view.section_of(article)
    picks = [a for a in view.in_section(section.slug) if a is not article][:MORE_FROM_COUNT]
    items = "".join(
        f'<li class="more-from__item"><a class="more-from__link" href="{esc(a.path)}">{esc(a.title)}</a>'
        f'<span class="more-from__date">{esc(long_date(a.published))}</span></li>'
        for a in picks
    )
    return f"""<section class="more-from" aria-labelledby="more-from-title">
  <h2 id="more-from-title" class="more-from__title">More from {esc(section.name)}</h2>
  <ul class="more-from__list">{items}</ul>
  <a class="more-from__all" href="{esc(section.path)}">All {esc(section.name)} stories</a>
</section>"""


def _footer(view: View) -> str:
    pages = "".join(
        f'<a class="mag-footer__link" href="{esc(page.path)}">{esc(page.title)}</a>'
        for page in view.catalog.pages.values()
    )
    return f"""<footer class="mag-footer">
  <nav class="mag-footer__nav">{pages}<a class="mag-footer__link" href="/feed/">RSS</a></nav>
  <p class="mag-footer__legal">&copy; {view.catalog.copyright_year} {esc(view.catalog.name)}. Registered in Karachi. All rights reserved.</p>
</footer>"""


def article_page(view: View, article: Article) -> str:
    """Template B: the magazine story page."""
    section = view.section_of(article)
    url = view.url(article.path)
    image = view.url("/" + article.image)
    credit = (
        f'<span class="story-figure__credit">Photograph: {esc(article.credit)}</span>'
        if article.credit
        else ""
    )
    topics = " ".join(
        f'<a class="topic-chip" href="/tag/{slugify(tag)}/">{esc(tag)}</a>' for tag in article.tags
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(article.title)} | {esc(section.name)} | {esc(view.catalog.name)}</title>
<meta name="description" content="{esc(article.summary)}">
<link rel="canonical" href="{esc(url)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(article.title)}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:image" content="{esc(image)}">
<meta property="og:site_name" content="{esc(view.catalog.name)}">
<meta name="twitter:card" content="summary_large_image">
<link rel="stylesheet" href="/static/mag/css/story.3f9c1.css">
<script defer src="/static/mag/js/story.3f9c1.js"></script>
</head>
<body class="mag story-page section-{section.slug}">
{_masthead(view)}
<main class="story-wrap" id="maincontent">
<article class="story" itemscope itemtype="https://schema.org/NewsArticle">
  <meta itemprop="mainEntityOfPage" content="{esc(url)}">
  <div class="story__kicker"><a class="kicker" href="{esc(section.path)}"><span itemprop="articleSection">{esc(section.name)}</span></a></div>
  <h1 class="story__headline" itemprop="headline">{esc(article.title)}</h1>
  <p class="story__standfirst" itemprop="description">{esc(article.summary)}</p>
  <div class="story-meta">
    {_byline(view, article)}
    {_dateline(article)}
  </div>
  <figure class="story-figure" itemprop="image" itemscope itemtype="https://schema.org/ImageObject">
    <img class="story-figure__img" src="{esc(image)}" alt="{esc(article.caption or article.title)}" itemprop="url" loading="eager" width="1600" height="900">
    <figcaption class="story-figure__caption"><span itemprop="caption">{esc(article.caption)}</span> {credit}</figcaption>
  </figure>
  {_body(view, article)}
  <div class="story__topics"><span class="story__topics-label">Topics</span> {topics}</div>
  <div class="story__share"><a class="share share--fb" href="#fb">Share on Facebook</a> <a class="share share--x" href="#x">Share on X</a> <a class="share share--mail" href="#mail">Email this story</a></div>
</article>
{_more_from(view, article)}
</main>
{_footer(view)}
</body>
</html>
"""

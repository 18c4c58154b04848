"""The model of a generated news site: articles, listings, the site clock, mutations and test truth.

`GeneratedSite(n_articles=120, seed=1, sections=(...))` builds article *records* only (no HTML): the
text and every page are generated on demand, so a 10,000-article site costs a few MB and well under a
second. Everything is deterministic from the seed.

Facts a crawl test can rely on:

- `site.now` is the site's clock (default `DEFAULT_NOW`, 2026-05-04 12:00 +02:00, fixed; pass an aware
  `now=` for another, e.g. the real time when code under test compares dates with the wall clock).
  Articles are published over the `PUBLISH_SPAN` (60 days) before it, spread evenly with jitter. Every
  mutation moves the clock one minute forward, so a new modified time is later than every earlier one.
  `site.changed_at` is the time of the last change (Last-Modified of listings, feeds and sitemaps).
- `site.articles` lists the live `Article` records newest first (`published` desc, then slug desc). Their
  dates are aware datetimes in `site.tz` (the zone of `now`, UTC+02:00 by default), whole seconds. `article.lastmod` is modified or
  published; `article.body` is the paragraphs joined by blank lines, exactly as the page shows them.
- An article's canonical URL is `<base>/<section>/<slug>/`; `site.article_urls(base)` lists them for
  the live articles, `site.non_article_urls(base)` lists every crawlable HTML page that is not an
  article (home, all section/tag/author listing pages, /about/, /contact/).
- `site.disallowed_prefixes` are robots.txt's Disallow lines; nothing under them is in the truth lists.
- Templates (`TEMPLATES`): "jsonld" (JSON-LD NewsArticle + Open Graph + meta description),
  "microdata" (schema.org itemprops, visible "By A and B"), "plain" (h1, <time datetime>, a byline
  div, <article> of <p>s, no structured data); assigned round-robin by serial so each appears in any
  site of three or more articles. jsonld and microdata show the modified time only when the record has
  one; plain never shows it. The page's paragraphs are exactly `article.paragraphs`, its <h1> is
  exactly `article.title` (<title> is "Title | site name"), `article.description` is the first sentence.
- Hazards: `site.old_path(slug)` 301-redirects to the article; `site.missing_paths` are linked but 404;
  `site.flaky_path` (the 4th newest article at construction) answers 500 once per server (see
  `routes.SiteServer`, `fail_once=()` turns it off);
  `site.pdf_path` is a PDF. Link variants (`LINK_VARIANTS`) are spread over the home page and the
  related blocks: tracking parameters, fragments, AMP, no trailing slash, old URLs.
- Mutations: `add_article(...) -> slug`, `edit_article(slug) -> Article` (new text, modified = the
  new clock time), `delete_article(slug)` (then `deleted_status`, 404 by default or 410, and gone from
  listings, feeds and sitemaps). Hold `site.lock` to read consistently while a server runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from scraper.demo_site.engine.markup import slugify
from scraper.demo_site.engine.routing import listing_path, page_count
from scraper.demo_site.engine.store import ArticleStore
from tests.sitegen import text

DEFAULT_SECTIONS: tuple[str, ...] = ("politics", "economy", "science", "sport", "culture")
DEFAULT_NOW = datetime(2026, 5, 4, 12, 0, tzinfo=timezone(timedelta(hours=2)))
PUBLISH_SPAN = timedelta(days=60)
TEMPLATES: tuple[str, ...] = ("jsonld", "microdata", "plain")
PAGE_SIZE = 10
LATEST_ON_HOME = 20
LATEST_IN_FEEDS = 50
NEWS_SITEMAP_WINDOW = timedelta(days=2)
AUTHOR_POOL_SIZE = 24
SITE_NAME = "The Sitegen Herald"

#: How a link to an article may be written; `site.variant_path(article, variant)` builds each one.
LINK_VARIANTS: tuple[str, ...] = ("plain", "utm", "fbclid", "fragment", "amp", "amp_query", "no_slash", "old")

#: First path segments that belong to the site itself, so no section may take them.
RESERVED_SEGMENTS = frozenset(
    {"section", "tag", "author", "feed", "amp", "old", "files", "images", "private", "search", "sitemaps",
     "about", "contact", "page"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Article:
    """One article's record; text is generated from (site seed, serial, revision) when asked."""

    slug: str
    section: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    modified: datetime | None
    tags: tuple[str, ...]
    template: str
    serial: int
    seed: int
    revision: int = 0

    @property
    def section_slug(self) -> str:
        return self.section

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.slug}/"

    @property
    def lastmod(self) -> datetime:
        return self.modified or self.published

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return text.paragraphs(random.Random(f"text:{self.seed}:{self.serial}:{self.revision}"))

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def description(self) -> str:
        """The first sentence of the text, used as summary, meta description and feed description."""
        first = self.paragraphs[0]
        return first[: first.index(".") + 1]

    @property
    def author_slugs(self) -> tuple[str, ...]:
        return tuple(slugify(name) for name in self.authors)


class GeneratedSite(ArticleStore[Article]):
    """A deterministic news site model; see the module docstring for the facts tests rely on."""

    def __init__(
        self,
        n_articles: int = 120,
        seed: int = 1,
        sections: tuple[str, ...] = DEFAULT_SECTIONS,
        *,
        now: datetime | None = None,
        deleted_status: int = 404,
        name: str = SITE_NAME,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if n_articles < 1:
            raise ValueError("n_articles must be at least 1")
        bad = [s for s in sections if s in RESERVED_SEGMENTS or slugify(s) != s]
        if bad or not sections:
            raise ValueError(f"invalid sections: {bad or 'none given'}")
        super().__init__(sections=sections)
        self.seed = seed
        self.name = name
        self.tz = (now or DEFAULT_NOW).tzinfo
        self.now = (now or DEFAULT_NOW).replace(microsecond=0)
        self.launched = self.now - timedelta(days=365)
        self.deleted_status = deleted_status
        self.disallowed_prefixes: tuple[str, ...] = ("/private/", "/search")
        self.pdf_path = "/files/report.pdf"
        self.missing_paths: tuple[str, ...] = tuple(
            f"/{self.sections[i % len(self.sections)]}/removed-story-{i + 1}/" for i in range(3)
        )
        self._rng = random.Random(f"site:{seed}")
        self._authors = text.author_pool(self._rng, AUTHOR_POOL_SIZE)
        self._titles: set[str] = set()
        self._slugs: set[str] = set()
        self._serial = 0
        spacing = PUBLISH_SPAN / n_articles
        for i in range(n_articles):
            offset = spacing * (i + self._rng.random() * 0.9)
            self._create(published=self.now - timedelta(seconds=int(offset.total_seconds()) + 60))
        self.changed_at = max(a.lastmod for a in self._live.values())
        self.flaky_path = self.latest[min(3, n_articles - 1)].path

    # ----- building -----

    def _unique_title(self, digits: text.Digits) -> str:
        while True:
            candidate = text.title(digits)
            if candidate not in self._titles and slugify(candidate) not in self._slugs:
                return candidate
            digits = text.Digits(self._rng.getrandbits(64))

    def _create(
        self,
        *,
        published: datetime,
        section: str | None = None,
        title: str | None = None,
        authors: tuple[str, ...] | None = None,
        tags: tuple[str, ...] | None = None,
        template: str | None = None,
        modified: datetime | None = None,
        generated_modified: bool = True,
    ) -> Article:
        serial = self._serial
        self._serial += 1
        digits = text.Digits(self._rng.getrandbits(128))
        authors = authors or digits.sample(self._authors, 1 + digits.below(3))
        tags = tags or digits.sample(text.TAGS, 2 + digits.below(3))
        if generated_modified and modified is None and digits.below(10) < 3:
            modified = min(published + timedelta(hours=1 + digits.below(30)), self.now)
        title = title or self._unique_title(digits)
        slug = slugify(title)
        if not slug or slug in self._slugs or title in self._titles:
            raise ValueError(f"title already used or empty: {title!r}")
        article = Article(
            slug=slug,
            section=section or self.sections[serial % len(self.sections)],
            title=title,
            authors=authors,
            published=published.astimezone(self.tz),
            modified=modified.astimezone(self.tz) if modified else None,
            tags=tags,
            template=template or TEMPLATES[serial % len(TEMPLATES)],
            serial=serial,
            seed=self.seed,
        )
        if article.section not in self.sections or article.template not in TEMPLATES:
            raise ValueError(f"unknown section or template: {article.section!r}, {article.template!r}")
        self._titles.add(title)
        self._slugs.add(slug)
        self.put(article)
        return article

    # ----- clock and mutations -----

    def tick(self) -> datetime:
        """Move the clock one minute forward and return the new time (every mutation does this)."""
        self.now += timedelta(minutes=1)
        self.changed_at = self.now
        return self.now

    def add_article(
        self,
        section: str | None = None,
        *,
        title: str | None = None,
        authors: tuple[str, ...] | list[str] | None = None,
        tags: tuple[str, ...] | list[str] | None = None,
        template: str | None = None,
    ) -> str:
        """Publish a new article at the new clock time; it tops the home page, feeds and sitemaps."""
        with self.lock:
            article = self._create(
                published=self.tick(),
                section=section,
                title=title,
                authors=tuple(authors) if authors else None,
                tags=tuple(tags) if tags else None,
                template=template,
                generated_modified=False,
            )
            return article.slug

    def edit_article(self, slug: str) -> Article:
        """New text (next revision) and modified = the new clock time: new ETag, Last-Modified, lastmod."""
        with self.lock:
            old = self.article(slug)
            new = replace(old, revision=old.revision + 1, modified=self.tick())
            self.put(new)
            return new

    def delete_article(self, slug: str) -> None:
        """Remove from every listing, feed and sitemap; its URL then answers `deleted_status`."""
        with self.lock:
            self.remove(slug)
            self.tick()

    # ----- lookups (the rest come with ArticleStore: index, latest, articles, article, find, deleted) -----

    def news_articles(self) -> tuple[Article, ...]:
        """Articles published within NEWS_SITEMAP_WINDOW before `now` (the Google News sitemap)."""
        since = self.now - NEWS_SITEMAP_WINDOW
        return tuple(a for a in self.latest if a.published >= since)

    def related(self, article: Article, count: int = 4) -> tuple[Article, ...]:
        """Neighbours of the article in its section listing (never the article itself)."""
        peers = self.index.by_section[article.section]
        if article not in peers:
            return ()
        at = peers.index(article)
        around = [*peers[at + 1 : at + 1 + count], *reversed(peers[max(0, at - count) : at])]
        return tuple(around[:count])

    # ----- paths -----

    def old_path(self, slug: str) -> str:
        """A legacy URL that 301-redirects to the article."""
        return f"/old/{slug}"

    def amp_path(self, article: Article) -> str:
        return f"/amp/{article.section}/{article.slug}/"

    def variant_path(self, article: Article, variant: str) -> str:
        """The href written for a link of this variant (one of LINK_VARIANTS)."""
        path = article.path
        forms = {
            "plain": path,
            "utm": f"{path}?utm_source=x&utm_medium=y",
            "fbclid": f"{path}?fbclid=IwAR{article.serial:06d}",
            "fragment": f"{path}#comments",
            "amp": self.amp_path(article),
            "amp_query": f"{path}?amp=1",
            "no_slash": path.rstrip("/"),
            "old": self.old_path(article.slug),
        }
        return forms[variant]

    def section_pages(self, section: str) -> int:
        return page_count(len(self.index.by_section[section]), PAGE_SIZE)

    def non_article_paths(self) -> list[str]:
        """Every crawlable (robots-allowed) HTML page that is not an article, in a stable order."""
        index = self.index
        paths = ["/"]
        groups = [
            *((f"/section/{s}/", index.by_section[s]) for s in self.sections),
            *((f"/tag/{t}/", items) for t, items in index.by_tag.items()),
            *((f"/author/{a}/", items) for a, items in index.by_author.items()),
        ]
        for prefix, items in groups:
            paths.extend(listing_path(prefix, n) for n in range(1, page_count(len(items), PAGE_SIZE) + 1))
        paths.extend(["/about/", "/contact/"])
        return paths

    # ----- test truth with a base URL -----

    def article_urls(self, base: str) -> list[str]:
        """Canonical URLs of the live articles, newest first."""
        base = base.rstrip("/")
        return [base + a.path for a in self.latest]

    def non_article_urls(self, base: str) -> list[str]:
        base = base.rstrip("/")
        return [base + p for p in self.non_article_paths()]

    def feed_urls(self, base: str) -> dict[str, str]:
        base = base.rstrip("/")
        return {
            "rss": f"{base}/feed/rss.xml",
            "atom": f"{base}/feed/atom.xml",
            "json": f"{base}/feed/feed.json",
        }

    def sitemap_paths(self) -> list[str]:
        """Per-section sitemaps in index order; the first section's is gzipped."""
        return [
            f"/sitemaps/{s}.xml.gz" if i == 0 else f"/sitemaps/{s}.xml" for i, s in enumerate(self.sections)
        ]

    def is_disallowed(self, path: str) -> bool:
        return path.startswith(self.disallowed_prefixes)

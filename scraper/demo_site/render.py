"""Rendering primitives of the demo's templates: the view (site + base URL), page size and date formats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scraper.demo_site.engine.markup import slugify

if TYPE_CHECKING:
    from datetime import datetime

    from scraper.demo_site.content import Article, Catalog, Section
    from scraper.demo_site.site import Site

#: Articles per page on section, tag and author listings.
PAGE_SIZE = 6


def long_date(moment: datetime) -> str:
    """'March 6, 2025', the WordPress theme's date format."""
    return f"{moment:%B} {moment.day}, {moment.year}"


def clock_time(moment: datetime) -> str:
    """'2:42 pm'."""
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def magazine_date(moment: datetime) -> str:
    """'Wed 21 Jan 2026 15.00 UTC+05:00', the magazine template's dateline."""
    offset = moment.strftime("%z")
    return f"{moment:%a} {moment.day} {moment:%b %Y %H.%M} UTC{offset[:3]}:{offset[3:]}"


def reading_minutes(article: Article) -> int:
    return max(1, round(sum(len(p.split()) for p in article.paragraphs) / 220))


def iso(moment: datetime) -> str:
    return moment.isoformat()


@dataclass(frozen=True, slots=True)
class View:
    """What every template needs: the site as it is now and the origin the server answers on."""

    site: Site
    base_url: str  #: with a trailing slash, e.g. "http://127.0.0.1:8123/"

    @property
    def catalog(self) -> Catalog:
        return self.site.catalog

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def section_of(self, article: Article) -> Section:
        return self.catalog.sections[article.section_slug]

    def in_section(self, section_slug: str) -> list[Article]:
        return list(self.site.index.by_section.get(section_slug, ()))

    def by_author(self, name: str) -> list[Article]:
        return list(self.site.index.by_author.get(slugify(name), ()))

    def tagged(self, tag_slug: str) -> list[Article]:
        return list(self.site.index.by_tag.get(tag_slug, ()))

    def latest(self, count: int | None = None) -> list[Article]:
        return list(self.site.latest[:count])

    def related_articles(self, article: Article) -> list[Article]:
        return [self.site.article(slug) for slug in article.related]

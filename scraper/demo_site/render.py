"""Rendering primitives shared by the site's templates: the view (catalog + base URL), escaping, date formats."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scraper.demo_site.content import slugify

if TYPE_CHECKING:
    from scraper.demo_site.content import Article, Catalog, Section

#: Articles per page on section, tag and author listings.
PAGE_SIZE = 6


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script> block: '</' is escaped so the text cannot close the element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


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


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class View:
    """What every template needs: the content and the origin the server answers on."""

    catalog: Catalog
    base_url: str  #: with a trailing slash, e.g. "http://127.0.0.1:8123/"

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def section_of(self, article: Article) -> Section:
        return self.catalog.sections[article.section_slug]

    def in_section(self, section_slug: str) -> list[Article]:
        return [a for a in self.catalog.articles.values() if a.section_slug == section_slug]

    def by_author(self, name: str) -> list[Article]:
        return [a for a in self.catalog.articles.values() if name in a.authors]

    def tagged(self, tag_slug: str) -> list[Article]:
        return [a for a in self.catalog.articles.values() if tag_slug in {slugify(t) for t in a.tags}]

    def latest(self, count: int) -> list[Article]:
        return list(self.catalog.articles.values())[:count]

    def related_articles(self, article: Article) -> list[Article]:
        return [self.catalog.articles[slug] for slug in article.related]

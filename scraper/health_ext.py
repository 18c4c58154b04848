"""Scrapy extension: at the end of a finished run, record each site's extraction health and flag drops.

The flags land in the run's stats (`newsarchive/health/flags`), so `newsarchive refresh` can exit with its
own code and name the site and field, whichever way the crawl was started.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from storage.db import ArchiveError, open_archive
from storage.health import record_health, site_reports

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
STATS_KEY = "newsarchive/health/flags"


class HealthRecorder:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.min_body = settings.getint("NEWSARCHIVE_HEALTH_MIN_BODY", 200)
        self.window = settings.getint("NEWSARCHIVE_HEALTH_WINDOW", 7)
        self.margin = settings.getfloat("NEWSARCHIVE_HEALTH_MARGIN", 0.2)
        self.min_sample = settings.getint("NEWSARCHIVE_HEALTH_MIN_SAMPLE", 5)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthRecorder:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        run_id = stats.get_value("newsarchive/run_id")
        if reason != "finished" or run_id is None:
            return  # a partial run would read as a drop
        try:
            with open_archive(self.crawler.settings.get("NEWSARCHIVE_DB"), upgrade=False) as archive:
                with archive.sessions.begin() as session:
                    sites = record_health(session, run_id, self.min_body)
                with archive.sessions() as session:
                    reports = site_reports(
                        session,
                        window=self.window,
                        margin=self.margin,
                        min_sample=self.min_sample,
                        sites=sites,
                        run_id=run_id,
                    )
        except (SQLAlchemyError, ArchiveError) as error:
            logger.error("could not record extraction health: %s", error)
            return
        flags = [f"{report.site}: {flag}" for report in reports for flag in report.flags]
        for flag in flags:
            logger.warning("extraction health: %s", flag)
        stats.set_value(STATS_KEY, flags)

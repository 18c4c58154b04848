"""Log lines that name a page instead of dumping it: a fetched page item holds the whole response body,
and Scrapy's default lines print items in full, which would fill a cron log with HTML."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.logformatter import LogFormatterResult
    from twisted.python.failure import Failure


def _label(item: Any) -> str:
    url = getattr(item, "url", None) or (item.get("url") if isinstance(item, dict) else None)
    return f"{type(item).__name__} {url}" if url else type(item).__name__


class PageLogFormatter(LogFormatter):
    """Scrapy's log formatter with items shown as their type and URL."""

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "Scraped %(item)s", "args": {"item": _label(item)}}

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        args = {"exception": exception, "item": _label(item)}
        return {**result, "msg": "Dropped %(item)s: %(exception)s", "args": args}

    def item_error(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        return {**super().item_error(item, exception, response, spider), "args": {"item": _label(item)}}

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from scraper.progress import ProgressLine


def test_progress_line_shows_the_run_counters():
    stats = MemoryStatsCollector(get_crawler())
    stats.set_value("downloader/response_count", 42)
    stats.set_value("newsarchive/store/new", 7)
    stats.set_value("newsarchive/store/unchanged", 3)
    stats.set_value("newsarchive/store/failed", 2)
    line = ProgressLine(stats).line()
    assert "fetched 42" in line and "articles 10 (new 7" in line and "failed 2" in line


def test_progress_is_off_unless_asked():
    import pytest
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        ProgressLine.from_crawler(get_crawler(settings_dict={"NEWSARCHIVE_PROGRESS": False}))
    assert isinstance(
        ProgressLine.from_crawler(get_crawler(settings_dict={"NEWSARCHIVE_PROGRESS": True})), ProgressLine
    )

"""Scrapy settings for newsarchive, plus NEWSARCHIVE_* settings. The pipeline order lives here."""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# Politeness: identify ourselves, obey robots.txt, adapt to the server's speed.
USER_AGENT = "newsarchive/0.1 (news archiving for research; +https://pypi.org/project/newsarchive/)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Retries with backoff on overload and server errors; Retry-After is honoured by our middleware.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.middlewares.StrictRobotsTxtMiddleware": 100,  # an unreadable robots.txt forbids, not allows
    # Only after a killed run: answers what it downloaded (after robots.txt and conditional headers).
    "scraper.resume.ReplayKilledRunMiddleware": 570,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.BackoffRetryMiddleware": 550,
    "scraper.middlewares.ConditionalRequestMiddleware": 560,
    "scraper.middlewares.RedirectLoopMiddleware": 650,
    # Next to the network, so it records every response as received (redirects, errors, before decoding).
    "scraper.warc_writer.WarcWriterMiddleware": 880,
    "scraper.shared_delay.SharedDelayMiddleware": 900,  # only with a shared frontier (--redis)
}
SPIDER_MIDDLEWARES = {
    "scraper.warc_writer.WarcPointerMiddleware": 940,
    # Tells a shared frontier when a request's items are stored (no-op otherwise).
    "scraper.leases.TrackOutputMiddleware": 950,
}
EXTENSIONS = {
    "scraper.health_ext.HealthRecorder": 600,
    # Journals each response as it is downloaded, for the run after one killed outright (scraper.resume).
    "scraper.resume.ResponseJournalExtension": 610,
}

ITEM_PIPELINES = {
    "pipelines.extract_stage.ExtractPipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.store.StorePipeline": 300,
}

# A retry waits in the scheduler, not in the downloader (see scraper.delayed).
SCHEDULER = "scraper.delayed.DelayingScheduler"
# Crawl order: breadth-first keeps memory flat and finds listings' articles early.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

#: Response bytes a crawl holds while their items are processed (Scrapy's default is 5 MB). Items wait for
#: the worker process; a smaller allowance pauses downloads sooner, keeping memory flat at no cost in speed.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
#: Outputs of one response processed at once. A page yields one item and a few requests; Scrapy starts this
#: many asyncio tasks for every response whatever it yields, so its default (100) costs more than it serves.
CONCURRENT_ITEMS = 16
LOG_LEVEL = "INFO"
LOG_FORMATTER = "scraper.logformat.PageLogFormatter"
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"

# --- newsarchive settings -------------------------------------------------------------------------
#: Database URL; None means the NEWSARCHIVE_DB environment variable, then sqlite:///newsarchive.db.
NEWSARCHIVE_DB = None
#: "crawl" (full discovery), "refresh" (incremental daily run) or "demo".
NEWSARCHIVE_RUN_KIND = "crawl"
#: Pages fetched per site per run at most, unless the sites file says otherwise.
NEWSARCHIVE_MAX_PAGES_PER_SITE = 5000
#: Store raw response bodies of non-article pages too (listings, static pages).
NEWSARCHIVE_STORE_LISTING_PAGES = True
#: Backoff base in seconds for retries without Retry-After (doubles each attempt), and its cap.
NEWSARCHIVE_BACKOFF_BASE = 1.0
NEWSARCHIVE_BACKOFF_MAX = 120.0
#: A refresh follows links this many levels deep from the front page (sections, then their articles).
NEWSARCHIVE_REFRESH_DEPTH = 2
#: Besides recent articles (a site's recheck_days), a refresh re-checks this many of the stalest others.
NEWSARCHIVE_RECHECK_ROLLING = 25
#: ...and up to this many known articles that no longer appear in any of the site's sitemaps.
NEWSARCHIVE_RECHECK_DROPPED = 500
#: Extract and store in a second process, so the crawl and the processing use two cores.
NEWSARCHIVE_WORKER_PROCESS = True
#: Show a one-line progress display (the CLI turns it on when stderr is a terminal).
NEWSARCHIVE_PROGRESS = False
#: Write every fetched response to WARC files in this directory (None: no WARC files); `--warc DIR`.
NEWSARCHIVE_WARC_DIR = None
#: A WARC file is closed and the next one begun once it reaches this many bytes.
NEWSARCHIVE_WARC_MAX_SIZE = 1_000_000_000
#: Extraction health: a site is flagged when the share of its articles with a field drops by more than this
#: against the trailing median of its last NEWSARCHIVE_HEALTH_WINDOW runs, or its article count falls to zero.
NEWSARCHIVE_HEALTH_MARGIN = 0.2
NEWSARCHIVE_HEALTH_WINDOW = 7
#: Characters a body needs to count as one in the health shares.
NEWSARCHIVE_HEALTH_MIN_BODY = 200
#: Runs that extracted fewer of a site's articles than this are not compared (too few to judge).
NEWSARCHIVE_HEALTH_MIN_SAMPLE = 5
#: Seconds a worker of a shared frontier (--redis) holds a request it took before the others may take it
#: back (it renews the lease while it lives; a killed worker's leases expire after this long).
NEWSARCHIVE_LEASE_SECONDS = 60.0
#: Requests a worker of a shared frontier holds at once at most: what the others redo if it is killed.
NEWSARCHIVE_MAX_LEASES = 8
#: Requests one crawl holds at once at most, downloading or waiting for extraction and storage: what a
#: crawl killed outright (SIGKILL) must fetch again when the next run resumes.
NEWSARCHIVE_MAX_IN_FLIGHT = 32
#: Seconds after its start within which a killed run is replayed (its stored pages and journaled responses
#: answer the next run instead of the site): a run started later, such as the next day's refresh, reads the
#: sites' home pages, feeds and sitemaps afresh rather than what the killed run saw.
NEWSARCHIVE_REPLAY_MAX_AGE = 6 * 3600

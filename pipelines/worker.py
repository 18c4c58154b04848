"""Worker processes for the CPU-heavy part of each item (extraction, writing rows).

Scrapy runs spiders, middlewares and pipelines in one thread; on a machine with more than one core the
crawl would otherwise wait on extraction and the database while a core sits idle. A crawl gets one worker
process per role: one extracts, one writes (a single writer, as SQLite wants). When a worker cannot start,
or dies, its work runs inline.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import signals

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
T = TypeVar("T")
_ATTRIBUTE = "_newsarchive_worker"
#: Most pieces of work submitted to the worker and not yet done.
MAX_PENDING = 16


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group; the crawl stops gracefully and the worker finishes its items.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A crawl killed outright (SIGKILL) cannot shut its worker down: the worker leaves with it.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True, name="parent-watch").start()


def _exit_with(parent_sentinel: int) -> None:
    multiprocessing.connection.wait([parent_sentinel])
    os._exit(1)  # uncommitted work rolls back; every committed item is safe


class Worker:
    """Runs picklable functions in the crawl's worker process, or inline."""

    def __init__(self, enabled: bool) -> None:
        self.pool: ProcessPoolExecutor | None = None
        # Work waiting for the worker holds whole pages; bounding it makes Scrapy slow its downloads down
        # (its scraper slot fills) instead of letting memory grow with the length of the crawl.
        self.slots = asyncio.Semaphore(MAX_PENDING)
        if enabled:
            self.pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker
            )
            self.pool.submit(int)  # start the process now: its imports overlap with the crawl's start

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self.pool is None:
            return function(*args)
        try:
            async with self.slots:
                return await asyncio.wrap_future(self.pool.submit(function, *args))
        except BrokenProcessPool:
            logger.error("the worker process died; running the rest of this crawl's work inline")
            self.pool = None
            return function(*args)

    async def close(self) -> None:
        """Wait for the worker to exit on a thread, not on the reactor's: Scrapy closes its HTTP connections
        alongside (engine_stopped too) with a one-second timer, and a reactor blocked that long lets the timer
        fire after the connections closed (AlreadyCalledError logged after "Spider closed")."""
        if self.pool is not None:
            await asyncio.to_thread(self.pool.shutdown, wait=True)
            self.pool = None


def worker_for(crawler: Crawler, role: str) -> Worker:
    """The crawl's worker for one role ("extract", "store"): each role has its own process, so extraction
    of one page overlaps with writing the previous one. NEWSARCHIVE_WORKER_PROCESS=False keeps work inline."""
    workers: dict[str, Worker] = getattr(crawler, _ATTRIBUTE, None) or {}
    setattr(crawler, _ATTRIBUTE, workers)
    if role not in workers:
        workers[role] = Worker(crawler.settings.getbool("NEWSARCHIVE_WORKER_PROCESS", True))
        crawler.signals.connect(workers[role].close, signal=signals.engine_stopped)
    return workers[role]

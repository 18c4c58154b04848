"""Worker processes for the CPU-heavy part of each item (extraction, writing rows).

Scrapy runs spiders, middlewares and pipelines in one thread; on a machine with more than one core the
crawl would otherwise wait on extraction and the database while a core sits idle. A crawl gets one worker
process per role: one extracts, one writes (a single writer, as SQLite wants).

A worker that dies (a page that crashes lxml, the out-of-memory killer) is replaced by a fresh process.
The work that was in flight is tried once more, one piece at a time, so the piece that killed the worker
is found: it fails with WorkerDied (the caller records it) and is never run in the crawl's own process,
where it would kill the crawl. Workers ignore SIGINT and SIGTERM: a stop signal sent to the whole process
group (Ctrl-C, systemd stopping the service) reaches the crawl, which stops cleanly and hands its last
items over before it shuts the workers down.
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
#: Fresh processes started for one role before its work runs inline (a crash on every page is a bug).
MAX_RESTARTS = 20


class WorkerDied(RuntimeError):
    """The worker process died while running this piece of work, alone: the work itself killed it."""


def _start_worker() -> None:
    # Stop signals reach the whole process group; the crawl stops gracefully and shuts the worker down
    # once the last items are handed over.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # A crawl killed outright (SIGKILL) cannot shut its worker down: the worker leaves with it.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True, name="parent-watch").start()


def _exit_with(parent_sentinel: int) -> None:
    multiprocessing.connection.wait([parent_sentinel])
    os._exit(1)  # uncommitted work rolls back; every committed item is safe


def _new_pool() -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker
    )
    pool.submit(int)  # start the process now: its imports overlap with the crawl's start
    return pool


class Worker:
    """Runs picklable functions in the crawl's worker process, or inline when the process is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.pool: ProcessPoolExecutor | None = _new_pool() if enabled else None
        self.restarts = 0
        # Work waiting for the worker holds whole pages; bounding it makes Scrapy slow its downloads down
        # (its scraper slot fills) instead of letting memory grow with the length of the crawl.
        self.slots = asyncio.Semaphore(MAX_PENDING)
        #: held while work that was in flight when a worker died is tried again, one piece at a time
        self.suspects = asyncio.Lock()
        #: pieces waiting to be tried again; new work waits until they are through (set: none waiting)
        self.waiting = 0
        self.clear = asyncio.Event()
        self.clear.set()

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor | None:
        """The pool to use after `broken` died: a fresh one, made once however many callers saw it break."""
        if self.pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self.restarts += 1
            if self.restarts > MAX_RESTARTS:
                logger.error("the worker process died %d times; running the rest inline", self.restarts)
                self.pool = None
            else:
                logger.error("the worker process died; starting a new one")
                self.pool = _new_pool()
        return self.pool

    async def _submit(self, pool: ProcessPoolExecutor, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.wrap_future(pool.submit(function, *args))

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self.pool is None:
            return function(*args)
        async with self.slots:
            await self.clear.wait()
            pool = self.pool  # one reference for this call: another call may replace self.pool meanwhile
            if pool is None:
                return function(*args)
            try:
                return await self._submit(pool, function, *args)
            except BrokenProcessPool:
                self.waiting += 1
                self.clear.clear()
            try:
                return await self._retry_alone(pool, function, *args)
            finally:
                self.waiting -= 1
                if not self.waiting:
                    self.clear.set()

    async def _retry_alone(self, broken: ProcessPoolExecutor, function: Callable[..., T], *args: Any) -> T:
        """In flight when the worker died: innocent or the culprit. Alone on a fresh worker, we know."""
        async with self.suspects:
            retry = self._replace(broken)
            if retry is None:
                return function(*args)
            try:
                return await self._submit(retry, function, *args)
            except BrokenProcessPool:
                self._replace(retry)
                raise WorkerDied(f"the worker process died running {function.__name__}") from None

    async def close(self) -> None:
        """Wait for the worker to exit on a thread, not on the reactor's: Scrapy closes its HTTP connections
        alongside (engine_stopped too) with a one-second timer, and a reactor blocked that long lets the timer
        fire after the connections closed (AlreadyCalledError logged after "Spider closed")."""
        pool, self.pool = self.pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True)


def worker_for(crawler: Crawler, role: str) -> Worker:
    """The crawl's worker for one role ("extract", "store"): each role has its own process, so extraction
    of one page overlaps with writing the previous one. NEWSARCHIVE_WORKER_PROCESS=False keeps work inline."""
    workers: dict[str, Worker] = getattr(crawler, _ATTRIBUTE, None) or {}
    setattr(crawler, _ATTRIBUTE, workers)
    if role not in workers:
        workers[role] = Worker(crawler.settings.getbool("NEWSARCHIVE_WORKER_PROCESS", True))
        crawler.signals.connect(workers[role].close, signal=signals.engine_stopped)
    return workers[role]

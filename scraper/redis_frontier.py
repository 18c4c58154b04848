"""A crawl frontier shared through Redis (scrapy-redis underneath), so several workers crawl one set of sites.

What scrapy-redis lacks, added here:

- Leases. scrapy-redis removes a request from the queue when a worker takes it; a worker killed then
  loses it for good (its fingerprint stays in the seen-set, so nobody fetches it). Here taking a request
  moves it to a lease set with an expiry; the worker renews its leases while it lives and releases each
  once the response is handled and its items stored (scraper.leases). A dead worker's leases expire and
  go back to the queue for the others: at-least-once, and upserts make a second fetch harmless.
- One politeness budget per site across all workers (scraper.shared_delay): each request reserves the
  next free moment of its site in Redis, so N workers together keep the site's delay, not N times it.
- One crawl_runs row for all workers: the first worker creates it, the others join it, each adds its
  counts when it stops and the last one sets the status.

The queue, the seen-set and the leases outlive an interrupted run (it resumes, on any worker). They are
cleared when the last live worker finishes with nothing queued or leased, so tomorrow's refresh starts
afresh. Workers register in a sorted set with a heartbeat; one silent for a lease's length is gone.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from scraper.delayed import HoldsDelayedRequests
from scraper.leases import TRACKER_ATTRIBUTE, OutputTracker
from storage.db import open_archive
from storage.runs import start_run

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)

#: Request meta key: the encoded request as leased (what releases the lease).
LEASE = "newsarchive_lease"
#: Default seconds a lease lasts without renewal: how long the others wait before redoing a dead worker's work.
#: A worker renews its leases and its heartbeat four times as often; one silent this long is gone.
LEASE_SECONDS = 60.0
#: Requests one worker holds at most (downloading, or waiting for extraction and storage): a worker killed
#: outright costs at most this many repeated requests.
MAX_LEASES = 8

#: Move expired leases back to the queue, then lease the first request. KEYS: queue, leases, scores, reclaimed.
#: ARGV: lease seconds. Redis' own clock, so workers on several machines agree. Returns the request or nil.
_POP = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1e6
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, member in ipairs(expired) do
  redis.call('ZADD', KEYS[1], tonumber(redis.call('HGET', KEYS[3], member) or '0'), member)
  redis.call('ZREM', KEYS[2], member)
  redis.call('INCR', KEYS[4])
end
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), top[1])
redis.call('HSET', KEYS[3], top[1], top[2])
return top[1]
"""


class _RoundTrips:
    """Counts this process' Redis round trips (a pipeline is one), for the stats and the benchmark."""

    count = 0
    installed = False

    @classmethod
    def install(cls) -> None:
        import redis.client

        if cls.installed:
            return
        cls.installed = True
        # A pipeline has its own execute_command (queueing, no round trip) and one round trip in execute.
        for owner, name in ((redis.client.Redis, "execute_command"), (redis.client.Pipeline, "execute")):
            original = getattr(owner, name)

            def counted(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                cls.count += 1
                return _original(self, *args, **kwargs)

            setattr(owner, name, counted)


class LeasedQueue(Base):
    """A priority queue whose pop leases the request instead of removing it (see the module docstring)."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.leases_key = f"{self.key}:leases"
        self.scores_key = f"{self.key}:scores"
        self.reclaimed_key = f"{self.key}:reclaimed"
        self.lease_seconds = float(spider.settings.getfloat("NEWSARCHIVE_LEASE_SECONDS", LEASE_SECONDS))
        self._pop = server.register_script(_POP)

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def push(self, request: Request) -> None:
        request.meta.pop(LEASE, None)
        self.server.execute_command("ZADD", self.key, -request.priority, self._encode_request(request))

    def pop(self, timeout: int = 0) -> Request | None:
        data = self._pop(keys=[self.key, self.leases_key, self.scores_key, self.reclaimed_key],
                         args=[self.lease_seconds])
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[LEASE] = data
        return request

    def release(self, data: bytes) -> None:
        """The request is done with: forget its lease."""
        self.server.pipeline().zrem(self.leases_key, data).hdel(self.scores_key, data).execute()

    def give_back(self, data: bytes) -> None:
        """The request was not done: queue it again now rather than when its lease would expire."""
        score = self.server.hget(self.scores_key, data) or 0
        self.server.pipeline().zadd(self.key, {data: float(score)}).zrem(self.leases_key, data).hdel(
            self.scores_key, data
        ).execute()

    def renew(self, leases: list[bytes]) -> None:
        if leases:
            until = time.time() + self.lease_seconds
            self.server.zadd(self.leases_key, dict.fromkeys(leases, until), xx=True)

    def pending(self) -> tuple[int, int]:
        """(requests queued, requests leased by any worker)."""
        queued, leased = self.server.pipeline().zcard(self.key).zcard(self.leases_key).execute()
        return int(queued), int(leased)

    def reclaimed(self) -> int:
        return int(self.server.get(self.reclaimed_key) or 0)

    def clear(self) -> None:
        self.server.delete(self.key, self.leases_key, self.scores_key, self.reclaimed_key)


class SharedFrontierScheduler(HoldsDelayedRequests, Scheduler):
    """scrapy-redis' scheduler with leases, a heartbeat, one shared run, and retries held until due."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFrontierScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler._hold_init(crawler)
        scheduler.prefix = crawler.settings.get("NEWSARCHIVE_FRONTIER_PREFIX")
        scheduler.max_leases = crawler.settings.getint("NEWSARCHIVE_MAX_LEASES", MAX_LEASES)
        return scheduler

    def open(self, spider: Spider) -> None:
        _RoundTrips.install()
        super().open(spider)
        self.worker_id = uuid.uuid4().hex
        self.workers_key = f"{self.prefix}:workers"
        self.leases: set[bytes] = set()
        self.reclaimed_at_start = self.queue.reclaimed()
        setattr(spider, TRACKER_ATTRIBUTE, OutputTracker(self.crawler, self.done))
        self._beat()
        self.heartbeat = LoopingCall(self._beat)
        self.heartbeat.start(max(0.5, self.queue.lease_seconds / 4), now=False)
        self._join_run(spider)

    def _beat(self) -> None:
        """Say this worker lives and keep its leases; note workers that went silent (killed)."""
        now = time.time()
        self.server.zadd(self.workers_key, {self.worker_id: now})
        if lost := self.server.zremrangebyscore(self.workers_key, 0, now - self.queue.lease_seconds):
            self.stats.inc_value("newsarchive/frontier/workers_lost", lost)
        self.queue.renew(list(self.leases))

    def _join_run(self, spider: Spider) -> None:
        """The first worker opens the run's crawl_runs row; the others join it."""
        run_key = f"{self.prefix}:run"
        claimed = self.server.get(run_key) is None and self.server.set(
            f"{run_key}:claim", self.worker_id, nx=True, ex=120  # expires if its worker dies creating the row
        )
        if claimed:
            settings = self.crawler.settings
            with open_archive(settings.get("NEWSARCHIVE_DB")) as archive, archive.sessions.begin() as session:
                names = [t.name for t in getattr(spider, "targets", [])]
                run_id = start_run(session, settings.get("NEWSARCHIVE_RUN_KIND", "crawl"), names)
            self.server.set(run_key, run_id)
        deadline = time.monotonic() + 60
        while (run_id := self.server.get(run_key)) is None and time.monotonic() < deadline:
            time.sleep(0.1)  # another worker is creating the row this moment
        if run_id is not None:
            self.stats.set_value("newsarchive/shared_run_id", int(run_id))

    def enqueue_request(self, request: Request) -> bool:
        # A request that comes back (a redirect, a retry) carries the lease of what it replaces: that
        # lease is released once the new request is queued in Redis (or filtered), not while it is held.
        lease = request.meta.get(LEASE)
        queued = super().enqueue_request(request)
        if lease is not None and id(request) not in self.held:
            request.meta.pop(LEASE, None)
            self._release_lease(lease)
        return queued

    def next_request(self) -> Request | None:
        if len(self.leases) >= self.max_leases:
            return None  # what a worker holds, the others redo if it dies: keep that little
        request = super().next_request()
        if request is not None:
            self.leases.add(request.meta[LEASE])
            self.stats.inc_value("newsarchive/frontier/leased")
        return request

    def done(self, request: Request) -> None:
        """The request's response is handled and its items stored: its lease can go."""
        lease = request.meta.pop(LEASE, None)
        if lease is not None:
            self._release_lease(lease)

    def _release_lease(self, lease: bytes) -> None:
        if lease in self.leases:
            self.leases.discard(lease)
            self.queue.release(lease)

    def has_pending_requests(self) -> bool:
        # Another worker's leases may come back if it dies: wait for them rather than finish early.
        return bool(self.held) or any(self.queue.pending())

    def close(self, reason: str) -> None:
        self.put_back_held()
        if self.heartbeat.running:
            self.heartbeat.stop()
        for lease in list(self.leases):  # not done (stopped mid-way): back to the queue for the others
            self.queue.give_back(lease)
        self.leases.clear()
        self.stats.set_value("newsarchive/frontier/redis_round_trips", _RoundTrips.count)
        reclaimed = self.queue.reclaimed() - self.reclaimed_at_start
        if reclaimed:
            self.stats.inc_value("newsarchive/frontier/leases_expired", reclaimed)
        self.server.zrem(self.workers_key, self.worker_id)
        self.server.zremrangebyscore(self.workers_key, 0, time.time() - self.queue.lease_seconds)
        last = not self.server.zcard(self.workers_key)
        self.stats.set_value("newsarchive/shared_run_last", last)
        if reason == "finished" and last and not any(self.queue.pending()):
            self.flush()
            self.server.delete(self.workers_key, f"{self.prefix}:run", f"{self.prefix}:run:claim")


def redis_settings(redis_url: str, run_key: str, delay: float = 0.0) -> dict[str, Any]:
    """Scrapy settings that put the frontier (queue, leases, seen-set) of this run in Redis.

    `delay` is the default per-site delay the workers share (a site's own download_delay wins); Scrapy's
    per-process delay is switched off, as the shared budget replaces it.
    """
    prefix = f"newsarchive:{hashlib.sha256(run_key.encode()).hexdigest()[:12]}"
    return {
        "SCHEDULER": "scraper.redis_frontier.SharedFrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scraper.redis_frontier.LeasedQueue",
        "NEWSARCHIVE_FRONTIER_PREFIX": prefix,
        "NEWSARCHIVE_SHARED_DELAY": delay,
        "NEWSARCHIVE_SHARED_POLITENESS": True,
        "DOWNLOAD_DELAY": 0,
        "REDIS_URL": redis_url,
    }

"""A crawl frontier shared through Redis (scrapy-redis), so several workers can crawl one set of sites.

The queue and the seen-set outlive an interrupted run (it resumes, on any worker). They are cleared when
the last live worker finishes with an empty queue, so tomorrow's refresh starts afresh. Workers register
in a sorted set with a heartbeat; one silent for STALE_AFTER seconds (killed) no longer counts.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any

from scrapy_redis.scheduler import Scheduler

HEARTBEAT_EVERY = 30.0
STALE_AFTER = 600.0


class SharedFrontierScheduler(Scheduler):
    """scrapy-redis' scheduler, persisting the frontier until the last worker finishes."""

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.worker_id = uuid.uuid4().hex
        self.workers_key = f"{self.queue_key % {'spider': spider.name}}:workers"
        self.last_beat = 0.0
        self._beat()

    def _beat(self) -> None:
        self.last_beat = time.monotonic()
        self.server.zadd(self.workers_key, {self.worker_id: time.time()})

    def next_request(self) -> Any:
        if time.monotonic() - self.last_beat > HEARTBEAT_EVERY:
            self._beat()
        return super().next_request()

    def close(self, reason: str) -> None:
        self.server.zrem(self.workers_key, self.worker_id)
        self.server.zremrangebyscore(self.workers_key, 0, time.time() - STALE_AFTER)
        if reason == "finished" and not len(self.queue) and not self.server.zcard(self.workers_key):
            self.flush()
            self.server.delete(self.workers_key)


def redis_settings(redis_url: str, run_key: str) -> dict[str, Any]:
    """Scrapy settings that put the scheduler queue and the seen-set of this run in Redis."""
    prefix = f"newsarchive:{hashlib.sha256(run_key.encode()).hexdigest()[:12]}"
    return {
        "SCHEDULER": "scraper.redis_frontier.SharedFrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "REDIS_URL": redis_url,
    }

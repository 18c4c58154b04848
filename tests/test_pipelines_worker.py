"""The crawl's worker process: work runs there, or inline when it is off or dies."""

from __future__ import annotations

import asyncio
import multiprocessing
import os

from pipelines.worker import Worker


def where_am_i() -> str:
    return "worker" if multiprocessing.parent_process() is not None else "inline"


def die_in_a_worker() -> str:
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return "inline"


def run(worker: Worker, function) -> str:
    try:
        return asyncio.run(worker.run(function))
    finally:
        worker.close()


def test_work_runs_in_the_worker_process():
    assert run(Worker(enabled=True), where_am_i) == "worker"


def test_work_runs_inline_when_the_worker_is_off():
    assert run(Worker(enabled=False), where_am_i) == "inline"


def test_a_dead_worker_hands_the_work_back_inline():
    assert run(Worker(enabled=True), die_in_a_worker) == "inline"

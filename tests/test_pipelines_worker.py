"""The crawl's worker process: work runs there, or inline when it is off or dies."""

from __future__ import annotations

import asyncio
import inspect
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
    async def run_and_close() -> str:
        try:
            return await worker.run(function)
        finally:
            await worker.close()

    return asyncio.run(run_and_close())


def test_work_runs_in_the_worker_process():
    assert run(Worker(enabled=True), where_am_i) == "worker"


def test_work_runs_inline_when_the_worker_is_off():
    assert run(Worker(enabled=False), where_am_i) == "inline"


def test_a_dead_worker_hands_the_work_back_inline():
    assert run(Worker(enabled=True), die_in_a_worker) == "inline"


def test_closing_waits_for_the_worker_without_blocking_the_event_loop():
    """Scrapy closes its HTTP connections on engine_stopped too, under a one-second timer: a close that held
    the loop while the worker exited let that timer fire late, logging AlreadyCalledError after every crawl."""

    async def loop_turns_while_closing(worker: Worker) -> int:
        await worker.run(where_am_i)
        turns = 0

        async def count_turns() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        counter = asyncio.create_task(count_turns())
        await asyncio.sleep(0)
        before = turns
        closing = worker.close()  # awaited only if awaitable, as Scrapy treats a signal handler
        if inspect.isawaitable(closing):
            await closing
        during = turns - before
        counter.cancel()
        return during

    worker = Worker(enabled=True)
    assert asyncio.run(loop_turns_while_closing(worker)) > 0
    assert worker.pool is None
    assert multiprocessing.active_children() == []  # the worker process has exited

"""The crawl's worker process: work runs there, or inline when it is off; a dead worker is replaced."""

from __future__ import annotations

import asyncio
import inspect
import multiprocessing
import os

import pytest

from pipelines.worker import Worker, WorkerDied


def where_am_i() -> str:
    return "worker" if multiprocessing.parent_process() is not None else "inline"


def die_in_a_worker() -> str:
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return "inline"


def slow_echo(value: int) -> int:
    import time

    time.sleep(0.05)
    return value


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

def test_work_that_kills_the_worker_is_never_run_in_the_crawl_process():
    with pytest.raises(WorkerDied):
        run(Worker(enabled=True), die_in_a_worker)


def test_innocent_work_in_flight_survives_a_dead_worker_and_a_new_one_takes_over():
    async def scenario(worker: Worker) -> list[object]:
        jobs = [worker.run(slow_echo, i) for i in range(5)]
        jobs.insert(2, worker.run(die_in_a_worker))
        results = await asyncio.gather(*jobs, return_exceptions=True)
        results.append(await worker.run(where_am_i))
        return results

    async def scenario_and_close(worker: Worker) -> list[object]:
        try:
            return await scenario(worker)
        finally:
            await worker.close()

    results = asyncio.run(scenario_and_close(Worker(enabled=True)))
    assert [r for r in results if isinstance(r, int)] == [0, 1, 2, 3, 4]
    assert sum(isinstance(r, WorkerDied) for r in results) == 1
    assert results[-1] == "worker"

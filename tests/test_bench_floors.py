"""Extraction quality gate: our scores on the shared dev bench must not drop below tests/bench_floors.json.

Runs extract_page over every dev page in-process and scores with the bench's own evaluate.py.
Skips when ../shared/bench is absent (the bench is not part of the repository).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from benchmarks.extraction import DEFAULT_BENCH, bench_problem, load_truth, run_ours, score
from tests.conftest import REPO_ROOT

FLOORS_FILE = REPO_ROOT / "tests" / "bench_floors.json"
#: The whole run (parse + extract 219 pages + score) must stay well inside CI's patience.
MAX_SECONDS = 60

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def bench_run() -> tuple[dict[str, Any], dict[str, str], float]:
    problem = bench_problem(DEFAULT_BENCH)
    if problem:
        pytest.skip(f"extraction bench not available: {problem}")
    split = DEFAULT_BENCH / "dev"
    started = time.perf_counter()
    truth = load_truth(split)
    run = run_ours(split, truth)
    metrics, _ = score(DEFAULT_BENCH, truth, run.predictions)
    return metrics, run.failures, time.perf_counter() - started


def _floors() -> dict[str, float]:
    data = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_") and key != "failures"}


@pytest.mark.parametrize("metric", sorted(_floors()))
def test_score_at_or_above_floor(
    bench_run: tuple[dict[str, Any], dict[str, str], float], metric: str
) -> None:
    metrics, _, _ = bench_run
    floor = _floors()[metric]
    assert metrics[metric] is not None, f"{metric} was not computed"
    assert metrics[metric] >= floor, f"{metric} {metrics[metric]:.4f} dropped below its floor {floor}"


def test_no_page_fails(bench_run: tuple[dict[str, Any], dict[str, str], float]) -> None:
    _, failures, _ = bench_run
    allowed = json.loads(FLOORS_FILE.read_text(encoding="utf-8")).get("failures", 0)
    assert len(failures) <= allowed, (
        f"extraction failed on {len(failures)} pages: {dict(list(failures.items())[:3])}"
    )


def test_bench_run_is_fast(bench_run: tuple[dict[str, Any], dict[str, str], float]) -> None:
    _, _, seconds = bench_run
    assert seconds < MAX_SECONDS, f"bench run took {seconds:.1f}s (limit {MAX_SECONDS}s)"

"""Extraction quality gate: our scores on each shared set must stay within tests/bench_floors.json.

Runs extract_page over every page of the dev, web/snippets and web/dates sets in-process and scores them
with each set's own scorer. A set whose pages are absent (../shared/bench is not part of the repository)
skips with the reason. Speed is measured by benchmarks/extraction.py beside the anchors, not here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchmarks.extraction import DEFAULT_BENCH, SETS, Run, bench_problem, load_truth, run_ours, score
from tests.conftest import REPO_ROOT

FLOORS = json.loads((REPO_ROOT / "tests" / "bench_floors.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.bench

_runs: dict[str, tuple[dict[str, Any], Run]] = {}


def _bench_run(name: str) -> tuple[dict[str, Any], Run]:
    """Our metrics and run on one set, computed once per session."""
    if name not in _runs:
        problem = bench_problem(DEFAULT_BENCH, name)
        if problem:
            pytest.skip(f"extraction bench set {name} not available: {problem}")
        bench_set = SETS[name]
        split = DEFAULT_BENCH / bench_set.path
        truth = load_truth(split)
        run = run_ours(split, truth, with_url=bench_set.with_url)
        _runs[name] = (score(DEFAULT_BENCH, truth, run.predictions, name)[0], run)
    return _runs[name]


def _bounds() -> list[tuple[str, str, str, float]]:
    return [
        (name, kind, metric, value)
        for name, limits in FLOORS.items()
        if not name.startswith("_")
        for kind in ("min", "max")
        for metric, value in limits.get(kind, {}).items()
    ]


@pytest.mark.parametrize(("name", "kind", "metric", "bound"), _bounds())
def test_score_within_bound(name: str, kind: str, metric: str, bound: float) -> None:
    metrics, _ = _bench_run(name)
    value = metrics[metric]
    assert value is not None, f"{name}: {metric} was not computed"
    if kind == "min":
        assert value >= bound, f"{name}: {metric} {value:.4f} dropped below its floor {bound}"
    else:
        assert value <= bound, f"{name}: {metric} {value:.4f} rose above its ceiling {bound}"


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_page_fails_and_no_date_lies_ahead(name: str) -> None:
    _, run = _bench_run(name)
    assert not run.failures, f"{name}: extraction failed on {len(run.failures)} pages: {dict(list(run.failures.items())[:3])}"
    assert run.future_dates == 0, f"{name}: {run.future_dates} publication dates after the extraction time"

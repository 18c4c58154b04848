"""Extraction benchmark: our extract_page against the anchors on all three shared sets, in one run.

    .venv/bin/python benchmarks/extraction.py                 # every set, ours + anchors, a table per set
    .venv/bin/python benchmarks/extraction.py --set dates     # one set (dev, snippets or dates)
    .venv/bin/python benchmarks/extraction.py --ours-only     # fast loop while working on a field
    .venv/bin/python benchmarks/extraction.py --ours-only --set dev --per-page benchmarks/out/dev.pages.jsonl

Sets: `dev` (../shared/bench/dev: body, title, authors, date; anchors trafilatura and newspaper4k through the
bench's run_anchor.py, which pass the page URL as we do), `snippets` and `dates` (../shared/bench/web: body
snippets that must or must not be in the body; the publication day; anchors trafilatura and htmldate through
web/run_anchor.py, which like us see the page without its URL). Scores come from each set's own scorer.
A rule counts only when it holds on the sets it was not written for.

The bench lives outside the repository; when it is absent the script prints "skipped: <reason>" and exits 0
so CI without it stays green. Only the extract_page call is timed (files are read and gunzipped
beforehand), one process.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO_ROOT.parent / "shared" / "bench"
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "out"

if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))


@dataclass(frozen=True, slots=True)
class BenchSet:
    """One annotated set: where it lives, how it is scored, which anchors run on it."""

    name: str
    #: the set's directory inside the bench (truth.jsonl + pages/)
    path: str
    #: the scorer module inside the bench, with score(truth, preds) -> (summary, per_page)
    scorer: str
    #: the anchor runner inside the bench
    anchor_runner: str
    anchors: tuple[str, ...]
    #: table columns: header -> (summary key, decimals)
    columns: tuple[tuple[str, str, int], ...]
    #: whether extract_page gets the page URL (as the set's anchors do)
    with_url: bool


SETS: dict[str, BenchSet] = {
    "dev": BenchSet(
        name="dev",
        path="dev",
        scorer="evaluate.py",
        anchor_runner="run_anchor.py",
        anchors=("trafilatura", "newspaper4k"),
        columns=(
            ("body P", "body_precision", 3),
            ("body R", "body_recall", 3),
            ("body F1", "body_f1", 3),
            ("F1≥0.9", "body_f1_ge_0_9", 3),
            ("title exact", "title_exact", 3),
            ("authors F1", "authors_f1", 3),
            ("date acc", "published_acc", 3),
        ),
        with_url=True,
    ),
    "snippets": BenchSet(
        name="snippets",
        path="web/snippets",
        scorer="web/score_snippets.py",
        anchor_runner="web/run_anchor.py",
        anchors=("trafilatura",),
        columns=(
            ("pages correct", "pages_correct", 3),
            ("with-recall", "with_recall", 3),
            ("leak", "without_leak", 3),
            ("all with", "pages_all_with", 3),
            ("no without", "pages_no_without", 3),
        ),
        with_url=False,
    ),
    "dates": BenchSet(
        name="dates",
        path="web/dates",
        scorer="web/score_dates.py",
        anchor_runner="web/run_anchor.py",
        anchors=("trafilatura", "htmldate"),
        columns=(
            ("accuracy", "accuracy", 3),
            ("coverage", "coverage", 3),
            ("precision", "precision", 3),
            ("off by one day", "off_by_one", 3),
            ("wrong year", "wrong_year", 3),
        ),
        with_url=False,
    ),
}


@dataclass(slots=True)
class Run:
    """One extractor's predictions over a set, with timing and failures."""

    name: str
    predictions: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    failures: dict[str, str] = field(default_factory=dict)
    pages_per_second: float | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    #: pages whose predicted publication date lies after the moment of extraction
    future_dates: int = 0


def bench_problem(bench: Path, split: str = "dev") -> str | None:
    """Why the set cannot be used, or None when it is complete."""
    bench_set = SETS.get(split)
    path = bench_set.path if bench_set else split
    scorer = bench_set.scorer if bench_set else "evaluate.py"
    for needed in (bench / scorer, bench / path / "truth.jsonl", bench / path / "pages"):
        if not needed.exists():
            return f"{needed} not found"
    return None


def load_truth(split_dir: Path) -> list[dict[str, Any]]:
    return read_jsonl(split_dir / "truth.jsonl")


def load_pages(split_dir: Path, truth: list[dict[str, Any]]) -> dict[str, bytes]:
    return {
        row["id"]: gzip.decompress((split_dir / "pages" / f"{row['id']}.html.gz").read_bytes())
        for row in truth
    }


def prediction(page_id: str, extraction: Any) -> dict[str, Any]:
    record = extraction.record
    return {
        "id": page_id,
        "title": record.title,
        "authors": list(record.authors),
        "published": record.published.isoformat() if record.published else None,
        "modified": record.modified.isoformat() if record.modified else None,
        "body": record.body,
    }


def run_ours(split_dir: Path, truth: list[dict[str, Any]] | None = None, *, with_url: bool = True) -> Run:
    """Extract every page in-process; time only extract_page."""
    from pipelines.extraction.extract import extract_page

    truth = truth if truth is not None else load_truth(split_dir)
    pages = load_pages(split_dir, truth)
    run = Run("newsarchive")
    started_at = datetime.now(UTC)
    for row in truth:
        page_id = row["id"]
        started = time.perf_counter()
        try:
            extraction = extract_page(pages[page_id], url=row.get("url") if with_url else None)
        except Exception as error:  # noqa: BLE001 - a crash on one page must be counted, not stop the run
            run.seconds += time.perf_counter() - started
            run.failures[page_id] = f"{type(error).__name__}: {error}"[:200]
            run.predictions.append({"id": page_id})
            continue
        run.seconds += time.perf_counter() - started
        run.predictions.append(prediction(page_id, extraction))
        published = extraction.record.published
        run.future_dates += bool(published and published > started_at)
    run.pages_per_second = len(truth) / run.seconds if run.seconds else None
    return run


def load_module(path: Path) -> ModuleType:
    """Import one of the bench's scorers (standard library only) without copying it."""
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # a scorer may import its sibling scorer
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def score(
    bench: Path, truth: list[dict[str, Any]], predictions: list[dict[str, Any]], split: str = "dev"
) -> tuple[dict, list[dict]]:
    """Overall metrics and per-page rows from the set's own scorer."""
    bench_set = SETS[split]
    scorer = load_module(bench / bench_set.scorer)
    preds = {str(p["id"]): p for p in predictions}
    if split == "dates":
        return scorer.score(truth, preds, "published")
    return scorer.score(truth, preds)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_atomically(path: Path, rows: list[dict[str, Any]]) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    write_jsonl(scratch, rows)
    os.replace(scratch, path)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    # split("\n"), not splitlines(): JSON strings may hold U+2028 and other characters splitlines() breaks on.
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def _read_meta(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run_anchor(bench: Path, bench_set: BenchSet, name: str, out_dir: Path, timeout: int) -> Run:
    """Run one reference extractor through the set's anchor runner, with this interpreter.

    It writes into a private temporary directory first, so two people benchmarking in the same working
    tree never read each other's half-written files; the finished files are then moved into out_dir.
    """
    run = Run(name)
    out = out_dir / f"{bench_set.name}.{name}.jsonl"
    split_dir = bench / bench_set.path
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as private:
        scratch = Path(private) / out.name
        command = [sys.executable, str(bench / bench_set.anchor_runner), name, "--truth", str(split_dir)]
        command += ["--out", str(scratch), "--timeout", str(timeout)]
        if bench_set.name == "dev":
            command.append("--quiet")
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0 or not scratch.exists():
            run.failures["*"] = (completed.stderr.strip().splitlines() or ["anchor runner failed"])[-1]
            return run
        shutil.move(scratch, out)
        meta_file = Path(f"{scratch}.meta.json")
        if meta_file.exists():
            shutil.move(meta_file, f"{out}.meta.json")
    meta = _read_meta(Path(f"{out}.meta.json"))
    run.predictions = read_jsonl(out)
    if meta:  # dev's runner writes its timing and failures beside the predictions
        run.seconds = meta.get("extract_seconds") or 0.0
        run.pages_per_second = meta.get("pages_per_second")
        run.failures = dict(meta.get("failed_ids") or {})
        version = meta.get("version")
    else:  # the web runner prints "<name> <version>: N pages, F failures, X pages/s" on stderr
        summary = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else ""
        label, _, rest = summary.partition(":")
        version = label.split(" ", 1)[1] if " " in label else None
        if rest.strip().endswith("pages/s"):
            run.pages_per_second = float(rest.rsplit(",", 1)[1].split()[0])
        run.failures = {row["id"]: row["error"] for row in run.predictions if row.get("error")}
    run.name = f"{name} {version}" if version else name
    return run


def _cell(value: Any, decimals: int) -> str:
    return "–" if value is None else f"{value:.{decimals}f}"


def markdown_table(runs: list[Run], bench_set: BenchSet | None = None) -> str:
    columns = (bench_set or SETS["dev"]).columns
    header = ["extractor", *(title for title, _, _ in columns), "pages/s", "failures"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for run in runs:
        cells = [run.name, *(_cell(run.metrics.get(key), nd) for _, key, nd in columns)]
        cells += [_cell(run.pages_per_second, 1), str(len(run.failures))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def benchmark_set(bench: Path, bench_set: BenchSet, args: argparse.Namespace, out_dir: Path) -> list[Run]:
    """Ours and the anchors over one set, scored; prints its table."""
    split_dir = bench / bench_set.path
    truth = load_truth(split_dir)
    ours = run_ours(split_dir, truth, with_url=bench_set.with_url)
    _write_atomically(out_dir / f"{bench_set.name}.newsarchive.jsonl", ours.predictions)
    ours.metrics, per_page = score(bench, truth, ours.predictions, bench_set.name)
    if args.per_page:
        per_page_file = args.per_page if args.set != "all" else args.per_page.with_name(
            f"{bench_set.name}.{args.per_page.name}"
        )
        write_jsonl(per_page_file, per_page)
    runs = [ours]
    if not args.ours_only:
        for name in bench_set.anchors:
            anchor = run_anchor(bench, bench_set, name, out_dir, args.timeout)
            if anchor.predictions:
                anchor.metrics = score(bench, truth, anchor.predictions, bench_set.name)[0]
            runs.append(anchor)
    print(f"\nset {bench_set.name} ({bench_set.path}): {len(truth)} pages; predictions in {out_dir}")
    print(markdown_table(runs, bench_set))
    speeds = [run.pages_per_second for run in runs[1:] if run.pages_per_second and "trafilatura" in run.name]
    if speeds and ours.pages_per_second:
        print(f"ours / trafilatura pages/s: {ours.pages_per_second / speeds[0]:.2f}")
    print(f"ours: {len(ours.failures)} pages failed, {ours.future_dates} publication dates after extraction time")
    for page_id, reason in list(ours.failures.items())[:10]:
        print(f"  ours failed {page_id}: {reason}", file=sys.stderr)
    return runs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score our extraction against reference extractors.")
    parser.add_argument(
        "--bench", type=Path, default=DEFAULT_BENCH, help="bench directory (default ../shared/bench)"
    )
    parser.add_argument("--set", choices=(*SETS, "all"), default="all", help="which set (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where predictions are written")
    parser.add_argument("--ours-only", action="store_true", help="skip the reference extractors")
    parser.add_argument("--per-page", type=Path, help="write our per-page scores (JSONL) to this file")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per page for the anchors")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = args.bench.resolve()
    names = list(SETS) if args.set == "all" else [args.set]
    out_dir = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        problem = bench_problem(bench, name)
        if problem:
            print(f"set {name} skipped: {problem}")
            continue
        benchmark_set(bench, SETS[name], args, out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction benchmark: our extract_page against trafilatura and newspaper4k on the shared bench pages.

    .venv/bin/python benchmarks/extraction.py                 # ours + anchors, one markdown table
    .venv/bin/python benchmarks/extraction.py --ours-only     # fast loop while working on a field
    .venv/bin/python benchmarks/extraction.py --ours-only --per-page benchmarks/out/ours.pages.jsonl

The bench (pages, truth, evaluate.py, run_anchor.py) lives outside the repository in ../shared/bench;
when it is absent the script prints "skipped: <reason>" and exits 0 so CI without it stays green.
Only the extract_page call is timed (files are read and gunzipped beforehand), one process.
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
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = REPO_ROOT.parent / "shared" / "bench"
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "out"
ANCHORS: tuple[str, ...] = ("trafilatura", "newspaper4k")

if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))

#: Table columns: header -> (metrics key, decimals).
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("body P", "body_precision", 3),
    ("body R", "body_recall", 3),
    ("body F1", "body_f1", 3),
    ("F1≥0.9", "body_f1_ge_0_9", 3),
    ("title exact", "title_exact", 3),
    ("authors F1", "authors_f1", 3),
    ("date acc", "published_acc", 3),
)


@dataclass(slots=True)
class Run:
    """One extractor's predictions over a split, with timing and failures."""

    name: str
    predictions: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    failures: dict[str, str] = field(default_factory=dict)
    pages_per_second: float | None = None
    metrics: dict[str, Any] = field(default_factory=dict)


def bench_problem(bench: Path, split: str = "dev") -> str | None:
    """Why the bench cannot be used, or None when it is complete."""
    for needed in (bench / "evaluate.py", bench / split / "truth.jsonl", bench / split / "pages"):
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
        "body": record.body,
    }


def run_ours(split_dir: Path, truth: list[dict[str, Any]] | None = None) -> Run:
    """Extract every page in-process; time only extract_page."""
    from pipelines.extraction.extract import extract_page

    truth = truth if truth is not None else load_truth(split_dir)
    pages = load_pages(split_dir, truth)
    run = Run("newsarchive")
    for row in truth:
        page_id = row["id"]
        started = time.perf_counter()
        try:
            extraction = extract_page(pages[page_id], url=row.get("url"))
        except Exception as error:  # noqa: BLE001 - a crash on one page must be counted, not stop the run
            run.seconds += time.perf_counter() - started
            run.failures[page_id] = f"{type(error).__name__}: {error}"[:200]
            run.predictions.append({"id": page_id})
            continue
        run.seconds += time.perf_counter() - started
        run.predictions.append(prediction(page_id, extraction))
    run.pages_per_second = len(truth) / run.seconds if run.seconds else None
    return run


def load_evaluate(bench: Path) -> ModuleType:
    """Import the bench's scorer (standard library only) without copying it."""
    spec = importlib.util.spec_from_file_location("bench_evaluate", bench / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(
    bench: Path, truth: list[dict[str, Any]], predictions: list[dict[str, Any]]
) -> tuple[dict, list[dict]]:
    """Overall metrics and per-page rows from the bench's own scorer."""
    evaluate = load_evaluate(bench)
    preds = {str(p["id"]): p for p in predictions}
    return evaluate.score(truth, preds)


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


def run_anchor(bench: Path, split_dir: Path, name: str, out_dir: Path, timeout: int) -> Run:
    """Run one reference extractor through the bench's run_anchor.py, with this interpreter.

    It writes into a private temporary directory first, so two people benchmarking in the same working
    tree never read each other's half-written files; the finished files are then moved into out_dir.
    """
    run = Run(name)
    out = out_dir / f"{name}.jsonl"
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as private:
        scratch = Path(private) / out.name
        command = [sys.executable, str(bench / "run_anchor.py"), name, "--truth", str(split_dir)]
        command += ["--out", str(scratch), "--timeout", str(timeout), "--quiet"]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0 or not scratch.exists():
            run.failures["*"] = (completed.stderr.strip().splitlines() or ["run_anchor.py failed"])[-1]
            return run
        shutil.move(scratch, out)
        shutil.move(f"{scratch}.meta.json", f"{out}.meta.json")
    meta = json.loads(Path(f"{out}.meta.json").read_text(encoding="utf-8"))
    run.predictions = read_jsonl(out)
    run.seconds = meta.get("extract_seconds") or 0.0
    run.pages_per_second = meta.get("pages_per_second")
    run.failures = dict(meta.get("failed_ids") or {})
    version = meta.get("version")
    run.name = f"{name} {version}" if version else name
    return run


def _cell(value: Any, decimals: int) -> str:
    return "–" if value is None else f"{value:.{decimals}f}"


def markdown_table(runs: list[Run]) -> str:
    header = ["extractor", *(title for title, _, _ in COLUMNS), "pages/s", "failures"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for run in runs:
        cells = [run.name, *(_cell(run.metrics.get(key), nd) for _, key, nd in COLUMNS)]
        cells += [_cell(run.pages_per_second, 1), str(len(run.failures))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score our extraction against reference extractors.")
    parser.add_argument(
        "--bench", type=Path, default=DEFAULT_BENCH, help="bench directory (default ../shared/bench)"
    )
    parser.add_argument("--split", default="dev", help="split directory inside the bench (default dev)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where predictions are written")
    parser.add_argument("--ours-only", action="store_true", help="skip the reference extractors")
    parser.add_argument("--per-page", type=Path, help="write our per-page scores (JSONL) to this file")
    parser.add_argument("--anchors", default=",".join(ANCHORS), help="comma-separated run_anchor.py names")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per page for the anchors")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = args.bench.resolve()
    problem = bench_problem(bench, args.split)
    if problem:
        print(f"skipped: {problem}")
        return 0
    split_dir = bench / args.split
    out_dir = args.out if args.out else Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = load_truth(split_dir)

    ours = run_ours(split_dir, truth)
    _write_atomically(out_dir / "newsarchive.jsonl", ours.predictions)
    ours.metrics, per_page = score(bench, truth, ours.predictions)
    if args.per_page:
        write_jsonl(args.per_page, per_page)
    runs = [ours]
    if not args.ours_only:
        for name in filter(None, args.anchors.split(",")):
            anchor = run_anchor(bench, split_dir, name.strip(), out_dir, args.timeout)
            anchor.metrics = score(bench, truth, anchor.predictions)[0] if anchor.predictions else {}
            runs.append(anchor)

    print(f"split {args.split}: {len(truth)} pages; predictions in {out_dir}")
    print(markdown_table(runs))
    for page_id, reason in list(ours.failures.items())[:10]:
        print(f"  ours failed {page_id}: {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

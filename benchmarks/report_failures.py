"""Worst pages per field, predicted next to truth, to study why extraction fails.

.venv/bin/python benchmarks/extraction.py --ours-only         # writes benchmarks/out/newsarchive.jsonl
.venv/bin/python benchmarks/report_failures.py --field title --field authors
.venv/bin/python benchmarks/report_failures.py --pred benchmarks/out/trafilatura.jsonl --field body -n 5
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.extraction import DEFAULT_BENCH, DEFAULT_OUT, bench_problem, load_truth, read_jsonl, score

#: field -> (per-page score key, how to show the truth/prediction)
FIELDS: dict[str, str] = {
    "title": "title_exact",
    "authors": "authors_f1",
    "published": "published_ok",
    "body": "body_f1",
}


def _show(field: str, value: Any, width: int) -> str:
    if field == "body" and isinstance(value, str):
        lines = value.splitlines()
        head = " / ".join(lines[:2])[:width]
        tail = " / ".join(lines[-2:])[:width]
        return f"{len(lines)} lines, {len(value.split())} words | first: {head!r} | last: {tail!r}"
    return repr(value)


def worst(per_page: list[dict[str, Any]], key: str, limit: int) -> list[dict[str, Any]]:
    scored = [row for row in per_page if row.get(key) is not None]
    return sorted(scored, key=lambda row: row[key])[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Show the worst-scoring pages per field.")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--split", default="dev", help="the dev set only (its scorer has per-field scores)")
    parser.add_argument("--pred", type=Path, default=DEFAULT_OUT / "dev.newsarchive.jsonl")
    parser.add_argument("--field", action="append", choices=sorted(FIELDS), help="repeatable; default all")
    parser.add_argument("-n", "--limit", type=int, default=15, help="pages per field")
    parser.add_argument("--width", type=int, default=160, help="characters of body shown")
    args = parser.parse_args(argv)
    problem = bench_problem(args.bench, args.split)
    if problem:
        print(f"skipped: {problem}")
        return 0
    truth = load_truth(args.bench / args.split)
    by_id = {row["id"]: row for row in truth}
    predictions = read_jsonl(args.pred)
    preds = {row["id"]: row for row in predictions}
    _, per_page = score(args.bench, truth, predictions)
    for field in args.field or list(FIELDS):
        key = FIELDS[field]
        rows = [row for row in worst(per_page, key, args.limit) if row[key] < 1.0]
        print(f"== {field}: {len(rows)} worst pages below 1.0 ({key})")
        for row in rows:
            page_id = row["id"]
            print(f"- {page_id} [{row[key]:.2f}] {by_id[page_id].get('url')}")
            print(f"    truth: {_show(field, by_id[page_id].get(field), args.width)}")
            print(f"    pred : {_show(field, preds.get(page_id, {}).get(field), args.width)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

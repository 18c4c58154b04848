"""The counts-over-time chart as plain geometry for an SVG template: no script, nothing fetched.

One line per query over the union of their periods (a period a query has no article in counts 0),
y from 0 to a round number above the largest value, at most a dozen period labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.counts import CountRow

WIDTH, HEIGHT = 880, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 44, 56
COLOURS = ("#1f5fa8", "#c2571a", "#2e7d32", "#7b3fa0", "#b8860b", "#00838f", "#c2185b", "#555555")
#: sites drawn one line each in a per-site chart; the rest are summed as "other sites"
MAX_SITES = 7
LEGEND_COLUMNS, LEGEND_WIDTH, LEGEND_ROW = 3, 260, 18
MAX_LABELS = 10
#: above this many periods the points are not drawn, only the line
MAX_DOTS = 90


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    tip: str


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    colour: str
    points: list[Point]
    total: int
    legend_x: float
    legend_y: float

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(slots=True)
class Chart:
    title: str
    measure: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    lines: list[Line] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    dots: bool = True

    @property
    def empty(self) -> bool:
        return not self.x_ticks


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least value (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value * (1 - 1e-9))


def _format(value: float, measure: str) -> str:
    if measure == "share":
        percent = value * 100
        return f"{percent:.0f}%" if percent >= 10 or percent == 0 else f"{percent:.1f}%"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def split_by_site(rows: Sequence[CountRow], *, top: int = MAX_SITES) -> list[tuple[str, list[CountRow]]]:
    """Per-site rows as one series per site, busiest first; past top sites, one summed "other sites"."""
    by_site: dict[str, list[CountRow]] = {}
    for row in rows:
        by_site.setdefault(row.site or "(no site)", []).append(row)
    ranked = sorted(by_site.items(), key=lambda item: (-sum(row.count for row in item[1]), item[0]))
    shown: list[tuple[str, list[CountRow]]] = list(ranked[:top])
    if len(ranked) > top:
        summed: dict[str, tuple[int, int]] = {}
        for _, site_rows in ranked[top:]:
            for row in site_rows:
                count, total = summed.get(row.period, (0, 0))
                summed[row.period] = (count + row.count, total + row.total)
        shown.append((
            f"{len(ranked) - top} other sites",
            [CountRow(period, None, count, total, count / total if total else 0.0)
             for period, (count, total) in sorted(summed.items())],
        ))
    return shown


def build_chart(
    series: Sequence[tuple[str, Sequence[CountRow]]],
    *,
    measure: str = "count",
    by: str = "month",
    title: str | None = None,
) -> Chart:
    """Geometry for series: (label, rows) per query (or per site), rows from counts_over_time."""
    measure_name = "share of all articles" if measure == "share" else "articles"
    labels = title or " vs ".join(f"“{label}”" if label else "all articles" for label, _ in series)
    legend_rows = max(1, math.ceil(len(series) / LEGEND_COLUMNS))
    chart = Chart(
        title=f"{measure_name} per {by}: {labels}", measure=measure, top=TOP + LEGEND_ROW * (legend_rows - 1)
    )
    periods = sorted({row.period for _, rows in series for row in rows})
    if not any(row.count for _, rows in series for row in rows):
        return chart
    values = [
        {row.period: (row.share if measure == "share" else row.count) for row in rows} for _, rows in series
    ]
    top_value = nice_ceiling(max((value for found in values for value in found.values()), default=0))
    if measure == "share":
        top_value = min(top_value, 1.0)
    if measure == "count" and top_value < 4:
        top_value = 4.0
    span_x = chart.right - chart.left
    span_y = chart.bottom - chart.top

    def x_of(index: int) -> float:
        return chart.left + span_x / 2 if len(periods) == 1 else chart.left + span_x * index / (len(periods) - 1)

    def y_of(value: float) -> float:
        return chart.bottom - span_y * min(value, top_value) / top_value

    chart.y_ticks = [Tick(y_of(top_value * i / 4), _format(top_value * i / 4, measure)) for i in range(5)]
    every = max(1, math.ceil(len(periods) / MAX_LABELS))
    chart.x_ticks = [Tick(x_of(i), period) for i, period in enumerate(periods) if i % every == 0]
    chart.dots = len(periods) <= MAX_DOTS
    for number, ((label, rows), found) in enumerate(zip(series, values, strict=True)):
        name = label or "all articles"
        points = [
            Point(x_of(i), y_of(found.get(period, 0)), f"{name}, {period}: {_format(found.get(period, 0), measure)}")
            for i, period in enumerate(periods)
        ]
        column, row_number = number % LEGEND_COLUMNS, number // LEGEND_COLUMNS
        chart.lines.append(
            Line(
                name,
                COLOURS[number % len(COLOURS)],
                points,
                sum(row.count for row in rows),
                legend_x=chart.left + 8 + column * LEGEND_WIDTH,
                legend_y=14 + row_number * LEGEND_ROW,
            )
        )
    return chart

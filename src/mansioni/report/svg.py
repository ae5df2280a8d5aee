"""A task's occurrences as an inline SVG bar chart: one bar each, in time order.

Drawn for a page that fetches nothing: no ``xmlns`` URL is needed inline in HTML,
no fonts (the text takes the page's), no scripts. It reads without colour too: the
estimate is a dashed line, keyed with its label above the plot, the comparison
window a dashed frame with a bracket and its label, the recent level a dotted line; every bar carries a
``<title>`` (its number, day and minutes) and the whole chart a ``<title>`` and
``<desc>`` for screen readers.

The geometry is fixed (a 720 by 280 view box that scales to the page width) and
works from 1 to a few hundred occurrences: bars narrow down to a hairline gap, the
x axis labels every k-th occurrence, the y axis steps in round minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from mansioni.report.html import esc

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 34, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
#: Round steps for the minutes axis (then powers of ten beyond).
STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 3000, 6000)
#: Label every k-th occurrence on the x axis, with k from here, at most ~12 labels.
X_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
MAX_BAR = 36.0

INK, MUTED, GRID = "#1a1a1a", "#555", "#d4d4d4"
BAR, BAR_OLD, ESTIMATE, WINDOW = "#2f4f7f", "#a7b3c6", "#8a1c1c", "#3f6aa8"


@dataclass(frozen=True)
class Labels:
    """The words of a chart, already in the user's language."""

    title: str  # what the chart shows, for screen readers and a tooltip
    description: str  # the numbers it shows, said in a sentence or two
    y_axis: str  # "minutes"
    x_axis: str  # "occurrence, in time order"
    estimate: str | None  # "your estimate: 45 min"; None with no estimate
    window: str | None  # "comparison window"; None with no window
    first_day: str  # the first occurrence's day
    last_day: str  # the last occurrence's day
    bars: Sequence[str]  # one tooltip per occurrence: "5 · 12 Nov 2026 · 34 min"


def step_for(top_minutes: float) -> int:
    """A round step giving at most about five gridlines up to ``top_minutes``."""
    wanted = top_minutes / 5
    for step in STEPS:
        if step >= wanted:
            return step
    return int(10 ** math.ceil(math.log10(wanted)))


def x_step_for(n: int) -> int:
    for step in X_STEPS:
        if n / step <= 12:
            return step
    return int(10 ** math.ceil(math.log10(n / 12)))


def _f(value: float) -> str:
    """A coordinate, short: ``12.5``, ``40``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def occurrence_chart(
    seconds: Sequence[float],
    *,
    estimate: float | None,
    window_from: int,
    level: float | None,
    ident: str,
    labels: Labels,
) -> str:
    """The chart as an ``<svg>`` element: bars of ``seconds`` (oldest first), a line at
    ``estimate``, the comparison window (occurrences from index ``window_from`` on)
    framed, with its ``level`` (the median) dotted across it. ``ident`` must be unique
    in the page: it names the title and description for ``aria-labelledby``."""
    n = len(seconds)
    if n == 0:
        raise ValueError("a chart needs at least one occurrence")
    if len(labels.bars) != n:
        raise ValueError("one bar label per occurrence")
    top_minutes = max([*seconds, *([estimate] if estimate else [])]) / 60
    step = step_for(top_minutes * 1.08)
    y_top = max(step, math.ceil(top_minutes * 1.08 / step) * step)

    def y(seconds_value: float) -> float:
        return TOP + PLOT_H - (seconds_value / 60) / y_top * PLOT_H

    slot = PLOT_W / n
    gap = min(slot * 0.3, 6.0)
    bar = min(MAX_BAR, max(slot - gap, 0.6))
    bottom = TOP + PLOT_H
    tid, did = f"{ident}-title", f"{ident}-desc"
    out = [
        f'<svg class="occurrences" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{esc(tid)} {esc(did)}" '
        f'font-size="12" fill="{INK}">',
        f'<title id="{esc(tid)}">{esc(labels.title)}</title>',
        f'<desc id="{esc(did)}">{esc(labels.description)}</desc>',
    ]
    # The comparison window, behind the bars: a dashed frame and a bracket with its name.
    in_window = 0 <= window_from < n
    if in_window:
        x0 = LEFT + window_from * slot
        width = (n - window_from) * slot
        out.append(
            f'<rect class="window" x="{_f(x0)}" y="{TOP}" width="{_f(width)}" height="{PLOT_H}" '
            f'fill="#eef2f9" stroke="{WINDOW}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<path class="window-bracket" d="M{_f(x0)} {TOP - 2}V{TOP - 8}H{_f(x0 + width)}'
            f'V{TOP - 2}" fill="none" stroke="{WINDOW}" stroke-width="1.5"/>'
        )
        if labels.window:
            out.append(
                f'<text class="window-label" x="{_f(LEFT + PLOT_W)}" y="{TOP - 12}" '
                f'text-anchor="end" fill="{WINDOW}">{esc(labels.window)}</text>'
            )
    # Gridlines and the minutes axis.
    tick = 0
    while tick <= y_top:
        ty = y(tick * 60)
        out.append(
            f'<line class="grid" x1="{LEFT}" y1="{_f(ty)}" x2="{LEFT + PLOT_W}" y2="{_f(ty)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text class="y-tick" x="{LEFT - 6}" y="{_f(ty + 4)}" text-anchor="end" '
            f'fill="{MUTED}">{tick}</text>'
        )
        tick += step
    out.append(
        f'<text class="y-axis" transform="translate(14 {_f(TOP + PLOT_H / 2)}) rotate(-90)" '
        f'text-anchor="middle" fill="{MUTED}">{esc(labels.y_axis)}</text>'
    )
    # One bar per occurrence.
    for i, value in enumerate(seconds):
        height = max(bottom - y(value), 0.5)  # a few seconds still show
        top = bottom - height
        x = LEFT + i * slot + (slot - bar) / 2
        kind = "occ in-window" if in_window and i >= window_from else "occ"
        colour = BAR if kind != "occ" or not in_window else BAR_OLD
        out.append(
            f'<rect class="{kind}" x="{_f(x)}" y="{_f(top)}" width="{_f(bar)}" '
            f'height="{_f(height)}" fill="{colour}">'
            f"<title>{esc(labels.bars[i])}</title></rect>"
        )
    # The recent level across the window, dotted.
    if in_window and level is not None:
        ly = y(level)
        out.append(
            f'<line class="level" x1="{_f(LEFT + window_from * slot)}" y1="{_f(ly)}" '
            f'x2="{_f(LEFT + PLOT_W)}" y2="{_f(ly)}" stroke="{INK}" stroke-width="2" '
            f'stroke-dasharray="1 3" stroke-linecap="round"/>'
        )
    # The client's estimate across the whole phase, dashed, labelled at its right end.
    if estimate:
        ey = y(estimate)
        out.append(
            f'<line class="estimate" x1="{LEFT}" y1="{_f(ey)}" x2="{LEFT + PLOT_W}" '
            f'y2="{_f(ey)}" stroke="{ESTIMATE}" stroke-width="2" stroke-dasharray="8 4"/>'
        )
        if labels.estimate:  # a key above the plot, clear of the bars
            out.append(
                f'<line class="estimate-key" x1="{LEFT}" y1="{TOP - 16}" x2="{LEFT + 20}" '
                f'y2="{TOP - 16}" stroke="{ESTIMATE}" stroke-width="2" stroke-dasharray="8 4"/>'
            )
            out.append(
                f'<text class="estimate-label" x="{LEFT + 26}" y="{TOP - 12}" '
                f'fill="{ESTIMATE}" font-weight="600">{esc(labels.estimate)}</text>'
            )
    # The axes, the occurrence numbers and the first and last days.
    out.append(
        f'<path class="axes" d="M{LEFT} {TOP}V{bottom}H{LEFT + PLOT_W}" fill="none" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    every = x_step_for(n)
    for number in range(1, n + 1):
        if number != 1 and number % every:
            continue
        cx = LEFT + (number - 0.5) * slot
        out.append(
            f'<text class="x-tick" x="{_f(cx)}" y="{bottom + 15}" text-anchor="middle" '
            f'fill="{MUTED}">{number}</text>'
        )
    out.append(
        f'<text class="first-day" x="{LEFT}" y="{bottom + 36}" fill="{MUTED}">'
        f"{esc(labels.first_day)}</text>"
    )
    out.append(
        f'<text class="x-axis" x="{_f(LEFT + PLOT_W / 2)}" y="{bottom + 36}" '
        f'text-anchor="middle" fill="{MUTED}">{esc(labels.x_axis)}</text>'
    )
    out.append(
        f'<text class="last-day" x="{LEFT + PLOT_W}" y="{bottom + 36}" text-anchor="end" '
        f'fill="{MUTED}">{esc(labels.last_day)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)

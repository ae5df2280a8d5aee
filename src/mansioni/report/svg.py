"""A task's occurrences as an inline SVG bar chart: one bar each, in time order.

Drawn for a page that fetches nothing: no ``xmlns`` URL is needed inline in HTML,
no fonts (the text takes the page's), no scripts. It reads without colour too, and
each line has its own colour *and* pattern, keyed above the plot:

- the client's estimate is a dashed line, drawn over the bars it is compared with: a
  step, one level per comparison window (a minor change, a decision or a new
  estimate opens a new window with its own estimate), so no bar is ever drawn
  against an estimate it was not compared with;
- the comparison window the verdict judges is a dashed frame with a bracket and its
  name, and the recent level (its median) a dotted line of another colour across it;
- where a window begins, a thin vertical line.

Every bar carries a ``<title>`` (its number, day and minutes) and the whole chart a
``<title>`` and ``<desc>`` for screen readers.

The geometry is fixed (a 720 by 290 view box that scales to the page width) and
works from 1 to a few hundred occurrences: bars narrow down to a hairline gap; the x
axis numbers every occurrence while the numbers fit, else every k-th from k on
(5, 10, 15...: a regular step, no number seemingly skipped), with the first and last
days written out below; the y axis steps in round minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from mansioni.report.html import esc

WIDTH, HEIGHT = 720, 290
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 50, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
KEY_Y = 14  # the baseline of the keys' row, above the window's label
#: Round steps for the minutes axis (then powers of ten beyond).
STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 3000, 6000)
#: Number every k-th occurrence on the x axis, k the first of these whose labels fit.
X_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
#: The room an occurrence number takes on the x axis (up to four digits at 12px, spaced).
X_LABEL_ROOM = 30.0
#: About how wide a character of the keys' text is (12px sans-serif), to lay them out.
CHAR_W = 6.6
MAX_BAR = 36.0

INK, MUTED, GRID = "#1a1a1a", "#555", "#d4d4d4"
BAR, BAR_OLD, ESTIMATE, WINDOW = "#2f4f7f", "#a7b3c6", "#8a1c1c", "#3f6aa8"
LEVEL = "#d97706"  # amber: apart from the estimate's red and the bars' blue
ESTIMATE_DASH, LEVEL_DASH = "9 5", "0.5 5"


@dataclass(frozen=True)
class Labels:
    """The words of a chart, already in the user's language."""

    title: str  # what the chart shows, for screen readers and a tooltip
    description: str  # the numbers it shows, said in a sentence or two
    y_axis: str  # "minutes"
    x_axis: str  # "each time, in order"
    estimate: str | None  # the estimate's key: "your estimate: 45 min"; None with none
    window: str | None  # "comparison window"; None with no window
    first_day: str  # the first occurrence's day
    last_day: str  # the last occurrence's day
    bars: Sequence[str]  # one tooltip per occurrence: "5. 12 Nov 2026: 34 min"
    level: str | None = None  # the level's key: "usual time lately: 31 min"


def step_for(top_minutes: float) -> int:
    """A round step giving at most about five gridlines up to ``top_minutes``."""
    wanted = top_minutes / 5
    for step in STEPS:
        if step >= wanted:
            return step
    return int(10 ** math.ceil(math.log10(wanted)))


def x_step_for(n: int) -> int:
    """Number every k-th of ``n`` occurrences: 1 while every number fits."""
    slot = PLOT_W / n
    for step in X_STEPS:
        if slot * step >= X_LABEL_ROOM:
            return step
    return int(10 ** math.ceil(math.log10(n * X_LABEL_ROOM / PLOT_W)))


def x_numbers(n: int) -> list[int]:
    """The occurrence numbers written on the x axis: all of them, or k, 2k, 3k..."""
    every = x_step_for(n)
    if every == 1:
        return list(range(1, n + 1))
    return list(range(every, n + 1, every))


def _f(value: float) -> str:
    """A coordinate, short: ``12.5``, ``40``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def steps(estimates: Sequence[float | None]) -> list[tuple[int, int, float]]:
    """The runs of one estimate: ``(first, end, seconds)``, occurrences ``[first, end)``."""
    runs: list[tuple[int, int, float]] = []
    for i, value in enumerate(estimates):
        if not value:
            continue
        if runs and runs[-1][1] == i and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], i + 1, value)
        else:
            runs.append((i, i + 1, value))
    return runs


def occurrence_chart(
    seconds: Sequence[float],
    *,
    estimates: Sequence[float | None],
    window: tuple[int, int] | None,
    level: float | None,
    ident: str,
    labels: Labels,
    boundaries: Sequence[int] = (),
) -> str:
    """The chart as an ``<svg>`` element: bars of ``seconds`` (oldest first), each with
    the estimate it is compared with (``estimates``, one per bar, ``None``: none) as a
    dashed step, the judged comparison window (occurrences ``[first, end)``) framed
    with its ``level`` (the median) dotted across it, and a thin line where each of
    the other windows begins (``boundaries``: indices of their first occurrence).
    ``ident`` must be unique in the page: it names the title and description for
    ``aria-labelledby``."""
    n = len(seconds)
    if n == 0:
        raise ValueError("a chart needs at least one occurrence")
    if len(labels.bars) != n or len(estimates) != n:
        raise ValueError("one bar label and one estimate per occurrence")
    top_minutes = max([*seconds, *(e for e in estimates if e)]) / 60
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
    # The judged comparison window, behind the bars: a dashed frame and a bracket.
    first, end = window if window is not None else (0, 0)
    first, end = max(0, first), min(n, end)
    in_window = first < end
    if in_window:
        x0, width = LEFT + first * slot, (end - first) * slot
        out.append(
            f'<rect class="window" x="{_f(x0)}" y="{TOP}" width="{_f(width)}" height="{PLOT_H}" '
            f'fill="#eef2f9" stroke="{WINDOW}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<path class="window-bracket" d="M{_f(x0)} {TOP - 2}V{TOP - 8}H{_f(x0 + width)}'
            f'V{TOP - 2}" fill="none" stroke="{WINDOW}" stroke-width="1.5"/>'
        )
        if labels.window:  # above the bracket, kept inside the view box
            room = len(labels.window) * CHAR_W
            centre = min(max(x0 + width / 2, LEFT + room / 2), LEFT + PLOT_W - room / 2)
            out.append(
                f'<text class="window-label" x="{_f(centre)}" y="{TOP - 12}" '
                f'text-anchor="middle" fill="{WINDOW}">{esc(labels.window)}</text>'
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
    # Where each other comparison window begins.
    for at in sorted(set(boundaries)):
        if 0 < at < n:
            bx = LEFT + at * slot
            out.append(
                f'<line class="boundary" x1="{_f(bx)}" y1="{TOP}" x2="{_f(bx)}" y2="{bottom}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 2"/>'
            )
    # One bar per occurrence.
    for i, value in enumerate(seconds):
        height = max(bottom - y(value), 0.5)  # a few seconds still show
        top = bottom - height
        x = LEFT + i * slot + (slot - bar) / 2
        judged = in_window and first <= i < end
        kind = "occ in-window" if judged else "occ"
        colour = BAR if judged or not in_window else BAR_OLD
        out.append(
            f'<rect class="{kind}" x="{_f(x)}" y="{_f(top)}" width="{_f(bar)}" '
            f'height="{_f(height)}" fill="{colour}">'
            f"<title>{esc(labels.bars[i])}</title></rect>"
        )
    # The client's estimate, each level over the bars compared with it, dashed.
    runs = steps(estimates)
    if runs:
        path = []
        for number, (a, b, value) in enumerate(runs):
            ey = _f(y(value))
            x_start, x_end = _f(LEFT + a * slot), _f(LEFT + b * slot)
            joined = number > 0 and runs[number - 1][1] == a
            path.append(f"{'V' if joined else 'M' + x_start + ' '}{ey}H{x_end}")
        out.append(
            f'<path class="estimate" d="{"".join(path)}" fill="none" stroke="{ESTIMATE}" '
            f'stroke-width="2" stroke-dasharray="{ESTIMATE_DASH}"/>'
        )
    # The recent level across the judged window: dotted, in a colour of its own.
    if in_window and level is not None:
        ly = _f(y(level))
        out.append(
            f'<line class="level" x1="{_f(LEFT + first * slot)}" y1="{ly}" '
            f'x2="{_f(LEFT + end * slot)}" y2="{ly}" stroke="{LEVEL}" stroke-width="3" '
            f'stroke-dasharray="{LEVEL_DASH}" stroke-linecap="round"/>'
        )
    # The keys, in a row above the plot, clear of the bars and of the window's label.
    key_x = float(LEFT)
    if runs and labels.estimate:
        out.append(
            f'<line class="estimate-key" x1="{_f(key_x)}" y1="{KEY_Y - 4}" x2="{_f(key_x + 24)}" '
            f'y2="{KEY_Y - 4}" stroke="{ESTIMATE}" stroke-width="2" '
            f'stroke-dasharray="{ESTIMATE_DASH}"/>'
        )
        out.append(
            f'<text class="estimate-label" x="{_f(key_x + 30)}" y="{KEY_Y}" '
            f'fill="{ESTIMATE}" font-weight="600">{esc(labels.estimate)}</text>'
        )
        key_x += 30 + len(labels.estimate) * CHAR_W + 24
    if in_window and level is not None and labels.level:
        out.append(
            f'<line class="level-key" x1="{_f(key_x)}" y1="{KEY_Y - 4}" x2="{_f(key_x + 24)}" '
            f'y2="{KEY_Y - 4}" stroke="{LEVEL}" stroke-width="3" '
            f'stroke-dasharray="{LEVEL_DASH}" stroke-linecap="round"/>'
        )
        out.append(
            f'<text class="level-label" x="{_f(key_x + 30)}" y="{KEY_Y}" '
            f'fill="#8a4b00" font-weight="600">{esc(labels.level)}</text>'
        )
    # The axes, the occurrence numbers and the first and last days.
    out.append(
        f'<path class="axes" d="M{LEFT} {TOP}V{bottom}H{LEFT + PLOT_W}" fill="none" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    for number in x_numbers(n):
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

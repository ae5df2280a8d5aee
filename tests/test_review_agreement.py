"""Every view of a review shows the same figures, before and after every kind of event.

VERDICT.md, "A decision never rewrites the past": what was judged stays as it was
judged, and the terminal, the JSON, the history, the report and the client's page
read their figures from one computation. One duty goes through a minor change, a new
estimate, a decision to keep, a major change, a renegotiation with a new estimate and
a hand-back; after each step every view is read and compared, and every comparison
window already closed must read as it did before.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime, timedelta

import pytest

from conftest import NOW, ROME

TASK = "Studio Rossi/Newsletter"
T0 = NOW - timedelta(days=120)


def _day(offset: int):
    return (T0 + timedelta(days=offset)).date()


def _evening(offset: int) -> datetime:
    return datetime.combine(_day(offset), datetime.min.time(), ROME) + timedelta(hours=18)


def _timed(cli, at, offsets: list[int], minutes: list[int]) -> None:
    """Timings at 9:00 on those days, typed in on the evening of the last one."""
    at(_evening(offsets[-1]))
    for offset, length in zip(offsets, minutes, strict=True):
        cli("add", "rossi/news", f"{_day(offset).isoformat()} 09:00 {length}m")


def _views(cli, tmp_path, as_of_offset: int) -> dict:
    """Every view of the task as of that day."""
    as_of = _day(as_of_offset).isoformat()
    (review,) = json.loads(cli("review", "rossi/news", "--as-of", as_of, "--json").output)
    history = json.loads(cli("history", "rossi/news", "--json").output)
    text = cli("review", "rossi/news", "--as-of", as_of).output
    page_file = tmp_path / f"page-{as_of_offset}.html"
    cli("review", "--client", "rossi", "--as-of", as_of, "--format", "html", "-o", str(page_file))
    page = html.unescape(re.sub(r"<[^>]+>", " ", page_file.read_text(encoding="utf-8")))
    page = re.sub(r"\s+", " ", page)
    return {"review": review, "history": history, "text": text, "page": page}


def _report(cli, first: str, last: str) -> dict:
    out = cli("report", "--task", "rossi/news", "--from", first, "--to", last, "--format", "json")
    (task,) = json.loads(out.output)["tasks"]
    return task


def _agree(cli, views: dict, *, weekly: bool = False) -> None:
    """The figures of the review JSON are those of the history, the text, the page and the
    report of the same days."""
    review, history = views["review"], views["history"]
    # history --json and review --json: the same windows, figure by figure (when the
    # review is as of today; the history is always as of today)
    assert history["phases"][-1]["segments"] == review["segments"]
    if review["occurrences"] or review["phase"] > 1:  # a duty with a history
        assert "timed 0 times" not in views["text"] and "timed 0 times" not in views["page"]
    judged = review["segments"][review["judged_segment"]]
    assert judged["occurrences"] == review["window_occurrences"]
    assert judged["time_index"] == review["time_index"]
    assert judged["estimate_seconds"] == review["estimate_seconds"]
    if review["level_seconds"] is not None:
        assert judged["level_seconds"] == review["level_seconds"]
    # the text view and the page say each window in the same words
    windows = [
        line.strip()
        for line in views["text"].splitlines()
        if re.match(r"\s*(From|Since) \d.*, (against an estimate|with no estimate)", line)
    ]
    segments = review["segments"]
    # a window opened by a decision to keep or hand back says nothing while it is empty
    said = [
        w
        for i, w in enumerate(segments)
        if w["occurrences"] or i == 0 or segments[i - 1]["decision"] in (None, "renegotiated")
    ]
    assert len(windows) == (len(said) if len(segments) > 1 else 0)
    for line in windows:
        assert line in views["page"], line
    # the report of each window's days gives the window's figures
    for window in review["segments"]:
        if window["occurrences"] == 0:
            continue
        last = window["end"] or review["as_of"]
        if weekly:  # the report counts the weeks wholly in its days: take the window's to Sunday
            end = date.fromisoformat(last)
            last = (end + timedelta(days=6 - end.weekday())).isoformat()
        found = _report(cli, window["start"], last)
        assert found["occurrences"] == window["occurrences"]
        assert found["time_index"] == pytest.approx(window["time_index"])
        assert found["median_seconds"] == window["level_seconds"]  # windows of at most 8 here
    # and of the whole phase, the windows together
    phase = review["segments"]
    estimated = [w for w in phase if w["estimate_seconds"] is not None and w["occurrences"]]
    if estimated:
        whole = _report(cli, review["phase_start"], review["as_of"])
        assert whole["occurrences"] == sum(w["occurrences"] for w in phase)
        assert whole["time_index"] == pytest.approx(
            sum(w["estimate_seconds"] * w["occurrences"] for w in estimated)
            / sum(w["seconds"] for w in estimated)
        )


def _closed(review: dict) -> list[dict]:
    return [w for w in review["segments"] if w["end"] is not None]


def _kept(before: dict, after: dict) -> None:
    """Every window closed before the event reads the same after it; the one the event
    closed keeps every figure it had, and only gains its end."""
    old, new = before["segments"], after["segments"]
    assert new[: len(_closed(before))] == _closed(before)
    still_open = old[len(_closed(before)) :]
    for was, now in zip(still_open, new[len(_closed(before)) :], strict=False):
        keys = (
            "start",
            "estimate_seconds",
            "occurrences",
            "seconds",
            "level_seconds",
            "time_index",
        )
        if was["start"] == now["start"]:
            assert {k: was[k] for k in keys} == {k: now[k] for k in keys}


@pytest.fixture
def duty(cli, at):
    at(T0)
    cli("client", "add", "Studio Rossi", "--hour-value", "90", "--rate", "28")
    cli("task", "add", "rossi/Newsletter", "--estimate", "45m", "--trial", "60d")


def test_every_view_agrees_and_no_event_rewrites_a_closed_window(cli, at, duty, tmp_path):
    step = {"day": 0}

    def on(offset: int) -> dict:
        step["day"] = offset
        at(_evening(offset))
        views = _views(cli, tmp_path, offset)
        _agree(cli, views)
        return views["review"]

    _timed(cli, at, [50, 52, 54, 56, 58, 60, 62, 64], [40, 38, 41, 39, 40, 42, 38, 40])
    first = on(65)
    assert first["verdict"] == "keep_faster" and len(first["segments"]) == 1

    # a minor change, with a new estimate: a new window; the first keeps its figures
    cli("change", "rossi/news", "also the archive", "--minor", "--estimate", "40m")
    minor = on(65)
    _kept(first, minor)
    assert [w["estimate_seconds"] for w in minor["segments"]] == [2700, 2400]
    assert minor["verdict"] == "not_enough_data" and minor["window_occurrences"] == 0
    assert "timed 0 times" not in _views(cli, tmp_path, 65)["text"]

    _timed(cli, at, [66, 68, 70, 72, 74], [37, 36, 38, 37, 36])
    before_estimate = on(75)
    # a new estimate while one is in force: one more window
    cli("estimate", "rossi/news", "35m")
    estimated = on(75)
    _kept(before_estimate, estimated)
    assert [w["estimate_seconds"] for w in estimated["segments"]] == [2700, 2400, 2100]

    _timed(cli, at, [76, 78, 80, 82, 84], [34, 33, 35, 34, 33])
    before_keep = on(85)
    cli("decide", "rossi/news", "keep")
    kept = on(85)
    _kept(before_keep, kept)
    # what was judged stays as it was judged, in every figure
    for key in ("verdict", "level_seconds", "time_index", "window_occurrences", "occurrences"):
        assert kept[key] == before_keep[key], key
    assert kept["decision"] == "keep"

    # timings after the decision do not move the judged window
    _timed(cli, at, [86, 88], [50, 55])
    later = on(89)
    for key in ("verdict", "level_seconds", "time_index", "window_occurrences"):
        assert later[key] == kept[key], key

    # a major change: a new phase, with no estimate carried over
    cli("change", "rossi/news", "now with the newsletter design", "--estimate", "60m")
    _timed(cli, at, [90, 92, 94, 96, 98], [70, 68, 69, 70, 71])
    before_renegotiation = on(99)
    assert before_renegotiation["phase"] == 2
    cli("decide", "rossi/news", "renegotiated", "--estimate", "75m", "--early")
    renegotiated = on(99)
    _kept(before_renegotiation, renegotiated)
    assert [w["estimate_seconds"] for w in renegotiated["segments"]] == [3600, 4500]
    assert renegotiated["window_occurrences"] == 0

    _timed(cli, at, [100, 102, 104, 106, 108], [72, 74, 73, 72, 74])
    before_hand_back = on(109)
    cli("decide", "rossi/news", "hand-back", "--early")
    handed_back = on(109)
    _kept(before_hand_back, handed_back)
    for key in ("verdict", "level_seconds", "time_index", "window_occurrences"):
        assert handed_back[key] == before_hand_back[key], key
    assert handed_back["decision"] == "hand_back"


def _windows_hold_every_timing(review: dict) -> None:
    """No time falls between two windows: the windows add up to the phase's typical time."""
    assert sum(w["occurrences"] for w in review["segments"]) == review["occurrences"]


def test_an_occurrence_resumed_after_a_decision_counts_whole_in_the_window_it_began(
    cli, at, duty, tmp_path
):
    _timed(cli, at, [50, 52, 54, 56, 58, 60, 62, 64], [40, 38, 41, 39, 40, 42, 38, 40])
    at(datetime.combine(_day(66), datetime.min.time(), ROME) + timedelta(hours=9, minutes=30))
    cli("add", "rossi/news", f"{_day(66).isoformat()} 09:00 20m")
    at(datetime.combine(_day(66), datetime.min.time(), ROME) + timedelta(hours=10))
    cli("decide", "rossi/news", "keep")
    at(datetime.combine(_day(66), datetime.min.time(), ROME) + timedelta(hours=11))
    cli("start", "rossi/news", "--resume")
    at(datetime.combine(_day(66), datetime.min.time(), ROME) + timedelta(hours=11, minutes=25))
    cli("stop")
    at(_evening(66))
    views = _views(cli, tmp_path, 66)
    _agree(cli, views)
    review = views["review"]
    _windows_hold_every_timing(review)
    first = review["segments"][0]
    assert first["occurrences"] == 9  # the 20 minutes and their 25-minute resumption: one
    assert first["seconds"] == sum([40, 38, 41, 39, 40, 42, 38, 40, 45]) * 60
    # the terminal's detail and the summary read the same
    (summary,) = json.loads(cli("review", "--json").output)
    assert summary["time_index"] == review["time_index"]
    assert summary["level_seconds"] == review["level_seconds"]


def test_a_window_that_closes_mid_week_keeps_the_whole_week_of_a_weekly_duty(cli, at, tmp_path):
    at(T0)
    cli("client", "add", "Studio Rossi", "--hour-value", "90", "--rate", "28")
    cli("task", "add", "rossi/Newsletter", "--estimate", "2h", "--basis", "week", "--trial", "30d")
    # Mondays, then the Thursday of the last week
    mondays = [o for o in range(0, 80) if _day(o).weekday() == 0][:9]
    _timed(cli, at, mondays, [150] * len(mondays))
    thursday = mondays[-1] + 3
    _timed(cli, at, [thursday], [60])
    sunday = thursday + 3
    at(_evening(sunday))
    views = _views(cli, tmp_path, sunday)
    before = views["review"]
    # decided on the Wednesday between the last Monday and its Thursday
    wednesday = _day(mondays[-1] + 2).isoformat()
    cli("decide", "rossi/news", "rinegoziata", "--estimate", "160m", "--at", wednesday)
    views = _views(cli, tmp_path, sunday)
    _agree(cli, views, weekly=True)
    after = views["review"]
    _windows_hold_every_timing(after)
    judged = after["segments"][0]
    # the last week, Monday and Thursday, is one occurrence of the window it began in
    assert judged["occurrences"] == before["window_occurrences"] == len(mondays)
    assert judged["seconds"] == (150 * len(mondays) + 60) * 60
    assert after["segments"][1]["occurrences"] == 0

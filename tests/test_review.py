"""The review and the decision through the command line, on stores built to show each verdict."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from conftest import NOW, ROME
from helpers import dump


def entries_for(cli, at, task, minutes, *, every=2, hour=9, start=None):
    """One entry per occurrence, every ``every`` days, ending the day before NOW."""
    first = (start or NOW - timedelta(days=every * len(minutes))).date()
    for i, length in enumerate(minutes):
        day = first + timedelta(days=every * i)
        begin = datetime(day.year, day.month, day.day, hour, 0, tzinfo=ROME)
        cli("add", task, f"{day.isoformat()} {begin:%H:%M} {length}m")


def reviewed(cli, *args):
    return {r["task"]: r for r in json.loads(cli("review", *args, "--json").output)}


@pytest.fixture
def office(cli, at):
    """Tasks created 100 days before NOW with a 60-day trial, so trials have ended."""
    at(NOW - timedelta(days=100))
    cli("client", "add", "Studio Rossi", "--hour-value", "90", "--rate", "28")
    cli("client", "add", "Caffè Ôrso", "--hour-value", "40", "--rate", "25")
    cli("client", "add", "Ferri", "--rate", "30")
    cli("task", "add", "rossi/Newsletter", "--estimate", "45m", "--trial", "60d")
    cli("task", "add", "rossi/Trasferte", "--estimate", "40m", "--trial", "60d")
    cli("task", "add", "caffe/Inbox", "--estimate", "10m", "--trial", "60d")
    cli("task", "add", "ferri/Agenda", "--estimate", "20m", "--trial", "60d")
    cli("task", "add", "rossi/Fatture", "--estimate", "20m", "--trial", "60d")
    at(NOW)


def test_each_verdict_through_the_command_line(cli, at, office):
    entries_for(cli, at, "rossi/news", [30, 31, 29, 30, 32, 30, 31, 30], hour=8)
    entries_for(cli, at, "rossi/trasf", [48, 47, 49, 48, 47, 48, 49, 47], hour=9)
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25], hour=10)
    entries_for(cli, at, "ferri/agenda", [28, 27, 29, 28, 28, 27, 29, 28], hour=11)
    entries_for(cli, at, "rossi/fatt", [25, 22, 24], hour=12)
    found = reviewed(cli)
    verdicts = {task: r["verdict"] for task, r in found.items()}
    assert verdicts == {
        "Studio Rossi/Newsletter": "keep_faster",
        # 48 min at 28 €/h against 40 min: v* = 22.40/(40/60) = 33.60 €/h; 90 >= 1.1 * 33.60
        "Studio Rossi/Trasferte": "keep_worth_it",
        # 25 min at 25 €/h against 10: v* = 10.42/(10/60) = 62.50 €/h; 40 < 0.9 * 62.50
        "Caffè Ôrso/Inbox": "hand_back",
        "Ferri/Agenda": "renegotiate",  # the value of the client's hour is unknown
        "Studio Rossi/Fatture": "not_enough_data",
    }
    order = [r["task"] for r in json.loads(cli("review", "--json").output)]
    assert order[:2] == ["Caffè Ôrso/Inbox", "Ferri/Agenda"]  # flagged first
    trasferte = found["Studio Rossi/Trasferte"]
    assert trasferte["level_seconds"] == 48 * 60
    assert trasferte["interval_seconds"] == [47 * 60, 49 * 60]
    assert trasferte["sign"] == {"longer": 8, "of": 8, "p": pytest.approx(1 / 256)}
    assert trasferte["economics"]["freed_hour_price_cents"] == pytest.approx(3360)
    assert trasferte["awaiting_decision"] is True


def test_the_list_and_the_reminders(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    out = cli("review").output
    assert "Caffè Ôrso/Inbox" in out and "take it back" in out
    assert "The trial of Caffè Ôrso/Inbox ended on" in out
    assert "Trial ended with no decision: Caffè Ôrso/Inbox" in cli("status").output


def test_one_task_in_depth(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    out = cli("review", "caffe/inbox").output
    assert "Verdict: take it back" in out
    assert "It takes about 25 minutes against your 10 minutes." in out
    assert "more than the €40.00 your hour is worth" in out
    assert "8 of the last 8 took longer than your estimate (one-sided sign test: p = 0.004)." in out
    assert "Each hour delegating frees for you costs €62.50." in out
    assert "│ your estimate: 10 min" in out


def test_as_of_a_date_before_an_entry_is_the_store_without_it(cli, at, office, isolated_home):
    entries_for(cli, at, "rossi/news", [30, 31, 29, 30, 32, 30, 31, 30])
    before = reviewed(cli, "--as-of", (NOW - timedelta(days=3)).date().isoformat())
    last = json.loads(cli("log", "--json", "--from", "2026-01-01").output)[-1]["id"]
    cli("delete", str(last))
    assert reviewed(cli, "--as-of", (NOW - timedelta(days=3)).date().isoformat()) == before


def test_atypical_occurrences_are_left_out_and_counted(cli, at, office):
    entries_for(cli, at, "rossi/news", [30, 31, 29, 30, 32, 30, 31, 30, 200])
    last = json.loads(cli("log", "--json", "--from", "2026-01-01").output)[-1]["id"]
    plain = reviewed(cli)["Studio Rossi/Newsletter"]
    cli("edit", str(last), "--atypical")
    marked = reviewed(cli)["Studio Rossi/Newsletter"]
    assert marked["left_out"] == 1 and marked["occurrences"] == plain["occurrences"] - 1
    assert marked["level_seconds"] == 30 * 60
    assert "1 atypical occurrence left out of the figures." in cli("review", "rossi/news").output


def test_decide_records_the_decision_and_hand_back_leaves_the_list(cli, at, office, isolated_home):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    out = cli("decide", "caffe/inbox", "hand-back", "--note", "he will do it himself").output
    assert "takes Caffè Ôrso/Inbox back" in out
    assert "Caffè Ôrso/Inbox" not in reviewed(cli)
    story = json.loads(cli("history", "caffe/inbox", "--json").output)
    decision = story["phases"][-1]["events"][-1]
    assert (decision["kind"], decision["decision"], decision["verdict"]) == (
        "decision",
        "hand_back",
        "hand_back",
    )
    assert json.loads(cli("task", "show", "caffe/inbox", "--json").output)["state"] == "handed_back"


def test_keep_ends_the_review_cycle(cli, at, office):
    entries_for(cli, at, "rossi/trasf", [48, 47, 49, 48, 47, 48, 49, 47])
    cli("decide", "rossi/trasf", "keep", "--rate", "30")
    r = reviewed(cli)["Studio Rossi/Trasferte"]
    assert r["decision"] == "keep" and r["awaiting_decision"] is False
    assert "Studio Rossi/Trasferte" not in cli("status").output


def test_a_decision_needs_a_verdict(cli, at, office, isolated_home):
    entries_for(cli, at, "rossi/fatt", [25, 22, 24])
    before = dump(isolated_home)
    result = cli("decide", "rossi/fatt", "keep", ok=False)
    assert result.exit_code == 2
    assert "no verdict" in result.output
    assert dump(isolated_home) == before
    result = cli("decide", "rossi/news", "maybe", ok=False)
    assert result.exit_code == 2 and "not a decision" in result.output
    assert dump(isolated_home) == before


def test_a_major_change_restarts_the_review(cli, at, office):
    entries_for(cli, at, "rossi/news", [30, 31, 29, 30, 32, 30, 31, 30])
    cli("change", "rossi/news", "now also the social posts", "--estimate", "60m")
    r = reviewed(cli)["Studio Rossi/Newsletter"]
    assert r["verdict"] == "not_enough_data" and r["phase"] == 2
    assert r["previous_level_seconds"] == 30 * 60


def test_italian_explanations(cli, at, office, monkeypatch):
    from mansioni.i18n import set_language

    entries_for(cli, at, "rossi/fatt", [25, 22, 24])
    set_language("it")
    out = cli("review", "rossi/fatt").output
    assert "Questa mansione è stata cronometrata 3 volte dal" in out
    assert "ne servono almeno 5 per un giudizio affidabile" in out


def test_the_demo_shows_every_verdict(cli, tmp_path):
    cli("demo", "--home", str(tmp_path / "demo"))
    import os

    os.environ["MANSIONI_HOME"] = str(tmp_path / "demo")
    verdicts = {r["verdict"] for r in json.loads(cli("review", "--json").output)}
    assert {
        "keep_faster",
        "learning",
        "keep_worth_it",
        "renegotiate",
        "hand_back",
        "not_enough_data",
    } <= verdicts
    phases = json.loads(cli("history", "rossi/fatture", "--json").output)["phases"]
    assert len(phases) == 2


def test_the_demo_shows_a_day_a_subtotal_per_client_and_an_invoiced_month(
    cli, tmp_path, monkeypatch
):
    out = cli("demo", "--home", str(tmp_path / "demo")).output
    yesterday = (NOW - timedelta(days=1)).date()
    last_month = (NOW.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    after_review = out[out.index(f"mansioni log --from {yesterday.isoformat()}") :]
    day = after_review.splitlines()[1]
    assert re.fullmatch(r"\w{3} \d{1,2} \w{3} \d{4} \(\d+:\d\d\)", day), day
    monkeypatch.setenv("MANSIONI_HOME", str(tmp_path / "demo"))
    month = json.loads(cli("report", "--month", f"{last_month:%Y-%m}", "--format", "json").output)
    by_client = {s["client"]: s for s in month["subtotals"]}
    assert set(by_client) == {"Studio Rossi", "Caffè Ôrso", "Avv. Bianchi", "Ferri Immobiliare"}
    # Studio Rossi's month is invoiced (mansioni bill), the others' is not: the demo's
    # table shows the report's own figures.
    rows = {line.split("  ")[0].strip(): line for line in after_review.splitlines()}
    for client, subtotal in by_client.items():
        invoiced = subtotal["invoiced"]["amount_cents"]
        assert (invoiced == subtotal["amount_cents"]) is (client == "Studio Rossi")
        assert rows[client].split()[-1 if client == "Studio Rossi" else -2] == "-"


@pytest.mark.parametrize("seed", [1, 2])
def test_the_verdict_does_not_depend_on_the_order_entries_were_inserted(
    cli, at, office, monkeypatch, tmp_path, seed
):
    import random

    minutes = [40, 38, 36, 35, 33, 31, 30, 30, 29, 30]
    days = [(NOW - timedelta(days=2 * (len(minutes) - i))).date() for i in range(len(minutes))]
    pairs = list(zip(days, minutes, strict=True))
    for day, length in pairs:
        cli("add", "rossi/news", f"{day.isoformat()} 09:00 {length}m")
    straight = reviewed(cli)["Studio Rossi/Newsletter"]

    monkeypatch.setenv("MANSIONI_HOME", str(tmp_path / f"shuffled-{seed}"))
    at(NOW - timedelta(days=100))
    cli("client", "add", "Studio Rossi", "--hour-value", "90", "--rate", "28")
    cli("task", "add", "rossi/Newsletter", "--estimate", "45m", "--trial", "60d")
    at(NOW)
    random.Random(seed).shuffle(pairs)
    for day, length in pairs:
        cli("add", "rossi/news", f"{day.isoformat()} 09:00 {length}m")
    assert reviewed(cli)["Studio Rossi/Newsletter"] == straight


def test_an_atypical_occurrence_changes_no_statistic(cli, at, office):
    entries_for(
        cli, at, "rossi/news", [31, 30, 32, 29, 30, 31, 30, 29], start=NOW - timedelta(days=30)
    )
    plain = reviewed(cli)["Studio Rossi/Newsletter"]
    cli("add", "rossi/news", f"{(NOW - timedelta(days=1)).date().isoformat()} 07:00 3h")
    last = json.loads(cli("log", "--json", "--from", "2026-01-01").output)[-1]["id"]
    cli("edit", str(last), "--atypical")
    marked = reviewed(cli)["Studio Rossi/Newsletter"]
    statistics = (
        "verdict",
        "level_seconds",
        "interval_seconds",
        "trend",
        "sign",
        "economics",
        "time_index",
        "variance_seconds",
        "occurrences",
    )
    assert {k: marked[k] for k in statistics} == {k: plain[k] for k in statistics}
    assert marked["left_out"] == plain["left_out"] + 1


def test_reminders_say_what_to_do_and_commands_paste_into_a_shell(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    entries_for(cli, at, "rossi/fatt", [25, 22, 24], hour=12)
    out = cli("review").output
    assert "mansioni decide 'Caffè Ôrso/Inbox' keep|renegotiated|hand-back" in out
    assert "with too few timings for a verdict (3 of 5): keep timing it." in out


def test_as_of_skips_tasks_not_yet_created_and_refuses_the_future(cli, at, office):
    at(NOW - timedelta(days=10))
    cli("task", "add", "rossi/Nuova", "--estimate", "30m")
    at(NOW)
    early = reviewed(cli, "--as-of", (NOW - timedelta(days=20)).date().isoformat())
    assert "Studio Rossi/Nuova" not in early and "Studio Rossi/Newsletter" in early
    result = cli("review", "--as-of", "2027-01-01", ok=False)
    assert result.exit_code == 2 and "future" in result.output


def test_a_renegotiation_counts_again_from_the_decision(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    cli("decide", "caffe/inbox", "renegotiated", "--estimate", "25m", "--rate", "20")
    r = reviewed(cli)["Caffè Ôrso/Inbox"]
    assert r["verdict"] == "not_enough_data" and r["estimate_seconds"] == 25 * 60
    out = cli("review", "caffe/inbox").output
    # a duty with a history is never "timed 0 times": the new window, and what came before
    assert "timed 0 times" not in out
    assert (
        "Since 27 Nov 2026 (renegotiation) it has been timed 0 of the 5 times needed,"
        " against your estimate of 25 minutes." in out
    )
    assert "Until then, against your 10 minutes, it took about 25 minutes." in out
    # the window before the decision keeps its estimate and its figures
    before, after = r["segments"]
    assert (before["estimate_seconds"], before["occurrences"], before["decision"]) == (
        600,
        8,
        "renegotiated",
    )
    assert before["time_index"] == pytest.approx(
        8 * 600 / sum(m * 60 for m in [25, 24, 26, 25, 25, 24, 26, 25])
    )
    assert (after["estimate_seconds"], after["occurrences"], after["opened_by"]) == (
        1500,
        0,
        "decision",
    )


def test_decide_on_a_task_handed_back_says_so(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    cli("decide", "caffe/inbox", "hand-back")
    result = cli("decide", "caffe/inbox", "keep", ok=False)
    assert result.exit_code == 2 and "no longer active" in result.output


def test_one_task_as_of_before_it_existed_is_refused(cli, at, office):
    at(NOW - timedelta(days=10))
    cli("task", "add", "rossi/Nuova", "--estimate", "30m")
    at(NOW)
    result = cli(
        "review", "rossi/nuova", "--as-of", (NOW - timedelta(days=20)).date().isoformat(), ok=False
    )
    assert result.exit_code == 2 and "did not exist yet" in result.output


def test_one_task_charts_every_occurrence_and_the_list_the_last_ten(cli, at, office):
    """The list reads each phase summed up, with its last ten occurrences for the
    sparkline; one task in depth reads them all, for its chart."""
    minutes = [40, 39, 41, 38, 37, 36, 38, 35, 34, 33, 35, 32, 31, 30]
    entries_for(cli, at, "rossi/news", minutes)
    out = cli("review", "rossi/news").output
    rows = [line for line in out.splitlines() if line[:3].strip().isdigit() and "│" in line]
    assert [int(line[:3]) for line in rows] == list(range(1, 15))
    # the eight of the comparison window are marked
    assert sum(line.rstrip().endswith("•") for line in rows) == 8
    spark = next(
        line for line in cli("review").output.splitlines() if line.startswith("  Newsletter ")
    )
    assert any(len(word) == 10 and set(word) <= set("▁▂▃▄▅▆▇█") for word in spark.split())
    summed = reviewed(cli)["Studio Rossi/Newsletter"]
    assert summed["occurrences"] == 14
    assert summed == reviewed(cli, "rossi/news")["Studio Rossi/Newsletter"]


@pytest.mark.parametrize(("columns", "lang"), [(80, "en"), (80, "it"), (120, "en"), (120, "it")])
def test_the_list_reads_on_a_narrow_terminal(cli, demo, monkeypatch, columns, lang):
    """Each client once as a heading, then a line per task with its verdict, and its
    reason under it; below 100 columns the phase's first day and the sparkline are left
    out. No line is wider than the terminal (tests/test_widths.py checks every word)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("MANSIONI_LANG", lang)
    reviews = json.loads(cli("review", "--json").output)
    out = cli("review").output
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    header = lines[0]
    assert ("Reason" in header or "Motivo" in header) is False
    assert ("Trend" in header or "Andamento" in header) is (columns >= 100)
    clients = [r["client"] for r in reviews]
    assert sorted(line for line in lines if line in clients) == sorted(set(clients))
    flat = " ".join(out.split())
    for review in reviews:
        name = review["task"].split("/", 1)[1]
        (row,) = [i for i, line in enumerate(lines) if line.startswith(f"  {name}  ")]
        reason = " ".join(review["explanation"][0].split())
        assert " ".join(" ".join(lines[row + 1 : row + 4]).split()).startswith(reason[:40])
        assert reason in flat
    assert "take it back" in flat or "riprendere in carico" in flat


def test_a_wide_terminal_shows_every_column_and_the_reason_under_the_row(cli, demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    lines = cli("review").output.splitlines()
    assert "Trend" in lines[0] and "Phase from" in lines[0] and "Reason" not in lines[0]
    inbox = next(i for i, line in enumerate(lines) if line.startswith("  Inbox "))
    assert "take it back" in lines[inbox]
    assert lines[inbox + 1] == "    It takes about 25 minutes against your 10 minutes."


def test_decide_before_the_trial_ends_is_refused_unless_early(cli, at, isolated_home):
    """Seen: a decision taken while the verdict was still provisional, in silence."""
    at(NOW - timedelta(days=20))
    cli("client", "add", "Niccolò", "--rate", "25")
    cli("task", "add", "niccolo/Ordini", "--estimate", "20m", "--trial", "90d")
    at(NOW)
    entries_for(cli, at, "niccolo/ordini", [30, 31, 29, 30, 31, 30, 29], every=2)
    before = dump(isolated_home, ("task", "task_event"))
    result = cli("decide", "niccolo/ordini", "keep", ok=False)
    assert result.exit_code == 2
    # it says the verdict it would record, and how to record it all the same
    assert "The trial of Niccolò/Ordini runs until" in result.output
    assert "the verdict so far is: on trial" in result.output
    assert "mansioni decide 'Niccolò/Ordini' keep --early" in result.output
    assert dump(isolated_home, ("task", "task_event")) == before
    out = cli("decide", "niccolo/ordini", "keep", "--early").output
    assert "the client keeps delegating Niccolò/Ordini" in out
    (found,) = json.loads(cli("review", "niccolo/ordini", "--json").output)
    assert found["decision"] == "keep" and found["verdict"] == "on_trial"


def test_slower_and_flat_in_the_trial_is_on_trial_and_says_so(cli, at, isolated_home):
    """Seen: 7 of 7 times over the estimate, not improving, called "still learning"."""
    at(NOW - timedelta(days=20))
    cli("client", "add", "Niccolò", "--rate", "25")
    cli("task", "add", "niccolo/Ordini", "--estimate", "20m", "--trial", "90d")
    at(NOW)
    entries_for(cli, at, "niccolo/ordini", [30, 31, 29, 30, 31, 30, 29], every=2)
    (found,) = json.loads(cli("review", "niccolo/ordini", "--json").output)
    assert (found["verdict"], found["reason_code"]) == ("on_trial", "slower_so_far")
    out = cli("review", "niccolo/ordini").output
    assert "Verdict: on trial" in out and "still learning" not in out
    assert "So far it takes about 30 minutes against your 20 minutes: 10 minutes more," in out
    assert "and it is not getting faster." in out


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [("tenere", "keep"), ("Rinegoziata", "renegotiated"), ("restituire", "hand_back")],
)
def test_decisions_can_be_typed_in_italian(cli, at, office, typed, recorded):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    cli("decide", "caffe/inbox", typed)
    history = json.loads(cli("history", "caffe/inbox", "--json").output)
    assert history["phases"][-1]["events"][-1]["decision"] == recorded


def test_a_decision_can_be_dated_and_a_decided_review_is_not_decided_twice(
    cli, at, office, isolated_home
):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    cli("decide", "caffe/inbox", "keep", "--at", yesterday)
    history = json.loads(cli("history", "caffe/inbox", "--json").output)
    assert history["phases"][-1]["events"][-1]["at"].startswith(yesterday)
    before = dump(isolated_home, ("task", "task_event"))
    again = cli("decide", "caffe/inbox", "keep", ok=False)
    assert again.exit_code == 2 and "was already decided on 26 Nov 2026" in again.output
    assert dump(isolated_home, ("task", "task_event")) == before
    too_early = cli("decide", "caffe/inbox", "keep", "--at", "2020-01-01", ok=False)
    assert too_early.exit_code == 2 and "story of this task starts on" in too_early.output


def test_a_decision_dated_on_a_day_covers_that_days_timings(cli, at, office):
    """decide --at DAY judges as of the end of DAY, and is recorded there."""
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    last_day = (NOW - timedelta(days=2)).date().isoformat()  # the last timing's day
    (before,) = json.loads(cli("review", "caffe/inbox", "--as-of", last_day, "--json").output)
    cli("decide", "caffe/inbox", "keep", "--at", last_day)
    (after,) = json.loads(cli("review", "caffe/inbox", "--as-of", last_day, "--json").output)
    for key in ("verdict", "window_occurrences", "time_index", "level_seconds"):
        assert after[key] == before[key], key
    assert after["decision"] == "keep"


def test_nothing_is_dated_before_a_decision(cli, at, office, isolated_home):
    """A back-dated decision or change would rewrite what a decision judged."""
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    cli("decide", "caffe/inbox", "renegotiated", "--estimate", "30m")
    before = dump(isolated_home, ("task", "task_event"))
    earlier = (NOW - timedelta(days=5)).date().isoformat()
    for argv in (
        ("decide", "caffe/inbox", "hand-back", "--at", earlier),
        ("change", "caffe/inbox", "more mail", "--minor", "--at", earlier),
        ("estimate", "caffe/inbox", "20m", "--at", earlier),
    ):
        result = cli(*argv, ok=False)
        assert result.exit_code == 2 and "A decision was recorded on 27 Nov 2026" in result.output
    assert dump(isolated_home, ("task", "task_event")) == before


def test_the_early_hint_keeps_every_option_typed(cli, at, isolated_home):
    at(NOW - timedelta(days=20))
    cli("client", "add", "Niccolò", "--rate", "25")
    cli("task", "add", "niccolo/Ordini", "--estimate", "20m", "--trial", "90d")
    at(NOW)
    entries_for(cli, at, "niccolo/ordini", [30, 31, 29, 30, 31, 30, 29], every=2)
    result = cli(
        "decide",
        "niccolo/ordini",
        "tenere",
        "--estimate",
        "25m",
        "--note",
        "va bene così",
        ok=False,
    )
    assert (
        "mansioni decide 'Niccolò/Ordini' tenere --note 'va bene così' --estimate 25m --early"
        in result.output
    )


def test_a_change_after_a_keep_opens_a_window_to_judge(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25], every=1)
    day = (NOW - timedelta(days=20)).date().isoformat()
    at(NOW - timedelta(days=30))
    entries_for(
        cli,
        at,
        "caffe/inbox",
        [25, 24, 26, 25, 25, 24, 26, 25],
        every=1,
        start=NOW - timedelta(days=60),
    )
    at(NOW)
    cli("decide", "caffe/inbox", "keep", "--at", day)
    cli(
        "change",
        "caffe/inbox",
        "also the newsletter",
        "--minor",
        "--estimate",
        "30m",
        "--at",
        (NOW - timedelta(days=19)).date().isoformat(),
    )
    (found,) = json.loads(cli("review", "caffe/inbox", "--json").output)
    assert found["judged_segment"] == 2 and found["estimate_seconds"] == 1800
    assert found["window_occurrences"] == 8


def test_after_a_renegotiation_the_reminder_speaks_of_the_new_window(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    cli("decide", "caffe/inbox", "renegotiated", "--estimate", "25m")
    out = cli("review").output
    assert "Since 27 Nov 2026, Caffè Ôrso/Inbox has 0 of the 5 timings a verdict needs" in out
    assert "Caffè Ôrso/Inbox ended on" not in out


def test_a_decision_dated_before_a_major_change_is_recorded_on_the_phase_it_judged(cli, at, office):
    entries_for(cli, at, "caffe/inbox", [25, 24, 26, 25, 25, 24, 26, 25])
    cli("change", "caffe/inbox", "now also the newsletter", "--estimate", "20m")
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    out = cli("decide", "caffe/inbox", "hand-back", "--at", yesterday).output
    assert "the client takes Caffè Ôrso/Inbox back (decided on 26 Nov 2026)" in out
    history = json.loads(cli("history", "caffe/inbox", "--json").output)
    first, second = history["phases"]
    assert first["decision"] == "hand_back" and second["decision"] is None

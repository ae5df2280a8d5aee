"""The report counts pieces in the database and judges them in the domain: held equal,
on random histories, to the domain's rules applied to every entry one by one."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import store_at
from mansioni.domain.billing import amount, billed_seconds, cents, pieces
from mansioni.domain.calendar import days_bounds
from mansioni.domain.entries import Entry
from mansioni.domain.occurrences import occurrences
from mansioni.domain.stats import median
from mansioni.services.report import period_report
from mansioni.store.queries.periods import Cuts, interval_sql
from mansioni.store.quick import QuickStore
from mansioni.store.revision import HEAD

ROME = ZoneInfo("Europe/Rome")
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
LO, HI = days_bounds(FIRST, LAST, ROME)


@settings(max_examples=200)
@given(
    cuts=st.lists(st.integers(-(10**12), 10**12), unique=True, max_size=40).map(sorted),
    instants=st.lists(st.integers(-(10**12) - 5, 10**12 + 5), min_size=1, max_size=20),
)
def test_the_database_finds_the_interval_the_domain_does(cuts, instants):
    conn = sqlite3.connect(":memory:")
    try:
        for t in instants + cuts:
            (found,) = conn.execute(
                f"SELECT {interval_sql(':t', Cuts(tuple(cuts)))}", {"t": t}
            ).fetchone()
            assert found == Cuts(tuple(cuts)).index(t)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema")
    store_at(f"sqlite:///{folder / 'mansioni.db'}", HEAD)
    return folder / "mansioni.db"


#: An entry: task (1 or 2), person, start offset (minutes into the month, some outside
#: it), length in seconds, resumes an earlier entry of the list (its index) or not,
#: atypical, finished.
ENTRY = st.tuples(
    st.integers(1, 2),
    st.sampled_from(["vera", "giulia"]),
    st.integers(-600, 30 * 24 * 60 + 600),
    st.integers(1, 4 * 3600),
    st.one_of(st.none(), st.integers(0, 30)),
    st.integers(0, 4).map(lambda k: k == 0),
    st.integers(0, 9).map(lambda k: k != 0),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(ENTRY, max_size=40),
    rounding=st.sampled_from([None, 1, 6, 15, 30]),
    minimum=st.sampled_from([None, 5, 30, 60]),
    rates=st.tuples(st.sampled_from([None, 2500, 3333]), st.sampled_from([None, 4000])),
)
def test_the_report_bills_and_counts_as_the_domain_does_entry_by_entry(
    template, tmp_path_factory, rows, rounding, minimum, rates
):
    path = tmp_path_factory.mktemp("store") / "mansioni.db"
    shutil.copy(template, path)
    task_rate, client_rate = rates
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO client (id, name, currency, rate_cents, rounding_minutes, minimum_minutes,"
        " archived, created_utc) VALUES (1, 'Rossi', 'EUR', ?, ?, ?, 0, 0)",
        (client_rate, rounding, minimum),
    )
    for task_id, rate in ((1, task_rate), (2, None)):
        conn.execute(
            "INSERT INTO task (id, client_id, name, estimate_basis, rate_cents,"
            " oversight_seconds, trial_days, state, created_utc)"
            " VALUES (?, 1, ?, 'occurrence', ?, 0, 90, 'trial', 0)",
            (task_id, f"t{task_id}", rate),
        )
    entries: list[Entry] = []
    for i, (task_id, person, minute, seconds, resumes, atypical, finished) in enumerate(rows):
        start = LO + minute * 60 + i  # distinct starts
        head = None
        if resumes is not None and resumes < i and entries[resumes].task_id == task_id:
            head = entries[resumes].occurrence
        end = start + seconds if finished else None
        if end is None:
            person = f"{person}{i}"  # one running timer per person
        conn.execute(
            "INSERT INTO entry (id, task_id, person, start_utc, end_utc, zone, occurrence_id,"
            " atypical, created_utc) VALUES (?, ?, ?, ?, ?, 'Europe/Rome', ?, ?, 0)",
            (i + 1, task_id, person, start, end, head, atypical),
        )
        entries.append(
            Entry(i + 1, task_id, person, start, end, "Europe/Rome", None, head, atypical)
        )
    conn.commit()
    conn.close()

    report = period_report(
        QuickStore(str(path)), first=FIRST, last=LAST, zone="Europe/Rome", now=HI + 86_400
    )

    inside = [e for e in entries if LO <= e.start < HI and e.end is not None]
    expected = {}
    for task_id in (1, 2):
        its = [e for e in inside if e.task_id == task_id]
        if not its:
            continue
        own = task_rate if task_id == 1 else None
        rate = own if own is not None else client_rate
        billed = [
            billed_seconds(p.seconds, rounding_minutes=rounding, minimum_minutes=minimum)
            for p in pieces(its)
        ]
        typical = [
            o.seconds for o in occurrences(its, basis="occurrence", zone=ROME) if not o.atypical
        ]
        expected[f"Rossi/t{task_id}"] = (
            sum(e.end - e.start for e in its),
            sum(billed),
            len(billed),
            len(its),
            None if rate is None else cents(sum((amount(b, rate) for b in billed), Fraction(0))),
            len(typical),
            median(typical) if typical else None,
            len(occurrences(its, basis="occurrence", zone=ROME)) - len(typical),
        )
    found = {
        t.task.full: (
            t.seconds,
            t.billed_seconds,
            t.pieces,
            t.entries,
            t.amount_cents,
            t.occurrences,
            t.median_seconds,
            t.atypical,
        )
        for t in report.tasks
    }
    assert found == expected
    assert sum(line.seconds for line in report.lines) == sum(v[0] for v in expected.values())

"""Occurrences from entries, and phases from a task's events: pure, no database."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from mansioni.domain.entries import Entry
from mansioni.domain.occurrences import occurrences
from mansioni.domain.phases import Event, phases

ROME = ZoneInfo("Europe/Rome")


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=ROME).timestamp())


def entry(id_, start, minutes, *, occurrence_id=None, atypical=False, running=False):
    begin = at(start)
    return Entry(
        id_,
        1,
        "vera",
        begin,
        None if running else begin + minutes * 60,
        "Europe/Rome",
        None,
        occurrence_id,
        atypical,
    )


def test_resumed_entries_make_one_occurrence():
    found = occurrences(
        [
            entry(1, "2026-11-23 09:00", 20),
            entry(2, "2026-11-23 09:40", 25, occurrence_id=1),
            entry(3, "2026-11-24 09:00", 30, atypical=True),
            entry(4, "2026-11-25 09:00", 0, running=True),
        ],
        basis="occurrence",
        zone=ROME,
    )
    assert [(o.day, o.seconds // 60, o.entries, o.atypical) for o in found] == [
        (date(2026, 11, 23), 45, 2, False),
        (date(2026, 11, 24), 30, 1, True),
    ]


def test_weeks_and_months_are_counted_on_the_users_clock_across_dst():
    # Sunday 26 October 2025, 23:30 in Rome (after clocks went back) is still in ISO week 43;
    # in UTC it is 22:30, same day; Monday 00:30 Rome is 23:30 UTC on Sunday: week 44 here.
    entries = [
        entry(1, "2025-10-26 23:30", 20),
        entry(2, "2025-10-27 00:30", 20),
        entry(3, "2025-10-31 23:30", 40),
    ]
    weeks = occurrences(entries, basis="week", zone=ROME)
    assert [(o.key, o.seconds // 60) for o in weeks] == [((2025, 43), 20), ((2025, 44), 60)]
    months = occurrences(entries, basis="month", zone=ROME)
    assert [(o.key, o.seconds // 60) for o in months] == [((2025, 10), 80)]


@given(st.permutations(list(range(1, 7))))
def test_occurrences_do_not_depend_on_insertion_order(order):
    base = [entry(i, f"2026-11-{10 + i} 09:00", 10 * i) for i in range(1, 7)]
    shuffled = [base[i - 1] for i in order]
    assert occurrences(shuffled, basis="occurrence", zone=ROME) == occurrences(
        base, basis="occurrence", zone=ROME
    )


CREATED = at("2026-10-01 09:00")


def test_first_phase_reaches_back_to_earlier_entries_and_keeps_its_estimate():
    (only,) = phases(
        created=CREATED,
        first_entry=at("2026-09-20 09:00"),
        events=[Event(1, "estimate", CREATED, estimate_seconds=2700, estimate_basis="occurrence")],
        until=at("2026-12-01 00:00"),
    )
    assert only.start == at("2026-09-20 09:00") and only.end is None
    assert only.estimate_seconds == 2700 and only.decision is None


def test_major_change_splits_and_never_carries_the_estimate():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=2700),
        Event(
            2, "change", at("2026-10-20 10:00"), text="minor", major=False, estimate_seconds=2400
        ),
        Event(3, "decision", at("2026-11-01 10:00"), decision="keep", verdict="keep_faster"),
        Event(4, "change", at("2026-11-10 10:00"), text="new scope", major=True),
        Event(5, "estimate", at("2026-11-12 10:00"), estimate_seconds=3600),
        Event(6, "estimate", at("2026-12-05 10:00"), estimate_seconds=4000),  # after `until`
    ]
    first, second = phases(
        created=CREATED, first_entry=None, events=events, until=at("2026-12-01 00:00")
    )
    assert (first.start, first.end) == (CREATED, at("2026-11-10 10:00"))
    assert first.estimate_seconds == 2400
    # the minor change, then the decision, each opened a segment
    assert [seg.start for seg in first.segments] == [
        CREATED,
        at("2026-10-20 10:00"),
        at("2026-11-01 10:00"),
    ]
    assert first.rebaseline_at == at("2026-11-01 10:00")
    assert first.decision is not None and first.decision.decision == "keep"
    assert second.opened_by is not None and second.opened_by.id == 4
    assert second.estimate_seconds == 3600
    assert second.decision is None and second.rebaseline_at is None
    assert [e.id for e in second.events] == [4, 5]


def test_a_major_change_without_estimate_leaves_the_phase_without_one():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=2700),
        Event(2, "change", at("2026-11-10 10:00"), text="new scope", major=True),
    ]
    assert (
        phases(created=CREATED, first_entry=None, events=events, until=at("2026-12-01 00:00"))[
            -1
        ].estimate_seconds
        is None
    )


def test_a_renegotiation_re_baselines():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=2700),
        Event(
            2, "decision", at("2026-11-01 10:00"), decision="renegotiated", estimate_seconds=3000
        ),
    ]
    (only,) = phases(created=CREATED, first_entry=None, events=events, until=at("2026-12-01 00:00"))
    assert only.rebaseline_at == at("2026-11-01 10:00") and only.estimate_seconds == 3000


@given(st.permutations([1, 2, 3, 4]))
def test_phases_do_not_depend_on_the_order_events_are_given(order):
    events = {
        1: Event(1, "estimate", CREATED, estimate_seconds=2700),
        2: Event(2, "change", at("2026-10-20 10:00"), text="a", major=True, estimate_seconds=1800),
        3: Event(3, "change", at("2026-10-25 10:00"), text="b", major=False, estimate_seconds=1500),
        4: Event(4, "decision", at("2026-11-01 10:00"), decision="keep"),
    }
    given_order = [events[i] for i in order]
    assert phases(created=CREATED, first_entry=None, events=given_order, until=2**40) == phases(
        created=CREATED, first_entry=None, events=list(events.values()), until=2**40
    )

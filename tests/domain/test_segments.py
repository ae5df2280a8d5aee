"""A phase cut into segments, each compared with one estimate (VERDICT.md, "Changes")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from mansioni.domain.phases import FOREVER, NEVER, Event, estimate_timeline, phases, story_start

ROME = ZoneInfo("Europe/Rome")


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=ROME).timestamp())


CREATED = at("2026-12-06 09:00")
UNTIL = at("2026-12-31 00:00")


def test_the_story_starts_at_the_earliest_of_since_creation_and_first_entry():
    assert story_start(created=CREATED, first_entry=None, since=None) == CREATED
    assert story_start(created=CREATED, first_entry=at("2026-10-19 09:00"), since=None) == at(
        "2026-10-19 09:00"
    )
    assert story_start(
        created=CREATED, first_entry=at("2026-10-19 09:00"), since=at("2026-10-01 00:00")
    ) == at("2026-10-01 00:00")
    (only,) = phases(
        created=CREATED, first_entry=None, since=at("2026-10-01 00:00"), events=[], until=UNTIL
    )
    assert only.start == at("2026-10-01 00:00")


def test_an_estimate_given_late_counts_from_the_start_of_a_window_that_had_none():
    # Weeks typed in afterwards, the estimate recorded when the task was set up, today.
    events = [Event(1, "estimate", CREATED, estimate_seconds=7200)]
    (only,) = phases(
        created=CREATED, first_entry=at("2026-10-19 09:00"), events=events, until=UNTIL
    )
    (segment,) = only.segments
    assert segment.start == at("2026-10-19 09:00") and segment.estimate_seconds == 7200


def test_the_estimate_given_at_set_up_counts_from_the_start_of_a_story_typed_in_later():
    """Weeks typed in afterwards, a change dated among them: the estimate given when
    the task was set up (today) is the one the weeks before the change are compared with."""
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=8100),
        Event(
            2,
            "change",
            at("2026-11-16 00:00"),
            text="stories too",
            major=False,
            estimate_seconds=2700,
        ),
    ]
    (only,) = phases(
        created=CREATED, first_entry=at("2026-10-19 09:00"), events=events, until=UNTIL
    )
    assert [(s.start, s.estimate_seconds) for s in only.segments] == [
        (at("2026-10-19 09:00"), 8100),
        (at("2026-11-16 00:00"), 2700),
    ]
    spans = estimate_timeline(events, created=CREATED)
    assert [(lo, e) for lo, _hi, e, _b in spans] == [(NEVER, 8100), (at("2026-11-16 00:00"), 2700)]


def test_a_renegotiation_keeps_the_old_estimate_before_it_and_the_new_one_after():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=7200),
        Event(
            2, "decision", at("2026-12-20 10:00"), decision="renegotiated", estimate_seconds=8100
        ),
    ]
    (only,) = phases(created=CREATED, first_entry=None, events=events, until=UNTIL)
    before, after = only.segments
    assert (before.estimate_seconds, before.end, before.closed_by.id) == (
        7200,
        at("2026-12-20 10:00"),
        2,
    )
    assert (after.estimate_seconds, after.start, after.opened_by.id) == (
        8100,
        at("2026-12-20 10:00"),
        2,
    )
    assert not after.settled and only.estimate_seconds == 8100


def test_keep_and_hand_back_settle_the_segment_they_open():
    for decision in ("keep", "hand_back"):
        events = [
            Event(1, "estimate", CREATED, estimate_seconds=3600),
            Event(2, "decision", at("2026-12-20 10:00"), decision=decision),
        ]
        (only,) = phases(created=CREATED, first_entry=None, events=events, until=UNTIL)
        assert [s.settled for s in only.segments] == [False, True]
        assert only.segments[1].estimate_seconds == 3600  # carried: same scope


def test_a_revised_estimate_opens_a_window_and_the_same_one_does_not():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=3600),
        Event(2, "estimate", at("2026-12-10 10:00"), estimate_seconds=3600),
        Event(3, "estimate", at("2026-12-12 10:00"), estimate_seconds=3000),
    ]
    (only,) = phases(created=CREATED, first_entry=None, events=events, until=UNTIL)
    assert [(s.start, s.estimate_seconds) for s in only.segments] == [
        (CREATED, 3600),
        (at("2026-12-12 10:00"), 3000),
    ]


def test_an_event_at_a_windows_very_start_amends_it():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=3600),
        Event(2, "change", at("2026-12-10 00:00"), text="minor", major=False),
        Event(3, "estimate", at("2026-12-10 00:00"), estimate_seconds=2700),
    ]
    (only,) = phases(created=CREATED, first_entry=None, events=events, until=UNTIL)
    assert [
        (s.start, s.estimate_seconds, s.opened_by and s.opened_by.id) for s in only.segments
    ] == [
        (CREATED, 3600, None),
        (at("2026-12-10 00:00"), 2700, 2),
    ]


EVENT = st.one_of(
    st.builds(
        lambda d, e: ("estimate", d, e, None, None),
        st.integers(0, 40),
        st.sampled_from([1800, 2700, 3600]),
    ),
    st.builds(
        lambda d, e, major: ("change", d, e, major, None),
        st.integers(0, 40),
        st.one_of(st.none(), st.sampled_from([1800, 2700])),
        st.booleans(),
    ),
    st.builds(
        lambda d, e, what: ("decision", d, e, None, what),
        st.integers(0, 40),
        st.one_of(st.none(), st.sampled_from([2400, 5400])),
        st.sampled_from(["keep", "renegotiated", "hand_back"]),
    ),
)


def _events(specs) -> list[Event]:
    return [
        Event(
            i,
            kind,
            CREATED + day * 86400,
            text="x" if kind == "change" else None,
            major=major,
            estimate_seconds=estimate,
            decision=decision,
        )
        for i, (kind, day, estimate, major, decision) in enumerate(specs, start=1)
    ]


@given(st.lists(EVENT, max_size=8), st.lists(EVENT, max_size=4))
def test_later_events_never_change_what_an_earlier_window_was_compared_with(first, later):
    """A decision never rewrites the past: the estimate each closed window was compared
    with reads the same once later events are recorded."""
    early = _events(first)
    cut = max((e.at for e in early), default=CREATED)
    more = [
        Event(
            100 + i,
            e.kind,
            cut + 86400 + (e.at - CREATED),
            e.text,
            e.major,
            e.estimate_seconds,
            decision=e.decision,
        )
        for i, e in enumerate(_events(later))
    ]
    before = phases(created=CREATED, first_entry=None, events=early, until=FOREVER)
    after = phases(created=CREATED, first_entry=None, events=early + more, until=FOREVER)
    closed_before = [
        (s.start, s.end, s.estimate_seconds) for p in before for s in p.segments if s.end
    ]
    closed_after = [(s.start, s.end, s.estimate_seconds) for p in after for s in p.segments]
    assert closed_before == closed_after[: len(closed_before)]


@given(st.lists(EVENT, max_size=10))
def test_the_timeline_is_the_segments_estimates(specs):
    events = _events(specs)
    spans = estimate_timeline(events, created=CREATED)
    assert spans[0][0] == NEVER and spans[-1][1] == FOREVER
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    found = phases(created=CREATED, first_entry=None, since=NEVER, events=events, until=FOREVER)
    for phase in found:
        for seg in phase.segments:
            if seg.end is None or seg.end > seg.start:
                inside = next(s for s in spans if s[0] <= seg.start < s[1])
                assert inside[2] == seg.estimate_seconds


def test_a_change_at_the_instant_of_a_keep_opens_a_window_to_judge():
    events = [
        Event(1, "estimate", CREATED, estimate_seconds=3600),
        Event(2, "decision", at("2026-12-20 10:00"), decision="keep"),
        Event(3, "change", at("2026-12-20 10:00"), text="more", major=False, estimate_seconds=3000),
    ]
    (only,) = phases(created=CREATED, first_entry=None, events=events, until=UNTIL)
    last = only.segments[-1]
    assert last.opened_by.id == 3 and not last.settled and last.estimate_seconds == 3000


def test_an_event_before_the_first_entry_is_in_the_story():
    events = [Event(1, "change", at("2026-10-05 00:00"), text="x", major=True)]
    first, _second = phases(
        created=CREATED, first_entry=at("2026-10-06 09:00"), events=events, until=UNTIL
    )
    assert first.start <= first.end == at("2026-10-05 00:00")

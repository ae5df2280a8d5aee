"""Entry rules (intervals, overlaps) and the small values typed for clients and tasks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mansioni.domain.entries import MAX_ENTRY_SECONDS, Entry, check_interval, clipped, overlap
from mansioni.domain.values import (
    BASIS_WORDS,
    parse_choice,
    parse_currency,
    parse_days,
    parse_money,
)
from mansioni.errors import InputError

NOW = 1_800_000_000


def test_entry_properties():
    running = Entry(7, 1, "vera", NOW - 600, None, "Europe/Rome")
    assert running.running and running.seconds(NOW) == 600 and running.occurrence == 7
    resumed = Entry(9, 1, "vera", NOW - 300, NOW - 60, "UTC", occurrence_id=7)
    assert not resumed.running and resumed.seconds(NOW) == 240 and resumed.occurrence == 7
    assert resumed._replace(end=NOW).seconds(NOW) == 300


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (NOW + 3600, None),  # starts in the future
        (NOW - 60, NOW - 60),  # empty
        (NOW - 60, NOW - 120),  # ends before it starts
        (NOW - 60, NOW + 3600),  # ends in the future
        (NOW - MAX_ENTRY_SECONDS - 61, NOW - 60),  # a forgotten timer
    ],
)
def test_check_interval_refuses(start, end):
    with pytest.raises(InputError) as caught:
        check_interval(start, end, NOW)
    assert caught.value.hint


def test_check_interval_accepts():
    check_interval(NOW - 3600, NOW, NOW)
    check_interval(NOW - 3600, None, NOW)
    check_interval(NOW + 30, None, NOW)  # a second or so of clock skew is fine


def test_overlap_and_clipped():
    assert overlap(0, 10, 5, 15) and overlap(0, None, 100, 200)
    assert not overlap(0, 10, 10, 20)  # touching is not overlapping
    assert clipped(0, 100, 50, 200) == 50
    assert clipped(0, 100, 100, 200) == 0


interval = st.tuples(st.integers(0, 10_000), st.integers(1, 5_000)).map(
    lambda t: (t[0], t[0] + t[1])
)


@given(interval, interval)
def test_overlap_is_symmetric_and_agrees_with_clipping(a, b):
    assert overlap(*a, *b) == overlap(*b, *a)
    assert overlap(*a, *b) == (clipped(*a, *b) > 0)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("28", 2800), ("28.5", 2850), ("28,50", 2850), ("€ 30", 3000), ("0", 0), ("30 EUR", 3000)],
)
def test_parse_money(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["", "-5", "twenty", "28.505", "1,2,3", "€"])
def test_parse_money_refuses(text):
    with pytest.raises(InputError):
        parse_money(text)


@given(st.integers(0, 10**9 - 1), st.integers(0, 99))
def test_parse_money_round_trips(units, cents):
    assert parse_money(f"{units}.{cents:02d}") == units * 100 + cents


@pytest.mark.parametrize(
    ("text", "days"), [("90", 90), ("90d", 90), ("90g", 90), ("12w", 84), ("2 settimane", 14)]
)
def test_parse_days(text, days):
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["0", "0d", "3m", "forever", "9999d"])
def test_parse_days_refuses(text):
    with pytest.raises(InputError):
        parse_days(text)


def test_currency_and_choices():
    assert parse_currency(" chf ") == "CHF"
    with pytest.raises(InputError):
        parse_currency("EURO")
    assert parse_choice("Settimana", BASIS_WORDS, what="basis") == "week"
    with pytest.raises(InputError):
        parse_choice("yearly", BASIS_WORDS, what="basis")


@given(st.text(max_size=20))
def test_value_parsers_accept_or_refuse_never_crash(text):
    for parse in (parse_money, parse_days, parse_currency):
        try:
            parse(text)
        except InputError:
            pass

"""mansioni.domain.forgotten: when a running timer looks forgotten, without a store."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mansioni.domain.forgotten import DEFAULT_LIMIT, Forgotten, forgotten, reason
from mansioni.i18n import set_language

ROME = ZoneInfo("Europe/Rome")
HOUR = 3600


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language(None)


def at(text: str, zone: ZoneInfo = ROME) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=zone).timestamp())


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # the issue's: Friday 17:00 to Sunday 14:37
        ("2026-12-04 17:00", "2026-12-06 14:37", (True, True, "2026-12-04 23:59")),
        # a working day, however long, up to the limit included
        ("2026-12-04 09:00", "2026-12-04 17:00", None),
        ("2026-12-04 09:00", "2026-12-04 17:00:01", (True, False, "2026-12-04 17:00")),
        # midnight alone
        ("2026-12-04 23:00", "2026-12-05 00:30", (False, True, "2026-12-04 23:59")),
        ("2026-12-04 23:00", "2026-12-05 00:00", None),  # ends as the day does
        ("2026-12-04 23:00", "2026-12-05 00:00:01", (False, True, "2026-12-04 23:59")),
        # past the limit, the limit falls after midnight: the day's last minute
        ("2026-12-04 20:00", "2026-12-05 09:00", (True, True, "2026-12-04 23:59")),
        # started in the day's last minute: nothing earlier to suggest than the end
        ("2026-12-04 23:59:30", "2026-12-05 00:00:10", (False, True, "2026-12-05 00:00:10")),
        # a day 25 hours long (the clocks went back at 03:00): still the same day
        ("2026-10-25 00:00", "2026-10-25 07:00", None),
    ],
)
def test_forgotten(start: str, end: str, expected: tuple | None) -> None:
    found = forgotten(at(start), at(end), "Europe/Rome", DEFAULT_LIMIT)
    if expected is None:
        assert found is None
    else:
        past_limit, past_midnight, likely = expected
        assert found == Forgotten(past_limit, past_midnight, at(likely))


def test_midnight_is_the_entrys_own_zone() -> None:
    """Started at 17:00 in New York (23:00 in Rome), stopped at 20:00 there: the same
    evening where the timer ran, although it is past midnight in Rome."""
    start, end = at("2026-12-04 17:00", ZoneInfo("America/New_York")), at("2026-12-04 20:00", ZoneInfo("America/New_York"))  # fmt: skip
    assert forgotten(start, end, "America/New_York", DEFAULT_LIMIT) is None
    assert forgotten(start, end, "Europe/Rome", DEFAULT_LIMIT) is not None


def test_the_reason_in_words() -> None:
    assert reason(Forgotten(True, True, 0), 8 * HOUR) == "past midnight and for more than 8 hours"
    assert reason(Forgotten(True, False, 0), 90 * 60) == "for more than 1 h 30 min"
    assert reason(Forgotten(True, False, 0), HOUR) == "for more than 1 hour"
    assert reason(Forgotten(False, True, 0), 8 * HOUR) == "past midnight"


ZONES = st.sampled_from(["Europe/Rome", "America/New_York", "Asia/Kolkata", "UTC"])


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(at("2020-01-01 00:00", UTC), at("2030-01-01 00:00", UTC)),
    length=st.integers(1, 4 * 24 * HOUR),
    limit=st.integers(60, 24 * HOUR),
    zone=ZONES,
)
def test_forgotten_exactly_when_too_long_or_across_midnight(start, length, limit, zone):
    end = start + length
    tz = ZoneInfo(zone)
    first = datetime.fromtimestamp(start, tz).date()
    last = datetime.fromtimestamp(end - 1, tz).date()
    found = forgotten(start, end, zone, limit)
    assert (found is not None) == (length > limit or first != last)
    if found is not None:
        # the suggestion is within the entry, no later than the limit, on its first day
        assert start < found.likely_end <= end
        if found.likely_end != end:
            assert found.likely_end <= start + limit
            assert found.likely_end % 60 == 0
            assert datetime.fromtimestamp(found.likely_end, tz).date() == first


def test_the_default_limit_is_the_configurations() -> None:
    from mansioni import config

    assert config.DEFAULTS["timer_limit"] * 60 == DEFAULT_LIMIT

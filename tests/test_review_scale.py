"""The review at scale: what the database sums up gives the review the full list gives.

A store with years of history is made with the real tool (clients, tasks, estimates,
changes) and thousands of entries written straight into it: per-occurrence duties with
interrupted occurrences (several entries, one resumed across midnight, one across a
major change, one whose resumed entry was moved before the entry that began it),
atypical ones, a running entry; a per-week and a per-month duty. For each task and
many days, the review (``detail=False``: sums and the recent occurrences only) must
equal the review computed by the domain from every occurrence, grouped from every
entry by ``mansioni.domain.occurrences``, as the review did before it summed anything.
"""

from __future__ import annotations

import random
import sqlite3
import zlib
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpers import db_file
from mansioni.domain import verdict as rules
from mansioni.domain.calendar import calendar_spans, day_bounds, local_date
from mansioni.domain.occurrences import occurrences
from mansioni.domain.phases import FOREVER
from mansioni.domain.stats import median
from mansioni.services import review as service
from mansioni.store import records
from mansioni.store.queries.events import task_phases, task_row
from mansioni.store.queries.occurrences import (
    entries_between,
    occurrence_totals,
    task_occurrences,
)

ROME = "Europe/Rome"
CREATED = "2023-11-27 10:00"
MINOR = date(2025, 3, 10)  # newsletter: a minor change, a new estimate
MAJOR = date(2026, 5, 4)  # newsletter: a major change; its trial ends on 2 August 2026
WEEKLY_MAJOR = date(2026, 2, 2)
DAYS = [
    date(2023, 12, 20),
    date(2024, 1, 15),
    date(2025, 3, 9),
    MINOR,
    date(2025, 3, 11),
    date(2025, 6, 1),
    date(2026, 2, 1),
    WEEKLY_MAJOR,
    date(2026, 2, 20),
    date(2026, 5, 3),
    MAJOR,
    date(2026, 5, 5),
    date(2026, 6, 1),
    date(2026, 8, 1),
    date(2026, 8, 2),
    date(2026, 8, 6),
    date(2026, 8, 12),
    date(2026, 8, 20),
    date(2026, 11, 27),
]


def instant(day: date, hour: float, zone: str = ROME) -> int:
    moment = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return int(moment.timestamp() + hour * 3600)


class Entries:
    """Entries to write straight into the store, with ids given here."""

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.rows: list[tuple] = []

    def add(
        self,
        task: int,
        start: int,
        minutes: float | None,
        *,
        resumes: int | None = None,
        atypical: bool = False,
        person: str = "vera",
    ) -> int:
        entry_id = self.next_id
        self.next_id += 1
        end = None if minutes is None else start + max(1, round(minutes * 60))
        self.rows.append(
            (entry_id, task, person, start, end, ROME, None, resumes, int(atypical), start)
        )
        return entry_id

    def write(self, home) -> None:
        with sqlite3.connect(db_file(home)) as conn:
            conn.executemany(
                "INSERT INTO entry (id, task_id, person, start_utc, end_utc, zone, note,"
                " occurrence_id, atypical, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.rows,
            )
        conn.close()


def days_between(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def newsletter(out: Entries, task: int, rng: random.Random) -> None:
    """Per occurrence: about two a day before the major change, many of them interrupted
    (more entries resuming the first), some atypical; after it, one every three days,
    getting faster through the trial and past it."""
    for day in days_between(date(2023, 11, 28), MAJOR - timedelta(days=2)):
        for _ in range(rng.choice((0, 1, 2, 2, 3, 4))):
            start = instant(day, rng.uniform(7, 19))
            head = out.add(task, start, rng.uniform(20, 70), atypical=rng.random() < 0.02)
            if rng.random() < 0.18:
                at = start
                for _ in range(rng.randint(1, 3)):
                    at += rng.randint(2 * 3600, 5 * 3600)  # later that day, or past midnight
                    out.add(
                        task, at, rng.uniform(5, 30), resumes=head, atypical=rng.random() < 0.03
                    )
    # begun the day before the major change, resumed the day after it: the old phase's
    straddle = out.add(task, instant(MAJOR - timedelta(days=1), 9), 40)
    out.add(task, instant(MAJOR + timedelta(days=1), 9), 25, resumes=straddle)
    # a resumed entry moved before the entry that began its occurrence
    late = out.add(task, instant(date(2025, 6, 10), 15), 30)
    out.add(task, instant(date(2025, 6, 10), 8), 10, resumes=late)
    # another person's entries count too; and one still running is no occurrence yet
    out.add(task, instant(date(2025, 6, 11), 9), 35, person="marta")
    minutes = 110.0
    for i, day in enumerate(days_between(MAJOR + timedelta(days=2), date(2026, 11, 26))):
        if i % 3 == 0:
            start = instant(day, 10)
            head = out.add(task, start, minutes + rng.uniform(-1, 1))
            if i % 21 == 0:
                out.add(task, start + 7200, 12, resumes=head)
            if i % 45 == 0:
                out.add(task, start + 3 * 3600, 200, atypical=True)
            minutes = max(20.0, minutes * 0.975)
    out.add(task, instant(date(2026, 11, 27), 8), None, person="marta")


def fatture(out: Entries, task: int, rng: random.Random) -> None:
    """Per occurrence, seven times in all: too few to sum anything up."""
    for k in range(7):
        out.add(task, instant(date(2026, 7, 1) + timedelta(days=9 * k), 11), rng.uniform(18, 30))


def inbox(out: Entries, task: int, rng: random.Random) -> None:
    """Per week: a few entries most days, some weeks with none, some atypical."""
    for day in days_between(date(2023, 11, 28), date(2026, 11, 26)):
        if day.isocalendar()[1] % 9 == 0:
            continue  # a week off
        for _ in range(rng.choice((0, 1, 1, 2))):
            start = instant(day, rng.uniform(0, 23.9))
            out.add(task, start, rng.uniform(5, 40), atypical=rng.random() < 0.004)


def agenda(out: Entries, task: int, rng: random.Random) -> None:
    """Per month: entries around midnight too, where the month changes."""
    for day in days_between(date(2023, 11, 28), date(2026, 11, 26)):
        if rng.random() < 0.45:
            hour = rng.choice((rng.uniform(8, 18), rng.uniform(23.5, 24.4), 0.1))
            out.add(task, instant(day, hour), rng.uniform(10, 60), atypical=rng.random() < 0.003)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The store, made once for the module (the tool through ``CliRunner``)."""
    from typer.testing import CliRunner

    from mansioni import clock
    from mansioni.cli.app import app
    from mansioni.store.orm.engine import AlchemyStore
    from mansioni.store.paths import store_url
    from mansioni.store.quick import QuickStore

    home = tmp_path_factory.mktemp("scale") / "home"
    mp = pytest.MonkeyPatch()
    mp.setenv("MANSIONI_HOME", str(home))
    mp.delenv("MANSIONI_DB", raising=False)
    mp.setenv("MANSIONI_LANG", "en")
    mp.setenv("MANSIONI_TZ", ROME)
    mp.setenv("MANSIONI_USER", "vera")
    runner = CliRunner()

    def cli(when: str, *args: str) -> None:
        moment = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(ROME))
        mp.setattr(clock, "now", lambda: int(moment.timestamp()))
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output

    cli(CREATED, "client", "add", "Studio Rossi", "--hour-value", "90", "--rate", "28")
    cli(CREATED, "client", "add", "Caffè Orso", "--hour-value", "40", "--rate", "25")
    cli(CREATED, "client", "add", "Ferri", "--rate", "30")
    cli(CREATED, "task", "add", "rossi/Newsletter", "--estimate", "45m", "--trial", "90d")
    cli(CREATED, "task", "add", "rossi/Fatture", "--estimate", "20m", "--trial", "30d")
    cli(CREATED, "task", "add", "rossi/Vuota", "--estimate", "20m")
    cli(CREATED, "task", "add", "caffe/Inbox", "--estimate", "3h", "--basis", "week")
    cli(CREATED, "task", "add", "ferri/Agenda", "--estimate", "12h", "--basis", "month")
    cli("2026-11-27 15:00", "change", "rossi/news", "same, tidier", "--minor", "--at", "2025-03-10")
    cli("2026-11-27 15:00", "estimate", "rossi/news", "40m", "--at", "2025-03-10")
    cli(
        "2026-11-27 15:00", "change", "rossi/news", "now the social posts too", "--at", "2026-05-04"
    )
    cli("2026-11-27 15:00", "estimate", "rossi/news", "50m", "--at", "2026-05-20")
    cli("2026-11-27 15:00", "change", "caffe/inbox", "two inboxes", "--at", "2026-02-02")
    cli("2026-11-27 15:00", "estimate", "caffe/inbox", "4h", "--at", "2026-02-09")
    cli(
        "2026-11-27 15:00",
        "change",
        "ferri/agenda",
        "a new calendar",
        "--minor",
        "--at",
        "2025-09-01",
    )

    rng = random.Random(20261127)
    ids = {}
    with sqlite3.connect(db_file(home)) as conn:
        for task_id, client, name in conn.execute(
            "SELECT task.id, client.name, task.name FROM task JOIN client ON client.id = client_id"
        ):
            ids[f"{client}/{name}"] = task_id
        first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM entry").fetchone()[0]
    conn.close()
    out = Entries(first)
    newsletter(out, ids["Studio Rossi/Newsletter"], rng)
    fatture(out, ids["Studio Rossi/Fatture"], rng)
    inbox(out, ids["Caffè Orso/Inbox"], rng)
    agenda(out, ids["Ferri/Agenda"], rng)
    out.write(home)
    alchemy = AlchemyStore(store_url())
    try:
        yield {"sqlalchemy": alchemy, "sqlite3": QuickStore(str(db_file(home)))}, ids, len(out.rows)
    finally:
        alchemy.dispose()
        mp.undo()


def reference(db, target, *, as_of: date, zone: str):
    """The review as computed before anything was summed up: every entry of the two last
    phases grouped into occurrences by the domain, and the full list judged."""
    tz = ZoneInfo(zone)
    until = day_bounds(as_of, tz)[1] - 1
    task = task_row(db, target.id)
    found = task_phases(db, target.id, until=until)
    current = found[-1]
    previous = found[-2] if len(found) > 1 else None
    lo = previous.start if previous is not None else current.start
    basis = current.estimate_basis or task["estimate_basis"]
    entries = entries_between(db, target.id, lo, until + 1)
    everything = occurrences(entries, basis=basis, zone=tz)
    mine = [o for o in everything if o.start >= current.start]
    typical = [o for o in mine if not o.atypical]
    window_from = 0
    if current.rebaseline_at is not None:
        window_from = next(
            (i for i, o in enumerate(typical) if o.start >= current.rebaseline_at), len(typical)
        )
    client = db.rows("SELECT * FROM client WHERE id = :id", {"id": task["client_id"]})[0]
    rate = task["rate_cents"] if task["rate_cents"] is not None else client["rate_cents"]
    result = rules.review(
        rules.ReviewInput(
            occurrences=tuple(rules.Occurrence(o.day, o.seconds) for o in typical),
            window_from=window_from,
            estimate=current.estimate_seconds,
            rate_cents=rate,
            hour_value_cents=client["hour_value_cents"],
            oversight=int(task["oversight_seconds"] or 0),
            phase_start=local_date(current.start, tz),
            trial_days=int(task["trial_days"]),
            as_of=as_of,
            left_out=len(mine) - len(typical),
        )
    )
    before = [o.seconds for o in everything if o.start < current.start and not o.atypical]
    previous_level = median(before[-rules.WIN :]) if before else None
    return result, typical, window_from, previous_level


def test_the_store_is_big_and_varied(store):
    stores, ids, written = store
    assert written > 4_000
    with stores["sqlite3"].read() as db:
        resumed = db.rows("SELECT COUNT(*) AS n FROM entry WHERE occurrence_id IS NOT NULL")
        odd = db.rows("SELECT COUNT(*) AS n FROM entry WHERE atypical")
        running = db.rows("SELECT COUNT(*) AS n FROM entry WHERE end_utc IS NULL")
    assert resumed[0]["n"] > 300 and odd[0]["n"] > 30 and running[0]["n"] == 1


@pytest.mark.parametrize(
    ("zone", "way"), [(ROME, "sqlite3"), (ROME, "sqlalchemy"), ("Asia/Kathmandu", "sqlite3")]
)
def test_the_summed_up_review_is_the_review_of_every_occurrence(store, zone, way):
    """Both ways into the store (the same SQL through ``sqlite3`` and SQLAlchemy)."""
    stores, ids, _written = store
    seen = Counter()
    with stores[way].read() as db:
        names = {t.id: t for t in records.task_names(db)}
        for task_id in ids.values():
            target = names[task_id]
            for as_of in DAYS:
                fast = service.review_one(db, target, as_of=as_of, zone=zone)
                full = service.review_one(db, target, as_of=as_of, zone=zone, detail=True)
                result, typical, window_from, previous_level = reference(
                    db, target, as_of=as_of, zone=zone
                )
                where = f"{target.full} as of {as_of}"
                assert fast.result == result, where
                assert full.result == result, where
                assert full.typical == typical, where
                assert fast.typical == typical[-rules.TREND_N :], where
                assert fast.typical_from == len(typical) - len(fast.typical), where
                assert full.window_from == window_from, where
                assert fast.window_from == max(0, window_from - fast.typical_from), where
                since = len(typical) - window_from
                assert fast.since_window_start == full.since_window_start == since, where
                if since <= len(fast.typical):
                    assert len(fast.typical) - fast.window_from == since, where
                assert fast.previous_level == full.previous_level == previous_level, where
                assert (fast.phase, fast.window_start) == (full.phase, full.window_start), where
                r = result
                seen[r.verdict] += 1
                seen["summed up"] += fast.typical_from > 0
                seen["left out"] += r.left_out > 0
                seen["re-baselined"] += 0 < window_from < len(typical)
                seen["previous phase"] += previous_level is not None
                if r.extension_end is not None and r.extension_end < r.trial_end + timedelta(
                    days=rules.EXTENSION_DAYS
                ):
                    seen["extension counted in occurrences"] += 1
    # the days and tasks above reach each case the summary has to get right
    for case in (
        "summed up",
        "left out",
        "re-baselined",
        "previous phase",
        "extension counted in occurrences",
        rules.Verdict.NOT_ENOUGH_DATA,
        rules.Verdict.LEARNING,
        rules.Verdict.LEARNING_EXTENDED,
    ):
        assert seen[case], (case, seen)
    assert len([v for v in rules.Verdict if seen[v]]) >= 5, seen


def test_the_service_review_lists_the_tail_or_everything(store):
    stores, _ids, _written = store
    for detail in (False, True):
        found = service.review(
            stores["sqlite3"], as_of=date(2026, 11, 27), zone=ROME, detail=detail
        )
        news = next(tr for tr in found if tr.task.full == "Studio Rossi/Newsletter")
        assert news.result.n > rules.TREND_N
        assert len(news.typical) == (news.result.n if detail else rules.TREND_N)


def test_progress_is_told_task_by_task(store):
    stores, _ids, _written = store
    told = []
    found = service.review(
        stores["sqlite3"],
        as_of=date(2026, 11, 27),
        zone=ROME,
        on_progress=lambda *a: told.append(a),
    )
    assert told == [(i, len(found)) for i in range(1, len(found) + 1)]


# -- calendar weeks and months, grouped by the database -----------------------------------

ZONES = [
    "Europe/Rome",
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # +10:30, and half an hour of summer time
    "America/St_Johns",  # -03:30; in 2009 the clock went back from 00:01 to 23:01 on 1 Nov
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Santiago",  # summer time ends at midnight
    "Africa/Casablanca",  # summer time suspended for Ramadan
    "Africa/Monrovia",  # -00:44:30 until 1972
    "Pacific/Kiritimati",  # +14, after skipping 31 December 1994
    "UTC",
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("basis", ["week", "month"])
def test_calendar_weeks_and_months_grouped_by_the_database(cli, at, isolated_home, zone, basis):
    at("2026-11-27 15:00")
    cli("client", "add", "Studio Rossi")
    cli("task", "add", "rossi/News", "--basis", basis)
    tz = ZoneInfo(zone)
    # seeded by the case's name, the same in every process (hash() of a str is not)
    rng = random.Random(zlib.crc32(f"{zone}/{basis}".encode()))
    out = Entries(1)
    # random instants over fifty years, and many around local midnights
    for _ in range(1500):
        out.add(1, rng.randint(0, 1_800_000_000), rng.uniform(1, 300))
    for _ in range(1500):
        day = date(1970, 1, 1) + timedelta(days=rng.randint(0, 20_000))
        out.add(1, instant(day, rng.uniform(-2, 2), zone), rng.uniform(1, 90))
    # every minute around the night St John's clocks went back across the month's end
    for minute in range(-90, 90):
        out.add(1, int(datetime(2009, 11, 1, 2, 31, tzinfo=UTC).timestamp()) + 60 * minute, 0.5)
    out.add(1, 1_700_000_000, 20, atypical=True)
    out.add(1, 1_700_000_100, None)  # running
    out.write(isolated_home)

    from mansioni.store.quick import QuickStore

    with QuickStore(str(db_file(isolated_home))).read() as db:
        by_sql = task_occurrences(db, 1, 0, FOREVER, basis=basis, zone=tz)
        part = task_occurrences(db, 1, 1_000_000_000, 1_300_000_000, basis=basis, zone=tz)
        entries = entries_between(db, 1, 0, None)
    assert by_sql == occurrences(entries, basis=basis, zone=tz)
    with QuickStore(str(db_file(isolated_home))).read() as db:
        totals = occurrence_totals(db, 1, 0, FOREVER, basis=basis, zone=tz)
    assert (totals.occurrences, totals.atypical, totals.seconds) == (
        len(by_sql),
        sum(o.atypical for o in by_sql),
        sum(o.seconds for o in by_sql),
    )
    assert part == occurrences(
        [e for e in entries if 1_000_000_000 <= e.start < 1_300_000_000], basis=basis, zone=tz
    )
    assert sum(o.atypical for o in by_sql) == 1


def test_calendar_spans_cut_at_local_midnight_to_the_second():
    tz = ZoneInfo("America/St_Johns")
    lo = int(datetime(2009, 10, 25, tzinfo=UTC).timestamp())
    hi = int(datetime(2009, 11, 10, tzinfo=UTC).timestamp())
    spans = calendar_spans(tz, lo, hi, "month")
    # October, the minute of November before the clock went back, October's last hour
    # again, then November
    assert [key for _a, _b, key in spans] == [(2009, 10), (2009, 11), (2009, 10), (2009, 11)]
    for a, b, key in spans:
        for t in (a, b - 1):
            local = datetime.fromtimestamp(t, tz)
            assert (local.year, local.month) == key
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    assert (spans[0][0], spans[-1][1]) == (lo, hi)

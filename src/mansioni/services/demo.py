"""A realistic sample store: three clients, six duties, four weeks of work.

Everything is written through the same services a user's commands call, so the
demo store is journaled and behaves exactly like a real one. The sample is the
same for the same ``now`` (a seeded generator), and never touches the user's store:
the caller hands in a store of its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from mansioni.services import catalog, timer
from mansioni.store.orm.engine import AlchemyStore

CLIENTS = [
    # name, hour value, rate (cents), rounding minutes
    ("Studio Rossi", 9000, 2800, 15),
    ("Caffè Ôrso", 4000, 2500, None),
    ("Avv. Bianchi", 15000, 3200, 6),
]

# client, task, description, client's estimate (minutes), basis, days of the week,
# first and settled duration (minutes): she starts slow and gets faster.
TASKS = [
    ("Studio Rossi", "Newsletter", "weekly, Mailchimp", 45, "occurrence", (0,), 70, 38),
    (
        "Studio Rossi",
        "Fatture",
        "invoices to clients, then reminders",
        20,
        "occurrence",
        (1, 3),
        30,
        22,
    ),
    (
        "Caffè Ôrso",
        "Social post",
        "Instagram and Facebook, with photos",
        25,
        "occurrence",
        (0, 2, 4),
        45,
        30,
    ),
    (
        "Caffè Ôrso",
        "Inbox",
        "triage of the info@ mailbox",
        20,
        "occurrence",
        (0, 1, 2, 3, 4),
        25,
        15,
    ),
    ("Avv. Bianchi", "Trasferte", "travel bookings for hearings", 40, "occurrence", (2,), 60, 48),
    ("Avv. Bianchi", "Prima nota", "bookkeeping preparation", 90, "month", (4,), 50, 40),
]


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    tasks: int
    entries: int


def build(store: AlchemyStore, *, person: str, now: int, zone: str, weeks: int = 4) -> DemoSummary:
    rng = random.Random(20261127)
    tz = ZoneInfo(zone)
    for name, hour_value, rate, rounding in CLIENTS:
        catalog.add_client(
            store,
            values={
                "name": name,
                "hour_value_cents": hour_value,
                "rate_cents": rate,
                "rounding_minutes": rounding,
            },
            person=person,
            now=now,
        )
    for client, name, description, estimate, basis, _days, _first, _settled in TASKS:
        catalog.add_task(
            store,
            f"{client}/{name}",
            values={
                "description": description,
                "estimate_seconds": estimate * 60,
                "estimate_basis": basis,
            },
            person=person,
            now=now,
        )
    today = datetime.fromtimestamp(now, tz).date()
    first_day = today - timedelta(weeks=weeks)
    count = 0
    seen: dict[str, int] = {}
    day = first_day
    while day < today:
        cursor = datetime.combine(day, time(9, 0), tzinfo=tz)
        for client, name, _d, _e, _b, weekdays, first, settled in TASKS:
            if day.weekday() not in weekdays:
                continue
            n = seen.get(name, 0)
            seen[name] = n + 1
            # exponential approach to the plateau, with day-to-day noise
            level = settled + (first - settled) * (0.75**n)
            minutes = max(5, round(level * rng.uniform(0.85, 1.2)))
            begin = cursor + timedelta(minutes=rng.choice((0, 5, 10, 20)))
            end = begin + timedelta(minutes=minutes)
            timer.add(
                store,
                task=f"{client}/{name}",
                person=person,
                now=now,
                zone=zone,
                begin=int(begin.timestamp()),
                end=int(end.timestamp()),
                note=None,
            )
            count += 1
            cursor = end
        day += timedelta(days=1)
    return DemoSummary(len(CLIENTS), len(TASKS), count)

"""A realistic sample store whose data shows the verdicts of the review.

Four clients, eleven duties, about three months of work: a duty still being learnt,
one on trial that is slower than the client and not getting faster, one done
clearly faster than the client would, one slower but worth delegating, one to
renegotiate, one to hand back, one changed mid-way (two phases), one timed too few
times for a verdict, one estimated per month, one renegotiated with the client (a new
estimate, a new comparison window) and one the client took back. Last month's work for
Studio Rossi is marked as invoiced (``mansioni bill``). Each duty's timings are a fixed
sequence (a learning curve to a plateau, with fixed noise), laid out backwards from
yesterday: the verdicts are the same whatever day the demo is built.

Everything is written through the same services a user's commands call, so the
demo store is journaled and behaves exactly like a real one. What a user would have
typed (descriptions, notes, changes) is written in the user's language. The caller hands in a
store of its own: the user's store is never touched.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mansioni.i18n import N_, _
from mansioni.services import billing, catalog, changes, timer
from mansioni.store.orm.engine import AlchemyStore

DAY = 86400

#: name, value of the client's hour, rate (cents); None: not known
CLIENTS = [
    ("Studio Rossi", 9000, 2800),
    ("Caffè Ôrso", 4000, 2500),
    ("Avv. Bianchi", 15000, 3200),
    ("Ferri Immobiliare", None, 3000),
]


@dataclass(frozen=True)
class Duty:
    client: str
    name: str
    description: str
    estimate: int  # minutes, the client's own
    count: int  # occurrences
    every: int  # days between them
    first: float  # minutes at the start of the learning curve
    plateau: float  # minutes it settles at
    learn: float  # fraction of the remaining gap kept after each occurrence
    slot: int  # the hour of day it is done at
    trial_days: int = 60
    basis: str = "occurrence"
    oversight: int = 0  # minutes


DUTIES = [
    # faster than the client, plateau reached: keep delegating (faster)
    Duty("Studio Rossi", "Newsletter", N_("weekly, Mailchimp"), 45, 13, 7, 70, 30, 0.4, 8),
    # the trial still runs and she is getting faster: still learning
    Duty(
        "Caffè Ôrso",
        "Social post",
        N_("Instagram and Facebook, with photos"),
        25,
        11,
        2,
        55,
        24,
        0.85,
        9,
        90,
    ),
    # slower than the client, but his hour is worth far more: keep delegating (worth it)
    Duty(
        "Avv. Bianchi", "Trasferte", N_("travel bookings for hearings"), 40, 12, 7, 70, 48, 0.4, 10
    ),
    # slower, and the value of the client's hour is not known: renegotiate
    Duty("Ferri Immobiliare", "Agenda", N_("appointments with buyers"), 20, 14, 5, 40, 28, 0.4, 11),
    # much slower, and each freed hour costs more than his hour is worth: take it back
    Duty(
        "Caffè Ôrso",
        "Inbox",
        N_("triage of the info@ mailbox"),
        10,
        16,
        4,
        35,
        25,
        0.4,
        12,
        oversight=2,
    ),
    # changed mid-way: a new phase with a new estimate (see CHANGED)
    Duty("Studio Rossi", "Fatture", N_("invoices to clients"), 20, 8, 5, 30, 22, 0.5, 13),
    # too few occurrences for a verdict
    Duty(
        "Avv. Bianchi",
        "Udienze",
        N_("hearing calendar, checked with the court"),
        30,
        3,
        9,
        45,
        40,
        0.5,
        14,
    ),
    # on trial, slower than the client and not getting faster: on trial
    Duty(
        "Ferri Immobiliare",
        "Annunci",
        N_("listings on the property portals"),
        30,
        7,
        5,
        39,
        38,
        0.1,
        20,
        90,
    ),
    # a duty estimated per month
    Duty(
        "Avv. Bianchi",
        "Prima nota",
        N_("bookkeeping preparation"),
        240,
        4,
        30,
        300,
        220,
        0.5,
        15,
        90,
        "month",
    ),
]

#: Fatture's second phase: "now also sends the reminders", a new estimate, new timings.
CHANGED = (
    "Studio Rossi",
    "Fatture",
    N_("now also sends the payment reminders"),
    35,
    7,
    3,
    40,
    29,
    0.4,
)


@dataclass(frozen=True)
class Decided:
    """A duty reviewed with the client after its trial, and what was decided: its
    timings up to the decision, then ``after`` more, ``every`` days apart, at
    ``minutes`` each (a renegotiated duty goes on; one handed back stops)."""

    duty: Duty
    decision: str
    estimate: int | None  # minutes: the new estimate agreed, if any
    note: str
    after: int = 0
    every: int = 0
    minutes: tuple[int, ...] = ()


DECIDED = [
    # slower than the client; renegotiated with a new estimate: two comparison windows
    Decided(
        Duty(
            "Avv. Bianchi",
            "PEC",
            N_("certified mail, filed by case"),
            45,
            14,
            4,
            75,
            50,
            0.4,
            21,
            50,
        ),
        "renegotiated",
        55,
        N_("the filing by case stays: the estimate goes to 55 minutes"),
        after=3,
        every=4,
        minutes=(52, 49, 51),
    ),
    # much slower, and each freed hour costs more than the client's hour: taken back
    Decided(
        Duty(
            "Caffè Ôrso", "Fornitori", N_("orders to the suppliers"), 15, 12, 5, 40, 32, 0.4, 7, 50
        ),
        "hand_back",
        None,
        N_("the owner orders again from the suppliers"),
    ),
]


#: The client whose last month the demo marks as invoiced (``mansioni bill``).
BILLED = "Studio Rossi"


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    tasks: int
    entries: int
    #: The month marked as invoiced for :data:`BILLED` (its first day): last month.
    invoiced: date


def _minutes(duty_first: float, plateau: float, learn: float, count: int, seed: str) -> list[int]:
    noise = random.Random(seed)
    return [
        max(3, round((plateau + (duty_first - plateau) * learn**i) * noise.uniform(0.95, 1.05)))
        for i in range(count)
    ]


def _instant(day: date, hour: int, tz: ZoneInfo) -> int:
    return int(datetime.combine(day, time(hour, 0), tzinfo=tz).timestamp())


def build(store: AlchemyStore, *, person: str, now: int, zone: str) -> DemoSummary:
    tz = ZoneInfo(zone)
    today = datetime.fromtimestamp(now, tz).date()
    yesterday = today - timedelta(days=1)
    span = (
        max(
            max(d.count * d.every for d in DUTIES) + CHANGED[4] * CHANGED[5],
            *(d.duty.count * d.duty.every + d.after * d.every for d in DECIDED),
        )
        + 7
    )
    opened = now - span * DAY
    for name, hour_value, rate in CLIENTS:
        catalog.add_client(
            store,
            values={"name": name, "hour_value_cents": hour_value, "rate_cents": rate},
            person=person,
            now=opened,
        )
    count = 0

    def add(ref: str, days: list[date], minutes: list[int], hour: int) -> int:
        for day, length in zip(days, minutes, strict=True):
            begin = _instant(day, hour, tz)
            timer.add(
                store,
                task=ref,
                person=person,
                now=now,
                zone=zone,
                begin=begin,
                end=begin + length * 60,
            )
        return len(days)

    for duty in DUTIES:
        ref = f"{duty.client}/{duty.name}"
        tail = CHANGED[4] * CHANGED[5] if (duty.client, duty.name) == CHANGED[:2] else 0
        last = yesterday - timedelta(days=tail + (2 if tail else 0))
        days = [last - timedelta(days=duty.every * (duty.count - 1 - i)) for i in range(duty.count)]
        _add_task(store, duty, person=person, now=_instant(days[0] - timedelta(days=1), 8, tz))
        minutes = _minutes(duty.first, duty.plateau, duty.learn, duty.count, ref)
        count += add(ref, days, minutes, duty.slot)
    client, name, what, estimate, n, every, first, plateau, learn = CHANGED
    ref = f"{client}/{name}"
    change_day = yesterday - timedelta(days=n * every)
    changes.change(
        store,
        ref,
        text=_(what),
        minor=False,
        estimate_seconds=estimate * 60,
        rate_cents=None,
        at=_instant(change_day, 8, tz),
        person=person,
        now=now,
        zone=zone,
    )
    days = [yesterday - timedelta(days=every * (n - 1 - i)) for i in range(n)]
    count += add(ref, days, _minutes(first, plateau, learn, n, ref + "/2"), 13)
    for decided in DECIDED:
        count += _decided(store, decided, add, person=person, now=now, zone=zone)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    billing.bill(
        store,
        client=BILLED,
        first=last_month,
        last=today.replace(day=1) - timedelta(days=1),
        zone=zone,
        person=person,
        now=now,
        note=_("invoice {number}").format(number=f"{last_month:%Y}/{last_month:%m}"),
    )
    return DemoSummary(len(CLIENTS), len(DUTIES) + len(DECIDED), count, last_month)


def _add_task(store: AlchemyStore, duty: Duty, *, person: str, now: int) -> None:
    """The duty's task, set up at ``now`` with the client's estimate."""
    catalog.add_task(
        store,
        f"{duty.client}/{duty.name}",
        values={
            "description": _(duty.description),
            "estimate_seconds": duty.estimate * 60,
            "estimate_basis": duty.basis,
            "trial_days": duty.trial_days,
            "oversight_seconds": duty.oversight * 60,
        },
        person=person,
        now=now,
    )


def _decided(
    store: AlchemyStore, decided: Decided, add, *, person: str, now: int, zone: str
) -> int:  # noqa: ANN001
    """A duty timed through its trial, decided the day after its last timing, then
    timed ``after`` more times."""
    from mansioni.services import review

    tz = ZoneInfo(zone)
    duty = decided.duty
    ref = f"{duty.client}/{duty.name}"
    yesterday = datetime.fromtimestamp(now, tz).date() - timedelta(days=1)
    decision_day = yesterday - timedelta(days=decided.after * decided.every)
    last = decision_day - timedelta(days=1)
    days = [last - timedelta(days=duty.every * (duty.count - 1 - i)) for i in range(duty.count)]
    _add_task(store, duty, person=person, now=_instant(days[0] - timedelta(days=1), 8, tz))
    count = add(
        ref, days, _minutes(duty.first, duty.plateau, duty.learn, duty.count, ref), duty.slot
    )
    review.decide(
        store,
        ref,
        decision=decided.decision,
        note=_(decided.note),
        rate_cents=None,
        estimate_seconds=decided.estimate * 60 if decided.estimate else None,
        person=person,
        now=now,
        zone=zone,
        at=_instant(decision_day, 17, tz),
    )
    after = [
        decision_day + timedelta(days=decided.every * (i + 1) - 1) for i in range(decided.after)
    ]
    return count + add(ref, after, list(decided.minutes), duty.slot)

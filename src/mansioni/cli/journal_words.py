"""What undo and redo change, said in words: the duty, the day, the times, the decision.

A journaled row is named by the describer of its table (:data:`DESCRIBERS`), as a noun
phrase: ``the entry of Fri 4 Dec 2026 17:00-19:30 on Peru/Social (2:30)``, ``the decision
"keep delegating" on Studio Rossi/Newsletter of Sat 6 Dec 2026``. A row that changed says
how it reads now through :data:`FIELDS` (per table: each column a person sees, and its
value in words; a column not listed, like an entry's occurrence, is bookkeeping and not
shown). :data:`COUNTED` says "12 entries" for a long operation told by counts.

A table none of them knows is still said in words, never by its name or a row's id: ``a
record``. A command that journals a new table adds its own, as ``bill`` does for
``invoice`` below (a describer, a count, and the entry's column that points to it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni.cli.common import day_label, entry_times
from mansioni.domain.display import format_duration
from mansioni.domain.text import one_line, shown
from mansioni.i18n import _, ngettext
from mansioni.services.undo import Change, Names, Step

#: A describer: a row of its table (as the journal stores it) and the names it refers to,
#: to a noun phrase that names the row for a person.
Describer = Callable[[dict, Names], str]
#: Columns' value in words, from the row as it is now (and as it was, if that matters).
FieldWords = Callable[[dict, Names, dict], str]

DESCRIBERS: dict[str, Describer] = {}
#: Per table, the columns a person sees (one, or several said together) and their words.
FIELDS: dict[str, dict[str | tuple[str, ...], FieldWords]] = {}
COUNTED: dict[str, Callable[[int], str]] = {}


def describes(table: str) -> Callable[[Describer], Describer]:
    """Register the decorated function as the describer of ``table``'s rows."""

    def register(function: Describer) -> Describer:
        DESCRIBERS[table] = function
        return function

    return register


def what(table: str, row: dict, names: Names) -> str:
    """``row`` of ``table`` named for a person (``the entry of ...``); ``a record`` for a
    table no describer knows."""
    describer = DESCRIBERS.get(table)
    return describer(row, names) if describer is not None else _("a record")


# --- entries -------------------------------------------------------------------------------


def _task(names: Names, task_id: object) -> str:
    name = names.task(task_id)
    return shown(name) if name is not None else _("a duty no longer there")


def _zone(name: str) -> ZoneInfo:
    """The zone a row was recorded in; UTC for a name this machine does not know."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def _moment(instant: int, zone: str) -> datetime:
    return datetime.fromtimestamp(instant, _zone(zone))


def span(row: dict) -> str:
    """An entry's times as ``log`` writes them (``cli.common.entry_times``):
    ``17:00-19:30``; ``17:00 → Sun 6 Dec 14:37`` across midnight."""
    return entry_times(row["start_utc"], row["end_utc"], _zone(row["zone"]))


@describes("entry")
def _entry(row: dict, names: Names) -> str:
    start = _moment(row["start_utc"], row["zone"])
    if row["end_utc"] is None:
        return _("the timer on {task} since {day} {time}").format(
            task=_task(names, row["task_id"]), day=day_label(start), time=f"{start:%H:%M}"
        )
    return _("the entry of {day} {times} on {task} ({duration})").format(
        day=day_label(start),
        times=span(row),
        task=_task(names, row["task_id"]),
        duration=format_duration(row["end_utc"] - row["start_utc"]),
    )


def _note(row: dict, names: Names, *_before: object) -> str:
    note = row.get("note")
    return _("the note “{note}”").format(note=one_line(note)) if note else _("no note")


def _times_now(row: dict, names: Names, before: dict) -> str:
    """``09:00-10:00 (1:00)``, with the day when it is another; ``running since 09:00``."""
    start = _moment(row["start_utc"], row["zone"])
    if row["end_utc"] is None:
        said = _("running since {time}").format(time=f"{start:%H:%M}")
    else:
        said = "{span} ({duration})".format(
            span=span(row), duration=format_duration(row["end_utc"] - row["start_utc"])
        )
    if start.date() != _moment(before["start_utc"], before["zone"]).date():
        return f"{day_label(start)} {said}"
    return said


FIELDS["entry"] = {
    ("start_utc", "end_utc"): _times_now,
    "task_id": lambda row, names, *_before: _task(names, row["task_id"]),
    "note": _note,
    "atypical": lambda row, names, *_before: (
        _("atypical") if row.get("atypical") else _("not atypical")
    ),
}
COUNTED["entry"] = lambda n: ngettext("{n} entry", "{n} entries", n).format(n=n)


# --- the catalog ---------------------------------------------------------------------------


@describes("client")
def _client(row: dict, names: Names) -> str:
    return _("the client {name}").format(name=shown(row["name"]))


@describes("task")
def _duty(row: dict, names: Names) -> str:
    return _("the duty {task}").format(task=_task(names, row["id"]))


def _money(cents: object, row: dict) -> str:
    if not isinstance(cents, int):
        return _("none")
    from mansioni.report.verdict_text import money

    return money(cents, row.get("currency") or "EUR")


def _minutes(value: object) -> str:
    if not isinstance(value, int) or value == 0:
        return _("none")
    from mansioni.report.verdict_text import duration

    return duration(value * 60)


def _day(instant: int) -> str:
    """The day of ``instant`` in the user's zone."""
    from mansioni import clock

    return day_label(_moment(instant, clock.zone_name()))


def _since(row: dict) -> str:
    instant = row.get("since_utc")
    if not isinstance(instant, int):
        return _("no earlier start")
    return _("since {day}").format(day=_day(instant))


def _state(row: dict) -> str:
    from mansioni.report.labels import STATE_LABEL

    label = STATE_LABEL.get(row.get("state") or "")
    return label() if label is not None else shown(str(row.get("state")))


def _estimate_value(seconds: object, basis: object) -> str | None:
    """``0:45 per occurrence``; ``None`` for no estimate."""
    if not isinstance(seconds, int):
        return None
    from mansioni.report.labels import clock_estimate

    return clock_estimate(seconds, basis if isinstance(basis, str) else None)


def _estimate(seconds: object, basis: object) -> str:
    value = _estimate_value(seconds, basis)
    if value is None:
        return _("no estimate")
    return _("estimate {estimate}").format(estimate=value)


FIELDS["client"] = {
    "name": lambda row, names, *_before: _("named {name}").format(name=shown(row["name"])),
    "currency": lambda row, names, *_before: _("in {currency}").format(currency=row["currency"]),
    "hour_value_cents": lambda row, names, *_before: _("hour's value {amount}").format(
        amount=_money(row["hour_value_cents"], row)
    ),
    "rate_cents": lambda row, names, *_before: _("rate {amount}").format(
        amount=_money(row["rate_cents"], row)
    ),
    "rounding_minutes": lambda row, names, *_before: _("rounding {minutes}").format(
        minutes=_minutes(row["rounding_minutes"])
    ),
    "minimum_minutes": lambda row, names, *_before: _("minimum {minutes}").format(
        minutes=_minutes(row["minimum_minutes"])
    ),
    "archived": lambda row, names, *_before: (
        _("archived") if row["archived"] else _("not archived")
    ),
    "since_utc": lambda row, names, *_before: _since(row),
}
FIELDS["task"] = {
    "name": lambda row, names, *_before: _("named {name}").format(name=shown(row["name"])),
    "description": lambda row, names, *_before: (
        _("the description “{text}”").format(text=one_line(row["description"]))
        if row.get("description")
        else _("no description")
    ),
    "estimate_seconds": lambda row, names, *_before: _estimate(
        row["estimate_seconds"], row["estimate_basis"]
    ),
    "estimate_basis": lambda row, names, *_before: _estimate(
        row["estimate_seconds"], row["estimate_basis"]
    ),
    "rate_cents": lambda row, names, *_before: _("rate {amount}").format(
        amount=_money(row["rate_cents"], row)
    ),
    "oversight_seconds": lambda row, names, *_before: _("oversight {time}").format(
        time=format_duration(row["oversight_seconds"] or 0)
    ),
    "trial_days": lambda row, names, *_before: ngettext(
        "a trial of {n} day", "a trial of {n} days", row["trial_days"]
    ).format(n=row["trial_days"]),
    "state": lambda row, names, *_before: _state(row),
    "since_utc": lambda row, names, *_before: _since(row),
}
COUNTED["client"] = lambda n: ngettext("{n} client", "{n} clients", n).format(n=n)
COUNTED["task"] = lambda n: ngettext("{n} duty", "{n} duties", n).format(n=n)


# --- a duty's story ------------------------------------------------------------------------


@describes("task_event")
def _event(row: dict, names: Names) -> str:
    task = _task(names, row["task_id"])
    day = _day(row["at_utc"])
    kind = row.get("kind")
    if kind == "estimate":
        estimate = _estimate_value(row.get("estimate_seconds"), row.get("estimate_basis"))
        if estimate is None:
            return _("the estimate for {task} of {day}").format(task=task, day=day)
        return _("the estimate {estimate} for {task} of {day}").format(
            estimate=estimate, task=task, day=day
        )
    if kind == "change":
        text = one_line(row.get("text") or "")
        if row.get("major"):
            return _("the major change “{text}” to {task} of {day}").format(
                text=text, task=task, day=day
            )
        return _("the minor change “{text}” to {task} of {day}").format(
            text=text, task=task, day=day
        )
    if kind == "decision":
        from mansioni.report.labels import DECISION_LABEL

        label = DECISION_LABEL.get(row.get("decision") or "keep")
        decision = label() if label is not None else shown(str(row.get("decision")))
        return _("the decision “{decision}” on {task} of {day}").format(
            decision=decision, task=task, day=day
        )
    if kind == "rate":
        return _("the earlier rate of {task}").format(task=task)
    return _("an event in the story of {task}").format(task=task)


COUNTED["task_event"] = lambda n: ngettext(
    "{n} event of a duty's story", "{n} events of duties' stories", n
).format(n=n)


@describes("imported")
def _imported(row: dict, names: Names) -> str:
    return _("the record of an entry imported from {source}").format(
        source=shown(str(row.get("source")))
    )


COUNTED["imported"] = lambda n: ngettext(
    "{n} record of an imported entry", "{n} records of imported entries", n
).format(n=n)


@describes("invoice")
def _invoice(row: dict, names: Names) -> str:
    from datetime import date

    from mansioni.i18n.dates import interval

    try:
        period = interval(date.fromisoformat(row["first_day"]), date.fromisoformat(row["last_day"]))
    except (KeyError, TypeError, ValueError):
        return _("the marking of a period as invoiced")
    client = names.client(row.get("client_id"))
    if client is None:
        return _("the marking of {period} as invoiced").format(period=period)
    return _("the marking of {period} as invoiced for {client}").format(
        period=period, client=shown(client)
    )


COUNTED["invoice"] = lambda n: ngettext(
    "{n} period marked as invoiced", "{n} periods marked as invoiced", n
).format(n=n)
FIELDS.setdefault("entry", {})["invoice_id"] = lambda row, names, before: (
    _("invoiced") if row.get("invoice_id") else _("not invoiced")
)


# --- a step in words -----------------------------------------------------------------------


def _changed_fields(change: Change, names: Names) -> list[str]:
    """How the changed columns a person sees read now (``09:00-10:00 (1:00)``)."""
    before, after = change.before or {}, change.after or {}
    fields = FIELDS.get(change.table, {})
    said: list[str] = []
    for columns, words in fields.items():
        if any(
            before.get(column) != after.get(column)
            for column in (columns if isinstance(columns, tuple) else (columns,))
        ):
            text = words(after, names, before)
            if text not in said:
                said.append(text)
    return said


def phrases(step: Step, *, would: bool = False) -> list[str]:
    """What ``step`` did (or, ``would``, would do) to each row, one phrase a row that a
    person would notice; a change to bookkeeping alone is said only if nothing else is."""
    out: list[str] = []
    quiet: list[str] = []
    for change in step.changes:
        kind = change.kind
        row = change.after if kind != "gone" else change.before
        assert row is not None
        if kind == "back":
            phrase = (_("{what} would be back") if would else _("{what} is back")).format(
                what=what(change.table, row, step.names)
            )
        elif kind == "gone":
            phrase = (
                _("{what} would no longer be recorded")
                if would
                else _("{what} is no longer recorded")
            ).format(what=what(change.table, row, step.names))
        else:
            said = _changed_fields(change, step.names)
            before = change.before
            assert before is not None
            name = what(change.table, before, step.names)
            if not said:
                quiet.append(
                    (_("{what} would be as it was") if would else _("{what} is as it was")).format(
                        what=name
                    )
                )
                continue
            phrase = (
                _("{what} would be back as it was: {values}")
                if would
                else _("{what} is back as it was: {values}")
            ).format(what=name, values=", ".join(said))
        out.append(phrase)
    return out or quiet[:1]


#: Each kind of change, in words, before the counts of a long operation.
_COUNT_HEAD = {
    ("back", False): lambda: _("back: {items}"),
    ("gone", False): lambda: _("no longer recorded: {items}"),
    ("changed", False): lambda: _("back as they were: {items}"),
    ("back", True): lambda: _("would be back: {items}"),
    ("gone", True): lambda: _("would no longer be recorded: {items}"),
    ("changed", True): lambda: _("would be back as they were: {items}"),
}


def counts(step: Step, *, would: bool = False) -> list[str]:
    """A long operation's changes by counts: ``no longer recorded: 1200 entries, ...``."""
    tally = Counter((change.kind, change.table) for change in step.changes)
    alone = {  # a table changed once among many rows is named, not counted
        change.table: change
        for change in step.changes
        if tally[change.kind, change.table] == 1 and change.table in DESCRIBERS
    }
    out = []
    for kind in ("gone", "back", "changed"):
        items = []
        for (k, table), n in tally.items():
            if k != kind:
                continue
            counted = COUNTED.get(table)
            change = alone.get(table)
            if change is not None:
                row = change.before if kind == "gone" else change.after
                assert row is not None
                items.append(what(table, row, step.names))
                continue
            items.append(
                counted(n)
                if counted is not None
                else ngettext("{n} record", "{n} records", n).format(n=n)
            )
        if items:
            out.append(_COUNT_HEAD[kind, would]().format(items=", ".join(items)))
    return out

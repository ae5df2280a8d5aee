"""The quick path for the commands typed all day: ``start``, ``stop``, ``cancel``, ``status``.

It parses only the well-formed, common forms of these commands and reaches the
store with the standard ``sqlite3`` module, so it answers without importing
Typer, Rich or SQLAlchemy. Whenever anything is unusual (``--help``, an unknown
option, a missing value, a store that does not exist yet or needs an upgrade, a
non-SQLite store) it returns ``None`` and the full command line handles the call,
which is the single source of truth for usage and its errors. Both paths call the
same services and print the same views.
"""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni import clock
from mansioni.cli import timer_view
from mansioni.cli.errors import report
from mansioni.errors import MansioniError

# command -> (options taking a value, flags, number of positional arguments)
_SPEC: dict[str, tuple[frozenset[str], frozenset[str], int]] = {
    "start": (frozenset({"--at", "--note"}), frozenset({"--resume", "--overlap", "--yes"}), 1),
    "stop": (frozenset({"--at", "--note"}), frozenset({"--yes"}), 0),
    "cancel": (frozenset(), frozenset(), 0),
    "status": (frozenset(), frozenset({"--json"}), 0),
}

COMMANDS = frozenset(_SPEC)


def parse(argv: list[str]) -> tuple[str, list[str], dict[str, str | bool]] | None:
    """``(command, positionals, options)``, or ``None`` when the full path should parse it."""
    if not argv or argv[0] not in _SPEC:
        return None
    command, rest = argv[0], argv[1:]
    valued, flags, wanted = _SPEC[command]
    positionals: list[str] = []
    options: dict[str, str | bool] = {}
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg.startswith("-") and len(arg) > 1:
            name, eq, value = arg.partition("=")
            if name in flags and not eq and name not in options:
                options[name] = True
            elif name in valued and name not in options:
                if not eq:
                    i += 1
                    if i >= len(rest):
                        return None
                    value = rest[i]
                options[name] = value
            else:
                return None
        else:
            positionals.append(arg)
        i += 1
    if len(positionals) != wanted:
        return None
    return command, positionals, options


def _instant(text: str | bool | None, now: int, zone: str) -> int | None:
    if not isinstance(text, str):
        return None
    from mansioni.domain.timeparse import parse_instant

    moment = parse_instant(
        text, now=datetime.fromtimestamp(now, ZoneInfo(zone)), zone=ZoneInfo(zone)
    )
    return int(moment.timestamp())


def run(argv: list[str]) -> int | None:
    """Run a quick command; ``None`` means the full command line must take it."""
    parsed = parse(argv)
    if parsed is None:
        return None
    from mansioni.store.paths import sqlite_path, store_url
    from mansioni.store.quick import QuickStore, SchemaMismatch

    store = QuickStore.open(sqlite_path(store_url()))
    if store is None:
        return None
    command, positionals, options = parsed
    try:
        lines = execute(store, command, positionals, options)
    except SchemaMismatch:
        return None
    except MansioniError as exc:
        return report(exc)
    except KeyboardInterrupt:  # Ctrl-C (at the question about a forgotten timer, say)
        sys.stderr.write("\n")
        return 130
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


def execute(
    store, command: str, positionals: list[str], options: dict[str, str | bool]
) -> list[str]:  # noqa: ANN001
    """Call the timer service for a parsed command and return the lines to print."""
    from mansioni import config
    from mansioni.services import timer

    now, zone, person = clock.now(), clock.zone_name(), clock.person()
    note = options.get("--note")
    note = note if isinstance(note, str) else None
    if command in ("start", "stop"):
        limit, yes = config.timer_limit(), bool(options.get("--yes"))
        # What to type again with --yes, should the running timer look forgotten.
        words = [command, *positionals]
        for name, value in options.items():
            if name != "--yes":
                words.extend([name] if value is True else [name, str(value)])
    if command == "start":
        at = _instant(options.get("--at"), now, zone)
        result = timer_view.keeping_forgotten(
            lambda confirmed: timer.start(
                store,
                task=positionals[0],
                person=person,
                now=now,
                zone=zone,
                at=at,
                note=note,
                resume=bool(options.get("--resume")),
                allow_overlap=bool(options.get("--overlap")),
                clock=clock.now,  # read again once the write lock is held
                limit=limit,
                keep_whole=yes,
                confirmed=confirmed,
            ),
            zone=zone,
            again=[*words, "--yes"],
            then=words,
        )
        return timer_view.started_lines(result, zone, now)
    if command == "stop":
        at = _instant(options.get("--at"), now, zone)
        # The instant is read again once the lock is held (clock.now, not now): a start
        # committed while this stop waited for it is not stopped before it began.
        stopped = timer_view.keeping_forgotten(
            lambda confirmed: timer.stop(
                store,
                person=person,
                now=now,
                at=at,
                note=note,
                clock=clock.now,
                limit=limit,
                keep_whole=yes,
                confirmed=confirmed,
            ),
            zone=zone,
            again=[*words, "--yes"],
            note=note,
        )
        return [timer_view.stopped_line(stopped, zone, now)]
    if command == "cancel":
        return [timer_view.cancelled_line(timer.cancel(store, person=person, now=now), zone, now)]
    status = timer.status(store, person=person, now=now, zone=zone, limit=config.timer_limit())
    if options.get("--json"):
        from mansioni.domain.text import json_text

        return [json_text(timer_view.status_json(status))]
    return timer_view.status_lines(status, zone)

"""``change``, ``estimate`` and ``history``: a task's story."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import Context, at_instant, context, echo_json, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.layout import fit, wrap
from mansioni.domain.calendar import local_date
from mansioni.domain.display import format_duration, shell_word
from mansioni.domain.phases import Event
from mansioni.domain.text import shown
from mansioni.domain.timeparse import parse_duration
from mansioni.domain.values import BASIS_WORDS, parse_choice, parse_money
from mansioni.i18n import _, dates
from mansioni.report import verdict_text
from mansioni.report.labels import BASIS_LABEL, event_text
from mansioni.report.review_page import counted
from mansioni.report.verdict_text import window_line
from mansioni.services import changes
from mansioni.services.history import History, task_history

TASK = Annotated[str, typer.Argument(metavar="TASK", help=_("The task, as client/task."))]
AT = Annotated[
    str | None,
    typer.Option("--at", help=_("The day it took effect, if not today: 2026-11-20, yesterday.")),
]


def register(app: typer.Typer) -> None:
    app.command(
        "change",
        help=command_help("change"),
    )(change)
    app.command(
        "estimate",
        help=command_help("estimate"),
    )(estimate)
    app.command(
        "history",
        help=command_help("history"),
    )(history)


def effective(c: Context, text: str | None) -> int | None:
    """``--at`` of a change or an estimate: a day takes effect at its start."""
    return at_instant(c, text)


def change(
    ctx: typer.Context,
    task: TASK,
    what: Annotated[str, typer.Argument(metavar="WHAT", help=_("What changed, in a few words."))],
    estimate: Annotated[
        str | None,
        typer.Option("--estimate", help=_("The client's estimate for the new scope: 60m.")),
    ] = None,
    rate: Annotated[
        str | None, typer.Option("--rate", help=_("Your hourly rate from now on."))
    ] = None,
    minor: Annotated[
        bool, typer.Option("--minor", help=_("Same scope: keep the phase, re-baseline only."))
    ] = False,
    at: AT = None,
) -> None:
    c = context(ctx)
    target, phase = changes.change(
        c.store,
        task,
        text=what,
        minor=minor,
        estimate_seconds=int(parse_duration(estimate).total_seconds()) if estimate else None,
        rate_cents=parse_money(rate) if rate else None,
        at=effective(c, at),
        person=c.person,
        now=c.now,
        zone=c.zone,
    )
    if minor:
        line = _("Recorded a minor change to {task}: same phase, new comparison baseline.")
    else:
        line = _("Recorded a major change to {task}: phase {n} starts, with a new trial.")
    lines = [line.format(task=shown(target.full), n=phase.number)]
    if not minor and phase.estimate_seconds is None:
        lines.append(
            _(
                "The new phase has no estimate yet: ask the client, then: mansioni estimate {task} 45m"
            ).format(task=shell_word(target.full))
        )
    echo_lines(lines)


def estimate(
    ctx: typer.Context,
    task: TASK,
    duration: Annotated[
        str, typer.Argument(metavar="DURATION", help=_("The client's own time: 45m, 1h30."))
    ],
    basis: Annotated[
        str | None,
        typer.Option("--basis", help=_("What the estimate is for: occurrence, week or month.")),
    ] = None,
    at: AT = None,
) -> None:
    c = context(ctx)
    seconds = int(parse_duration(duration).total_seconds())
    chosen = parse_choice(basis, BASIS_WORDS, what=_("basis")) if basis else None
    target, basis_in_force = changes.estimate(
        c.store,
        task,
        seconds=seconds,
        basis=chosen,
        at=effective(c, at),
        person=c.person,
        now=c.now,
        zone=c.zone,
    )
    echo_lines(
        [
            _("Recorded the client's estimate for {task}: {time} {basis}.").format(
                task=shown(target.full),
                time=format_duration(seconds),
                basis=BASIS_LABEL[basis_in_force](),
            )
        ]
    )


def _day(instant: int, c: Context) -> str:
    return dates.day(local_date(instant, c.tz))


def event_lines(event: Event, c: Context, currency: str, width: int) -> list[str]:
    """An event under its phase, its day first; its words wrapped to ``width``, each
    line after the first starting under the first word."""
    day = f"  {_day(event.at, c)}  "
    return wrap(event_text(event, currency), width, indent=day, hanging=" " * len(day))


def _instant(instant: int | None, c: Context) -> str | None:
    return None if instant is None else datetime.fromtimestamp(instant, c.tz).isoformat()


def history_json(story: History, c: Context) -> dict[str, Any]:
    from mansioni.cli.review import segment_json

    return {
        "task": story.task.full,
        "created": _instant(story.created, c),
        "since": _instant(story.since, c),
        "first_entry": _instant(story.first_entry, c),
        "start": _instant(story.start, c),
        "phases": [
            {
                "number": p.phase.number,
                "start": _instant(p.phase.start, c),
                "end": _instant(p.phase.end, c),
                "estimate_seconds": p.phase.estimate_seconds,
                "estimate_basis": p.phase.estimate_basis,
                "occurrences": p.occurrences,
                "atypical": p.atypical,
                "seconds": p.seconds,
                "decision": p.phase.decision.decision if p.phase.decision else None,
                "segments": [segment_json(f) for f in p.segments],
                "events": [
                    {
                        "kind": e.kind,
                        "at": _instant(e.at, c),
                        "text": e.text,
                        "major": e.major,
                        "estimate_seconds": e.estimate_seconds,
                        "estimate_basis": e.estimate_basis,
                        "rate_cents": e.rate_cents,
                        "decision": e.decision,
                        "verdict": e.verdict,
                        "person": e.person,
                    }
                    for e in p.phase.events
                ],
            }
            for p in story.phases
        ],
    }


def start_line(story: History, c: Context) -> str:
    """Where the story starts, and why: its --since, its first entry, or its creation."""
    start = _day(story.start, c)
    if story.since is not None and story.since == story.start:
        why = _("the day it began, as set with --since")
    elif story.first_entry is not None and story.first_entry == story.start:
        why = _("its first entry")
    elif story.created == story.start:
        why = _("its creation")
    else:
        why = _("its earliest event")
    return _("Its story starts on {day} ({why}).").format(day=start, why=why)


def history(
    ctx: typer.Context,
    task: TASK,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    c = context(ctx)
    story = task_history(c.store, task, zone=c.zone)
    if as_json:
        echo_json(history_json(story, c))
        return
    width = terminal_width()
    lines = [
        _("{task}: created on {day}.").format(
            task=shown(story.task.full), day=_day(story.created, c)
        ),
        start_line(story, c),
    ]
    for p in story.phases:
        estimate = verdict_text.phase_estimates(p.phase)
        # weeks or months for a duty estimated per week or month, as the page says it
        done = counted(p, p.phase.estimate_basis or story.basis)
        start = local_date(p.phase.start, c.tz)
        when = (
            dates.span(start, local_date(p.phase.end, c.tz))
            if p.phase.end is not None
            else dates.since(start)
        )
        line = (
            _("Phase {n}, {when}: estimate {estimate}; {occurrences}; {time} in all.")
            if estimate is not None
            else _("Phase {n}, {when}: no estimate; {occurrences}; {time} in all.")
        )
        lines.append(
            line.format(
                n=p.phase.number,
                when=when,
                estimate=estimate,
                occurrences=done,
                time=verdict_text.duration(p.seconds),
            )
        )
        for e in p.phase.events:
            lines.extend(event_lines(e, c, story.currency, width))
        windows = verdict_text.said_windows(p.segments)
        if windows:
            lines.append("  " + _("Comparison windows:"))
            basis = p.phase.estimate_basis or story.basis
            for f in windows:
                lines.extend(wrap(window_line(f, basis), width, indent="    ", hanging="      "))
    echo_lines(fit(lines, width))

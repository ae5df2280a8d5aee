"""``review`` and ``decide``: the verdict a VA brings to her client, and the decision."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import Context, at_instant, context, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.layout import (
    GAP,
    NAME_FLOOR,
    Column,
    Styled,
    first_fit,
    fit,
    show,
    with_command,
    wrap,
)
from mansioni.domain.calendar import day_bounds, local_date
from mansioni.domain.display import shell_word
from mansioni.domain.text import json_text, shorten, shown
from mansioni.domain.timeparse import parse_day, parse_duration
from mansioni.domain.values import parse_money
from mansioni.domain.verdict import Verdict
from mansioni.errors import InputError
from mansioni.i18n import _, ngettext
from mansioni.report import verdict_text
from mansioni.report.labels import DECISION_LABEL, decision_line
from mansioni.services.review import (
    DecisionRefused,
    SegmentFigures,
    TaskReview,
    decide,
    review,
)

BARS = "▁▂▃▄▅▆▇█"
#: The fewest characters a bar of ``review TASK``'s chart may take, however narrow the terminal.
CHART_LEAST = 10


def register(app: typer.Typer) -> None:
    app.command(
        "review",
        help=command_help("review"),
    )(review_tasks)
    app.command(
        "decide",
        help=command_help("decide"),
    )(decide_task)


def sparkline(values: list[float]) -> str:
    if not values:
        return ""
    top = max(values)
    return "".join(BARS[min(len(BARS) - 1, int(v / top * (len(BARS) - 1)))] for v in values)


def chart(tr: TaskReview, width: int = 40, *, room: int | None = None) -> list[str]:
    """Per-occurrence times as bars, each with the estimate it is compared with (its
    comparison window's) as a line ``│``; • marks the judged comparison window. The bars
    are ``width`` characters at most, fewer if a line would pass ``room`` columns."""
    values = [o.seconds for o in tr.typical]
    if not values:
        return []
    estimates = [tr.estimate_at(o.start) for o in tr.typical]
    top = max(values + [e for e in estimates if e])
    first, end = tr.window_range()
    days = [verdict_text.day(o.day) for o in tr.typical]
    day_width = max(len(d) for d in days)
    if room is not None:  # a line: number, day, the bars and one cell more, minutes, mark
        width = max(CHART_LEAST, min(width, room - day_width - 12))
    lines = []
    for number, (occ, estimate) in enumerate(zip(tr.typical, estimates, strict=True), start=1):
        length = max(1, round(occ.seconds / top * width))
        cells = ["█" if i < length else " " for i in range(width + 1)]
        if estimate:
            mark = round(estimate / top * width)
            cells[mark] = "┃" if length > mark else "│"
        window = "•" if first <= number - 1 < end else " "
        lines.append(
            f"{number:>3} {days[number - 1]:<{day_width}} {''.join(cells)}"
            f" {verdict_text.minutes(occ.seconds):>4}{window}"
        )
    shown = [e for e in dict.fromkeys(estimates) if e]
    if shown:
        lines.append(
            _("│ your estimate: {E} min").format(
                E=" → ".join(verdict_text.minutes(e) for e in shown)
            )
        )
    return lines


def review_json(tr: TaskReview) -> dict[str, Any]:
    r = tr.result
    econ = r.economics
    return {
        "task": tr.task.full,
        "client": tr.task.client,
        "phase": tr.phase.number,
        "phase_start": tr.phase_start.isoformat(),
        "window_start": tr.window_start.isoformat(),
        "verdict": r.verdict.value,
        "reason_code": r.reason_code,
        "explanation": verdict_text.explain(tr),
        "flagged": tr.flagged,
        "occurrences": r.n,
        "window_occurrences": r.segment_count,
        "left_out": r.left_out,
        "level_seconds": r.level,
        "interval_seconds": [r.low, r.high] if r.low is not None else None,
        "coverage": r.coverage,
        "estimate_seconds": r.estimate,
        "time_index": r.time_index,
        "variance_seconds": r.variance_seconds,
        "trend": None
        if r.trend is None
        else {
            "k": r.trend.k,
            "tau": r.trend.tau,
            "p": r.trend.p,
            "speedup": r.trend.slope,
            "improving": r.trend.improving,
        },
        "sign": None
        if r.sign is None
        else {"longer": r.sign.longer, "of": r.sign.of, "p": r.sign.p},
        "economics": None
        if econ is None
        else {
            "own_cost_cents": econ.own_cost_cents,
            "delegate_cost_cents": econ.delegate_cost_cents,
            "freed_hour_price_cents": econ.freed_hour_price_cents,
            "break_even_seconds": econ.break_even_seconds,
        },
        "trial_end": r.trial_end.isoformat(),
        "trial_ended": r.trial_ended,
        "extension_end": r.extension_end.isoformat() if r.extension_end else None,
        "underpaid": r.underpaid,
        "decision": tr.decision.decision if tr.decision else None,
        "awaiting_decision": tr.awaiting_decision,
        "segments": [segment_json(f) for f in tr.segments],
        "judged_segment": tr.judged,
        "previous_level_seconds": tr.previous_level,
        "as_of": tr.as_of.isoformat(),
    }


def segment_json(f: SegmentFigures) -> dict[str, Any]:
    """One comparison window and its figures (the same in ``history --json``)."""
    opened = f.segment.opened_by
    closed = f.segment.closed_by
    return {
        "start": f.start_day.isoformat(),
        "end": f.end_day.isoformat() if f.end_day else None,
        "opened_by": None if opened is None else opened.kind,
        "decision": closed.decision if closed is not None and closed.kind == "decision" else None,
        "estimate_seconds": f.estimate,
        "occurrences": f.occurrences,
        "left_out": f.left_out,
        "seconds": f.seconds,
        "level_seconds": f.level,
        "time_index": f.time_index,
        "variance_seconds": f.variance_seconds,
    }


def _trend_cell(tr: TaskReview) -> str:
    trend = tr.result.trend
    if trend is None:
        return "-"
    spark = sparkline([o.seconds for o in tr.typical[-10:]])
    if trend.improving:
        return f"{spark} ↘{verdict_text.percent(trend.slope)}%"
    return spark


def _level_cell(tr: TaskReview) -> str:
    r = tr.result
    if r.level is None:
        return "-"
    if r.low is None:
        return verdict_text.minutes(r.level)
    return f"{verdict_text.minutes(r.level)} ({verdict_text.minutes(r.low)}-{verdict_text.minutes(r.high)})"


def list_columns() -> list[Column]:
    """The list's columns, each with its cell of a review (``_cells``), in order."""
    return [
        Column(_("Task"), name=True, lead=2),
        Column(_("Phase from")),
        Column(_("Occ.")),
        Column(_("Level (min)")),
        Column(_("Estimate")),
        Column(_("Index")),
        Column(_("Trend")),
        Column(_("Verdict")),
    ]


#: The columns the list tries, the fullest first: the first that fits the terminal is
#: drawn. The verdict is always there; the phase's first day and the sparkline are left
#: out first (``review TASK`` shows both), then the count and the time index.
LAYOUTS = ((0, 1, 2, 3, 4, 5, 6, 7), (0, 2, 3, 4, 5, 7), (0, 3, 4, 7), (0, 7))
NAME, LEVEL, ESTIMATE, VERDICT = 0, 3, 4, 7


def _cells(tr: TaskReview) -> list[str]:
    r = tr.result
    verdict = verdict_text.label(r.verdict)
    if tr.decision is not None:
        verdict += " ✓"
    return [
        shown(tr.task.name),
        verdict_text.day(tr.phase_start),
        str(r.n) + (f" (+{r.left_out})" if r.left_out else ""),
        _level_cell(tr),
        verdict_text.minutes(r.estimate),
        verdict_text.number(r.time_index, 2) if r.time_index is not None else "-",
        _trend_cell(tr),
        verdict,
    ]


def by_client(reviews: list[TaskReview]) -> list[tuple[str, list[TaskReview]]]:
    """The reviews under their client, each client once: the clients in the order their
    first task comes in the list (those with a task worth renegotiating first), each
    client's tasks in the list's order."""
    groups: dict[str, list[TaskReview]] = {}
    for tr in reviews:
        groups.setdefault(tr.task.client, []).append(tr)
    return list(groups.items())


def list_lines(reviews: list[TaskReview], width: int) -> list[Styled]:
    """The review of every task for a terminal ``width`` columns wide: each client once as
    a heading, then a line per task (its name, figures and verdict), and its reason
    under it. The columns are the fullest set that fits; when even the name, the level,
    the estimate and the verdict do not fit on one line, each task takes two (its level
    and estimate on the second)."""
    columns = list_columns()
    rows = {tr.task.id: _cells(tr) for tr in reviews}
    found = first_fit(columns, list(rows.values()), width, LAYOUTS)
    drawn, chosen = found if found is not None else (None, (NAME, VERDICT))
    lines: list[Styled] = []
    if drawn is not None:
        lines += [(line, "bold") for line in drawn.head()]
    for client, group in by_client(reviews):
        lines += [(line, "bold") for line in wrap(shown(client), width, hanging="  ")]
        for tr in group:
            style = "bold red" if tr.flagged else ""
            cells = rows[tr.task.id]
            if drawn is not None:
                lines.append((drawn.row([cells[i] for i in chosen]), style))
            else:
                lines += [(line, style) for line in _name_and_verdict(cells, width)]
            if LEVEL not in chosen:
                lines += [(line, "") for line in _figures(cells, columns, width)]
            lines += [(line, "") for line in wrap(verdict_text.reason(tr), width, indent="    ")]
    return lines


def _name_and_verdict(cells: list[str], width: int) -> list[str]:
    """A task's name and verdict on a terminal too narrow for even these two columns: on
    one line if they fit, else the verdict (whole) under the name."""
    name, verdict = cells[NAME], cells[VERDICT]
    room = width - 2 - GAP - len(verdict)
    if room >= min(len(name), NAME_FLOOR):
        return ["  " + shorten(name, room) + " " * GAP + verdict]
    return ["  " + shorten(name, max(width - 2, NAME_FLOOR)), "    " + verdict]


def _figures(cells: list[str], columns: list[Column], width: int) -> list[str]:
    """The level and the estimate, each after its column's header, on a line of their own."""
    figures = "; ".join(
        f"{columns[i].header} {cells[i]}" for i in (LEVEL, ESTIMATE) if cells[i] != "-"
    )
    return wrap(figures, width, indent="    ") if figures else []


def list_view(reviews: list[TaskReview]) -> None:
    show(list_lines(reviews, terminal_width()))


def reminders(reviews: list[TaskReview]) -> list[str]:
    """One line per task whose trial ended with no decision, saying what to do next."""
    lines = []
    for tr in reviews:
        if not tr.awaiting_decision:
            continue
        task, ended = shell_word(tr.task.full), verdict_text.day(tr.result.trial_end)
        if tr.result.estimate is None:
            line = _(
                "The trial of {name} ended on {date} with no estimate to compare with: mansioni estimate {task} 45m"
            )
        elif tr.result.verdict is Verdict.NOT_ENOUGH_DATA and tr.reopened_by is not None:
            # a new window after a change, a decision or a new estimate: not the trial
            line = _(
                "Since {since}, {name} has {n} of the 5 timings a verdict needs: keep timing it."
            )
        elif tr.result.verdict is Verdict.NOT_ENOUGH_DATA:
            line = _(
                "The trial of {name} ended on {date} with too few timings for a verdict ({n} of 5): keep timing it."
            )
        else:
            line = _(
                "The trial of {name} ended on {date} without a decision: mansioni decide {task} keep|renegotiated|hand-back"
            )
        lines.append(
            line.format(
                name=shown(tr.task.full),
                task=task,
                date=ended,
                n=tr.result.segment_count,
                since=verdict_text.day(tr.window_start),
            )
        )
    return lines


def detail_view(c: Context, tr: TaskReview) -> None:
    """One task in depth, in lines that fit the terminal (broken between words)."""
    width = terminal_width()
    r = tr.result
    lines = [
        f"{shown(tr.task.full)} — "
        + _("phase {n}, from {date}").format(
            n=tr.phase.number, date=verdict_text.day(tr.phase_start)
        ),
        _("Verdict: {verdict}").format(verdict=verdict_text.label(r.verdict)),
        "",
        *verdict_text.explain(tr),
        "",
    ]
    lines.extend(verdict_text.evidence_lines(tr, for_client=False))
    if tr.decision is not None:
        lines.append(decision_line(local_date(tr.decision.at, c.tz), tr.decision.decision))
    lines = fit(lines, width)
    chart_lines = chart(tr, room=width)
    if chart_lines:
        title = _("Each occurrence, in minutes (• in the comparison window):")
        lines += ["", *wrap(title, width), *chart_lines[:-1], *fit(chart_lines[-1:], width)]
    for line in reminders([tr]):
        lines += with_command(line, width)
    echo_lines(lines)


def review_tasks(
    ctx: typer.Context,
    task: Annotated[
        str | None, typer.Argument(metavar="[TASK]", help=_("One task, in depth."))
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help=_("Only this client's tasks."))
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help=_("The verdict as it would have been on that day: 2026-11-01.")
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help=_(
                "table (the default, for the terminal), md (Markdown, for an email) or html "
                "(one self-contained page for the client, to open or print)."
            ),
        ),
    ] = "table",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help=_("Write to this file instead of the terminal.")),
    ] = None,
) -> None:
    import sys

    from mansioni.cli.output import choose_format, emit

    chosen = choose_format(
        fmt,
        ("table", "md", "html"),
        example="mansioni review --client rossi --format html -o rossi-review.html",
    )
    if as_json and chosen != "table":
        raise InputError(
            _("--json and --format {format} do not go together: choose one.").format(format=chosen),
            hint=_("For example: mansioni review --client rossi --format md"),
        )
    if chosen == "table" and not as_json and output not in (None, "-"):
        raise InputError(
            _("The table is for the terminal; a file takes the page or the Markdown."),
            hint=_(
                "For example: mansioni review --client rossi --format html -o rossi-review.html"
            ),
        )
    if chosen == "html" and output in (None, "-") and sys.stdout.isatty():
        raise InputError(
            _("An HTML page would only fill the terminal with markup: write it to a file."),
            hint=_(
                "For example: mansioni review --client rossi --format html -o rossi-review.html"
            ),
        )
    c = context(ctx)
    day = parse_day(as_of, today=c.moment.date()) if as_of else c.moment.date()
    if day > c.moment.date():
        raise InputError(
            _("--as-of cannot be in the future: a review looks at what was done."),
            hint=_("For example: mansioni review --as-of 2026-11-01"),
        )
    from mansioni.cli.progress import progress

    page = chosen != "table"
    steps = 2 if page else 1  # a page also reads each task's story
    with progress(_("Reviewing the tasks"), None) as advance:
        reviews = review(
            c.store,
            as_of=day,
            zone=c.zone,
            client=client,
            task=task,
            # a page, or one task in depth, draws every occurrence of the phase
            detail=page or (task is not None and not as_json),
            settled=page,
            on_progress=lambda _done, total: advance(1, total=total * steps),
        )
        if page:
            from mansioni.report import review_page
            from mansioni.services.history import task_history
            from mansioni.services.report import period_report

            until = day_bounds(day, c.tz)[1] - 1  # the story as it stood that day
            first = review_page.period_first(reviews)
            # The hours and amounts of the page's period: the report's, never a second sum.
            summaries = {}
            if first is not None:
                period = period_report(
                    c.store, first=first, last=day, zone=c.zone, now=c.now, client=client, task=task
                )
                summaries = {s.task.id: s for s in period.tasks}
            pages = []
            for tr in reviews:
                story = task_history(c.store, tr.task.full, zone=c.zone, until=until)
                pages.append(review_page.TaskPage(tr, story, summaries.get(tr.task.id)))
                advance(1)
    if page:
        from mansioni import config

        render = review_page.render_html if chosen == "html" else review_page.render_markdown
        emit(
            render(
                pages,
                as_of=day,
                zone=c.tz,
                prepared_by=config.value("name"),
                contact=config.value("contact"),
            ),
            output,
            what=review_words(reviews, day, chosen),
        )
        return
    if as_json:
        emit(
            json_text([review_json(tr) for tr in reviews]) + "\n",
            output,
            what=review_words(reviews, day, "json"),
        )
        return
    if task is not None:
        detail_view(c, reviews[0])
        return
    if not reviews:
        typer.echo(_("No active tasks to review."))
        return
    list_view(reviews)
    pending = reminders(reviews)
    if pending:
        width = terminal_width()
        echo_lines(["", *(line for text in pending for line in with_command(text, width))])


def decide_task(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(metavar="TASK", help=_("The task, as client/task."))],
    decision: Annotated[
        str,
        typer.Argument(
            metavar="DECISION",
            help=_(
                "keep, renegotiated or hand-back; in Italian also tenere, rinegoziata or restituire."
            ),
        ),
    ],
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help=_("What was agreed."))
    ] = None,
    rate: Annotated[
        str | None,
        typer.Option("--rate", metavar="AMOUNT", help=_("A new hourly rate, if agreed: 30.")),
    ] = None,
    estimate: Annotated[
        str | None,
        typer.Option("--estimate", metavar="DURATION", help=_("A new estimate, if agreed: 50m.")),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATE",
            help=_("The day it was decided, if not today: 2026-11-16 (from the task's start on)."),
        ),
    ] = None,
    early: Annotated[
        bool,
        typer.Option(
            "--early", help=_("Decide before the trial ends, on the verdict as it stands.")
        ),
    ] = False,
) -> None:
    c = context(ctx)
    given = [
        word
        for option, value in (
            ("--note", note),
            ("--rate", rate),
            ("--estimate", estimate),
            ("--at", at),
        )
        if value is not None
        for word in (option, shell_word(value))
    ]
    try:
        done = decide(
            c.store,
            task,
            decision=decision,
            note=note,
            rate_cents=parse_money(rate) if rate else None,
            estimate_seconds=int(parse_duration(estimate).total_seconds()) if estimate else None,
            person=c.person,
            now=c.now,
            zone=c.zone,
            at=decided_at(c, at),
            early=early,
        )
    except DecisionRefused as refused:
        raise _refusal(refused, decision, given) from None
    messages = {
        "keep": _("Recorded: the client keeps delegating {task} (decided on {date})."),
        "renegotiated": _(
            "Recorded: {task} was renegotiated on {date}; a new comparison starts from that day."
        ),
        "hand_back": _(
            "Recorded: the client takes {task} back (decided on {date}); it leaves the active list, its history stays."
        ),
    }
    typer.echo(
        messages[done.decision].format(
            task=shown(done.task.full), date=verdict_text.day(local_date(done.at, c.tz))
        )
    )


def decided_at(c: Context, text: str | None) -> int | None:
    """``decide --at``: a decision taken on a past day covers that day's timings, so it
    takes effect at the day's end (the instant ``review --as-of`` judges that day at)."""
    return at_instant(c, text, day_end=True)


def _refusal(refused: DecisionRefused, typed: str, given: list[str]) -> InputError:
    tr = refused.review
    task = shell_word(tr.task.full)
    if refused.already:
        decided = tr.decision
        assert decided is not None
        return InputError(
            _("The review of {task} was already decided on {date}: {decision}.").format(
                task=shown(tr.task.full),
                date=verdict_text.day(tr.segments[tr.judged].end_day or tr.as_of),
                decision=DECISION_LABEL[decided.decision or "keep"](),
            ),
            hint=_(
                "A change or a new estimate opens a new comparison; to take the decision back: mansioni undo"
            ),
        )
    return InputError(
        _(
            "The trial of {task} runs until {date}; the verdict so far is: {verdict}. Nothing was recorded."
        ).format(
            task=shown(tr.task.full),
            date=verdict_text.day(tr.result.trial_end),
            verdict=verdict_text.label(tr.result.verdict),
        ),
        hint=_("To decide all the same: {command}").format(
            command=" ".join(
                ["mansioni", "decide", task, shell_word(typed.strip()), *given, "--early"]
            )
        ),
    )


def review_words(reviews: list[Any], day: Any, fmt: str) -> str:
    """What a review file holds, as ``Wrote ... to FILE.`` says it: for whom, as of when,
    in which format."""
    from mansioni.cli.output import format_name

    clients = list(dict.fromkeys(tr.task.client for tr in reviews))
    scope = (
        shown(clients[0])
        if len(clients) == 1
        else ngettext("{n} client", "{n} clients", len(clients)).format(n=len(clients))
    )
    return _("the trial-period review for {scope}, as of {day} ({format})").format(
        scope=scope, day=verdict_text.day(day), format=format_name(fmt)
    )

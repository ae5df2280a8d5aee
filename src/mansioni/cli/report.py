"""``report``: the periodic report of time, billing, estimates and decisions.

Parses the period and the options, asks ``services.report`` for the report, and
hands it to one renderer: the terminal table (``report.period_table``), Markdown, CSV
and JSON (``report.period``), HTML (``report.period_html``). ``-o FILE`` writes it whole.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import FROM_DAY, MONTH, MONTH_ARG, TO_DAY, WEEK, Context, context
from mansioni.cli.output import check_output, choose_format, emit
from mansioni.domain.calendar import unit_days
from mansioni.domain.names import fold
from mansioni.domain.text import shown
from mansioni.errors import InputError
from mansioni.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import PeriodReport

FORMATS = ("table", "md", "csv", "json", "html")
#: What ``-o FILE`` implies when no ``--format`` is given.
SUFFIX_FORMAT = {
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}
BY_WORDS = {
    "task": "task",
    "tasks": "task",
    "mansione": "task",
    "day": "day",
    "days": "day",
    "giorno": "day",
    "week": "week",
    "weeks": "week",
    "settimana": "week",
    "who": "who",
    "person": "who",
    "people": "who",
    "chi": "who",
    "persona": "who",
}
MONTH_WORDS = {
    "january": 1, "jan": 1, "gennaio": 1, "gen": 1,
    "february": 2, "feb": 2, "febbraio": 2,
    "march": 3, "mar": 3, "marzo": 3,
    "april": 4, "apr": 4, "aprile": 4,
    "may": 5, "maggio": 5, "mag": 5,
    "june": 6, "jun": 6, "giugno": 6, "giu": 6,
    "july": 7, "jul": 7, "luglio": 7, "lug": 7,
    "august": 8, "aug": 8, "agosto": 8, "ago": 8,
    "september": 9, "sep": 9, "sept": 9, "settembre": 9, "set": 9,
    "october": 10, "oct": 10, "ottobre": 10, "ott": 10,
    "november": 11, "nov": 11, "novembre": 11,
    "december": 12, "dec": 12, "dicembre": 12, "dic": 12,
}  # fmt: skip
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})", re.ASCII)
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})", re.ASCII)
_NAMED = re.compile(r"([a-z]+)\.?(?:[ -]?(\d{4}))?", re.ASCII)
_NAMED_AFTER = re.compile(r"(\d{4}) ([a-z]+)\.?", re.ASCII)
#: The years a period may fall in (the day after the last one must exist too).
YEARS = range(1900, 9999)

HELP = command_help("report")


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP)(report)


# -- the period ------------------------------------------------------------------------


def _month_hint(example: str) -> str:
    return _("For example: {example} --month 2026-11 (or 11/2026, nov 2026, novembre 2026)").format(
        example=example
    )


def parse_month(text: str, *, today: date, example: str = "mansioni report") -> date:
    """The first day of the month ``text`` names: ``2026-11``, ``11/2026``, ``nov 2026``,
    ``novembre 2026``; a month name alone is the latest one not after ``today``'s.
    ``example``: the command typed, as its hint's example starts."""
    norm = fold(text)
    year: int | None
    month: int | None = None
    if m := _YEAR_MONTH.fullmatch(norm):
        year, month = int(m[1]), int(m[2])
    elif m := _MONTH_YEAR.fullmatch(norm):
        month, year = int(m[1]), int(m[2])
    elif (m := _NAMED.fullmatch(norm)) and m[1] in MONTH_WORDS:
        month, year = MONTH_WORDS[m[1]], int(m[2]) if m[2] else None
    elif (m := _NAMED_AFTER.fullmatch(norm)) and m[2] in MONTH_WORDS:
        year, month = int(m[1]), MONTH_WORDS[m[2]]
    else:
        year = None
    if month is None:
        raise InputError(
            _("Cannot understand the month {text!r}.").format(text=text.strip()),
            hint=_month_hint(example),
        )
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    if not 1 <= month <= 12 or year not in YEARS:
        raise InputError(
            _("There is no such month as {text!r}.").format(text=text.strip()),
            hint=_month_hint(example),
        )
    return date(year, month, 1)


def choose_period(
    *,
    today: date,
    week: bool,
    month: bool,
    month_text: str | None,
    start: str | None,
    end: str | None,
    moment: datetime | None = None,
    example: str = "mansioni report",
    takes_task: bool = True,
) -> tuple[date, date]:
    """The first and last day the report covers (this month when nothing is asked);
    ``moment``: now in the user's zone (default: the clock's), for ``--from``/``--to``.

    ``example`` is the command typed, as far as its period (``mansioni bill --client
    rossi``), and ``takes_task`` whether it takes ``--task``: each hint names only that
    command and its own options."""
    month_hint = _("For example: {example} --month 2026-11").format(example=example)
    days_hint = _("For example: {example} --from 2026-11-01 --to 2026-11-15").format(
        example=example
    )
    forms = sum([week, month or month_text is not None, start is not None or end is not None])
    if forms > 1:
        raise InputError(
            _("Choose one period: --week, --month [MONTH], or --from/--to."), hint=month_hint
        )
    if week:
        from mansioni import config

        return unit_days(today, "week", week_start=config.week_start())
    if start is not None or end is not None:
        if start is None:
            raise InputError(_("--to needs --from: say where the period starts."), hint=days_hint)
        from mansioni.cli.common import day_bound

        if moment is None:
            from zoneinfo import ZoneInfo

            from mansioni import clock

            moment = datetime.fromtimestamp(clock.now(), ZoneInfo(clock.zone_name()))
        first = day_bound(start, moment=moment, end=False)
        last = day_bound(end, moment=moment, end=True) if end is not None else today
        if last < first:
            raise InputError(_("--to must not come before --from."), hint=days_hint)
        if first.year not in YEARS or last.year not in YEARS:
            raise InputError(_("That period is out of range."), hint=days_hint)
        return first, last
    if month_text is None:
        first = today.replace(day=1)
    elif month:
        first = parse_month(month_text, today=today, example=example)
    else:  # a word with no --month before it: a month, or a client typed without --client
        try:
            first = parse_month(month_text, today=today, example=example)
        except InputError:
            if not takes_task:
                raise InputError(
                    _("{text!r} is not a month; a client goes after --client.").format(
                        text=month_text
                    ),
                    hint=month_hint,
                ) from None
            raise InputError(
                _(
                    "{text!r} is not a month; a client or a task goes after --client or --task."
                ).format(text=month_text),
                hint=_("For example: {example}").format(
                    example=f"{example} --client rossi --month 2026-11"
                ),
            ) from None
    return unit_days(first, "month")


def choose_by(text: str) -> str:
    chosen = BY_WORDS.get(text.strip().lower())
    if chosen is None:
        raise InputError(
            _("{text!r} is not a way to group the report; choose one of: {choices}.").format(
                text=text, choices="task, day, week, who"
            ),
            hint=_("For example: mansioni report --month --by day"),
        )
    return chosen


def output_format(value: str | None, path: str | None) -> str:
    """``--format``, else what the file's name says (``.html``, ``.csv``...), else a table."""
    if value is not None:
        value = "md" if value.strip().lower() == "markdown" else value
        return choose_format(
            value, FORMATS, example="mansioni report --month --format html -o report.html"
        )
    if path is not None and path != "-":
        import os

        return SUFFIX_FORMAT.get(os.path.splitext(path)[1].lower(), "table")
    return "table"


# -- the terminal table ----------------------------------------------------------------


def table_text(r: PeriodReport, *, width: int | None = None) -> str:
    """The report as Rich tables (``report.period_table``), for the terminal, laid out
    for its width (compact under 100 columns); with ``width``, plain text (no colour
    codes) that wide, for a file."""
    from rich.console import Console

    from mansioni.report.period_table import renderable

    if width is None:
        from mansioni.cli.common import console

        out = console()
        with out.capture() as captured:
            out.print(renderable(r, out.width))
        return captured.get()
    import io

    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(
        renderable(r, width)
    )
    return buffer.getvalue()


# -- the command -----------------------------------------------------------------------


def report(
    ctx: typer.Context,
    month_words: MONTH_ARG = None,
    client: Annotated[str | None, typer.Option("--client", help=_("Only this client."))] = None,
    task: Annotated[str | None, typer.Option("--task", help=_("Only this task."))] = None,
    week: WEEK = False,
    month: MONTH = False,
    start: FROM_DAY = None,
    end: TO_DAY = None,
    by: Annotated[
        str, typer.Option("--by", help=_("The rows of the main table: task, day, week or who."))
    ] = "task",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=_("table, md, csv, json or html (default: from the -o file's name, else table)."),
        ),
    ] = None,
    path: Annotated[
        str | None, typer.Option("-o", "--output", help=_("Write it to this file, whole."))
    ] = None,
) -> None:
    c = context(ctx)
    first, last = choose_period(
        today=c.moment.date(),
        week=week,
        month=month,
        month_text=" ".join(month_words) if month_words else None,
        start=start,
        end=end,
        moment=c.moment,
    )
    grouping = choose_by(by)
    chosen = output_format(fmt, path)
    check_output(path)  # before the store is read: a bad -o costs nothing
    result = build_report(c, first, last, grouping, client, task)
    if chosen == "table":
        text = table_text(result, width=None if path in (None, "-") else 120)
    elif chosen == "md":
        from mansioni.report.period_files import to_markdown

        text = to_markdown(result)
    elif chosen == "csv":
        from mansioni.report.period_files import to_csv

        text = to_csv(result)
    elif chosen == "json":
        from mansioni.report.period_files import to_json

        text = to_json(result)
    else:
        from mansioni.report.period_html import to_html

        text = to_html(result)
    emit(text, path, what=report_words(result, chosen))


def report_words(result: PeriodReport, fmt: str) -> str:
    """What a report file holds, as ``Wrote ... to FILE.`` says it."""
    from mansioni.cli.output import format_name
    from mansioni.report.period import period_text, scope_text

    return _("the report for {scope}, {period} ({format})").format(
        scope=shown(scope_text(result)), period=period_text(result), format=format_name(fmt)
    )


def build_report(
    c: Context,
    first: date,
    last: date,
    by: str = "task",
    client: str | None = None,
    task: str | None = None,
) -> PeriodReport:
    """The period report of days ``first`` to ``last``, for every view of it."""
    from mansioni import config
    from mansioni.cli.progress import progress
    from mansioni.services.report import period_report

    with progress(_("Preparing the report"), None) as advance:
        return period_report(
            c.store,
            first=first,
            last=last,
            zone=c.zone,
            now=c.now,
            by=by,
            client=client,
            task=task,
            progress=advance,
            week_start=config.week_start(),
            prepared_by=config.value("name"),
            contact=config.value("contact"),
        )

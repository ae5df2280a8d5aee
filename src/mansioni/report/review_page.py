"""The review a VA brings to her client: one HTML page, or Markdown for an email.

Both are pure functions of what the command gathered: each task's review
(:class:`~mansioni.services.review.TaskReview`, with every typical occurrence of the
phase), its story (:class:`~mansioni.services.history.History`) and its hours and
amount over the period the page covers (the ``TaskSummary`` of ``mansioni report``,
never summed a second time), plus the day the review is as of, the user's zone and
who prepared it. They read no store, no clock and no environment, except the
language the words and numbers are said in.

The page speaks to the client (``VERDICT.md``, "Who is spoken to"): formally, without
assuming a gender, of the assistant in the third person, with no statistics jargon.
It says who prepared it, for whom, as of when and the period it covers; how to read
it; then, for every task: the verdict and its sentences (the same words as
``mansioni review``), the hours and amount of the period, the numbers behind the
verdict, each comparison window with its own estimate, the scope history up to the
day of the review, and a chart of each occurrence against the estimate it was
compared with. Every text a user typed is escaped, in HTML and in Markdown alike. The
page fetches nothing (``mansioni.report.html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import local_date
from mansioni.domain.phases import Event
from mansioni.i18n import _, language, ngettext
from mansioni.report import html, labels, markdown, svg, verdict_text
from mansioni.report.labels import DECISION_LABEL, decision_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import TaskSummary
    from mansioni.services.history import History, PhaseStory
    from mansioni.services.review import TaskReview

FLAG = "⚑"


@dataclass(frozen=True)
class TaskPage:
    """One task of the page: its review, its story, and its figures over the period
    the page covers (``None``: no time in it)."""

    review: TaskReview
    history: History
    summary: TaskSummary | None = None


# -- what both renderers say -------------------------------------------------------


def period_first(reviews: Sequence[TaskReview]) -> date | None:
    """The first day of the period a page covers: the earliest start of its tasks'
    current phases (it ends on the day the review is as of)."""
    return min((tr.phase_start for tr in reviews), default=None)


def _clients(pages: Sequence[TaskPage]) -> list[str]:
    return list(dict.fromkeys(p.review.task.client for p in pages))


def head_lines(
    pages: Sequence[TaskPage], as_of: date, prepared_by: str | None, contact: str | None
) -> list[str]:
    """Who prepared the page, for whom, as of when, and the period it covers."""
    lines = []
    names = _clients(pages)
    if names:
        lines.append(_("Prepared for {names}").format(names=", ".join(names)))
    if prepared_by and contact:
        lines.append(_("Prepared by {name} ({contact})").format(name=prepared_by, contact=contact))
    elif prepared_by:
        lines.append(_("Prepared by {name}").format(name=prepared_by))
    elif contact:
        lines.append(_("Contact: {contact}").format(contact=contact))
    lines.append(_("As of {date}").format(date=verdict_text.day(as_of)))
    first = period_first([p.review for p in pages])
    if first is not None:
        lines.append(_("Period: {span}").format(span=verdict_text.span(first, as_of)))
    return lines


def title(pages: Sequence[TaskPage], as_of: date) -> str:
    parts = [_("Trial-period review"), *_clients(pages)[:3], verdict_text.day(as_of)]
    return " — ".join(parts)


def how_to_read() -> list[str]:
    """What the page shows, in plain words, to the client."""
    return [
        _(
            "For each duty the assistant does for you, the time it takes is compared with your own estimate: how long it would take you to do it yourself."
        ),
        _(
            "The verdict says whether delegating the duty pays. It needs at least 5 timings, and it is final once the trial period is over."
        ),
        _(
            "The comparison window is made of the latest timings (up to 8) since the duty or its estimate last changed; the usual time is the middle one of them: half took less, half took more."
        ),
        _(
            "When the scope or the estimate changed, each window is compared with its own estimate: what was judged before stays as it was judged."
        ),
        _(
            "In each chart a bar is one timing, in time order; the dashed red line is the estimate each timing is compared with; the framed part is the comparison window, and the dotted orange line its usual time."
        ),
        _("The hours and amounts are those of the period shown above."),
    ]


def verdict_cell(tr: TaskReview) -> str:
    verdict = verdict_text.label(tr.result.verdict)
    if tr.decision is None:
        return verdict
    return _("{verdict}; decision: {decision}").format(
        verdict=verdict, decision=DECISION_LABEL[tr.decision.decision or "keep"]()
    )


def period_time(summary: TaskSummary | None) -> str:
    return "-" if summary is None else short(summary.seconds)


def period_amount(summary: TaskSummary | None) -> str:
    from mansioni.report.period import amount_text

    if summary is None:
        return "-"
    return amount_text(summary.amount_cents, summary.currency, summary.unpriced_seconds)


def short(seconds: float | None) -> str:
    """A duration for a table cell: "25 min" up to an hour and a half, "4 h 14 min" beyond."""
    if seconds is None:
        return "-"
    if int(verdict_text.minutes(seconds)) <= verdict_text.MINUTES_UP_TO:
        return _("{m} min").format(m=verdict_text.minutes(seconds))
    return verdict_text.duration(seconds)


def summary_row(page: TaskPage) -> list[object]:
    tr = page.review
    r = tr.result
    return [
        f"{FLAG} {tr.task.full}" if tr.flagged else tr.task.full,
        verdict_cell(tr),
        short(r.level),
        short(r.estimate),
        verdict_text.balance(r.variance_seconds) if r.variance_seconds is not None else "-",
        str(r.n) + (f" (+{r.left_out})" if r.left_out else ""),
        period_time(page.summary),
        period_amount(page.summary),
    ]


def summary_headers() -> list[str]:
    return [
        _("Task"),
        _("Verdict"),
        _("Usual time"),
        _("Your estimate"),
        _("Against your estimate"),
        _("Timings"),
        _("Time in the period"),
        _("Amount"),
    ]


SUMMARY_NUMERIC = frozenset({2, 3, 4, 5, 6, 7})


def heading(tr: TaskReview) -> str:
    return _("phase {n}, from {date}").format(
        n=tr.phase.number, date=verdict_text.day(tr.phase_start)
    )


def period_line(summary: TaskSummary | None) -> str:
    """The task's hours and amount over the page's period, in a sentence."""
    if summary is None:
        return _("No time recorded in the period.")
    if summary.amount_cents is None:
        return _("In the period: {time} of work.").format(time=period_time(summary))
    return _("In the period: {time} of work, {amount}.").format(
        time=period_time(summary), amount=period_amount(summary)
    )


def facts(tr: TaskReview, zone: ZoneInfo) -> list[str]:
    """The numbers behind the verdict, one line each (the comparison windows apart)."""
    r = tr.result
    windows = set(verdict_text.segment_lines(tr))
    lines = [
        line for line in verdict_text.evidence_lines(tr, for_client=True) if line not in windows
    ]
    if r.trial_ended:
        lines.append(_("The trial ended on {date}.").format(date=verdict_text.day(r.trial_end)))
    else:
        lines.append(_("The trial ends on {date}.").format(date=verdict_text.day(r.trial_end)))
    if tr.decision is not None:
        lines.append(decision_line(local_date(tr.decision.at, zone), tr.decision.decision))
    return lines


def estimate_words(seconds: int, basis: str | None) -> str:
    """An estimate for the client: "45 minutes each time", "2 h each week"."""
    return f"{verdict_text.duration(seconds)} {verdict_text.per(basis)}"


def event_text(event: Event, currency: str) -> str:
    """An event of the story in words, for the client (its day is shown apart)."""
    return labels.event_text(event, currency, estimate_words=estimate_words)


def counted(story: PhaseStory, basis: str) -> str:
    n = story.occurrences
    text = verdict_text.by_basis(
        basis,
        ngettext("done {n} time", "done {n} times", n),
        ngettext("{n} week", "{n} weeks", n),
        ngettext("{n} month", "{n} months", n),
    ).format(n=n)
    if story.atypical:
        text += " " + ngettext("({n} unusual)", "({n} unusual)", story.atypical).format(
            n=story.atypical
        )
    return text


def phase_line(story: PhaseStory, as_of: date, zone: ZoneInfo, basis: str) -> str:
    phase = story.phase
    end = local_date(phase.end, zone) if phase.end is not None else as_of
    # every estimate its windows were compared with, in order ("45 minutes → 55 minutes")
    estimate = verdict_text.phase_estimates(phase)
    if estimate is None:
        line = _("Phase {n}, {span}: no estimate; {occurrences}; {time} in all.")
    else:
        estimate += " " + verdict_text.per(phase.estimate_basis or basis)
        line = _("Phase {n}, {span}: estimate {estimate}; {occurrences}; {time} in all.")
    return line.format(
        n=phase.number,
        span=verdict_text.span(local_date(phase.start, zone), end),
        estimate=estimate,
        occurrences=counted(story, phase.estimate_basis or basis),
        time=verdict_text.duration(story.seconds),
    )


def x_axis(basis: str) -> str:
    return verdict_text.by_basis(
        basis,
        _("each time, in time order"),
        _("weeks, in time order"),
        _("months, in time order"),
    )


def estimate_key(estimates: Sequence[int | None]) -> str | None:
    """ "your estimate: 45 min", or "your estimate: 120 → 135 min" when it changed."""
    shown = [e for e in dict.fromkeys(estimates) if e]
    if not shown:
        return None
    return _("your estimate: {E} min").format(E=" → ".join(verdict_text.minutes(e) for e in shown))


def boundaries(tr: TaskReview) -> list[int]:
    """Where each comparison window after the first begins, as an index in ``typical``."""
    found = []
    for seg in tr.phase.segments[1:]:
        at = sum(1 for o in tr.typical if o.start < seg.start)
        if 0 < at < len(tr.typical):
            found.append(at)
    return found


def chart_labels(tr: TaskReview, estimates: Sequence[int | None]) -> svg.Labels:
    r = tr.result
    values = tr.typical
    n = len(values)
    first, end = tr.window_range()
    low = min(o.seconds for o in values)
    high = max(o.seconds for o in values)
    description = [
        ngettext(
            "{n} timing from {first} to {last}, between {low} and {high} minutes.",
            "{n} timings from {first} to {last}, between {low} and {high} minutes.",
            n,
        ).format(
            n=n,
            first=verdict_text.day(values[0].day),
            last=verdict_text.day(values[-1].day),
            low=verdict_text.minutes(low),
            high=verdict_text.minutes(high),
        )
    ]
    key = estimate_key(estimates)
    if key:
        description.append(key[:1].upper() + key[1:] + ".")
    if first < end and r.level is not None:
        description.append(
            ngettext(
                "The comparison window holds {k} timing; its usual time is about {T} minutes.",
                "The comparison window holds {k} timings; their usual time is about {T} minutes.",
                end - first,
            ).format(k=end - first, T=verdict_text.minutes(r.level))
        )
    return svg.Labels(
        title=_("Each timing of {task}, in minutes").format(task=tr.task.full),
        description=" ".join(description),
        y_axis=_("minutes"),
        x_axis=x_axis(tr.basis),
        estimate=key,
        window=_("comparison window") if first < end else None,
        first_day=verdict_text.day(values[0].day),
        last_day=verdict_text.day(values[-1].day),
        bars=[
            _("{n}. {date}: {minutes} min").format(
                n=i, date=verdict_text.day(o.day), minutes=verdict_text.minutes(o.seconds)
            )
            for i, o in enumerate(values, start=1)
        ],
        level=_("usual time lately: {T} min").format(T=verdict_text.minutes(r.level))
        if r.level is not None
        else None,
    )


def chart(tr: TaskReview, ident: str) -> str | None:
    """The task's chart as inline SVG, or None when no occurrence was timed."""
    if not tr.typical:
        return None
    estimates = [tr.estimate_at(o.start) for o in tr.typical]
    return svg.occurrence_chart(
        [o.seconds for o in tr.typical],
        estimates=estimates,
        window=tr.window_range(),
        level=tr.result.level,
        ident=ident,
        labels=chart_labels(tr, estimates),
        boundaries=boundaries(tr),
    )


def no_timing() -> str:
    return _("Not timed in this phase yet.")


def chart_caption() -> str:
    return _(
        "Bars: each timing, in time order. Dashed red line: your estimate, for each comparison window. Framed: the comparison window the verdict judges; dotted orange line: its usual time."
    )


# -- HTML --------------------------------------------------------------------------


def _list(css: str, lines: Sequence[str]) -> str:
    return f'<ul class="{css}">' + "".join(f"<li>{html.esc(line)}</li>" for line in lines) + "</ul>"


def _section(number: int, item: TaskPage, as_of: date, zone: ZoneInfo) -> str:
    tr = item.review
    r = tr.result
    e = html.esc
    ident = f"task-{number}"
    flag = (
        '<span class="flag" title="' + e(_("worth renegotiating")) + f'">{FLAG}</span> '
        if tr.flagged
        else ""
    )
    verdict = e(_("Verdict: {verdict}").format(verdict=verdict_text.label(r.verdict)))
    parts = [
        f'<section class="task{" flagged" if tr.flagged else ""}" id="{ident}" '
        f'aria-labelledby="{ident}-name">',
        f'<h2 id="{ident}-name">{flag}{e(tr.task.full)}</h2>',
        f'<p class="meta">{e(heading(tr))} · <span class="verdict">{verdict}</span></p>',
        '<p class="sentences">' + " ".join(e(s) for s in verdict_text.explain(tr)) + "</p>",
        f'<p class="period">{e(period_line(item.summary))}</p>',
        "<h3>" + e(_("The numbers")) + "</h3>",
        _list("facts", facts(tr, zone)),
    ]
    windows = verdict_text.segment_lines(tr)
    if windows:
        parts += ["<h3>" + e(_("Comparison windows")) + "</h3>", _list("windows", windows)]
    parts += ["<h3>" + e(_("Scope history")) + "</h3>", '<ol class="phases">']
    for story in item.history.phases:
        parts.append(f"<li><p><strong>{e(phase_line(story, as_of, zone, tr.basis))}</strong></p>")
        if story.phase.events:
            parts.append('<ol class="events">')
            for event in story.phase.events:
                parts.append(
                    f'<li><span class="when">{e(verdict_text.day(local_date(event.at, zone)))}</span>'
                    f"{e(event_text(event, item.history.currency))}</li>"
                )
            parts.append("</ol>")
        parts.append("</li>")
    parts.append("</ol>")
    drawn = chart(tr, f"{ident}-chart")
    if drawn is None:
        parts.append('<p class="muted">' + e(no_timing()) + "</p>")
    else:
        parts.append(
            f'<figure class="chart">{drawn}<figcaption>{e(chart_caption())}</figcaption></figure>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def render_html(
    pages: Sequence[TaskPage],
    *,
    as_of: date,
    zone: ZoneInfo,
    prepared_by: str | None = None,
    contact: str | None = None,
) -> str:
    """The whole page: a header, how to read it, the summary table, then one section
    per task."""
    e = html.esc
    head = ['<header class="page-head">', "<h1>" + e(_("Trial-period review")) + "</h1>"]
    head += [
        f'<p class="meta">{e(line)}</p>' for line in head_lines(pages, as_of, prepared_by, contact)
    ]
    head.append("</header>")
    body = ["\n".join(head)]
    if not pages:
        body.append("<p>" + e(_("No active tasks to review.")) + "</p>")
    else:
        body.append('<section class="how">')
        body.append("<h2>" + e(_("How to read this page")) + "</h2>")
        body.append(_list("how", how_to_read()))
        body.append("</section>")
        body.append("<h2>" + e(_("Summary")) + "</h2>")
        body.append(
            html.table(summary_headers(), [summary_row(p) for p in pages], numeric=SUMMARY_NUMERIC)
        )
        if any(p.review.flagged for p in pages):
            legend = _("{flag} marks the tasks worth renegotiating.").format(flag=FLAG)
            body.append(f'<p class="muted">{e(legend)}</p>')
        body.extend(_section(i, p, as_of, zone) for i, p in enumerate(pages, start=1))
    return html.page(title=title(pages, as_of), lang=language(), body="\n".join(body))


# -- Markdown ----------------------------------------------------------------------


def _md_occurrences(tr: TaskReview) -> list[str]:
    """Each occurrence in minutes, a line per comparison window with its estimate."""
    first, end = tr.window_range()
    cuts = [0, *boundaries(tr), len(tr.typical)]
    lines = [
        markdown.escape(_("Each timing, in minutes (• in the comparison window):")),
        "",
    ]
    for a, b in zip(cuts, cuts[1:], strict=False):
        values = " ".join(
            ("•" if first <= i < end else "") + verdict_text.minutes(tr.typical[i].seconds)
            for i in range(a, b)
        )
        key = estimate_key([tr.estimate_at(tr.typical[a].start)])
        lines.append(f"- {values}" + (f" ({markdown.escape(key)})" if key else ""))
    return lines


def _md_section(item: TaskPage, as_of: date, zone: ZoneInfo) -> list[str]:
    tr = item.review
    r = tr.result
    flag = f"{FLAG} " if tr.flagged else ""
    lines = [
        f"## {flag}{markdown.escape(tr.task.full)}",
        "",
        "**"
        + markdown.escape(_("Verdict: {verdict}").format(verdict=verdict_text.label(r.verdict)))
        + "** · "
        + markdown.escape(heading(tr)),
        "",
        "> " + " ".join(markdown.escape(s) for s in verdict_text.explain(tr)),
        "",
        markdown.escape(period_line(item.summary)),
        "",
        "### " + markdown.escape(_("The numbers")),
        "",
        *(f"- {markdown.escape(line)}" for line in facts(tr, zone)),
        "",
    ]
    windows = verdict_text.segment_lines(tr)
    if windows:
        lines += [
            "### " + markdown.escape(_("Comparison windows")),
            "",
            *(f"- {markdown.escape(line)}" for line in windows),
            "",
        ]
    lines += ["### " + markdown.escape(_("Scope history")), ""]
    for story in item.history.phases:
        lines.append(f"- **{markdown.escape(phase_line(story, as_of, zone, tr.basis))}**")
        for event in story.phase.events:
            when = verdict_text.day(local_date(event.at, zone))
            lines.append(
                f"  - {markdown.escape(when)}: {markdown.escape(event_text(event, item.history.currency))}"
            )
    lines.append("")
    if tr.typical:
        lines += _md_occurrences(tr)
    else:
        lines.append(markdown.escape(no_timing()))
    lines.append("")
    return lines


def render_markdown(
    pages: Sequence[TaskPage],
    *,
    as_of: date,
    zone: ZoneInfo,
    prepared_by: str | None = None,
    contact: str | None = None,
) -> str:
    """The same review as Markdown, to paste in an email: the same content as the page."""
    lines = ["# " + markdown.escape(_("Trial-period review")), ""]
    lines += [
        markdown.escape(line) + "  " for line in head_lines(pages, as_of, prepared_by, contact)
    ]
    lines.append("")
    if not pages:
        lines += [markdown.escape(_("No active tasks to review.")), ""]
        return "\n".join(lines)
    lines += [
        "## " + markdown.escape(_("How to read this page")),
        "",
        *(f"- {markdown.escape(line)}" for line in how_to_read()),
        "",
        *markdown.table(
            summary_headers(), [summary_row(p) for p in pages], numeric=SUMMARY_NUMERIC
        ),
        "",
    ]
    if any(p.review.flagged for p in pages):
        lines += [
            markdown.escape(_("{flag} marks the tasks worth renegotiating.").format(flag=FLAG)),
            "",
        ]
    for page in pages:
        lines.extend(_md_section(page, as_of, zone))
    return "\n".join(lines)

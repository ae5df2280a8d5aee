"""The review a VA brings to her client: one HTML page, or Markdown for an email.

Both are pure functions of what the command gathered: each task's review
(:class:`~mansioni.services.review.TaskReview`, with every typical occurrence of the
phase) and its story (:class:`~mansioni.services.history.History`), plus the day the
review is as of and the user's zone. They read no store, no clock and no
environment, except the language the words and numbers are said in.

The page says, for every task: the verdict and its two sentences (the same words as
``mansioni review``), the numbers behind it, the scope history (phases, estimates,
changes, decisions) up to the day of the review, and a chart of each occurrence
against the client's estimate. Every text a user typed is escaped, in HTML and in
Markdown alike. The page fetches nothing (``mansioni.report.html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import local_date
from mansioni.domain.display import format_duration
from mansioni.domain.phases import Event
from mansioni.domain.verdict import WIN
from mansioni.i18n import _, language, ngettext
from mansioni.report import html, labels, markdown, svg, verdict_text
from mansioni.report.labels import BASIS_LABEL, decision_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.history import History, PhaseStory
    from mansioni.services.review import TaskReview

FLAG = "⚑"


@dataclass(frozen=True)
class TaskPage:
    """One task of the page: its review and its story."""

    review: TaskReview
    history: History


# -- what both renderers say -------------------------------------------------------


def first_in_window(tr: TaskReview) -> int:
    """The index in ``tr.typical`` of the first occurrence in the comparison window."""
    return max(tr.window_from, len(tr.typical) - WIN)


def clients_line(pages: Sequence[TaskPage]) -> str | None:
    names = list(dict.fromkeys(p.review.task.client for p in pages))
    if not names:
        return None
    if len(names) == 1:
        return _("Client: {name}").format(name=names[0])
    return _("Clients: {names}").format(names=", ".join(names))


def title(pages: Sequence[TaskPage], as_of: date) -> str:
    names = list(dict.fromkeys(p.review.task.client for p in pages))
    parts = [_("Trial-period review"), *names[:3], verdict_text.day(as_of)]
    return " — ".join(parts)


def level_cell(tr: TaskReview) -> str:
    r = tr.result
    if r.level is None:
        return "-"
    if r.low is None:
        return verdict_text.minutes(r.level)
    return f"{verdict_text.minutes(r.level)} ({verdict_text.minutes(r.low)}-{verdict_text.minutes(r.high)})"


def summary_row(tr: TaskReview) -> list[object]:
    r = tr.result
    verdict = verdict_text.label(r.verdict)
    if tr.decision is not None:
        verdict += " ✓"
    return [
        f"{FLAG} {tr.task.full}" if r.flagged else tr.task.full,
        verdict,
        level_cell(tr),
        verdict_text.minutes(r.estimate),
        verdict_text.number(r.time_index, 2) if r.time_index is not None else "-",
        str(r.n) + (f" (+{r.left_out})" if r.left_out else ""),
    ]


def summary_headers() -> list[str]:
    return [_("Task"), _("Verdict"), _("Level (min)"), _("Estimate"), _("Index"), _("Occ.")]


SUMMARY_NUMERIC = frozenset({2, 3, 4, 5})


def heading(tr: TaskReview) -> str:
    return _("phase {n}, from {date}").format(
        n=tr.phase.number, date=verdict_text.day(tr.phase_start)
    )


def facts(tr: TaskReview, zone: ZoneInfo) -> list[str]:
    """The numbers behind the verdict, one line each."""
    r = tr.result
    lines = verdict_text.evidence_lines(tr)
    if r.trial_ended:
        lines.append(_("The trial ended on {date}.").format(date=verdict_text.day(r.trial_end)))
    else:
        lines.append(_("The trial ends on {date}.").format(date=verdict_text.day(r.trial_end)))
    if tr.decision is not None:
        lines.append(decision_line(local_date(tr.decision.at, zone), tr.decision.decision))
    return lines


def estimate_words(seconds: int, basis: str | None) -> str:
    label = BASIS_LABEL.get(basis or "occurrence", BASIS_LABEL["occurrence"])()
    return _("{m} min").format(m=verdict_text.minutes(seconds)) + " " + label


def event_text(event: Event, currency: str) -> str:
    """An event of the story in words, minutes for the client (its day is shown apart)."""
    return labels.event_text(event, currency, estimate_words=estimate_words)


def phase_line(story: PhaseStory, as_of: date, zone: ZoneInfo) -> str:
    phase = story.phase
    end = (
        verdict_text.day(local_date(phase.end, zone))
        if phase.end is not None
        else verdict_text.day(as_of)
    )
    estimate = (
        estimate_words(phase.estimate_seconds, phase.estimate_basis)
        if phase.estimate_seconds is not None
        else _("no estimate")
    )
    count = story.occurrences
    counted = ngettext("{n} occurrence", "{n} occurrences", count).format(n=count)
    atypical = story.atypical
    if atypical:
        counted += " " + ngettext("({n} atypical)", "({n} atypical)", atypical).format(n=atypical)
    return _(
        "Phase {n}: {start} to {end}; estimate {estimate}; {occurrences}; {time} in all."
    ).format(
        n=phase.number,
        start=verdict_text.day(local_date(phase.start, zone)),
        end=end,
        estimate=estimate,
        occurrences=counted,
        time=format_duration(story.seconds),
    )


def chart_labels(tr: TaskReview) -> svg.Labels:
    r = tr.result
    values = tr.typical
    n = len(values)
    start = first_in_window(tr)
    low = min(o.seconds for o in values)
    high = max(o.seconds for o in values)
    description = [
        ngettext(
            "{n} occurrence from {first} to {last}, between {low} and {high} minutes.",
            "{n} occurrences from {first} to {last}, between {low} and {high} minutes.",
            n,
        ).format(
            n=n,
            first=verdict_text.day(values[0].day),
            last=verdict_text.day(values[-1].day),
            low=verdict_text.minutes(low),
            high=verdict_text.minutes(high),
        )
    ]
    if r.estimate:
        description.append(_("your estimate: {E} min").format(E=verdict_text.minutes(r.estimate)))
    if start < n and r.level is not None:
        description.append(
            ngettext(
                "The comparison window is the last {k} occurrence; its level is about {T} minutes.",
                "The comparison window is the last {k} occurrences; their level is about {T} minutes.",
                n - start,
            ).format(k=n - start, T=verdict_text.minutes(r.level))
        )
    return svg.Labels(
        title=_("Each occurrence of {task}, in minutes").format(task=tr.task.full),
        description=" ".join(description),
        y_axis=_("minutes"),
        x_axis=_("occurrences, in time order"),
        estimate=_("your estimate: {E} min").format(E=verdict_text.minutes(r.estimate))
        if r.estimate
        else None,
        window=_("comparison window") if start < n else None,
        first_day=verdict_text.day(values[0].day),
        last_day=verdict_text.day(values[-1].day),
        bars=[
            _("{n}. {date}: {minutes} min").format(
                n=i, date=verdict_text.day(o.day), minutes=verdict_text.minutes(o.seconds)
            )
            for i, o in enumerate(values, start=1)
        ],
    )


def chart(tr: TaskReview, ident: str) -> str | None:
    """The task's chart as inline SVG, or None when no occurrence was timed."""
    if not tr.typical:
        return None
    return svg.occurrence_chart(
        [o.seconds for o in tr.typical],
        estimate=tr.result.estimate,
        window_from=first_in_window(tr),
        level=tr.result.level,
        ident=ident,
        labels=chart_labels(tr),
    )


# -- HTML --------------------------------------------------------------------------


def _section(number: int, item: TaskPage, as_of: date, zone: ZoneInfo) -> str:
    tr = item.review
    r = tr.result
    e = html.esc
    ident = f"task-{number}"
    flag = (
        '<span class="flag" title="' + e(_("worth renegotiating")) + f'">{FLAG}</span> '
        if r.flagged
        else ""
    )
    verdict = e(_("Verdict: {verdict}").format(verdict=verdict_text.label(r.verdict)))
    parts = [
        f'<section class="task{" flagged" if r.flagged else ""}" id="{ident}" '
        f'aria-labelledby="{ident}-name">',
        f'<h2 id="{ident}-name">{flag}{e(tr.task.full)}</h2>',
        f'<p class="meta">{e(heading(tr))} · <span class="verdict">{verdict}</span></p>',
        '<p class="sentences">' + " ".join(e(s) for s in verdict_text.explain(tr)) + "</p>",
        "<h3>" + e(_("The numbers")) + "</h3>",
        '<ul class="facts">' + "".join(f"<li>{e(line)}</li>" for line in facts(tr, zone)) + "</ul>",
        "<h3>" + e(_("Scope history")) + "</h3>",
        '<ol class="phases">',
    ]
    for story in item.history.phases:
        parts.append(f"<li><p><strong>{e(phase_line(story, as_of, zone))}</strong></p>")
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
        parts.append('<p class="muted">' + e(_("No occurrence timed in this phase yet.")) + "</p>")
    else:
        caption = _(
            "Bars: each occurrence, in time order. Dashed line: your estimate. Framed: the comparison window, with its level dotted."
        )
        parts.append(f'<figure class="chart">{drawn}<figcaption>{e(caption)}</figcaption></figure>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(pages: Sequence[TaskPage], *, as_of: date, zone: ZoneInfo) -> str:
    """The whole page: a header, the summary table, then one section per task."""
    e = html.esc
    head = ['<header class="page-head">', "<h1>" + e(_("Trial-period review")) + "</h1>"]
    who = clients_line(pages)
    if who:
        head.append(f'<p class="meta">{e(who)}</p>')
    as_of_line = _("As of {date}").format(date=verdict_text.day(as_of))
    head.append(f'<p class="meta">{e(as_of_line)}</p>')
    head.append("</header>")
    body = ["\n".join(head)]
    if not pages:
        body.append("<p>" + e(_("No active tasks to review.")) + "</p>")
    else:
        body.append("<h2>" + e(_("Summary")) + "</h2>")
        body.append(
            html.table(
                summary_headers(),
                [summary_row(p.review) for p in pages],
                numeric=SUMMARY_NUMERIC,
            )
        )
        if any(p.review.result.flagged for p in pages):
            legend = _("{flag} marks the tasks worth renegotiating.").format(flag=FLAG)
            body.append(f'<p class="muted">{e(legend)}</p>')
        body.extend(_section(i, p, as_of, zone) for i, p in enumerate(pages, start=1))
    return html.page(title=title(pages, as_of), lang=language(), body="\n".join(body))


# -- Markdown ----------------------------------------------------------------------


def _md_section(item: TaskPage, as_of: date, zone: ZoneInfo) -> list[str]:
    tr = item.review
    r = tr.result
    flag = f"{FLAG} " if r.flagged else ""
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
        "### " + markdown.escape(_("The numbers")),
        "",
        *(f"- {markdown.escape(line)}" for line in facts(tr, zone)),
        "",
        "### " + markdown.escape(_("Scope history")),
        "",
    ]
    for story in item.history.phases:
        lines.append(f"- **{markdown.escape(phase_line(story, as_of, zone))}**")
        for event in story.phase.events:
            when = verdict_text.day(local_date(event.at, zone))
            lines.append(
                f"  - {markdown.escape(when)}: {markdown.escape(event_text(event, item.history.currency))}"
            )
    lines.append("")
    if tr.typical:
        start = first_in_window(tr)
        values = " ".join(
            ("•" if i >= start else "") + verdict_text.minutes(o.seconds)
            for i, o in enumerate(tr.typical)
        )
        lines += [
            markdown.escape(_("Each occurrence, in minutes (• in the comparison window):")),
            "",
            values,
        ]
        if r.estimate:
            lines += [
                "",
                markdown.escape(
                    _("your estimate: {E} min").format(E=verdict_text.minutes(r.estimate))
                ),
            ]
    else:
        lines.append(markdown.escape(_("No occurrence timed in this phase yet.")))
    lines.append("")
    return lines


def render_markdown(pages: Sequence[TaskPage], *, as_of: date, zone: ZoneInfo) -> str:
    """The same review as Markdown, to paste in an email."""
    lines = ["# " + markdown.escape(_("Trial-period review")), ""]
    who = clients_line(pages)
    if who:
        lines.append(markdown.escape(who) + "  ")
    lines += [markdown.escape(_("As of {date}").format(date=verdict_text.day(as_of))), ""]
    if not pages:
        lines += [markdown.escape(_("No active tasks to review.")), ""]
        return "\n".join(lines)
    lines += [
        *markdown.table(
            summary_headers(), [summary_row(p.review) for p in pages], numeric=SUMMARY_NUMERIC
        ),
        "",
    ]
    if any(p.review.result.flagged for p in pages):
        lines += [
            markdown.escape(_("{flag} marks the tasks worth renegotiating.").format(flag=FLAG)),
            "",
        ]
    for page in pages:
        lines.extend(_md_section(page, as_of, zone))
    return "\n".join(lines)

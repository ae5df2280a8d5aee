"""A verdict said in two plain sentences, with its numbers, in the user's language.

The sentences follow ``VERDICT.md``: they address the client, formally and without
assuming a gender, and speak of the assistant in the third person; the client reads
no statistics jargon (the p-value is for the assistant's in-depth view only). Every
number in them comes from the review (``TaskReview``), formatted for the language:
durations in minutes up to an hour and a half and in hours and minutes beyond, money
in the client's currency, days as the language writes them in prose, and a duty
estimated per week or month speaks of weeks or months.
"""

from __future__ import annotations

from mansioni.domain.verdict import Verdict
from mansioni.i18n import _, babel_locale, ngettext
from mansioni.i18n.dates import day, since, span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mansioni.domain.phases import Event, Phase
    from mansioni.services.review import SegmentFigures, TaskReview


LABEL = {
    Verdict.NOT_ENOUGH_DATA: lambda: _("not enough data"),
    Verdict.KEEP_FASTER: lambda: _("keep delegating (faster)"),
    Verdict.LEARNING: lambda: _("still learning"),
    Verdict.ON_TRIAL: lambda: _("on trial"),
    Verdict.LEARNING_EXTENDED: lambda: _("still learning (extended)"),
    Verdict.KEEP_AS_FAST: lambda: _("keep delegating (as fast)"),
    Verdict.KEEP_WORTH_IT: lambda: _("keep delegating (worth it)"),
    Verdict.RENEGOTIATE: lambda: _("renegotiate"),
    Verdict.HAND_BACK: lambda: _("take it back"),
}

#: Durations up to this many minutes are said in minutes; longer ones in hours and minutes.
MINUTES_UP_TO = 90


def label(verdict: Verdict) -> str:
    return LABEL[verdict]()


def minutes(seconds: float | None) -> str:
    """Whole minutes, halves rounded up (30.5 -> 31), as people round."""
    return "-" if seconds is None else str(_whole_minutes(seconds))


def _whole_minutes(seconds: float) -> int:
    import math

    return math.floor(seconds / 60 + 0.5)


def duration(seconds: float | None) -> str:
    """A duration in words: "45 minutes" up to an hour and a half, "6 h 24 min" beyond."""
    if seconds is None:
        return "-"
    total = _whole_minutes(seconds)
    if total <= MINUTES_UP_TO:
        return ngettext("{n} minute", "{n} minutes", total).format(n=total)
    hours, rest = divmod(total, 60)
    if rest == 0:
        return _("{h} h").format(h=hours)
    return _("{h} h {m} min").format(h=hours, m=rest)


def duration_range(low: float, high: float) -> str:
    """The interval of a level: "40 to 50 minutes", or each end in words beyond 90 minutes."""
    lo, hi = _whole_minutes(low), _whole_minutes(high)
    if hi <= MINUTES_UP_TO:
        return _("{low} to {high} minutes").format(low=lo, high=hi)
    return _("{low} to {high}").format(low=duration(low), high=duration(high))


def by_basis(basis: str | None, occurrence: str, week: str, month: str) -> str:
    """The words of a duty done per occurrence, estimated per week, or per month: the
    one place that says which unit a basis speaks of (VERDICT.md: a duty estimated per
    week or month speaks of weeks or months, never of "each time")."""
    return {"week": week, "month": month}.get(basis or "occurrence", occurrence)


def per(basis: str | None) -> str:
    """How often a cost or a saving comes: each time, each week, each month."""
    return by_basis(basis, _("each time"), _("each week"), _("each month"))


def money(cents: float | None, currency: str) -> str:
    """An amount in the language's way (``€23.63``, ``23,63 €``), rounded by the one
    rule for money (``domain.billing.cents``: half up to the cent) before it is
    formatted, so the review and the report never round the same amount apart."""
    if cents is None:
        return "-"
    from decimal import Decimal

    from babel.numbers import format_currency

    from mansioni.domain.billing import cents as rounded

    return format_currency(Decimal(rounded(cents)).scaleb(-2), currency, locale=babel_locale())


def number(value: float, digits: int) -> str:
    """``0.39`` in English, ``0,39`` in Italian."""
    from babel.numbers import format_decimal

    return format_decimal(round(value, digits), format="0." + "0" * digits, locale=babel_locale())


def percent(fraction: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(fraction * 100, 1), locale=babel_locale())


def _opening(event: Event | None) -> str:
    """What opened a comparison window, in a word or two, said in parentheses."""
    if event is None:
        return _("new phase")
    if event.kind == "decision":
        if event.decision == "renegotiated":
            return _("renegotiation")
        return _("decision")
    if event.kind == "change":
        return _("major change") if event.major else _("minor change")
    return _("new estimate")


def _history_sentences(tr: TaskReview) -> list[str] | None:
    """NOT_ENOUGH_DATA for a duty that has a history (an earlier window or phase): how
    many timings the new window has of the five it needs, and what came before."""
    r = tr.result
    earlier = tr.segments[tr.judged - 1] if 0 < tr.judged <= len(tr.segments) - 1 else None
    opened = tr.reopened_by if tr.judged > 0 else tr.phase.opened_by
    if earlier is None and tr.phase.number == 1:
        return None
    n = r.segment_count
    first = by_basis(
        tr.basis,
        _(
            "Since {date} ({what}) it has been timed {n} of the 5 times needed, against your estimate of {E}."
        ),
        _(
            "Since {date} ({what}) it has been timed in {n} of the 5 weeks needed, against your estimate of {E} a week."
        ),
        _(
            "Since {date} ({what}) it has been timed in {n} of the 5 months needed, against your estimate of {E} a month."
        ),
    ).format(date=day(tr.window_start), what=_opening(opened), n=n, E=duration(r.estimate))
    if earlier is not None and earlier.level is not None and earlier.estimate is not None:
        second = _("Until then, against your {E}, it took about {T}.").format(
            E=duration(earlier.estimate), T=duration(earlier.level)
        )
    elif tr.previous_level is not None:
        second = _("In the previous phase it took about {T}.").format(T=duration(tr.previous_level))
    else:
        second = _("No verdict yet.")
    return [first, second]


def explain(tr: TaskReview) -> list[str]:
    """The two sentences (and a third where VERDICT.md asks for one), addressed to the
    client, formally and without assuming a gender; no statistics jargon."""
    r = tr.result
    v = r.verdict
    cur = tr.currency
    econ = r.economics
    E, T = duration(r.estimate), duration(r.level)
    between = duration_range(r.low, r.high) if r.low is not None and r.high is not None else ""
    price = money(econ.freed_hour_price_cents if econ else None, cur)
    worth = money(tr.hour_value_cents, cur)
    each = per(tr.basis)
    if v is Verdict.NOT_ENOUGH_DATA:
        if r.estimate is None:
            sentences = [
                _("There is no estimate of your own time for this phase yet."),
                _("The comparison begins once you give one."),
            ]
        else:
            sentences = _history_sentences(tr) or [
                _too_few(tr.basis, r.segment_count).format(
                    n=r.segment_count, date=day(tr.window_start)
                ),
                _("No verdict yet."),
            ]
    elif v in (Verdict.LEARNING, Verdict.LEARNING_EXTENDED):
        trend = r.trend
        assert trend is not None  # LEARNING is improving
        first = by_basis(
            tr.basis,
            _("Still getting faster: about {p}% quicker each time, over the last {k} times."),
            _("Still getting faster: about {p}% quicker each week, over the last {k} weeks."),
            _("Still getting faster: about {p}% quicker each month, over the last {k} months."),
        ).format(p=percent(trend.slope), k=trend.k)
        if v is Verdict.LEARNING:
            second = _(
                "The comparison with your estimate of {E} comes when the trial ends, on {date}."
            ).format(E=E, date=day(r.trial_end))
        else:
            second = _(
                "The trial ended on {date}; one extension runs until {until}, then comes the comparison with your estimate of {E}."
            ).format(date=day(r.trial_end), until=day(r.extension_end or r.trial_end), E=E)
        sentences = [first, second]
    elif v is Verdict.ON_TRIAL:
        if r.reason_code == "faster_so_far":
            second = _(
                "So far it takes about {T} against your {E}, already faster than your estimate."
            )
        elif r.reason_code == "even_so_far":
            second = _(
                "So far it takes about {T} against your {E}: as long as your estimate, and not getting faster."
            )
        else:
            second = _(
                "So far it takes about {T} against your {E}: {over} more, and it is not getting faster."
            )
        sentences = [
            _("On trial until {date}.").format(date=day(r.trial_end)),
            second.format(T=T, E=E, over=duration((r.level or 0) - (r.estimate or 0))),
        ]
    elif v is Verdict.KEEP_FASTER:
        sentences = [
            _(
                "It now takes about {T} ({between}) against the {E} you estimated for yourself."
            ).format(T=T, between=between, E=E),
            _("Delegating saves you about {saved} {each}.").format(
                saved=duration((r.estimate or 0) - (r.level or 0)), each=each
            ),
        ]
    elif v is Verdict.KEEP_AS_FAST:
        sentences = [
            _(
                "After the trial it takes about {T} ({between}) against your {E}: as fast as you."
            ).format(T=T, between=between, E=E),
            _("Delegating gives you back that time at no loss."),
        ]
    elif v is Verdict.KEEP_WORTH_IT:
        sentences = [
            _("It takes about {T} against your {E}, so it is slower than you.").format(T=T, E=E),
            _(
                "But each hour it frees for you costs {price}, less than the {worth} your hour is worth: delegating pays."
            ).format(price=price, worth=worth),
        ]
    elif v is Verdict.RENEGOTIATE:
        sentences = [
            _("After the trial it takes about {T} against your {E}.").format(T=T, E=E),
            _(
                "Each freed hour costs you {price}: if your hour is worth more, keep delegating; otherwise change the scope, cap the time, or take it back."
            ).format(price=price)
            if econ and econ.freed_hour_price_cents is not None
            else _(
                "Without a price for each freed hour, the choice is yours: keep delegating, change the scope, cap the time, or take it back."
            ),
        ]
    else:  # HAND_BACK
        if econ and econ.freed_hour_price_cents is not None:
            second = _(
                "Each freed hour costs you {price}, more than the {worth} your hour is worth. Unless there are other reasons, it is cheaper to take it back."
            ).format(price=price, worth=worth)
        else:
            second = _(
                "Your own oversight takes as long as doing it yourself. Unless there are other reasons, it is cheaper to take it back."
            )
        sentences = [_("It takes about {T} against your {E}.").format(T=T, E=E), second]
    if r.underpaid and v is not Verdict.NOT_ENOUGH_DATA:
        sentences.append(
            _(
                "It takes well under your estimate: at an hourly rate the work may be underpaid, and a fixed price {each} could suit both sides."
            ).format(each=each)
        )
    return sentences


def _too_few(basis: str, n: int) -> str:
    return by_basis(
        basis,
        ngettext(
            "This task has been timed {n} time since {date}; at least 5 are needed for a reliable answer.",
            "This task has been timed {n} times since {date}; at least 5 are needed for a reliable answer.",
            n,
        ),
        ngettext(
            "This task has been timed in {n} week since {date}; at least 5 weeks are needed for a reliable answer.",
            "This task has been timed in {n} weeks since {date}; at least 5 weeks are needed for a reliable answer.",
            n,
        ),
        ngettext(
            "This task has been timed in {n} month since {date}; at least 5 months are needed for a reliable answer.",
            "This task has been timed in {n} months since {date}; at least 5 months are needed for a reliable answer.",
            n,
        ),
    )


def reason(tr: TaskReview) -> str:
    """One short line for the list: the first sentence (both, on trial: the first only
    says until when)."""
    sentences = explain(tr)
    if tr.result.verdict is Verdict.ON_TRIAL:
        return " ".join(sentences[:2])
    return sentences[0]


def sign_line(tr: TaskReview, *, p_value: bool = False) -> str | None:
    """How many of the window took longer than the estimate; with ``p_value`` (the
    assistant's in-depth view, never the client's page) the exact p-value too."""
    sign = tr.result.sign
    if sign is None:
        return None
    line = ngettext(
        "{longer} of the last {of} took longer than your estimate.",
        "{longer} of the last {of} took longer than your estimate.",
        sign.of,
    ).format(longer=sign.longer, of=sign.of)
    if p_value:  # inside the sentence: "…than your estimate (one-sided sign test: p = 0.035)."
        test = _("(one-sided sign test: p = {p})").format(p=number(sign.p, 3))
        line = f"{line.rstrip('.')} {test}."
    return line


def economics_lines(tr: TaskReview) -> list[str]:
    econ = tr.result.economics
    if econ is None:
        return []
    cur = tr.currency
    each = per(tr.basis)
    if econ.delegate_cost_cents is None:
        delegating = _("Delegating: a rate or the value of your hour is missing.")
    elif tr.oversight:
        delegating = _(
            "Delegating costs {cost} {each}: the assistant's time, plus your own oversight."
        ).format(cost=money(econ.delegate_cost_cents, cur), each=each)
    else:
        delegating = _("Delegating costs {cost} {each}.").format(
            cost=money(econ.delegate_cost_cents, cur), each=each
        )
    lines = [
        _("Doing it yourself costs you {cost} {each}.").format(
            cost=money(econ.own_cost_cents, cur), each=each
        )
        if econ.own_cost_cents is not None
        else _("Doing it yourself: the value of your hour is not known."),
        delegating,
    ]
    if econ.freed_hour_price_cents is not None:
        lines.append(
            _("Each hour delegating frees for you costs {price}.").format(
                price=money(econ.freed_hour_price_cents, cur)
            )
        )
    if econ.break_even_seconds is not None:
        lines.append(
            _("Delegating pays as long as it takes less than {T}.").format(
                T=duration(econ.break_even_seconds)
            )
        )
    return lines


def balance(variance_seconds: float) -> str:
    """A variance in words, never as a bare minus sign: "3 minutes saved", "1 h 48 min over"."""
    if variance_seconds >= 0:
        return _("{time} saved").format(time=duration(variance_seconds))
    return _("{time} over").format(time=duration(-variance_seconds))


def time_index_line(tr: TaskReview) -> str | None:
    """The judged window against its estimate, in words, with the index explained."""
    r = tr.result
    if r.time_index is None or r.variance_seconds is None:
        return None
    return ngettext(
        "Since {date}, over {n} timing against your estimate: {balance} (time index {index}: above 1 is faster than you).",
        "Since {date}, over {n} timings against your estimate: {balance} (time index {index}: above 1 is faster than you).",
        r.segment_count,
    ).format(
        date=day(tr.window_start),
        balance=balance(r.variance_seconds),
        n=r.segment_count,
        index=number(r.time_index, 2),
    )


def window_line(figures: SegmentFigures, basis: str | None = None) -> str:
    """One comparison window of a phase in a sentence: its days (and what opened it),
    its estimate, and what it shows ("From 19 Oct to 23 Nov 2026, against your 45
    minutes: 14 timings, about 49 minutes each; 1 h 40 min over." / "Since 23 Nov 2026
    (renegotiation), against an estimate of 55 minutes: 3 of the 5 timings needed.");
    a duty estimated per week or month counts weeks or months."""
    end = figures.end_day
    when = span(figures.start_day, end) if end is not None else since(figures.start_day)
    when = when[:1].upper() + when[1:]
    opened = figures.segment.opened_by
    if opened is not None:
        when += f" ({_opening(opened)})"
    estimate = (
        _("against an estimate of {E}").format(E=duration(figures.estimate))
        if figures.estimate is not None
        else _("with no estimate")
    )
    n = figures.occurrences
    if n < 5 and end is None:
        shown = _needed(basis).format(n=n)
    elif figures.level is None:
        shown = _("no timing")
    else:
        shown = _timed(basis, n).format(n=n, T=duration(figures.level))
        if figures.variance_seconds is not None:
            shown += "; " + balance(figures.variance_seconds)
    return _("{when}, {estimate}: {shown}.").format(when=when, estimate=estimate, shown=shown)


def _needed(basis: str | None) -> str:
    return by_basis(
        basis,
        _("{n} of the 5 timings needed"),
        _("{n} of the 5 weeks needed"),
        _("{n} of the 5 months needed"),
    )


def _timed(basis: str | None, n: int) -> str:
    return by_basis(
        basis,
        ngettext("{n} timing, about {T}", "{n} timings, about {T} each", n),
        ngettext("{n} week, about {T}", "{n} weeks, about {T} each", n),
        ngettext("{n} month, about {T}", "{n} months, about {T} each", n),
    )


def segment_lines(tr: TaskReview) -> list[str]:
    """Every comparison window of the phase, when it has more than one."""
    return [window_line(f, tr.basis) for f in said_windows(tr.segments)]


def said_windows(windows: Sequence[SegmentFigures]) -> list[SegmentFigures]:
    """The windows worth a line: all of them when there is more than one, except a
    window a decision to keep or hand back opened that is still empty (it says nothing
    yet); none when the phase is one window."""
    if len(windows) < 2:
        return []
    return [f for f in windows if f.occurrences or not f.segment.settled]


def phase_estimates(phase: Phase) -> str | None:
    """The estimates a phase was compared with, in order: "45 minutes → 55 minutes";
    None when it had none."""
    values = [seg.estimate_seconds for seg in phase.segments]
    shown = [v for i, v in enumerate(values) if v is not None and (i == 0 or v != values[i - 1])]
    return " → ".join(duration(v) for v in shown) if shown else None


def evidence_lines(tr: TaskReview, *, for_client: bool = True) -> list[str]:
    """The numbers behind a verdict, one line each: the sign evidence, the judged window
    against its estimate, the atypical occurrences left out, the economics, the
    comparison windows and the previous phase. ``for_client``: the words of the
    client's page; otherwise the assistant's in-depth view, with the p-value."""
    r = tr.result
    lines = [line for line in (sign_line(tr, p_value=not for_client), time_index_line(tr)) if line]
    if r.left_out:
        lines.append(
            ngettext(
                "{n} atypical occurrence left out of the figures.",
                "{n} atypical occurrences left out of the figures.",
                r.left_out,
            ).format(n=r.left_out)
        )
    lines.extend(economics_lines(tr))
    lines.extend(segment_lines(tr))
    if tr.previous_level is not None:
        lines.append(
            _("Previous phase: about {T} against an estimate of {E}.").format(
                T=duration(tr.previous_level), E=duration(tr.previous_estimate)
            )
        )
    return lines

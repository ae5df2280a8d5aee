"""A verdict said in two plain sentences, with its numbers, in the user's language.

The sentences follow ``VERDICT.md``; every number in them comes from the review
(``TaskReview.result``), formatted for the language: minutes as whole minutes,
money with the client's currency, dates as the locale writes them.
"""

from __future__ import annotations

from datetime import date

from mansioni.domain.display import shell_word
from mansioni.domain.verdict import Verdict
from mansioni.i18n import _, babel_locale, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.review import TaskReview


LABEL = {
    Verdict.NOT_ENOUGH_DATA: lambda: _("not enough data"),
    Verdict.KEEP_FASTER: lambda: _("keep delegating (faster)"),
    Verdict.LEARNING: lambda: _("still learning"),
    Verdict.LEARNING_EXTENDED: lambda: _("still learning (extended)"),
    Verdict.KEEP_AS_FAST: lambda: _("keep delegating (as fast)"),
    Verdict.KEEP_WORTH_IT: lambda: _("keep delegating (worth it)"),
    Verdict.RENEGOTIATE: lambda: _("renegotiate"),
    Verdict.HAND_BACK: lambda: _("take it back"),
}


def label(verdict: Verdict) -> str:
    return LABEL[verdict]()


def minutes(seconds: float | None) -> str:
    """Whole minutes, halves rounded up (30.5 -> 31), as people round."""
    import math

    return "-" if seconds is None else str(math.floor(seconds / 60 + 0.5))


def money(cents: float | None, currency: str) -> str:
    if cents is None:
        return "-"
    from babel.numbers import format_currency

    return format_currency(cents / 100, currency, locale=babel_locale())


def day(value: date) -> str:
    from babel.dates import format_date

    return format_date(value, "medium", locale=babel_locale())


def number(value: float, digits: int) -> str:
    """``0.39`` in English, ``0,39`` in Italian."""
    from babel.numbers import format_decimal

    return format_decimal(round(value, digits), format="0." + "0" * digits, locale=babel_locale())


def percent(fraction: float) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(fraction * 100, 1), locale=babel_locale())


def explain(tr: TaskReview) -> list[str]:
    """The two sentences (and a third where VERDICT.md asks for one)."""
    r = tr.result
    v = r.verdict
    cur = tr.currency
    econ = r.economics
    E, T, L, U = minutes(r.estimate), minutes(r.level), minutes(r.low), minutes(r.high)
    price = money(econ.freed_hour_price_cents if econ else None, cur)
    worth = money(tr.hour_value_cents, cur)
    if v is Verdict.NOT_ENOUGH_DATA:
        if r.estimate is None:
            sentences = [
                _(
                    "This phase has no estimate from the client yet, so there is nothing to compare with."
                ),
                _("Ask for one, then record it: mansioni estimate {task} 45m.").format(
                    task=shell_word(tr.task.full)
                ),
            ]
        else:
            since = day(tr.window_start)
            count = len(tr.typical) - tr.window_from
            sentences = [
                ngettext(
                    "This task has been timed {n} time since {date}; at least 5 are needed for a reliable answer.",
                    "This task has been timed {n} times since {date}; at least 5 are needed for a reliable answer.",
                    count,
                ).format(n=count, date=since),
                _("No verdict yet."),
            ]
    elif v in (Verdict.LEARNING, Verdict.LEARNING_EXTENDED):
        trend = r.trend
        if trend is not None and trend.improving:
            first = _(
                "Still getting faster: about {p}% quicker each time over the last {k} times."
            ).format(p=percent(trend.slope), k=trend.k)
        else:
            first = (
                _(
                    "It now takes about {T} minutes (between {L} and {U}) against the {E} you estimated."
                ).format(T=T, L=L, U=U, E=E)
                if r.low is not None
                else _("It now takes about {T} minutes against the {E} you estimated.").format(
                    T=T, E=E
                )
            )
        if v is Verdict.LEARNING:
            second = _(
                "The comparison with your {E}-minute estimate comes when the trial ends on {date}."
            ).format(E=E, date=day(r.trial_end))
        else:
            second = _(
                "The trial ended on {date}; one extension runs until {until}, then the comparison with your {E}-minute estimate."
            ).format(date=day(r.trial_end), until=day(r.extension_end or r.trial_end), E=E)
        sentences = [first, second]
    elif v is Verdict.KEEP_FASTER:
        sentences = [
            _(
                "It now takes about {T} minutes (between {L} and {U}) against the {E} you estimated for yourself."
            ).format(T=T, L=L, U=U, E=E),
            _("Delegating saves you about {saved} minutes each time.").format(
                saved=minutes((r.estimate or 0) - (r.level or 0))
            ),
        ]
    elif v is Verdict.KEEP_AS_FAST:
        sentences = [
            _(
                "After the trial it takes about {T} minutes (between {L} and {U}) against your {E}: as fast as you."
            ).format(T=T, L=L, U=U, E=E),
            _("Delegating gives you back that time at no loss."),
        ]
    elif v is Verdict.KEEP_WORTH_IT:
        sentences = [
            _("It takes about {T} minutes against your {E}, so it is slower than you.").format(
                T=T, E=E
            ),
            _(
                "But each hour it frees for you costs {price}, less than the {worth} your hour is worth: delegating pays."
            ).format(price=price, worth=worth),
        ]
    elif v is Verdict.RENEGOTIATE:
        sentences = [
            _("After the trial it takes about {T} minutes against your {E}.").format(T=T, E=E),
            _(
                "Each freed hour costs you {price}: if your hour is worth more, keep delegating; otherwise change the scope, cap the time, or take it back."
            ).format(price=price)
            if econ and econ.freed_hour_price_cents is not None
            else _(
                "Your oversight or the missing rate leaves no price for a freed hour: change the scope, cap the time, or take it back."
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
        sentences = [_("It takes about {T} minutes against your {E}.").format(T=T, E=E), second]
    if r.underpaid and v is not Verdict.NOT_ENOUGH_DATA:
        sentences.append(
            _(
                "It takes well under your estimate: paid by the hour she may be underpaid, and a fixed price per occurrence could suit you both."
            )
        )
    return sentences


def reason(tr: TaskReview) -> str:
    """One short line for the list: the first sentence."""
    return explain(tr)[0]


def sign_line(tr: TaskReview) -> str | None:
    sign = tr.result.sign
    if sign is None:
        return None
    return ngettext(
        "{longer} of the last {of} took longer than your estimate (p = {p}).",
        "{longer} of the last {of} took longer than your estimate (p = {p}).",
        sign.of,
    ).format(longer=sign.longer, of=sign.of, p=number(sign.p, 3))


def economics_lines(tr: TaskReview) -> list[str]:
    econ = tr.result.economics
    if econ is None:
        return []
    cur = tr.currency
    lines = [
        _("Doing it yourself costs you {cost} each time.").format(
            cost=money(econ.own_cost_cents, cur)
        )
        if econ.own_cost_cents is not None
        else _("Doing it yourself: the value of your hour is not known."),
        _("Delegating costs {cost} each time (her time, plus your own oversight).").format(
            cost=money(econ.delegate_cost_cents, cur)
        )
        if econ.delegate_cost_cents is not None
        else _("Delegating: a rate or the value of your hour is missing."),
    ]
    if econ.freed_hour_price_cents is not None:
        lines.append(
            _("Each hour delegating frees for you costs {price}.").format(
                price=money(econ.freed_hour_price_cents, cur)
            )
        )
    if econ.break_even_seconds is not None:
        lines.append(
            _("Delegating pays as long as it takes under {T} minutes.").format(
                T=minutes(econ.break_even_seconds)
            )
        )
    return lines


def time_index_line(tr: TaskReview) -> str | None:
    r = tr.result
    if r.time_index is None or r.variance_seconds is None:
        return None
    if r.variance_seconds >= 0:
        balance = _("{m} minutes saved").format(m=minutes(r.variance_seconds))
    else:
        balance = _("{m} minutes over").format(m=minutes(-r.variance_seconds))
    return _("Time index over the phase: {index} ({balance}).").format(
        index=number(r.time_index, 2), balance=balance
    )


def evidence_lines(tr: TaskReview) -> list[str]:
    """The numbers behind a verdict, one line each: the sign evidence, the time index,
    the atypical occurrences left out, the economics and the previous phase."""
    r = tr.result
    lines = [line for line in (sign_line(tr), time_index_line(tr)) if line]
    if r.left_out:
        lines.append(
            _("{n} atypical occurrence(s) left out of the statistics.").format(n=r.left_out)
        )
    lines.extend(economics_lines(tr))
    if tr.previous_level is not None:
        lines.append(
            _("Previous phase: about {T} minutes against an estimate of {E}.").format(
                T=minutes(tr.previous_level), E=minutes(tr.previous_estimate)
            )
        )
    return lines

"""The words for a task's stored codes and its events, the same in every view.

Each label is a function, so the word is looked up in the language in use when it
is shown, not when this module is imported. ``event_text`` and ``decision_line``
say a task's events the way ``mansioni history`` does, for the terminal, the
report and the client's page alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from mansioni.domain.display import format_duration
from mansioni.domain.text import one_line
from mansioni.domain.verdict import Verdict
from mansioni.i18n import _
from mansioni.report import verdict_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import ChangeLine
    from mansioni.domain.phases import Event

BASIS_LABEL = {
    "occurrence": lambda: _("per occurrence"),
    "week": lambda: _("per week"),
    "month": lambda: _("per month"),
}
STATE_LABEL = {
    "trial": lambda: _("in trial"),
    "active": lambda: _("active"),
    "handed_back": lambda: _("handed back"),
    "archived": lambda: _("archived"),
}
DECISION_LABEL = {
    "keep": lambda: _("keep delegating"),
    "renegotiated": lambda: _("renegotiated"),
    "hand_back": lambda: _("taken back by the client"),
}


def basis_words(basis: str | None) -> str:
    return BASIS_LABEL.get(basis or "occurrence", BASIS_LABEL["occurrence"])()


def clock_estimate(seconds: int, basis: str | None) -> str:
    """An estimate as ``0:45 per occurrence``."""
    return f"{format_duration(seconds)} {basis_words(basis)}"


#: The verdicts each decision follows (a decision on another verdict says which it was).
AGREES = {
    "keep": {Verdict.KEEP_FASTER, Verdict.KEEP_AS_FAST, Verdict.KEEP_WORTH_IT},
    "renegotiated": {Verdict.RENEGOTIATE},
    "hand_back": {Verdict.HAND_BACK},
}
#: Each event's first words, as a line of its own (``Major change: ...``) or after a
#: task's name and a colon (``Newsletter: major change, “...”``): whole msgids, so the
#: words agree in every language.
_CHANGE = {
    (True, True): lambda: _("Major change: {text}"),
    (False, True): lambda: _("Minor change: {text}"),
    (True, False): lambda: _("major change, “{text}”"),
    (False, False): lambda: _("minor change, “{text}”"),
}
_DECISION = {
    True: lambda: _("Decision: {decision}"),
    False: lambda: _("decision “{decision}”"),
}


def event_text(
    event: Event | ChangeLine,
    currency: str,
    *,
    estimate_words: Callable[[int, str | None], str] = clock_estimate,
    note: Callable[[str], str] = one_line,
    after_name: bool = False,
) -> str:
    """An estimate, a change or a decision in words (its day is shown apart).

    ``estimate_words`` says an estimate (``0:45 per occurrence`` unless asked
    otherwise); ``note`` cleans the free text typed with the event (by default: on
    one line, any control character made visible, as ``domain.text.one_line``);
    ``after_name``: the text follows a task's name and a colon, so it starts in lower
    case and holds no colon of its own.
    """
    estimate = None
    if event.estimate_seconds is not None:
        estimate = estimate_words(event.estimate_seconds, event.estimate_basis)
    if event.kind == "estimate":
        if after_name:
            return _("client's estimate {estimate}").format(estimate=estimate)
        return _("Client's estimate: {estimate}").format(estimate=estimate)
    extras = []
    if estimate is not None:
        extras.append(_("new estimate {estimate}").format(estimate=estimate))
    if event.rate_cents is not None:
        extras.append(_("rate {rate}").format(rate=verdict_text.money(event.rate_cents, currency)))
    if event.kind == "change":
        text = _CHANGE[bool(event.major), not after_name]().format(text=note(event.text or ""))
    else:
        decision = event.decision or "keep"
        text = _DECISION[not after_name]().format(decision=DECISION_LABEL[decision]())
        if event.verdict:
            verdict = Verdict(event.verdict)
            extras.insert(
                0,
                _("as the verdict suggested")
                if verdict in AGREES.get(decision, ())
                else _("the verdict was “{verdict}”").format(verdict=verdict_text.label(verdict)),
            )
    if extras:
        text += f" ({', '.join(extras)})"
    if event.kind == "decision" and event.text:
        text += f" — {note(event.text)}"
    return text


def decision_line(day: date, decision: str | None) -> str:
    """The decision closing a review, and its day."""
    return _("Decision recorded on {date}: {decision}.").format(
        date=verdict_text.day(day), decision=DECISION_LABEL[decision or "keep"]()
    )

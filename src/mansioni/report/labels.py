"""The words for the stored codes of a task and its events, the same in every view.

Each value is a function, so the word is looked up in the language in use when it
is shown, not when this module is imported.
"""

from __future__ import annotations

from mansioni.i18n import _

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

"""Naming clients and tasks the way people type them.

A name is matched by any unambiguous part of it: the start of the whole name or of
any word in it, ignoring case and accents (``rossi`` for "Studio Rossi", ``caffe``
for "Caffè Ôrso"). A task is ``client/task``; a task name alone is accepted when it
is unambiguous across clients. Among several matches, a name typed in full wins
over the names it only starts ("prima nota" over "prima nota (vecchia)").
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from collections.abc import Sequence
from functools import lru_cache

from mansioni.domain.text import check_text
from mansioni.errors import AmbiguousError, InputError, NotFoundError
from mansioni.i18n import _

_WORD = re.compile(r"[\w']+")


@lru_cache(maxsize=4096)  # an import folds the same few names for every entry
def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def matches(query: str, name: str) -> bool:
    """True when ``query`` starts the name or any word of it (both folded)."""
    q = fold(query)
    if not q:
        return False
    n = fold(name)
    if n.startswith(q):
        return True
    return any(word.startswith(q) for word in _WORD.findall(n))


def check_name(name: str, *, what: str) -> str:
    """A clean name for storing: stripped, not empty, no slash (it separates client/task),
    no control character (``domain.text``: not even a tab or a line break)."""
    check_text(name, field=_("The {what} name").format(what=what), example='"Studio Rossi"')
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError(
            _("The {what} name cannot be empty.").format(what=what),
            hint=_('For example: "Studio Rossi"'),
        )
    if "/" in cleaned:
        raise InputError(
            _("A {what} name cannot contain '/': it separates client and task.").format(what=what),
            hint=_(
                'For example: "Studio Rossi" and "Newsletter", named as "Studio Rossi/Newsletter"'
            ),
        )
    if len(cleaned) > 200:
        raise InputError(
            _("The {what} name is too long (200 characters at most).").format(what=what)
        )
    return cleaned


ClientName = namedtuple("ClientName", "id name")


class TaskName(namedtuple("TaskName", "id client name")):
    """A task's id with its client's name and its own."""

    __slots__ = ()

    @property
    def full(self) -> str:
        return f"{self.client}/{self.name}"


def _narrow(found: list, *exact_tests) -> list:
    """Among several matches, prefer those whose names are typed in full."""
    for test in exact_tests:
        if len(found) <= 1:
            break
        exact = [item for item in found if test(item)]
        if exact:
            found = exact
    return found


def resolve_client(query: str, clients: Sequence[ClientName]) -> ClientName:
    found = _narrow(
        [c for c in clients if matches(query, c.name)], lambda c: fold(c.name) == fold(query)
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            _("No client matches {query!r}.").format(query=query),
            hint=_("See them with: mansioni client list"),
        )
    names = sorted(c.name for c in found)
    raise AmbiguousError(
        _("{query!r} matches several clients: {names}.").format(
            query=query, names=", ".join(names)
        ),
        names,
        hint=_("Type more of the name, e.g. {example!r}").format(example=names[0]),
    )


def resolve_task(query: str, tasks: Sequence[TaskName]) -> TaskName:
    """Find the one task meant by ``query`` (``client/task``, or a task alone)."""
    if "/" in query:
        client_q, task_q = (part.strip() for part in query.split("/", 1))
        if not client_q or not task_q:
            raise InputError(
                _("{query!r} is not a task name.").format(query=query),
                hint=_("Name a task as client/task, e.g. rossi/newsletter"),
            )
        found = [t for t in tasks if matches(client_q, t.client) and matches(task_q, t.name)]
    else:
        client_q, task_q = "", query.strip()
        found = [t for t in tasks if matches(task_q, t.name)]
    found = _narrow(
        found,
        lambda t: fold(t.name) == fold(task_q),
        lambda t: fold(t.client) == fold(client_q),
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(
            _("No task matches {query!r}.").format(query=query),
            hint=_(
                "See them with: mansioni task list (a task is named client/task, e.g. rossi/newsletter)"
            ),
        )
    names = sorted(t.full for t in found)
    raise AmbiguousError(
        _("{query!r} matches several tasks: {names}.").format(query=query, names=", ".join(names)),
        names,
        hint=_("Type more of the name, e.g. {example!r}").format(example=names[0]),
    )

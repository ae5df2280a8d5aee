"""Naming clients and tasks the way people type them.

A name is matched by any unambiguous part of it: the start of the whole name or of
any word in it, ignoring case and accents (``rossi`` for "Studio Rossi", ``caffe``
for "Caffè Ôrso"). A task is ``client/task``; a task name alone is accepted when it
is unambiguous across clients. Among several matches, a name typed in full wins
over the names it only starts ("prima nota" over "prima nota (vecchia)").

A name that matches nothing is answered with what was meant (``domain.suggest``): the
closest names, or the tasks of the client named where a task is wanted, each written
the shortest way that names it alone (``task_ref``: ``cantu/pec``).
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


def find_clients(query: str, clients: Sequence[ClientName]) -> list[ClientName]:
    """The clients ``query`` names (one, several, or none), as :func:`resolve_client`
    sees them; never raises."""
    return _narrow(
        [c for c in clients if matches(query, c.name)], lambda c: fold(c.name) == fold(query)
    )


def find_tasks(query: str, tasks: Sequence[TaskName]) -> list[TaskName]:
    """The tasks ``query`` names, as :func:`resolve_task` sees them; never raises (a
    ``client/`` with nothing after the slash names none)."""
    client_q, task_q = _parts(query)
    if not task_q:
        return []
    if client_q is None:
        found = [t for t in tasks if matches(task_q, t.name)]
    elif client_q:
        found = [t for t in tasks if matches(client_q, t.client) and matches(task_q, t.name)]
    else:
        return []
    return _narrow(
        found,
        lambda t: fold(t.name) == fold(task_q),
        lambda t: fold(t.client) == fold(client_q or ""),
    )


def _parts(query: str) -> tuple[str | None, str]:
    """``(client, task)`` as typed; ``client`` is None when no slash was typed."""
    if "/" in query:
        client_q, task_q = (part.strip() for part in query.split("/", 1))
        return client_q, task_q
    return None, query.strip()


def resolve_client(query: str, clients: Sequence[ClientName]) -> ClientName:
    found = find_clients(query, clients)
    if len(found) == 1:
        return found[0]
    if not found:
        from mansioni.domain import suggest

        close = suggest.close_clients(query, clients)
        message = _("No client matches {query!r}.").format(query=query)
        if close:
            names = [c.name for c in clients]
            message += " " + suggest.did_you_mean([client_ref(c.name, names) for c in close])
        raise NotFoundError(message, hint=_("See them with: mansioni client list"))
    names = sorted(c.name for c in found)
    raise AmbiguousError(
        _("{query!r} matches several clients: {names}.").format(
            query=query, names=", ".join(names)
        ),
        names,
        hint=_("Type more of the name, e.g. {example!r}").format(example=names[0]),
    )


def resolve_task(query: str, tasks: Sequence[TaskName]) -> TaskName:
    """Find the one task meant by ``query`` (``client/task``, or a task alone).

    When none is found, the error says which tasks were meant, if it can tell: those
    of the client ``query`` names (a client typed where a task is wanted), or those
    whose names are closest to it (a typo)."""
    client_q, task_q = _parts(query)
    found = find_tasks(query, tasks)
    if len(found) == 1:
        return found[0]
    if found:
        names = sorted(t.full for t in found)
        raise AmbiguousError(
            _("{query!r} matches several tasks: {names}.").format(
                query=query, names=", ".join(names)
            ),
            names,
            hint=_("Type more of the name, e.g. {example!r}").format(example=names[0]),
        )
    if client_q is not None and (not client_q or not task_q):
        owned = _tasks_of_clients(client_q, tasks) if client_q else []
        raise InputError(
            _("{query!r} is not a task name.").format(query=query),
            hint=_tasks_hint(owned, tasks, typed=client_q)
            if owned
            else _("Name a task as client/task, e.g. rossi/newsletter"),
        )
    raise _no_task(query, client_q, task_q, tasks)


def _no_task(
    query: str, client_q: str | None, task_q: str, tasks: Sequence[TaskName]
) -> InputError:
    """The error for a ``query`` that names no task, saying what it may have meant."""
    from mansioni.domain import suggest

    if client_q is None:
        owned = _tasks_of_clients(task_q, tasks)
        if owned:  # a client's name where a task is wanted: that client's tasks
            owners = sorted({t.client for t in owned}, key=fold)
            if len(owners) == 1:
                message = _("{query!r} is the client {client}, not a task.").format(
                    query=query, client=owners[0]
                )
            else:
                message = _("{query!r} names clients, not a task: {clients}.").format(
                    query=query, clients=", ".join(owners)
                )
            hint = _tasks_hint(owned, tasks, typed=task_q)
            return AmbiguousError(message, [t.full for t in owned], hint=hint)
    message = _("No task matches {query!r}.").format(query=query)
    close = suggest.close_tasks(query, tasks)
    if close:
        refs = [task_ref(t, tasks, typed=client_q) for t in close]
        message += " " + suggest.did_you_mean(list(dict.fromkeys(refs)))
    owned = _tasks_of_clients(client_q, tasks) if client_q else []
    owners = {t.client for t in owned}
    if len(owners) == 1 and not close:  # the client is right, the task is not: its tasks
        from mansioni.domain.display import shell_word

        hint = _("The tasks of {client}: {tasks}").format(
            client=owners.pop(),
            tasks=", ".join(shell_word(task_ref(t, tasks, typed=client_q)) for t in owned),
        )
    else:
        hint = _(
            "See them with: mansioni task list (a task is named client/task, e.g. rossi/newsletter)"
        )
    return NotFoundError(message, hint=hint)


def _tasks_of_clients(query: str, tasks: Sequence[TaskName]) -> list[TaskName]:
    """The tasks of the clients ``query`` names (by their names, as ``resolve_client``
    would take it), by client and name."""
    clients = sorted({t.client for t in tasks}, key=fold)
    named = {fold(c.name) for c in find_clients(query, [ClientName(0, c) for c in clients])}
    return sorted(
        (t for t in tasks if fold(t.client) in named), key=lambda t: (fold(t.client), fold(t.name))
    )


def _tasks_hint(owned: Sequence[TaskName], tasks: Sequence[TaskName], *, typed: str) -> str:
    """``Name one of its tasks: cantu/pec, cantu/f24``, each as it can be typed (the
    client as ``typed``, where that names it alone)."""
    from mansioni.domain.display import shell_word

    refs = ", ".join(shell_word(task_ref(t, tasks, typed=typed)) for t in owned)
    if len({fold(t.client) for t in owned}) == 1:
        return _("Name one of its tasks: {tasks}").format(tasks=refs)
    return _("Name one of their tasks: {tasks}").format(tasks=refs)


# --- the shortest way to type a name -------------------------------------------------------


def _ref_words(name: str, typed: str | None = None) -> list[str]:
    """The words a reference to ``name`` may be, in the order they are tried: what was
    typed for it (folded) and the word of the name closest to that (a typo mended),
    then each folded word of the name (cut at an apostrophe, so it stays one shell
    word), the shortest first but those of one or two letters last."""
    cut = {word.split("'")[0] for word in _WORD.findall(fold(name))} - {""}
    ordered = sorted(cut, key=lambda w: (len(w) < 3, len(w), w))
    first = []
    if typed and fold(typed):
        from mansioni.domain.suggest import closest

        if "'" not in fold(typed):
            first.append(fold(typed))
        first.extend(closest(typed, ordered)[:1])
    return list(dict.fromkeys([*first, *ordered]))


def client_ref(name: str, clients: Sequence[str], *, typed: str | None = None) -> str:
    """How to type the client ``name`` among ``clients`` (names): ``typed`` (what the
    user typed for it) if it names it alone, else the shortest of its words that does
    (``cantu`` for "Studio Cantù Commercialisti" beside "Studio Rossi"), else its whole
    name."""
    listed = [ClientName(i, c) for i, c in enumerate(clients)]
    for word in _ref_words(name, typed):
        found = find_clients(word, listed)
        if len(found) == 1 and fold(found[0].name) == fold(name):
            return word
    return name


def task_ref(task: TaskName, tasks: Sequence[TaskName], *, typed: str | None = None) -> str:
    """How to type ``task`` among ``tasks``, as ``client/task``: the client as
    :func:`client_ref` types it (``typed``: what the user typed for the client), then
    the shortest word of the task's name that, with it, names the task alone
    (``cantu/pec``); else the whole names."""
    client = client_ref(task.client, sorted({t.client for t in tasks}, key=fold), typed=typed)
    for word in [*_ref_words(task.name), task.name]:
        ref = f"{client}/{word}"
        found = find_tasks(ref, tasks)
        if len(found) == 1 and found[0].id == task.id:
            return ref
    return task.full

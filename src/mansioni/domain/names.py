"""Naming clients and tasks the way people type them.

A name is matched by any unambiguous part of it: the start of the whole name or of
any word in it (and what follows that word: ``rossi srl`` for "Studio Rossi Srl"),
ignoring case and accents (``rossi`` for "Studio Rossi", ``caffe`` for "Caffè Ôrso").
A word is a run of letters and digits (:func:`words`): an apostrophe or a dot ends
one, so ``orto`` names "L'Orto" and ``bianchi`` names "Avv. Bianchi". A task is ``client/task``; a task name alone is accepted when it
is unambiguous across clients. Among several matches, a name typed in full wins
over the names it only starts ("prima nota" over "prima nota (vecchia)").

A name that matches nothing is answered with what was meant (``domain.suggest``): the
closest names, or the tasks of the client named (or mistyped) where a task is wanted,
each written the short way that names it alone (``task_ref``: ``cantu/pec``). Shell
completion offers names written the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import chain

from mansioni.domain.text import check_text
from mansioni.errors import AmbiguousError, InputError, NotFoundError
from mansioni.i18n import _

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)  # an import folds the same few names for every entry
def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@lru_cache(maxsize=4096)
def words(name: str) -> tuple[str, ...]:
    """The words of ``name``, folded (:func:`fold`): its runs of letters and digits, in
    order (``("avv", "bianchi")`` for "Avv. Bianchi", ``("l", "orto")`` for "L'Orto")."""
    return tuple(_WORD.findall(fold(name)))


@lru_cache(maxsize=4096)
def _word_starts(folded: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _WORD.finditer(folded))


def matches(query: str, name: str) -> bool:
    """True when ``query`` starts the name, or the name from one of its words on (both
    folded): ``ros``, ``rossi srl`` and ``studio`` match "Studio Rossi Srl"."""
    q = fold(query)
    if not q:
        return False
    n = fold(name)
    return n.startswith(q) or any(n.startswith(q, start) for start in _word_starts(n))


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
            refs = [client_ref(c.name, names, typed=query) for c in close]
            message += " " + suggest.did_you_mean(list(dict.fromkeys(refs)))
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
    whose names are closest to it (a typo), or those of the client it is a typo of, when
    a client is at least as close to it as any task."""
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
        owned = tasks_of_clients(client_q, tasks) if client_q else []
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
        owned = tasks_of_clients(task_q, tasks)
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
    if client_q is None:
        meant = _close_clients(task_q, close, tasks)
        if meant:  # a mistyped client's name where a task is wanted: that client's tasks
            names = sorted({t.client for t in tasks}, key=fold)
            refs = [client_ref(name, names, typed=task_q) for name in meant]
            message += " " + _("Did you mean the client {names}?").format(
                names=suggest.either(list(dict.fromkeys(refs)))
            )
            owned = sorted(
                (t for t in tasks if t.client in meant),
                key=lambda t: (fold(t.client), fold(t.name)),
            )
            return NotFoundError(message, hint=_tasks_hint(owned, tasks, typed=task_q))
    if close:
        refs = [task_ref(t, tasks, typed=client_q, typed_task=task_q) for t in close]
        message += " " + suggest.did_you_mean(list(dict.fromkeys(refs)))
    owned = tasks_of_clients(client_q, tasks) if client_q else []
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


def _close_clients(typed: str, close: Sequence[TaskName], tasks: Sequence[TaskName]) -> list[str]:
    """The names of the clients (of ``tasks``) closest to ``typed``, a task's name that
    matches none, when one is at least as close as the closest task (``close``, best
    first): ``bianci`` is a typo of "Avv. Bianchi" more than of "Annunci"."""
    from mansioni.domain import suggest

    names = sorted({t.client for t in tasks}, key=fold)
    meant = suggest.close_clients(typed, [ClientName(n, name) for n, name in enumerate(names)])
    if not meant:
        return []
    if close and suggest.closeness(typed, close[0].name) > suggest.closeness(typed, meant[0].name):
        return []
    return [c.name for c in meant]


def tasks_of_clients(query: str, tasks: Sequence[TaskName]) -> list[TaskName]:
    """The tasks of the clients ``query`` names (by their names, as ``resolve_client``
    would take it), by client and name: what a client's name stands for where a task
    is wanted."""
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


# --- the short way to type a name ------------------------------------------------------------
#
# One rule, for the names hints suggest and the names shell completion offers. A client
# is typed by its distinctive word: the shortest word of three letters or more that names
# it alone (``cantu`` for "Studio Cantù Commercialisti", ``bianchi`` for "Avv.
# Bianchi": an abbreviation, a word cut by a dot or an apostrophe, is not one). A task
# is typed by its first word, else by its distinctive one (``rossi/prima`` for "Prima
# nota", ``rossi/vecchia`` for "Prima nota (vecchia)" beside it). Whatever was typed
# for a name comes first: the word of the name it starts (``ros``: ``rossi``), itself,
# the name from the word it starts on when it spans words (``studio ro``: ``studio
# rossi``) or when it is being completed (a shell's Tab on ``studio``: ``studio
# rossi``, where a hint says ``rossi``), and the word closest to it (a typo mended).
# Each is kept only if it names that client or task alone, as ``resolve_client`` and
# ``resolve_task`` read it; the whole name (folded, then as written) is the last resort.

#: A character after a word that makes it an abbreviation ("Avv.") or elided ("Dell'").
_CUT = frozenset(".'\u2019")


def _ref_words(
    name: str, typed: str | None = None, *, first: bool = False, completing: bool = False
) -> Iterator[str]:
    """The words a reference to ``name`` may be, each once, in the order the rule above
    tries them (``first``: a task's, whose first word comes before the shortest). Lazily:
    the word closest to ``typed`` is only sought if needed."""
    seen: set[str] = set()
    for word in _ref_words_in_order(name, typed, first=first, completing=completing):
        if word not in seen:
            seen.add(word)
            yield word


def _ref_words_in_order(
    name: str, typed: str | None, *, first: bool, completing: bool
) -> Iterator[str]:
    folded = fold(name)
    spans = list(_WORD.finditer(folded))
    every = [m.group() for m in spans]
    full = [
        m.group()
        for m in spans
        if len(m.group()) >= 3 and folded[m.end() : m.end() + 1] not in _CUT
    ]
    q = fold(typed) if typed else ""
    if q:
        yield from (word for word in every if word.startswith(q))
        single = _WORD.fullmatch(q) is not None
        if single:
            yield q
        if completing or not single:
            yield from (folded[m.start() :] for m in spans if folded.startswith(q, m.start()))
        if not completing:
            from mansioni.domain.suggest import closest

            yield from closest(typed, every)[:1]
    if first and full and every[0] == full[0]:
        yield full[0]
    yield from sorted(full, key=lambda w: (len(w), w))
    yield from sorted(set(every) - set(full), key=lambda w: (len(w), w))
    yield folded


def client_ref(
    name: str, clients: Sequence[str], *, typed: str | None = None, completing: bool = False
) -> str:
    """How to type the client ``name`` among ``clients`` (names), by the rule above:
    ``cantu`` for "Studio Cantù Commercialisti" beside "Studio Rossi"; its whole name
    (``studio rossi``) when every word of it is shared. ``typed``: what the user typed for it;
    ``completing``: a shell is completing it."""
    listed = [ClientName(i, c) for i, c in enumerate(clients)]
    for word in _ref_words(name, typed, completing=completing):
        found = find_clients(word, listed)
        if len(found) == 1 and fold(found[0].name) == fold(name):
            return word
    return name


def task_ref(
    task: TaskName,
    tasks: Sequence[TaskName],
    *,
    typed: str | None = None,
    typed_task: str | None = None,
    completing: bool = False,
) -> str:
    """How to type ``task`` among ``tasks``, as ``client/task`` by the rule above: the
    client as :func:`client_ref` types it (``typed``: what the user typed for the
    client), then the word of the task's name (``typed_task``: what was typed for it)
    that with it names the task alone (``cantu/pec``); else the whole names.
    ``completing``: a shell is completing it."""
    clients = sorted({t.client for t in tasks}, key=fold)
    client = client_ref(task.client, clients, typed=typed, completing=completing)
    words = _ref_words(task.name, typed_task, first=True, completing=completing)
    for word in chain(words, [task.name]):
        ref = f"{client}/{word}"
        found = find_tasks(ref, tasks)
        if len(found) == 1 and found[0].id == task.id:
            return ref
    return task.full

"""Did you mean: the names closest to one that matched nothing.

One closeness for everything a person types and mistypes: clients, tasks, commands and
options. Both sides are folded first (``names.fold``: case and accents aside), then
compared with :mod:`difflib` against the whole name and each of its words, and against
the start of each as long as what was typed (a typo in the part of a name usually
typed: ``nwes`` for "Newsletter"). Only the best few are offered: those within a
little of the closest, so ``raport`` suggests ``report`` and not also ``import``.

Nothing here reads the store: the names come in, the closest go out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from mansioni.domain.names import ClientName, TaskName, fold, matches, words
from mansioni.i18n import _

#: The least closeness (0 to 1, difflib's ratio) worth a suggestion: difflib's own default...
CUTOFF = 0.6
#: ...but the start of a name is only close when this close: three letters of five in
#: common are nothing ("cantu" and "fattu", the start of "Fatture"), where a whole name
#: as close is a typo ("fatuter").
START_CUTOFF = 0.75
#: Suggestions are those within this much of the closest one...
SPREAD = 0.1
#: ...and at most this many.
LIMIT = 3


def closeness(typed: str, name: str) -> float:
    """How close ``typed`` is to ``name`` (0 to 1), case and accents aside: the best of
    the whole name, each of its words, and the start of each as long as ``typed``."""
    from difflib import SequenceMatcher

    q = fold(typed)
    if not q:
        return 0.0
    whole = fold(name)
    parts = [whole, *words(whole)]
    best = 0.0
    for part in parts:
        if not part:
            continue
        best = max(best, SequenceMatcher(None, q, part).ratio())
        if len(q) >= 4 and len(part) > len(q):
            start = SequenceMatcher(None, q, part[: len(q)]).ratio()
            if start >= START_CUTOFF:
                best = max(best, start)
    return best


def closest(
    typed: str,
    items: Iterable[object],
    score: Callable[[object], float] | None = None,
) -> list:
    """The items closest to ``typed`` (best first; ties in the order given): at least
    :data:`CUTOFF`, within :data:`SPREAD` of the best, at most :data:`LIMIT`.
    ``score`` gives an item's closeness (default: :func:`closeness` to ``str(item)``)."""
    measure = score or (lambda item: closeness(typed, str(item)))
    scored = [(measure(item), n, item) for n, item in enumerate(items)]
    scored = [s for s in scored if s[0] >= CUTOFF]
    if not scored:
        return []
    best = max(s[0] for s in scored)
    kept = sorted((s for s in scored if s[0] >= best - SPREAD), key=lambda s: (-s[0], s[1]))
    return [item for _score, _n, item in kept[:LIMIT]]


def close_words(typed: str, words: Iterable[str]) -> list[str]:
    """The commands or options closest to ``typed`` (``--clinet``: ``--client``),
    compared whole, without their leading dashes."""

    def score(word: object) -> float:
        from difflib import SequenceMatcher

        a, b = fold(typed.lstrip("-")), fold(str(word).lstrip("-"))
        return SequenceMatcher(None, a, b).ratio() if a and b else 0.0

    return closest(typed, dict.fromkeys(words), score)


def close_clients(query: str, clients: Sequence[ClientName]) -> list[ClientName]:
    """The clients whose names are closest to ``query``."""
    return closest(query, clients, lambda c: closeness(query, c.name))  # type: ignore[attr-defined]


def close_tasks(query: str, tasks: Sequence[TaskName]) -> list[TaskName]:
    """The tasks closest to ``query``: ``client/task`` is measured part by part (a part
    that matches as typed counts as exact), a task alone against the tasks' names."""
    if "/" in query:
        client_q, task_q = (part.strip() for part in query.split("/", 1))

        def score(task: object) -> float:
            assert isinstance(task, TaskName)
            near_client = (
                1.0 if matches(client_q, task.client) else closeness(client_q, task.client)
            )
            near_task = 1.0 if matches(task_q, task.name) else closeness(task_q, task.name)
            return min(near_client, near_task) + (near_client + near_task) / 1000

    else:

        def score(task: object) -> float:
            assert isinstance(task, TaskName)
            return closeness(query, task.name)

    return closest(query, tasks, score)


def either(names: Sequence[str]) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``, in the language in use."""
    quoted = [f"{name!r}" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    return _("{names} or {last}").format(names=", ".join(quoted[:-1]), last=quoted[-1])


def did_you_mean(names: Sequence[str]) -> str:
    """The question ``Did you mean 'cantu/pec'?``, in the language in use."""
    return _("Did you mean {names}?").format(names=either(names))


# --- the user's own names in an example -------------------------------------------------

#: The example names hints are written with (``rossi/newsletter``, ``--client rossi``).
EXAMPLE = "rossi"
#: ``rossi/newsletter``, ``rossi/invoices``: a task; after ``task add``, a new one.
_EXAMPLE_TASK = re.compile(r"(?<![\w/'.-])(?P<new>task add )?rossi/(?P<task>[a-z]+)\b(?!/)")
#: ``rossi`` alone (``--client rossi``), and in a file name (``rossi-review.html``).
_EXAMPLE_CLIENT = re.compile(r"(?<![\w/'.-])rossi(?P<file>[-.](?=\w))?\b(?!/)")


def own_examples(text: str, tasks: Sequence[TaskName], recent: int | None = None) -> str:
    """``text`` (a hint) with its example names (``rossi/newsletter``, ``rossi``) made
    the user's own: one of ``tasks`` (the one whose id is ``recent``, else the first by
    name) as the shortest way to type it (``cantu/pec``), and its client (``cantu``).

    An example that already names one of ``tasks`` (a store with a client Rossi) is
    kept, and so is the whole text when there are no tasks."""
    from mansioni.domain.display import shell_word
    from mansioni.domain.names import client_ref, find_clients, find_tasks, task_ref

    if EXAMPLE not in text or not tasks:
        return text
    chosen = next((t for t in tasks if t.id == recent), None)
    if chosen is None:
        chosen = min(tasks, key=lambda t: (fold(t.client), fold(t.name), t.id))
    names = sorted({t.client for t in tasks}, key=fold)
    ref, client = task_ref(chosen, tasks), client_ref(chosen.client, names)
    clients = [ClientName(n, name) for n, name in enumerate(names)]

    def task_example(match: re.Match[str]) -> str:
        if match["new"]:  # a new task: the user's client, the example's task name
            return match["new"] + shell_word(f"{client}/{match['task']}")
        if len(find_tasks(match[0], tasks)) == 1:
            return match[0]
        return shell_word(ref)

    def client_example(match: re.Match[str]) -> str:
        if len(find_clients(EXAMPLE, clients)) == 1:
            return match[0]
        if match["file"]:  # a file name: the client's words joined by dashes
            return "-".join(words(client)) + match["file"]
        return shell_word(client)

    return _EXAMPLE_CLIENT.sub(client_example, _EXAMPLE_TASK.sub(task_example, text))

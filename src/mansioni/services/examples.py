"""The user's own duties in the examples of an error's hint.

Hints are written once, with example names (``mansioni start rossi/newsletter``,
``--client rossi``). When one is printed, :func:`own_names` puts one of the user's own
tasks in their place, as the shortest way to type it (``cantu/pec``), and its client:
the task of her latest entry, else the first by name (``domain.suggest.own_examples``).

The store is read only then, on the way out of an error, and only if it can be read
without creating or upgrading anything: a SQLite store already at this program's
schema through the standard ``sqlite3`` module (so the quick commands import nothing
heavy for it), another database only when this command has opened it already. A
store that is missing, empty or unreadable leaves the example as it is. Help pages and
the documentation keep the example: they are read before there is anything to name.
"""

from __future__ import annotations

import sys

from mansioni.domain.suggest import EXAMPLE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.names import TaskName
    from mansioni.store.base import Store


def own_names(text: str) -> str:
    """``text`` with its example names made the user's own, or as it is (never fails)."""
    if EXAMPLE not in text:
        return text
    try:
        found = _read()
        if found is None:
            return text
        from mansioni.domain.suggest import own_examples

        return own_examples(text, *found)
    except Exception:  # an example is never worth an error of its own
        return text


def _read() -> tuple[list[TaskName], int | None] | None:
    """The user's active tasks and the task of her latest entry, or None if the store
    cannot be read as it is."""
    from mansioni import clock
    from mansioni.store import records
    from mansioni.store.quick import SchemaMismatch

    store = _store()
    if store is None:
        return None
    try:
        with store.read() as db:
            tasks = records.task_names(db)
            recent = records.recent_task_id(db, clock.person()) if tasks else None
    except SchemaMismatch:  # to upgrade or to refuse: the full way's job, not a hint's
        return None
    finally:
        dispose = getattr(store, "dispose", None)  # an engine of its own, on another database
        if dispose is not None:
            dispose()
    return tasks, recent


def _store() -> Store | None:
    """The user's store, if it can be read without changing it (see the module's doc)."""
    from mansioni.store.paths import sqlite_path, store_url

    url = store_url()
    path = sqlite_path(url)
    if path is not None:
        from mansioni.store.quick import QuickStore

        return QuickStore.open(path)  # its read refuses a schema other than this one
    if "mansioni.store.orm.engine" not in sys.modules:  # this command never opened it
        return None
    from mansioni.store.orm.engine import AlchemyStore

    return AlchemyStore(url)  # already at this schema: its check changes nothing

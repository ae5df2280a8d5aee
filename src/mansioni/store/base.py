"""What services need from a store: a read and a write transaction over a ``Db``.

``write()`` is one transaction that takes the write lock at its start (``BEGIN
IMMEDIATE`` on SQLite): a command's reads and writes never interleave with another
shell's. It commits when the block ends and rolls back on any exception, so a
failed command writes nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False  # see mansioni.store.db
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Protocol

    from mansioni.store.db import Db

    class Store(Protocol):
        def read(self) -> AbstractContextManager[Db]: ...

        def write(self) -> AbstractContextManager[Db]: ...

"""What every source reader yields: one ``SourceEntry`` per time entry, or a ``BadRow``.

A reader never stops at a bad row: it yields a ``BadRow`` (file, line, reason) and
goes on, so the import can either stop at the first one (nothing written) or, with
``--skip-invalid``, import the rest and list what it skipped.
"""

from __future__ import annotations

import hashlib
from collections import namedtuple

_SourceFields = namedtuple(
    "_SourceFields",
    "file line key start end zone client project task tags note person",
    defaults=(None, None, None, None, (), None, None),
)


class SourceEntry(_SourceFields):
    """One time entry as a source holds it.

    - ``file``, ``line``: where it was read (``line`` counts from 1; for a JSON file,
      the position of the frame in the list, from 1), for messages;
    - ``key``: what identifies it in its source, so a second import skips it: the
      source's own id where it has one, else ``content_key(...)``;
    - ``start``, ``end``: instants in whole seconds since the epoch, UTC; ``end`` is
      ``None`` for a running timer or an open interval (reported, never imported);
    - ``zone``: the IANA zone the source recorded it in, or ``None`` if it records none;
    - ``client``, ``project``, ``task``: the source's own names, ``None`` where absent;
    - ``tags``: a tuple of strings; ``note``: a description or annotation, or ``None``;
    - ``person``: the source's user name, or ``None`` where it has no users.
    """

    __slots__ = ()

    @property
    def running(self) -> bool:
        return self.end is None


BadRow = namedtuple("BadRow", "file line reason")
BadRow.__doc__ = """A row a reader could not read: where it is and why, in words for the user."""


def content_key(*parts: object) -> str:
    """A stable key for a source that has no ids: a hash of the parts that identify
    an entry (the same entry read again, even from a re-export, gives the same key)."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

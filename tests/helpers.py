"""Helpers shared by tests: reading the store directly, as plain rows."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

TABLES = ("client", "task", "entry", "operation", "journal")


def db_file(home: Path) -> Path:
    return home / "mansioni.db"


def dump(
    home: Path,
    tables: tuple[str, ...] = TABLES,
    *,
    columns: dict[str, list[str]] | None = None,
) -> dict[str, list[tuple]]:
    """Every row of the store's tables, in id order (an empty dict if there is no store).

    ``columns`` limits a table to those columns: the ones an older schema had, to
    check an upgrade kept every value of them.
    """
    path = db_file(home)
    if not path.exists():
        return {}
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(
                f"SELECT {', '.join((columns or {}).get(t, ['*']))} FROM {t} ORDER BY id"
            ).fetchall()
            for t in tables
        }
    finally:
        conn.close()


def columns(home: Path, tables: tuple[str, ...] = TABLES) -> dict[str, list[str]]:
    """The columns each table has now, in order."""
    conn = sqlite3.connect(db_file(home))
    try:
        return {t: [c[1] for c in conn.execute(f"PRAGMA table_info({t})")] for t in tables}
    finally:
        conn.close()


def rows(home: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db_file(home))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def checkpoint(db: Path | str) -> None:
    """Move everything the write-ahead log holds into ``db`` itself, and empty the log:
    the whole store is then in its one file, to be copied or compared."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def build_demo(folder: Path, *, now: int, zone: str = "Europe/Rome") -> Path:
    """The demo's store (``mansioni demo``), built as of ``now`` into ``folder``; its file."""
    from mansioni.services import demo
    from mansioni.store.orm.engine import AlchemyStore

    folder.mkdir(parents=True, exist_ok=True)
    store = AlchemyStore(f"sqlite:///{db_file(folder)}")
    try:
        demo.build(store, person="vera", now=now, zone=zone)
    finally:
        store.dispose()
    return db_file(folder)


def store_at(url: str, target: str) -> None:
    """A store built by the migrations up to ``target`` only, as an older mansioni left it."""
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)
    engine.dispose()


# --- what the Toggl and Clockify readers read -------------------------------------------


def sheet_expected(path: Path) -> dict:
    """The ``<name>.expected.json`` beside a Toggl or Clockify fixture."""
    import json

    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def only_entries(rows: list) -> list:
    """``rows`` as read, asserting the reader found no bad row among them."""
    from mansioni.sources.record import BadRow

    bad = [row for row in rows if isinstance(row, BadRow)]
    assert not bad, bad
    return rows


def iso(instant: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sheet_totals(rows: list) -> list[dict]:
    """Seconds per (client, project), in the shape of ``expected.json``'s totals."""
    sums: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.client or "", row.project or "")
        sums[key] = sums.get(key, 0) + row.end - row.start
    return [
        {"client": client or None, "project": project or None, "seconds": seconds}
        for (client, project), seconds in sorted(sums.items())
    ]


def watson_frames(
    path: Path, count: int, *, begin: int = 1_700_000_000, client: str = "Rossi", tasks: int = 7
) -> Path:
    """A Watson frames file at ``path``: ``count`` half-hour frames, one an hour from
    ``begin``, on ``client/Task 0`` … ``client/Task {tasks - 1}`` in turn, with ids."""
    import json

    frames = [
        [
            begin + i * 3600,
            begin + i * 3600 + 1800,
            f"{client}/Task {i % tasks}",
            f"{i:032x}",
            [],
            0,
        ]
        for i in range(count)
    ]
    path.write_text(json.dumps(frames))
    return path


_TOKEN = re.compile(r"\w+(…)?")
#: Two spaces or more: what stands between the cells of a table's row.
_BETWEEN_CELLS = re.compile(r"\S+(?: \S+)*")


def _cells(line: str) -> list[tuple[int, int]]:
    """Where each cell of ``line`` starts and ends: text between runs of two spaces."""
    return [m.span() for m in _BETWEEN_CELLS.finditer(line)]


def assert_fits(output: str, width: int, words=(), whole=()) -> None:
    """``output`` fits a terminal ``width`` columns wide and splits no word.

    ``words`` are the texts the output is made of (names, headers, verdicts, reasons);
    ``whole`` are texts that must be shown whole (a verdict, a reason), perhaps broken
    over lines between words. Checked:

    - no line is longer than ``width``, but for one holding a single word longer than
      that (a path; a command's continuation ``\\`` may follow it): there is no way to
      show it whole otherwise;
    - no word of those texts is split across two lines: its head ending a line (or a
      column) and its tail starting the next line (or starting under the head, as a
      table folds a word in its column: ``apprend`` / ``imento``);
    - a token cut with an ellipsis (``Studio Cantù…``) ends where a word of the texts
      ends: never ``Arrotondame…``;
    - every text of ``whole`` is in the output, its words in order.
    """
    lines = output.splitlines()
    # A word longer than a line stands alone on it, with a command's "\" after it if the
    # command goes on (``cli.layout.command_lines``).
    over = [
        line for line in lines if len(line) > width and len(line.removesuffix(" \\").split()) > 1
    ]
    assert not over, f"{len(over)} line(s) wider than {width} columns:\n" + "\n".join(over)
    texts = [*words, *whole]
    known = {
        m[0]
        for text in texts
        for m in _TOKEN.finditer(text)
        if not m[0].endswith("…") and not m[0].isdigit()  # numbers side by side: a chart
    }
    tokens = [list(_TOKEN.finditer(line)) for line in lines]
    cells = [_cells(line) for line in lines]
    for i, (above, below) in enumerate(zip(tokens, tokens[1:], strict=False)):
        for head in above:
            cell = next(c for c in cells[i] if c[0] <= head.start() < c[1])
            if head.end() != max(t.end() for t in above if cell[0] <= t.start() < cell[1]):
                continue  # not the last word of its cell
            for tail in below:
                # the next line goes on where the cell (a column, or the line) starts
                starts = tail.start() == min(
                    (t.start() for t in below if t.start() >= cell[0]), default=-1
                )
                word = head[0] + tail[0]
                if starts and (tail.start() == cell[0] or head is above[-1]) and word in known:
                    # two words of their own that make a third, side by side: no split
                    if not (head[0] in known and tail[0] in known):
                        raise AssertionError(f"{word!r} split in two:\n{output}")
    for line in tokens:
        for token in line:
            stem = token[0][:-1]
            if token[0].endswith("…") and stem not in known:
                cut = sorted(word for word in known if word.startswith(stem))
                assert not cut, f"{token[0]!r} cuts {cut[0]!r} inside the word:\n{output}"
    flat = " ".join(output.split())
    for text in whole:
        assert " ".join(text.split()) in flat, f"{text!r} is not shown whole:\n{output}"

"""A large import in little memory: entries written a batch at a time, frames read a
chunk at a time. Each way must give exactly what the plain one gives: the same rows,
the same journal (so undo takes it all back), the same frames and the same refusals."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import checkpoint
from mansioni.errors import InputError
from mansioni.services import import_plan, importing, undo
from mansioni.sources import mapping as mapper
from mansioni.sources import watson
from mansioni.sources.mapping import Mapping
from mansioni.sources.record import BadRow, SourceEntry
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.quick import QuickStore
from mansioni.store.sqlite_setup import lean_page_cache
from mansioni.store.writer import Writer

TABLES = ("client", "task", "entry", "task_event", "imported", "operation")
NOW = 1_795_788_000  # 2026-11-27
H = 3600
DAY0 = 1_780_000_000


def new_store(path) -> QuickStore:
    AlchemyStore(f"sqlite:///{path}").dispose()  # created and migrated
    return QuickStore(str(path))


def seed(store: QuickStore) -> None:
    """A client, a task, an entry of vera's in the middle of the imports below, and an
    entry deleted (so the next entry id is past the largest there is)."""
    with store.write() as db:
        writer = Writer(db, person="vera", command="seed", now=NOW)
        client = writer.insert(
            "client", {"name": "Rossi", "currency": "EUR", "archived": False, "created_utc": 0}
        )
        task = writer.insert(
            "task",
            {
                "client_id": client,
                "name": "Posta",
                "estimate_basis": "occurrence",
                "oversight_seconds": 0,
                "trial_days": 90,
                "state": "trial",
                "created_utc": 0,
            },
        )
        for start in (DAY0 + 300 * H + 600, DAY0 + 900 * H):
            last = writer.insert(
                "entry",
                {
                    "task_id": task,
                    "person": "vera",
                    "start_utc": start,
                    "end_utc": start + 1200,
                    "zone": "Europe/Rome",
                    "note": None,
                    "occurrence_id": None,
                    "atypical": False,
                    "created_utc": NOW,
                },
            )
        writer.delete("entry", last)


def copies(tmp_path, count: int = 2) -> list[QuickStore]:
    """``count`` stores holding the same seeded rows."""
    first = tmp_path / "store-0.db"
    stores = [new_store(first)]
    seed(stores[0])
    checkpoint(first)
    for n in range(1, count):
        shutil.copyfile(first, tmp_path / f"store-{n}.db")
        stores.append(QuickStore(str(tmp_path / f"store-{n}.db")))
    return stores


def table_rows(store: QuickStore) -> dict[str, list[tuple]]:
    """Every row of the store; the journal without its own ids, in a fixed order (a batch
    is journaled as its entries, then their import records)."""
    conn = sqlite3.connect(store.path)
    try:
        found = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
        found["journal"] = sorted(
            conn.execute(
                "SELECT operation_id, table_name, row_id, action, before_json, after_json"
                " FROM journal"
            ).fetchall(),
            key=repr,
        )
        found["sqlite_sequence"] = sorted(conn.execute("SELECT name, seq FROM sqlite_sequence"))
        return found
    finally:
        conn.close()


def one_by_one(monkeypatch) -> None:
    """Writer.insert_many as the plain loop over Writer.insert: the reference."""
    monkeypatch.setattr(
        Writer, "insert_many", lambda self, table, rows: [self.insert(table, r) for r in rows]
    )


def entry(line: int, key: str, start: int, end: int | None, project: str, **fields):
    return SourceEntry("frames", line, key, start, end, project=project, **fields)


def source() -> list[SourceEntry | BadRow]:
    """600 entries of vera's over some 50 days, on tasks that appear as they go (some older
    than the entries before them), with a few rows of every kind the import refuses or
    leaves out, and an entry that overlaps the store's own entry 1."""
    found: list[SourceEntry | BadRow] = []
    for n in range(600):
        start = DAY0 + 2 * H * n
        project = f"Client {n % 3}/Task {n // 150}"
        found.append(entry(n + 1, f"k{n}", start, start + 1800, project, tags=("call",) * (n % 2)))
    found[400] = entry(401, "late", DAY0 - 10 * H, DAY0 - 9 * H, "Client 0/Task 3")
    found[200] = entry(201, "k100", DAY0 + 3 * H, DAY0 + 4 * H, "Client 0/Task 9")  # same key
    found[250] = entry(251, "over", DAY0 + 2 * H * 249 + 60, DAY0 + 2 * H * 249 + 600, "X/Y")
    found[300] = entry(301, "empty", DAY0 + 5, DAY0 + 5, "Client 1/Task 1")
    found[500] = entry(501, "older", DAY0 - 20 * H, DAY0 - 19 * H, "Client 1/Task 0")
    found[350] = BadRow("frames", 351, "the start is not a time.")
    found[150] = entry(151, "stored", DAY0 + 300 * H, DAY0 + 300 * H + 900, "Rossi/Posta")
    found.append(entry(601, "run", NOW - 60, None, "Client 0/Task 0"))
    return found


def run(store: QuickStore, source_rows, **options) -> importing.Summary:
    defaults = {
        "source": "watson",
        "mapping": Mapping(),
        "client": None,
        "person": "vera",
        "zone": "Europe/Rome",
        "now": NOW,
        "skip_invalid": True,
    }
    return importing.run(store, source_rows, **{**defaults, **options})


def said(summary: importing.Summary) -> tuple:
    """All an import tells, as the command shows it."""
    return (
        summary.imported,
        summary.already,
        summary.empty,
        [tuple(bad) for bad in summary.skipped],
        [entry.key for entry in summary.running],
        summary.new_clients,
        [(t.full, t.entries, t.seconds, t.new) for t in summary.totals.values()],
    )


@pytest.mark.parametrize("alone", [True, False], ids=["first-import", "among-stored-entries"])
def test_a_batched_import_writes_what_one_entry_at_a_time_writes(tmp_path, monkeypatch, alone):
    monkeypatch.setattr(importing, "BATCH", 64)  # many batches, new tasks between them
    monkeypatch.setattr(import_plan, "ROWS_PER_LOOK", 50)  # many looks into ``imported``
    batched, reference = copies(tmp_path)
    rows_ = source()
    if alone:  # nothing of vera's in the store over the import's span: overlaps in memory
        rows_ = [r for r in rows_ if not (isinstance(r, SourceEntry) and r.key == "stored")]
        for store in (batched, reference):
            with store.write() as db:
                db.run("DELETE FROM entry")
    before = table_rows(batched)

    got = run(batched, rows_)
    with monkeypatch.context() as patched:
        one_by_one(patched)
        expected = run(reference, rows_)

    assert said(got) == said(expected)
    assert got.imported > 500 and got.empty == 1
    reasons = {bad.line: bad.reason for bad in got.skipped}
    assert reasons[201] == "it is the same entry as line 101 of frames."
    assert reasons[251] == "it overlaps line 250 of frames; pass --overlap if both are right."
    assert reasons[351] == "the start is not a time."
    if not alone:
        assert reasons[151].startswith("it overlaps entry 1 (Rossi/Posta)")
    assert table_rows(batched) == table_rows(reference)
    # A task (and its client) made by the import is dated back to its oldest entry.
    with batched.read() as db:
        assert db.rows("SELECT created_utc FROM task WHERE name = 'Task 0' AND client_id = 3")
    assert ("task", "update") in {(t, a) for _o, t, _r, a, _b, _a in table_rows(batched)["journal"]}

    undo.undo(batched, person="vera", now=NOW)
    after = table_rows(batched)
    for table in ("client", "task", "entry", "task_event", "imported"):
        assert after[table] == before[table], table


def test_insert_many_gives_the_ids_rows_and_journal_of_insert_one_by_one(tmp_path, monkeypatch):
    quick, alchemy, reference = copies(tmp_path, 3)
    values = [
        {
            "task_id": 1,
            "person": "vera",
            "start_utc": DAY0 + n * H,
            "end_utc": DAY0 + n * H + 60,
            "zone": "Europe/Rome",
            "note": ['«ü»\n\t"x"', None, "[call]"][n % 3],
            "occurrence_id": None,
            "atypical": bool(n % 2),
            "created_utc": NOW,
        }
        for n in range(5)
    ]
    with quick.write() as db:
        ids = Writer(db, person="vera", command="bulk", now=NOW).insert_many("entry", values)
    # Past the largest id there ever was (the seed deleted entry 2): as SQLite gives them.
    assert ids == [3, 4, 5, 6, 7]
    with reference.write() as db:
        writer = Writer(db, person="vera", command="bulk", now=NOW)
        assert [writer.insert("entry", v) for v in values] == ids
    # Elsewhere than on SQLite's own driver, the rows go in one by one, to the same end.
    other = AlchemyStore(f"sqlite:///{alchemy.path}")
    try:
        with other.write() as db:
            assert (
                Writer(db, person="vera", command="bulk", now=NOW).insert_many("entry", values)
                == ids
            )
    finally:
        other.dispose()
    expected = table_rows(reference)
    assert table_rows(quick) == expected
    assert table_rows(alchemy) == expected
    with quick.read() as db:  # and in the same order as one by one: each its own journal row
        assert [
            r["row_id"]
            for r in db.rows("SELECT row_id FROM journal WHERE operation_id = 2 ORDER BY id")
        ] == ids


def test_insert_many_of_nothing_writes_nothing(tmp_path):
    (store,) = copies(tmp_path, 1)
    before = table_rows(store)
    with store.write() as db:
        writer = Writer(db, person="vera", command="bulk", now=NOW)
        assert writer.insert_many("entry", []) == []
        assert writer.operation_id is None
    assert table_rows(store) == before


def test_an_import_keeps_a_small_page_cache_on_sqlite_only(tmp_path):
    (store,) = copies(tmp_path, 1)
    with store.write() as db:
        lean_page_cache(db)
        assert db.rows("PRAGMA cache_size")[0]["cache_size"] == -2000
    other = AlchemyStore(f"sqlite:///{store.path}")
    try:
        with other.write() as db:
            lean_page_cache(db)  # a SQLAlchemy connection (as to PostgreSQL): left as it is
            assert db.rows("PRAGMA cache_size")[0]["cache_size"] == -65536
    finally:
        other.dispose()


# --- the frames file, a chunk at a time -----------------------------------------------------

FRAMES = [
    [1792393200, 1792398600, "Rossi/Posta", "a1", ["call", "mail"], 1792398600],
    [1792393200.0, 1792398600, "Caffè Orso/Sito", "a2", [], 1792398600.0],
    [1792400000, 1792403600, 'Quote "me"\\ \u00e8 \U0001f600 \n', "a3"],
    "not a frame",
    [1792410000, None, "x", "a5", None, 1e3],
    [1792420000, 1792423600, "y", "a1", [], 0],  # the id a1 again
    [True, 1792423600, "z", "a7", [[], {}], -0.5],
    [123456789012345678901234567890, 1, "big", "a8"],
]


def texts() -> list[str]:
    """The same frames written as Watson writes them, and in other valid JSON layouts."""
    return [
        json.dumps(FRAMES, indent=1, ensure_ascii=False),
        json.dumps(FRAMES),
        json.dumps(FRAMES, separators=(",", ":")),
        "\r\n\t " + json.dumps(FRAMES, indent="\t").replace("\n", "\r\n") + " \n\t",
    ]


def frames_file(tmp_path, text: str | bytes):
    path = tmp_path / "frames"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def no_fallback(monkeypatch) -> None:
    def refused(file):
        raise AssertionError(f"{file} was read whole")

    monkeypatch.setattr(watson, "_load_frames", refused)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 16])
def test_frames_read_a_chunk_at_a_time_are_the_frames(tmp_path, monkeypatch, chunk):
    expected_file = frames_file(tmp_path, json.dumps(FRAMES))
    expected = [watson._frame("frames", n, f) for n, f in enumerate(FRAMES, 1)]
    expected[5] = BadRow("frames", 6, "the id a1 is used again (first at line 1).")
    assert list(watson.read_frames(expected_file)) == expected
    monkeypatch.setattr(watson, "_CHUNK", chunk)
    no_fallback(monkeypatch)
    for text in texts():
        assert list(watson.read_frames(frames_file(tmp_path, text))) == expected


@settings(max_examples=60)
@given(
    frames=st.lists(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=8,
        ),
        max_size=12,
    ),
    indent=st.sampled_from([None, 0, 1, 2, "\t"]),
    chunk=st.integers(min_value=1, max_value=40),
)
def test_any_json_list_is_read_as_json_reads_it(tmp_path_factory, frames, indent, chunk):
    folder = tmp_path_factory.mktemp("frames")
    text = json.dumps(frames, indent=indent, ensure_ascii=False)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(watson, "_CHUNK", chunk)
        no_fallback(patched)
        values = list(watson._checked_frames(frames_file(folder, text)))
    assert values == json.loads(text)


@settings(max_examples=80)
@given(
    frames=st.lists(st.lists(st.integers() | st.floats(allow_nan=False) | st.text(max_size=4))),
    cut=st.integers(min_value=0),
    edit=st.sampled_from(["", ",", "]", "[", " ", "x", ".", "e", "-", '"', "0", "\\"]),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_a_file_is_taken_or_refused_as_json_takes_or_refuses_it(
    tmp_path_factory, frames, cut, edit, chunk
):
    text = json.dumps(frames)
    at = cut % (len(text) + 1)
    text = text[:at] + edit + text[at + 1 :]  # a character replaced, dropped or added
    path = frames_file(tmp_path_factory.mktemp("frames"), text)
    try:
        expected: object = json.loads(text)
    except ValueError as exc:
        expected = str(exc)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(watson, "_CHUNK", chunk)
        try:
            got: object = list(watson._checked_frames(path))
        except InputError as exc:
            got = exc.message
    if isinstance(expected, list):
        assert got == expected
    elif isinstance(expected, str):
        assert expected in got
    else:
        assert "holds no list of frames" in got


@pytest.mark.parametrize(
    "text",
    [
        "[1, 2,]",
        "[1 2]",
        "[1, 2] x",
        "[1, 2]]",
        "[",
        "[1,",
        '[[1, 2, "x"]',
        "   ",
        "\ufeff[]",
        "{}",
        '"frames"',
        "[1, 2][3]",
        "[01]",
        '["a\nb"]',
        "[1, 2, 3.]",
        b"[\xff]",
        "[" * 100_000 + "]" * 100_000,
    ],
)
@pytest.mark.parametrize("chunk", [1, 1 << 16])
def test_a_file_json_refuses_is_refused_with_its_words(tmp_path, monkeypatch, text, chunk):
    path = frames_file(tmp_path, text)
    try:
        raw = path.read_bytes().decode("utf-8")
        loaded = json.loads(raw)
        expected = "holds no list of frames"
        assert not isinstance(loaded, list)
    except (ValueError, RecursionError) as exc:
        expected = str(exc)
    monkeypatch.setattr(watson, "_CHUNK", chunk)
    with pytest.raises(InputError) as caught:
        watson.read_frames(path)  # at the call, before any frame is taken
    assert expected in caught.value.message


def test_the_frames_read_are_those_checked_even_if_watson_saves_meanwhile(tmp_path, monkeypatch):
    monkeypatch.setattr(watson, "_CHUNK", 16)
    path = frames_file(tmp_path, json.dumps(FRAMES[:2]))
    frames = watson.read_frames(path)
    newer = tmp_path / "frames.new"
    newer.write_text("[]")
    os.replace(newer, path)  # how Watson saves its frames
    assert [row.key for row in frames] == ["a1", "a2"]


def test_every_id_used_again_names_the_line_it_was_first_used_at(tmp_path):
    ids = ["a1", "a2", "a1", "a4", "a4", "a2", "a7", "a7"]
    path = frames_file(
        tmp_path, json.dumps([[1792393200 + n, 1792393300 + n, "x", i] for n, i in enumerate(ids)])
    )
    reasons = [getattr(row, "reason", None) for row in watson.read_frames(path)]
    assert reasons == [
        None,
        None,
        "the id a1 is used again (first at line 1).",
        None,
        "the id a4 is used again (first at line 4).",
        "the id a2 is used again (first at line 2).",
        None,
        "the id a7 is used again (first at line 7).",
    ]


def test_placing_many_entries_answers_as_placing_each(tmp_path):
    rules = Mapping(client="Varie", projects={"posta": "Rossi/Posta"})
    place = mapper.placer(rules, clients={"rossi"})
    entries = [
        entry(1, "a", 0, 1, "posta"),
        entry(2, "b", 0, 1, "posta", note="ok"),
        entry(3, "c", 0, 1, "posta", note="bad\x07bell"),  # the same names, a bad note
        entry(4, "d", 0, 1, "Sito"),
        entry(5, "e", 0, 1, "a/" + "x" * 300),
        entry(6, "f", 0, 1, "a/" + "x" * 300),
        SourceEntry("data", 7, "g", 0, 1, tags=("Rossi", "Sito")),
    ]
    for one in entries:
        try:
            expected: object = mapper.place(one, rules, clients={"rossi"})
        except mapper.Unplaced as exc:
            expected = ("unplaced", str(exc))
        try:
            got: object = place(one)
        except mapper.Unplaced as exc:
            got = ("unplaced", str(exc))
        assert got == expected

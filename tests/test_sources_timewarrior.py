"""Reading Timewarrior's data files: the real files of tests/fixtures/import/timewarrior
(made with timew 1.4.3, see the README there), the quirks of its syntax as timew itself
reads them, broken lines, and a property: what timew writes reads back the same."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mansioni.errors import InputError
from mansioni.sources import timewarrior
from mansioni.sources.record import BadRow, SourceEntry
from mansioni.sources.timewarrior import parse_line

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "timewarrior"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
ROME = ZoneInfo("Europe/Rome")


def intervals(path: Path = FIXTURE) -> list[SourceEntry]:
    rows = list(timewarrior.read_data(path))
    assert all(isinstance(row, SourceEntry) for row in rows), rows
    return rows


def closed() -> list[SourceEntry]:
    return [row for row in intervals() if row.end is not None]


def stamp(instant: int) -> str:
    return datetime.fromtimestamp(instant, UTC).strftime("%Y%m%dT%H%M%SZ")


# --- Timewarrior's writer, as the tests' yardstick -----------------------------------------
# Interval::serialize and quoteIfNeeded of timew 1.4.3: tags sorted (byte order), quoted
# when they hold a space, a double quote or one of +-/()<^!=~_% (the set timew 1.4.3 was
# seen to quote), with \" for a quote; the annotation always quoted the same way.
QUOTED_IF = set(' "+-/()<^!=~_%')


def quote_if_needed(tag: str) -> str:
    if not QUOTED_IF & set(tag):
        return tag
    return '"' + tag.replace('"', '\\"') + '"'


def serialize(start: int, end: int | None, tags, annotation: str | None) -> str:
    out = "inc " + stamp(start)
    if end is not None:
        out += " - " + stamp(end)
    ordered = sorted(set(tags), key=lambda tag: tag.encode("utf-8"))
    if ordered:
        out += " #" + "".join(" " + quote_if_needed(tag) for tag in ordered)
    if annotation:
        out += ("" if ordered else " #") + ' # "' + annotation.replace('"', '\\"') + '"'
    return out


def test_the_yardstick_writes_the_real_files_byte_for_byte():
    for file in sorted((FIXTURE / "data").glob("2026-*.data")):
        lines = file.read_text(encoding="utf-8").splitlines()
        rows = [row for row in intervals() if row.file == file.name]
        assert [serialize(r.start, r.end, r.tags, r.note) for r in rows] == lines


# --- the real files ---------------------------------------------------------------------


def test_every_interval_is_read_and_the_last_is_open():
    rows = intervals()
    assert len(rows) == EXPECTED["closed_intervals"] + 1 == 25
    *finished, open_ = rows
    assert all(row.end is not None for row in finished)
    assert open_.running and open_.end is None
    assert (open_.start, list(open_.tags)) == (EXPECTED["open"]["start"], EXPECTED["open"]["tags"])
    assert (open_.file, open_.line) == ("2026-11.data", 3)
    assert datetime.fromtimestamp(open_.start, ROME).isoformat() == "2026-11-27T09:30:00+01:00"


def test_only_the_month_files_are_read_in_time_order():
    """tags.data and undo.data sit beside the month files; they are not intervals."""
    assert {path.name for path in (FIXTURE / "data").iterdir()} >= {"tags.data", "undo.data"}
    rows = intervals()
    assert [row.start for row in rows] == sorted(row.start for row in rows)
    assert {row.file for row in rows} == {"2026-10.data", "2026-11.data"}


def test_fields_timewarrior_does_not_have_are_empty():
    for row in intervals():
        assert row.project is None and row.client is None and row.task is None
        assert row.zone is None and row.person is None


def test_the_sums_per_tag_are_timewarriors_own():
    """timew summary <tag> totals whole seconds without rounding; so does this."""
    by_tag: dict[str, int] = defaultdict(int)
    for row in closed():
        for tag in row.tags:
            by_tag[tag] += row.end - row.start
    assert by_tag == EXPECTED["seconds_by_tag"]
    total = sum(row.end - row.start for row in closed())
    assert total == EXPECTED["total_seconds"] == 45 * 3600 + 18 * 60 + 54


def test_tags_with_spaces_accents_slashes_and_annotations():
    rows = closed()
    assert rows[2].tags == ("Caffè Ôrso/Social post", "città", "instagram")
    assert rows[0].tags == ("Newsletter", "Studio Rossi", "bozza")
    notes = [row.note for row in rows if row.note is not None]
    assert len(notes) == EXPECTED["annotated"] == 5
    assert 'Correzioni di "Studio Rossi" # seconda tornata' in notes
    assert "Post per l'apertura: 3 foto + testo" in notes


def test_the_interval_across_midnight():
    expected = EXPECTED["across_midnight"]
    (row,) = [row for row in closed() if row.start == expected["start"]]
    assert row.end - row.start == expected["seconds"] == 2 * 3600 + 45 * 60
    assert list(row.tags) == expected["tags"]  # "urgente" was added later with timew tag
    assert row.note == "Invio notturno: lista clienti già pronta"
    assert datetime.fromtimestamp(row.end, ROME).isoformat() == "2026-10-23T01:15:00+02:00"


def test_the_interval_across_the_end_of_summer_time_lasts_four_hours():
    expected = EXPECTED["across_dst"]
    (row,) = [row for row in closed() if row.start == expected["start"]]
    assert row.end - row.start == expected["seconds"] == 4 * 3600
    start = datetime.fromtimestamp(row.start, ROME)
    end = datetime.fromtimestamp(row.end, ROME)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-25T01:00:00+02:00",
        "2026-10-25T04:00:00+01:00",
    )


def test_the_folder_the_data_folder_and_a_file_read_the_same():
    rows = intervals()
    assert intervals(FIXTURE / "data") == rows
    assert intervals(FIXTURE / "data" / "2026-11.data") == rows[-3:]


def test_keys_hash_start_and_end_so_a_retag_is_the_same_interval(tmp_path):
    rows = intervals()
    assert len({row.key for row in rows}) == len(rows)
    (tmp_path / "2026-10.data").write_text(
        "inc 20261019T070000Z - 20261019T083000Z # Newsletter bozza\n"
        'inc 20261019T070000Z - 20261019T083000Z # Newsletter "Studio Rossi" # "altro"\n',
        encoding="utf-8",
    )
    retagged, annotated = timewarrior.read_data(tmp_path)
    assert retagged.key == annotated.key == rows[0].key


# --- the quirks, as timew 1.4.3 reads them ------------------------------------------------


def test_odd_lines_read_as_timewarrior_reads_them():
    """quirks/export.json is timew's own export of quirks/data (make_fixtures.sh)."""
    exported = json.loads((FIXTURE / "quirks" / "export.json").read_text(encoding="utf-8"))
    rows = intervals(FIXTURE / "quirks")
    assert len(rows) == len(exported) == 23
    theirs = sorted(
        (item["start"], item.get("end"), sorted(item.get("tags", [])), item.get("annotation"))
        for item in exported
    )
    ours = sorted(
        (stamp(r.start), None if r.end is None else stamp(r.end), sorted(r.tags), r.note)
        for r in rows
    )
    assert ours == theirs


@pytest.mark.parametrize(
    ("text", "tags", "note"),
    [
        (r'# "a\\b" "c\nd" "aU+0041b" "a\u00e9"', ("a\\b", "c\nd", "aAb", "aé"), None),
        (r"# back\slash plain\"x", ("back\\slash", 'plain\\"x'), None),
        ("# 'it\\'s' \"say 'hi'\"", ("it's", "say 'hi'"), None),
        ('# "Caffè Ôrso" città', ("Caffè Ôrso", "città"), None),
        ('# # "due  spazi"   e   poi', (), "due  spazi e poi"),
        ('# x # "a # b"', ("x",), "a # b"),
        ('# "#" x # y', (), "x # y"),
        ("# 12*3 2026-01-01 1e5x", ("12", "*3", "2026", "-01-01", "1e5x"), None),
        ('# "a"b x"y"', ("a", "b", 'x"y"'), None),
        ('# "unterminated', ('"unterminated',), None),
        ('# "abc\\"', ("abc",), None),
        ("# ' x", ("'", "x"), None),
        ("# x\tx\x0bv\x0cf", ("x", "v", "f"), None),
        ("# nb\u00a0sp", ("nb\u00a0sp",), None),
        ("# dup dup", ("dup",), None),
        ("#", (), None),
        ("# x # ", ("x",), None),
        ('# x # ""', ("x",), None),
    ],
)
def test_tags_and_annotations(text, tags, note):
    start, end, got_tags, got_note = parse_line("inc 20260611T070000Z - 20260611T080000Z " + text)
    assert (start, end) == (1781161200, 1781164800)
    assert (got_tags, got_note) == (tags, note)


def test_an_open_interval_and_spacing():
    assert parse_line("inc 20261127T083000Z # Fatture") == (1795768200, None, ("Fatture",), None)
    assert parse_line("inc 20261127T083000Z") == (1795768200, None, (), None)
    assert parse_line("  inc   20261127T083000Z  -  20261127T093000Z  \r") == (
        1795768200,
        1795771800,
        (),
        None,
    )


# --- broken lines -------------------------------------------------------------------------


def test_bad_lines_are_bad_rows_and_the_reader_goes_on(tmp_path):
    lines = [
        "inc 20261019T070000Z - 20261019T083000Z # buona",
        "inc 20261311T070000Z - 20261019T083000Z # mese 13",
        "inc 20261019T070000Z - 20261019T08300Z # corta",
        "",
        "inc 20261019T093000Z - 20261019T083000Z # rovescia",
        "inc",
        "inc # senza inizio",
        "INC 20261019T070000Z",
        "interval 20261019T070000Z",
        "inc 20261019T070000Z - 20261019T083000Z tag senza cancelletto",
        "inc 20261019T070000Z -",
        'inc 20261019T070000Z - 20261019T083000Z # "a\\uD83Db"',
        "   ",
        "inc 20261020T070000Z - 20261020T083000Z # ultima",
    ]
    data = "\n".join(lines).encode("utf-8") + b"\ninc 20261021T070000Z # \xff\xfe\n"
    (tmp_path / "2026-10.data").write_bytes(data)
    rows = list(timewarrior.read_data(tmp_path))
    reasons = {row.line: row.reason for row in rows if isinstance(row, BadRow)}
    assert [row.line for row in rows if isinstance(row, SourceEntry)] == [1, 14]
    assert all(row.file == "2026-10.data" for row in rows)
    assert reasons == {
        2: 'the start is not a time: "20261311T070000Z".',
        3: 'the end is not a time: "20261019T08300Z".',
        5: "its end comes before its start.",
        6: "it has no start time.",
        7: "it has no start time.",
        8: 'it does not start with "inc".',
        9: 'it does not start with "inc".',
        10: 'after the times comes "tag" instead of "#" and the tags.',
        11: 'the end is not a time: "".',
        12: 'it holds "\\uD83D", which is not a character.',
        15: "it is not UTF-8 text.",
    }


def test_a_zero_length_interval_is_read(tmp_path):
    """Timewarrior writes them (start and stop at once); the import decides."""
    (tmp_path / "2026-06.data").write_text("inc 20260618T070000Z - 20260618T070000Z\n")
    (row,) = timewarrior.read_data(tmp_path)
    assert row.start == row.end


def test_a_missing_path_is_an_input_error_with_an_example(tmp_path):
    with pytest.raises(InputError, match="There is no") as caught:
        list(timewarrior.read_data(tmp_path / "nowhere"))
    assert caught.value.hint == "For example: mansioni import timewarrior ~/.timewarrior"


def test_a_folder_without_data_is_an_input_error(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing\n")
    with pytest.raises(InputError, match="is not a Timewarrior folder") as caught:
        list(timewarrior.read_data(tmp_path))
    assert caught.value.hint


def test_a_new_database_with_an_empty_data_folder_has_no_intervals(tmp_path):
    (tmp_path / "data").mkdir()
    assert list(timewarrior.read_data(tmp_path)) == []


# --- where Timewarrior keeps them --------------------------------------------------------


def test_default_path_is_timewarriordb_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMEWARRIORDB", str(tmp_path / "tw"))
    assert timewarrior.default_path() == tmp_path / "tw"


def test_default_path_prefers_the_legacy_folder_then_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("TIMEWARRIORDB", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert timewarrior.default_path() == tmp_path / "share" / "timewarrior"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert timewarrior.default_path() == Path.home() / ".local" / "share" / "timewarrior"
    (Path.home() / ".timewarrior").mkdir(parents=True)
    assert timewarrior.default_path() == Path.home() / ".timewarrior"


def test_default_path_on_windows_is_the_legacy_folder(monkeypatch):
    monkeypatch.delenv("TIMEWARRIORDB", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert timewarrior.default_path() == Path.home() / ".timewarrior"


# --- the property: what timew writes reads back the same --------------------------------

#: Up to 9999-12-31T23:59:59Z; timew writes no start at the epoch itself (0 means unset).
instants = st.integers(min_value=1, max_value=253402300799 - 10 * 86400)

#: Text as timew stores it: no control characters (a newline would split the line) and
#: no surrogates. Once quoted, no backslash and no U+XXXX either: timew resolves escapes
#: when it reads a quoted word but never writes one, so it refuses to store such text
#: ("Failed encode / decode check"); a plain word keeps its backslashes.
_chars = st.characters(exclude_categories=("Cc", "Cs"))
_specials = st.sampled_from(list("aZèÔß€日👍 \"'#\\-+_/()<>^!=~%*.,:;@&?[]{}|$`019\u00a0\u3000"))
_text = st.text(st.one_of(_chars, _specials), min_size=1, max_size=20)


def _quotable(text: str) -> bool:
    return "\\" not in text and "U+" not in text


def _stored_as_written(tag: str) -> bool:
    """A tag timew writes without quotes is read as a plain word: it must not look
    like the start of a quoted string, a number cut by an operator, or the "#"."""
    if QUOTED_IF & set(tag):
        return _quotable(tag)
    if tag == "#" or tag[0] in "\"'":
        return False
    return not (tag[0] in "0123456789" and set(tag) & set("*>"))


tags = st.frozensets(_text.filter(_stored_as_written), max_size=6)
annotations = st.none() | _text.filter(_quotable)


@given(start=instants, length=st.none() | st.integers(0, 10 * 86400), tags=tags, note=annotations)
def test_what_timewarrior_writes_reads_back_the_same(start, length, tags, note):
    end = None if length is None else start + length
    line = serialize(start, end, tags, note)
    got_start, got_end, got_tags, got_note = parse_line(line)
    assert (got_start, got_end, got_note) == (start, end, note)
    assert got_tags == tuple(sorted(tags, key=lambda tag: tag.encode("utf-8")))


@given(st.text(max_size=80))
def test_any_line_is_an_interval_or_a_reason(text):
    try:
        parse_line(text)
    except ValueError as exc:
        assert str(exc).endswith(".")


@given(st.binary(max_size=300))
def test_any_file_gives_intervals_and_bad_rows_only(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("tw")
    (folder / "2026-01.data").write_bytes(data)
    for row in timewarrior.read_data(folder):
        assert isinstance(row, SourceEntry | BadRow)

"""Reading Watson's frames and state: the real files of tests/fixtures/import/watson
(made with Watson 2.1.0, see the README there) and broken ones."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mansioni.errors import InputError
from mansioni.sources import watson
from mansioni.sources.record import BadRow, SourceEntry

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "watson"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
ROME = ZoneInfo("Europe/Rome")


def frames() -> list[SourceEntry]:
    rows = list(watson.read_frames(FIXTURE))
    assert all(isinstance(row, SourceEntry) for row in rows), rows
    return rows


def write_frames(folder: Path, frames: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "frames"
    path.write_text(json.dumps(frames), encoding="utf-8")
    return path


def good(start: int = 1792393200, stop: int = 1792398600, project: str = "admin", id: str = "a1"):
    return [start, stop, project, id, ["email"], 1795798038]


# --- the real files ---------------------------------------------------------------------


def test_every_closed_frame_is_read():
    rows = frames()
    assert len(rows) == EXPECTED["closed_frames"] == 24
    assert [row.line for row in rows] == list(range(1, 25))
    assert len({row.key for row in rows}) == 24  # Watson's frame ids
    assert all(row.file == "frames" and row.end is not None for row in rows)
    assert all(row.zone is None and row.client is None and row.task is None for row in rows)
    assert all(row.note is None and row.person is None for row in rows)


def test_the_sums_per_project_are_watsons_own():
    """Watson's report --json sums stop - start without rounding; so does this."""
    by_project: dict[str, int] = defaultdict(int)
    by_tag: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in frames():
        by_project[row.project] += row.end - row.start
        for tag in row.tags:
            by_tag[row.project][tag] += row.end - row.start
    assert by_project == EXPECTED["seconds_by_project"]
    assert by_tag == EXPECTED["seconds_by_project_and_tag"]
    assert sum(by_project.values()) == EXPECTED["total_seconds"] == 45 * 3600 + 18 * 60 + 54


def test_projects_keep_the_client_task_convention_and_plain_names():
    projects = {row.project for row in frames()}
    assert projects == {
        "Studio Rossi/Newsletter",
        "Studio Rossi/Fatture",
        "Caffè Ôrso/Social post",
        "newsletter",
        "admin",
    }


def test_tags_with_spaces_and_accents():
    tags = {tag for row in frames() for tag in row.tags}
    assert {"revisione cliente", "città", "chiusura mese"} <= tags
    first = frames()[2]
    assert (first.project, first.tags) == ("Caffè Ôrso/Social post", ("instagram", "città"))


def test_the_frame_across_midnight():
    expected = EXPECTED["across_midnight"]
    (row,) = [row for row in frames() if row.key == expected["id"]]
    assert (row.start, row.end) == (expected["start"], expected["end"])
    assert row.end - row.start == expected["seconds"] == 2 * 3600 + 45 * 60
    start = datetime.fromtimestamp(row.start, ROME)
    end = datetime.fromtimestamp(row.end, ROME)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-22T22:30:00+02:00",
        "2026-10-23T01:15:00+02:00",
    )


def test_the_frame_across_the_end_of_summer_time_lasts_four_hours():
    """01:00 CEST to 04:00 CET: three hours on the wall clock, four of time."""
    expected = EXPECTED["across_dst"]
    (row,) = [row for row in frames() if row.key == expected["id"]]
    assert row.end - row.start == expected["seconds"] == 4 * 3600
    start = datetime.fromtimestamp(row.start, ROME)
    end = datetime.fromtimestamp(row.end, ROME)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-25T01:00:00+02:00",
        "2026-10-25T04:00:00+01:00",
    )


def test_the_running_frame_comes_from_the_state_file():
    running = watson.running_frame(FIXTURE)
    expected = EXPECTED["running"]
    assert isinstance(running, SourceEntry) and running.running
    assert (running.file, running.line, running.end) == ("state", 1, None)
    assert (running.project, list(running.tags), running.start) == (
        expected["project"],
        expected["tags"],
        expected["start"],
    )
    assert datetime.fromtimestamp(running.start, ROME).isoformat() == "2026-11-27T09:30:00+01:00"
    assert running.key not in {row.key for row in frames()}
    assert running == watson.running_frame(FIXTURE / "frames")  # the file or its folder


def test_the_folder_and_the_frames_file_read_the_same():
    assert list(watson.read_frames(FIXTURE / "frames")) == frames()


# --- where Watson keeps them --------------------------------------------------------------


def test_default_path_is_watson_dir_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("WATSON_DIR", str(tmp_path / "w"))
    assert watson.default_path() == tmp_path / "w"


def test_default_path_follows_click_on_linux(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("WATSON_DIR", "")  # empty: not set, as Watson reads it
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert watson.default_path() == tmp_path / "config" / "watson"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert watson.default_path() == Path.home() / ".config" / "watson"


def test_default_path_on_macos_and_windows(monkeypatch, tmp_path):
    monkeypatch.delenv("WATSON_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert watson.default_path() == Path.home() / "Library" / "Application Support" / "watson"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert watson.default_path() == tmp_path / "Roaming" / "watson"


# --- broken files -------------------------------------------------------------------------


def test_bad_frames_are_bad_rows_and_the_reader_goes_on(tmp_path):
    path = write_frames(
        tmp_path,
        [
            good(id="a1"),
            "not a frame",
            [1792393200, 1792398600, "admin"],
            [1792393200, 1792398600, "admin", "a4", [], 1795798038, "extra"],
            [1792393200, "2026-10-19 10:30", "admin", "a5", []],
            ["yesterday", 1792398600, "admin", "a6", []],
            [1792398600, 1792393200, "admin", "a7", []],
            [1792393200, 1792398600, "", "a8", []],
            [1792393200, 1792398600, "admin", "a9", "email"],
            [1792393200, 1792398600, "admin", 10, []],
            [1792393200, None, "admin", "a11", []],
            good(id="a1"),
            [True, 1792398600, "admin", "a13", []],
            [1792393200, 1792398600, "admin", "a14", [1, 2]],
            good(id="a15"),
        ],
    )
    rows = list(watson.read_frames(path))
    assert [type(row) for row in rows] == [SourceEntry, *[BadRow] * 13, SourceEntry]
    assert [row.line for row in rows] == list(range(1, 16))
    reasons = {row.line: row.reason for row in rows if isinstance(row, BadRow)}
    assert all(row.file == "frames" for row in rows)
    assert reasons[2].startswith("it is not a frame: Watson writes [start, stop, project")
    assert '"not a frame"' in reasons[2]
    assert reasons[3].startswith("it is not a frame")
    assert reasons[4].startswith("it is not a frame")
    assert reasons[5] == 'the end is not a time: "2026-10-19 10:30".'
    assert reasons[6] == 'the start is not a time: "yesterday".'
    assert reasons[7] == "its end comes before its start."
    assert reasons[8] == 'the project is not a name: "".'
    assert reasons[9] == 'the tags are not a list of words: "email".'
    assert reasons[10] == "the id is not text: 10."
    assert reasons[11] == "it has no end."
    assert reasons[12] == "the id a1 is used again (first at line 1)."
    assert reasons[13] == "the start is not a time: true."
    assert reasons[14] == "the tags are not a list of words: [1, 2]."
    assert rows[-1].key == "a15"


def test_frames_of_older_watsons_without_tags_or_updated_at(tmp_path):
    path = write_frames(tmp_path, [[1792393200, 1792398600, "admin", "old1"]])
    (row,) = watson.read_frames(path)
    assert (row.key, row.project, row.tags) == ("old1", "admin", ())


def test_an_integral_float_is_a_time_and_a_fraction_is_not(tmp_path):
    path = write_frames(
        tmp_path,
        [[1792393200.0, 1792398600, "admin", "f1", []], [1792393200.5, 1792398600, "x", "f2", []]],
    )
    first, second = watson.read_frames(path)
    assert first.start == 1792393200 and isinstance(first.start, int)
    assert second.reason == "the start is not a time: 1792393200.5."


def test_a_long_bad_value_is_cut_short(tmp_path):
    path = write_frames(tmp_path, [["x" * 200, 1792398600, "admin", "a1", []]])
    (row,) = watson.read_frames(path)
    assert row.reason == 'the start is not a time: "' + "x" * 76 + "...."  # 80 characters, then "."


def test_an_empty_frames_file_has_no_frames(tmp_path):
    (tmp_path / "frames").write_bytes(b"")
    assert list(watson.read_frames(tmp_path)) == []


def test_a_frames_file_that_is_not_json_is_an_input_error(tmp_path):
    (tmp_path / "frames").write_text('[[1792393200, 1792398600, "admin"', encoding="utf-8")
    with pytest.raises(InputError, match="is not a Watson frames file") as caught:
        list(watson.read_frames(tmp_path))
    assert "JSON list" in caught.value.hint


def test_a_frames_file_that_is_not_a_list_is_an_input_error(tmp_path):
    write_frames(tmp_path, {"frames": []})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="holds no list of frames") as caught:
        list(watson.read_frames(tmp_path))
    assert caught.value.hint


def test_a_missing_path_is_an_input_error_with_an_example(tmp_path):
    with pytest.raises(InputError, match="There is no") as caught:
        list(watson.read_frames(tmp_path / "nowhere"))
    assert caught.value.hint == "For example: mansioni import watson ~/.config/watson"


def test_a_folder_without_frames_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="has no frames file") as caught:
        list(watson.read_frames(tmp_path))
    assert caught.value.hint


def test_a_folder_with_only_a_running_frame_has_no_frames(tmp_path):
    (tmp_path / "state").write_text(
        '{"project": "admin", "start": 1795768200, "tags": []}', encoding="utf-8"
    )
    assert list(watson.read_frames(tmp_path)) == []
    running = watson.running_frame(tmp_path)
    assert (running.project, running.start, running.tags) == ("admin", 1795768200, ())


@pytest.mark.parametrize("content", [None, "", "{}", '{"tags": ["x"]}', '{"project": ""}'])
def test_no_running_frame(tmp_path, content):
    write_frames(tmp_path, [])
    if content is not None:
        (tmp_path / "state").write_text(content, encoding="utf-8")
    assert watson.running_frame(tmp_path) is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "it is not JSON: "),
        ("[1, 2]", "it is not a JSON object: [1, 2]."),
        ('{"project": "admin"}', "the start is not a time: null."),
        ('{"project": "admin", "start": "09:30"}', 'the start is not a time: "09:30".'),
        ('{"project": "admin", "start": 1795768200, "tags": "x"}', "the tags are not a list"),
    ],
)
def test_a_broken_state_is_a_bad_row(tmp_path, content, reason):
    write_frames(tmp_path, [])
    (tmp_path / "state").write_text(content, encoding="utf-8")
    row = watson.running_frame(tmp_path)
    assert isinstance(row, BadRow) and (row.file, row.line) == ("state", 1)
    assert row.reason.startswith(reason)

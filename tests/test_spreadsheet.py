"""CSV for spreadsheets: opens right in either language, and never runs as a formula."""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mansioni.cli.output import choose_format, emit
from mansioni.errors import InputError, StoreError
from mansioni.report.spreadsheet import BOM, FORMULA_START, cell, dialect, safe_text, to_csv

PAYLOADS = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "\t=1", "+1", "-2", "\r=1", "\n=1"]


def read_back(text: str, language: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=dialect(language).delimiter))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_a_spreadsheet_would_evaluate_is_neutralised(payload):
    [_, row] = read_back(to_csv(["task"], [[payload]], language="en"), "en")
    assert row == ["'" + payload]


def test_numbers_stay_numbers_even_when_negative():
    [_, row] = read_back(
        to_csv(["a", "b", "c", "d"], [[-2, -1.5, Decimal("12.30"), 0]], language="en"), "en"
    )
    assert row == ["-2", "-1.5", "12.30", "0"]


def test_italian_uses_semicolons_and_a_decimal_comma():
    text = to_csv(["attività", "ore"], [["Caffè Ôrso; newsletter", 1.25]], language="it")
    assert read_back(text, "it") == [["attività", "ore"], ["Caffè Ôrso; newsletter", "1,25"]]


def test_no_float_is_written_in_scientific_notation():
    assert cell(1e-05, dialect("en")) == "0.00001"
    assert cell(1e20, dialect("it")) == "100000000000000000000"
    with pytest.raises(ValueError):
        cell(float("nan"), dialect("en"))


def test_empty_and_boolean_cells():
    d = dialect("en")
    assert (cell(None, d), cell(True, d), cell(False, d)) == ("", "true", "false")


@given(st.text())
def test_any_text_round_trips_and_never_starts_a_cell_with_a_formula_character(text):
    for language in ("en", "it"):
        [header, row] = read_back(to_csv(["x"], [[text]], language=language), language)
        assert header == ["x"]
        assert not row[0].startswith(FORMULA_START)
        assert row[0] == safe_text(text)
        assert row[0].removeprefix("'") == text or row[0] == text


def test_a_format_outside_the_list_is_bad_input():
    assert choose_format(" CSV ", ("csv", "json"), example="x") == "csv"
    with pytest.raises(InputError) as caught:
        choose_format("xls", ("csv", "json"), example="mansioni export --format csv")
    assert "csv, json" in caught.value.message
    assert "mansioni export --format csv" in (caught.value.hint or "")


def test_emit_writes_a_whole_file_and_replaces_an_old_one(tmp_path, capsys):
    target = tmp_path / "report.csv"
    target.write_text("old")
    emit("new ✓\n", str(target))
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
    emit("to the terminal\n", None)
    emit("dash too\n", "-")
    assert capsys.readouterr().out == "to the terminal\ndash too\n"


def test_a_missing_folder_or_a_folder_as_target_is_refused(tmp_path):
    with pytest.raises(InputError):
        emit("x", str(tmp_path / "nope" / "r.html"))
    with pytest.raises(InputError):
        emit("x", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path, monkeypatch):
    target = tmp_path / "r.md"
    target.write_text("before")

    def no_room(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_room)
    with pytest.raises(StoreError) as caught:
        emit("after", str(target))
    assert caught.value.message == f"The disk is full: {target} was not written."
    assert target.read_text() == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]

"""Reading Toggl Track detailed reports (``sources.toggl``) against the fixtures of
``tests/fixtures/import/toggl`` (see its README for where the format comes from)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpers import iso, only_entries
from helpers import sheet_expected as expected
from helpers import sheet_totals as totals
from mansioni.errors import InputError
from mansioni.sources.record import BadRow, SourceEntry
from mansioni.sources.toggl import inspect_toggl, read_toggl

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "toggl"
CLOCKIFY = Path(__file__).parent / "fixtures" / "import" / "clockify"
FILES = sorted(FIXTURES.glob("*.csv"))
ZONE = "Europe/Rome"
HEADER = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,"
    "End date,End time,Duration,Tags,Amount (EUR)"
)


def read(path: Path, **options) -> list[SourceEntry | BadRow]:
    return list(read_toggl(path, zone=options.pop("zone", ZONE), **options))


def entries(path: Path, **options) -> list[SourceEntry]:
    return only_entries(read(path, **options))


def write(tmp_path: Path, text: str, name: str = "report.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the fixtures ------------------------------------------------------------------


def test_there_is_a_fixture_for_each_format():
    assert {f.name for f in FILES} >= {
        "detailed-en-ymd-24h.csv",
        "detailed-en-dmy-24h.csv",
        "detailed-en-mdy-12h.csv",
        "time-entries-export.csv",
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_fixture_reads_to_its_expected_entries_and_totals(path):
    rows = entries(path)
    want = expected(path)
    assert len(rows) == want["entries"]
    assert totals(rows) == want["totals"]
    assert [[iso(r.start), iso(r.end)] for r in rows] == want["instants"]


def test_every_format_reads_to_the_same_entries():
    reference = entries(FIXTURES / "detailed-en-ymd-24h.csv")
    for path in FILES:
        rows = entries(path)
        assert [r[2:] for r in rows] == [r[2:] for r in reference], path.name  # all but file, line


def test_the_fixtures_are_what_build_py_writes():
    spec = importlib.util.spec_from_file_location("toggl_build", FIXTURES / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name, text in build.build().items():
        assert (FIXTURES / name).read_bytes() == text.encode("utf-8"), name


def test_toggl_and_clockify_fixtures_hold_the_same_instants():
    toggl = expected(FIXTURES / "detailed-en-ymd-24h.csv")
    clockify = expected(CLOCKIFY / "detailed-en.csv")
    assert toggl["instants"] == clockify["instants"]
    assert toggl["totals"] == clockify["totals"]


def test_the_fields_of_an_entry():
    rows = entries(FIXTURES / "detailed-en-ymd-24h.csv")
    first = rows[0]
    assert first.file == str(FIXTURES / "detailed-en-ymd-24h.csv")
    assert first.line == 2
    assert first.zone == ZONE
    assert (first.client, first.project, first.task) == (
        "Studio Légale Ferrè",
        "Amministrazione",
        "Email",
    )
    assert first.tags == ("urgente",)
    assert first.note == "Risposte email, agenda e promemoria"
    assert first.person == "Giulia Rossi"
    quoted = rows[1]
    assert quoted.client == "Rossi, Bianchi & Co."
    assert quoted.note == 'Fatture di gennaio; solleciti "urgenti"'
    night = rows[2]
    assert night.client == 'Caffè "Il Gufo"'
    assert night.note == "Bozza newsletter\nseconda revisione, con foto"
    assert night.tags == ("telefono", "urgente")
    assert (night.line, rows[3].line) == (4, 6)  # the row before spans two physical lines


def test_missing_client_project_task_note_are_none():
    rows = entries(FIXTURES / "detailed-en-ymd-24h.csv")
    no_client = next(r for r in rows if r.project == "Formazione")
    assert (no_client.client, no_client.task) == (None, None)
    assert no_client.note == 'Webinar "Canva per principianti"'
    nothing = next(r for r in rows if r.note == "Telefonata, da classificare")
    assert (nothing.client, nothing.project, nothing.task, nothing.tags) == (None, None, None, ())
    empty = next(
        r for r in rows if r.start == int(datetime(2026, 9, 30, 11, tzinfo=UTC).timestamp())
    )
    assert empty.note is None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_midnight_and_summer_time_entries_last_what_their_instants_say(path):
    rows = {r.note: r for r in entries(path)}
    night = rows["Bozza newsletter\nseconda revisione, con foto"]
    assert night.end - night.start == 6345  # 22:30:00 to 00:15:45 the next day
    spring = rows["Programmazione post notturna"]
    assert spring.end - spring.start == 3600  # 01:30 CET to 03:30 CEST: one hour, not two
    assert iso(spring.start) == "2026-03-29T00:30:00Z"
    autumn = rows["Riordino archivio (cambio dell'ora)"]
    assert autumn.end - autumn.start == 6300  # 01:45 CEST to the second 02:30 (CET)
    assert (iso(autumn.start), iso(autumn.end)) == ("2026-10-24T23:45:00Z", "2026-10-25T01:30:00Z")
    long = rows["Migrazione del sito (lavoro notturno)"]
    assert long.end - long.start == 26 * 3600


def test_keys_are_stable_across_formats_and_unique():
    keys = [r.key for r in entries(FIXTURES / "detailed-en-ymd-24h.csv")]
    assert len(set(keys)) == len(keys)
    for path in FILES:
        assert [r.key for r in entries(path)] == keys


def test_a_renamed_project_or_edited_description_keeps_the_key(tmp_path):
    text = (FIXTURES / "detailed-en-ymd-24h.csv").read_text(encoding="utf-8-sig")
    edited = text.replace("Amministrazione", "Admin").replace("Risposte email", "Email")
    before = entries(FIXTURES / "detailed-en-ymd-24h.csv")
    after = entries(write(tmp_path, edited))
    assert [r.key for r in after] == [r.key for r in before]
    assert after[0].project == "Admin"


def test_identical_rows_get_different_keys(tmp_path):
    row = (
        "Giulia,g@example.com,Acme,Site,,Call,No,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,,"
    )
    path = write(tmp_path, f"{HEADER}\n{row}\n{row}\n{row.replace('Call', 'Other call')}\n")
    keys = [r.key for r in entries(path)]
    assert len(set(keys)) == 3
    again = write(
        tmp_path, f"{HEADER}\n{row}\n{row}\n{row.replace('Call', 'Other call')}\n", "again.csv"
    )
    assert [r.key for r in entries(again)] == keys


def test_a_different_person_at_the_same_time_is_a_different_entry(tmp_path):
    row = (
        "Giulia,g@example.com,Acme,Site,,Call,No,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,,"
    )
    other = row.replace("Giulia,g@", "Marco,m@")
    first, second = entries(write(tmp_path, f"{HEADER}\n{row}\n{other}\n"))
    assert first.key != second.key
    assert (first.person, second.person) == ("Giulia", "Marco")


# --- variants of the file --------------------------------------------------------


def test_semicolons_crlf_and_no_bom(tmp_path):
    text = (FIXTURES / "detailed-en-ymd-24h.csv").read_text(encoding="utf-8-sig")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = write(tmp_path, out.getvalue())
    reference = entries(FIXTURES / "detailed-en-ymd-24h.csv")
    got = entries(path)
    assert [r[2:] for r in got] == [r[2:] for r in reference]
    assert [r.line for r in got] == [r.line for r in reference]


def test_windows_1252_saved_by_a_spreadsheet(tmp_path):
    text = (FIXTURES / "detailed-en-dmy-24h.csv").read_text(encoding="utf-8-sig").replace("«", '"')
    text = text.replace("»", '"').replace('"Chi siamo"', "Chi siamo")
    path = write(tmp_path, text, encoding="cp1252")
    rows = entries(path)
    assert rows[0].client == "Studio Légale Ferrè"


def test_columns_in_another_order_and_case(tmp_path):
    text = (
        "Start Date,START TIME,end date,End time,duration,description,user\n"
        "2026-05-04,09:00:00,2026-05-04,09:30:00,00:30:00,Call,Giulia\n"
    )
    (row,) = entries(write(tmp_path, text))
    assert (row.end - row.start, row.note, row.person, row.project) == (
        1800,
        "Call",
        "Giulia",
        None,
    )


def test_the_data_export_without_amount_and_classic_durations(tmp_path):
    text = (
        '"User","Email","Client","Project","Task","Description","Billable","Start date",'
        '"Start time","End date","End time","Duration","Tags"\n'
        '"Andy","email@example.com","Customer Name","Project Name","","Update healthchecks",'
        '"No","2026-08-21","19:21:21","2026-08-21","19:39:46","18:25 min","Maintenance"\n'
    )
    (row,) = entries(write(tmp_path, text))
    assert row.end - row.start == 1105
    assert row.tags == ("Maintenance",)


# --- ends and durations --------------------------------------------------------


def test_without_an_end_the_duration_gives_it(tmp_path):
    text = f"{HEADER}\nGiulia,g@example.com,,Site,,Call,No,2026-05-04,09:00:00,,,01:30:00,,\n"
    (row,) = entries(write(tmp_path, text))
    assert row.end - row.start == 5400


def test_without_end_nor_duration_the_timer_is_running(tmp_path):
    text = f"{HEADER}\nGiulia,g@example.com,,Site,,Open,No,2026-05-04,09:00:00,,,,,\n"
    (row,) = entries(write(tmp_path, text))
    assert row.end is None
    assert row.running


def test_a_zero_length_entry_is_read(tmp_path):
    text = f"{HEADER}\nPeter,p@example.com,,P,,,No,2024-03-04,10:23:52,2024-03-04,10:23:52,00:00:00,,\n"
    (row,) = entries(write(tmp_path, text))
    assert row.end == row.start


def test_the_zone_turns_wall_clock_into_instants(tmp_path):
    text = f"{HEADER}\nGiulia,g@example.com,,Site,,Call,No,2026-07-01,09:00:00,2026-07-01,10:00:00,01:00:00,,\n"
    path = write(tmp_path, text)
    (rome,) = entries(path, zone="Europe/Rome")
    (york,) = entries(path, zone="America/New_York")
    assert iso(rome.start) == "2026-07-01T07:00:00Z"
    assert york.start - rome.start == 6 * 3600
    assert york.zone == "America/New_York"
    assert york.key == rome.key  # keyed by the clock times written: the same entry, read elsewhere


# --- dates -------------------------------------------------------------------------


AMBIGUOUS = (
    f"{HEADER}\n"
    "Giulia,g@example.com,,Site,,A,No,03/02/2026,09:00:00,03/02/2026,10:00:00,01:00:00,,\n"
    "Giulia,g@example.com,,Site,,B,No,04/02/2026,09:00:00,04/02/2026,10:00:00,01:00:00,,\n"
)


def test_ambiguous_dates_are_day_first_unless_told(tmp_path):
    path = write(tmp_path, AMBIGUOUS)
    first, _second = entries(path)
    assert iso(first.start) == "2026-02-03T08:00:00Z"
    info = inspect_toggl(path)
    assert (info.date_format, info.date_format_shown) == ("DD/MM/YYYY", False)
    first, _second = entries(path, date_format="MM/DD/YYYY")
    assert iso(first.start) == "2026-03-02T08:00:00Z"
    assert inspect_toggl(path, date_format="MM/DD/YYYY").date_format == "MM/DD/YYYY"


def test_a_row_across_midnight_tells_the_date_order(tmp_path):
    text = (
        AMBIGUOUS
        + "Giulia,g@example.com,,Site,,C,No,03/02/2026,23:00:00,03/03/2026,01:00:00,02:00:00,,\n"
    )
    path = write(tmp_path, text)
    assert inspect_toggl(path).date_format == "MM/DD/YYYY"
    rows = entries(path)
    assert iso(rows[0].start) == "2026-03-02T08:00:00Z"


def test_inspect_reports_what_the_file_is():
    info = inspect_toggl(FIXTURES / "detailed-en-mdy-12h.csv")
    assert info.rows == 12
    assert info.encoding == "utf-8-sig"
    assert info.delimiter == ","
    assert info.languages == ("en",)
    assert (info.date_format, info.date_format_shown, info.twelve_hour) == (
        "MM/DD/YYYY",
        True,
        True,
    )


def test_an_unknown_date_format_is_refused():
    with pytest.raises(InputError):
        read_toggl(FIXTURES / "detailed-en-ymd-24h.csv", zone=ZONE, date_format="YY/MM/DD")


# --- bad rows --------------------------------------------------------------------


def test_bad_rows_are_reported_with_their_physical_line_and_reading_goes_on(tmp_path):
    good = "Giulia,g@example.com,,Site,,Ok,No,2026-05-04,09:00:00,2026-05-04,10:00:00,01:00:00,,"
    lines = [
        HEADER,  # 1
        'Giulia,g@example.com,,Site,,"two\nlines",No,2026-05-04,08:00:00,2026-05-04,08:30:00,00:30:00,,',  # 2-3
        good.replace("2026-05-04,09", "2026-05-44,09"),  # 4: bad date
        good.replace("10:00:00,01:00:00", "08:00:00,01:00:00"),  # 5: ends before it starts
        good.replace("01:00:00", "an hour"),  # 6: garbage duration
        good.replace("09:00:00", "9 o'clock"),  # 7: bad time
        good + ",extra",  # 8: one field too many
        good.replace("01:00:00", "03:00:00"),  # 9: end and duration disagree
        good.replace(",2026-05-04,10:00:00", ",,10:00:00"),  # 10: end time without date
        good.replace("2026-05-04,09:00:00", ",09:00:00"),  # 11: no start date
        "",  # 12: blank
        good,  # 13
    ]
    rows = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert [type(r).__name__ for r in rows] == ["SourceEntry"] + ["BadRow"] * 8 + ["SourceEntry"]
    assert [r.line for r in rows] == [2, 4, 5, 6, 7, 8, 9, 10, 11, 13]
    reasons = [r.reason for r in rows if isinstance(r, BadRow)]
    assert "'2026-05-44'" in reasons[0] and "YYYY-MM-DD" in reasons[0]
    assert "before it starts" in reasons[1]
    assert "'an hour'" in reasons[2]
    assert '"9 o\'clock"' in reasons[3]
    assert "15 fields" in reasons[4] and "14" in reasons[4]
    assert "disagree by 7200 seconds" in reasons[5] and "rounding" in reasons[5]
    assert "end has a date but no time" in reasons[6]
    assert reasons[7] == "it has no start date."
    assert all(r.file == str(tmp_path / "report.csv") for r in rows)


def test_a_second_of_clock_rounding_is_not_a_disagreement(tmp_path):
    text = f"{HEADER}\nGiulia,g@example.com,,Site,,Call,No,2026-05-04,09:00:00,2026-05-04,10:00:02,01:00:00,,\n"
    (row,) = entries(write(tmp_path, text))
    assert row.end - row.start == 3602


# --- files that are not a Toggl detailed report -----------------------------------


def test_a_clockify_export_is_refused_with_the_command_that_reads_it():
    path = CLOCKIFY / "detailed-en.csv"
    with pytest.raises(InputError) as caught:
        read_toggl(path, zone=ZONE)
    assert "Clockify" in caught.value.message
    assert "mansioni import clockify" in caught.value.hint


def test_a_summary_report_is_refused_with_the_columns_expected(tmp_path):
    path = write(tmp_path, "Client,Project,Duration,Amount (EUR)\nAcme,Site,01:00:00,25.00\n")
    with pytest.raises(InputError) as caught:
        read_toggl(path, zone=ZONE)
    assert "Start date" in caught.value.message and "Start time" in caught.value.message
    assert "Detailed" in caught.value.hint and "Start date" in caught.value.hint


def test_a_file_that_is_not_there(tmp_path):
    with pytest.raises(InputError) as caught:
        read_toggl(tmp_path / "nothing.csv", zone=ZONE)
    assert "nothing.csv" in caught.value.message
    assert caught.value.hint


def test_a_folder_an_empty_file_and_a_binary_file(tmp_path):
    with pytest.raises(InputError):
        read_toggl(tmp_path, zone=ZONE)
    with pytest.raises(InputError):
        read_toggl(write(tmp_path, "", "empty.csv"), zone=ZONE)
    with pytest.raises(InputError):
        read_toggl(write(tmp_path, "User,\x00Email\n", "binary.csv"), zone=ZONE)


def test_an_unknown_zone_is_refused_before_reading():
    with pytest.raises(InputError) as caught:
        read_toggl(FIXTURES / "detailed-en-ymd-24h.csv", zone="Mars/Olympus")
    assert "Mars/Olympus" in caught.value.message

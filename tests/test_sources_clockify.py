"""Reading Clockify detailed reports (``sources.clockify``) against the fixtures of
``tests/fixtures/import/clockify`` (see its README for where each language comes from)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from helpers import iso, only_entries
from helpers import sheet_expected as expected
from helpers import sheet_totals as totals
from mansioni.errors import InputError
from mansioni.sources.clockify import inspect_clockify, read_clockify
from mansioni.sources.record import BadRow, SourceEntry

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "clockify"
TOGGL = Path(__file__).parent / "fixtures" / "import" / "toggl"
FILES = sorted(FIXTURES.glob("*.csv"))
ZONE = "Europe/Rome"
HEADER = (
    '"Project","Client","Description","Task","User","Group","Email","Tags","Billable",'
    '"Start Date","Start Time","End Date","End Time","Duration (h)","Duration (decimal)",'
    '"Billable Rate (USD)","Billable Amount (USD)"'
)


def read(path: Path, **options) -> list[SourceEntry | BadRow]:
    return list(read_clockify(path, zone=options.pop("zone", ZONE), **options))


def entries(path: Path, **options) -> list[SourceEntry]:
    return only_entries(read(path, **options))


def write(tmp_path: Path, text: str, name: str = "report.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def row(**values: str) -> str:
    fields = {
        "Project": "Site",
        "Client": "Acme",
        "Description": "Call",
        "Task": "",
        "User": "Giulia",
        "Group": "",
        "Email": "g@example.com",
        "Tags": "",
        "Billable": "No",
        "Start Date": "05/04/2026",
        "Start Time": "09:00:00 AM",
        "End Date": "05/04/2026",
        "End Time": "10:00:00 AM",
        "Duration (h)": "01:00:00",
        "Duration (decimal)": "1.00",
        "Billable Rate (USD)": "0.00",
        "Billable Amount (USD)": "0.00",
    }
    fields.update({name.replace("_", " "): value for name, value in values.items()})
    return ",".join('"' + value.replace('"', '""') + '"' for value in fields.values())


# --- the fixtures ------------------------------------------------------------------


def test_there_is_a_fixture_for_each_language():
    languages = {expected(f)["language"] for f in FILES}
    assert languages == {"en", "es", "fr", "de", "pt"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_fixture_reads_to_its_expected_entries_and_totals(path):
    rows = entries(path)
    want = expected(path)
    assert len(rows) == want["entries"]
    assert totals(rows) == want["totals"]
    assert [[iso(r.start), iso(r.end)] for r in rows] == want["instants"]


def test_every_language_and_format_reads_to_the_same_entries():
    reference = entries(FIXTURES / "detailed-en.csv")
    for path in FILES:
        assert [r[2:] for r in entries(path)] == [r[2:] for r in reference], path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_inspect_names_the_language_and_formats(path):
    info = inspect_clockify(path)
    want = expected(path)
    assert info.languages[0] == want["language"]
    assert info.rows == want["entries"]
    assert info.date_format_shown
    assert info.twelve_hour == (path.name == "detailed-en.csv")


def test_the_fixtures_are_what_build_py_writes():
    spec = importlib.util.spec_from_file_location("clockify_build", FIXTURES / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name, text in build.build().items():
        assert (FIXTURES / name).read_bytes() == text.encode("utf-8"), name


def test_clockify_and_toggl_read_the_same_data_to_the_same_entries():
    from mansioni.sources.toggl import read_toggl

    clockify = entries(FIXTURES / "detailed-es.csv")
    toggl = list(read_toggl(TOGGL / "detailed-en-ymd-24h.csv", zone=ZONE))
    assert [
        (r.start, r.end, r.client, r.project, r.task, r.tags, r.note, r.person) for r in clockify
    ] == [(r.start, r.end, r.client, r.project, r.task, r.tags, r.note, r.person) for r in toggl]


def test_the_fields_of_an_entry():
    rows = entries(FIXTURES / "detailed-de.csv")
    first = rows[0]
    assert (first.line, first.zone, first.person) == (2, ZONE, "Giulia Rossi")
    assert (first.client, first.project, first.task) == (
        "Studio Légale Ferrè",
        "Amministrazione",
        "Email",
    )
    assert first.tags == ("urgente",)
    night = rows[2]
    assert night.note == "Bozza newsletter\nseconda revisione, con foto"
    assert night.tags == ("telefono", "urgente")
    assert rows[3].line == 6
    marco = rows[-1]
    assert marco.person == "Marco Bianchi"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_midnight_and_summer_time_entries_last_what_their_instants_say(path):
    rows = {r.note: r for r in entries(path)}
    assert (
        rows["Bozza newsletter\nseconda revisione, con foto"].end
        - rows["Bozza newsletter\nseconda revisione, con foto"].start
        == 6345
    )
    spring = rows["Programmazione post notturna"]
    assert spring.end - spring.start == 3600
    autumn = rows["Riordino archivio (cambio dell'ora)"]
    assert autumn.end - autumn.start == 6300
    assert iso(autumn.end) == "2026-10-25T01:30:00Z"
    after_midnight = rows["Email urgenti dopo mezzanotte"]
    assert iso(after_midnight.start) == "2026-06-30T22:20:00Z"  # 12:20 AM is 00:20


def test_keys_do_not_depend_on_language_or_format():
    keys = [r.key for r in entries(FIXTURES / "detailed-en.csv")]
    assert len(set(keys)) == len(keys)
    for path in FILES:
        assert [r.key for r in entries(path)] == keys


def test_keys_are_per_service():
    from mansioni.sources.toggl import read_toggl

    toggl = {r.key for r in read_toggl(TOGGL / "detailed-en-ymd-24h.csv", zone=ZONE)}
    assert toggl.isdisjoint(r.key for r in entries(FIXTURES / "detailed-en.csv"))


# --- variants ----------------------------------------------------------------------


def test_the_real_layout_of_solidtime_s_test_file(tmp_path):
    """Two rows as a real export has them: a zero-length entry, times without seconds."""
    text = (
        HEADER + "\n"
        '"Project without Client","","","","Peter Tester","","peter.test@email.test",'
        '"Development, Backend","No","03/04/2024","10:23:52 AM","03/04/2024","10:23:52 AM",'
        '"00:00:00","0.00","0.00","0.00"\n'
        '"Project for Big Company","Big Company","Working hard","Task 1","Peter Tester","",'
        '"peter.test@email.test","","Yes","03/04/2024","10:23 AM","03/04/2024","11:23:01 AM",'
        '"01:00:01","0.00","0.00","0.00"\n'
    )
    empty, work = entries(write(tmp_path, text), date_format="MM/DD/YYYY")
    assert empty.end == empty.start
    assert empty.tags == ("Development", "Backend")
    assert (empty.client, empty.note, empty.task) == (None, None, None)
    assert work.end - work.start == 3601  # the start has no seconds: checked within a minute
    assert iso(work.start) == "2024-03-04T09:23:00Z"


def test_department_instead_of_client(tmp_path):
    text = HEADER.replace('"Client"', '"Department"') + "\n" + row(Client="Sales") + "\n"
    (entry,) = entries(write(tmp_path, text))
    assert entry.client == "Sales"


def test_only_the_decimal_duration(tmp_path):
    header = HEADER.replace('"Duration (h)",', "").replace(',"End Date","End Time"', "")
    line = row(**{"Duration (decimal)": "1.75"}).split(",")
    del line[13]  # Duration (h)
    del line[11:13]  # End Date, End Time
    (entry,) = entries(write(tmp_path, header + "\n" + ",".join(line) + "\n"))
    assert entry.end - entry.start == 6300


def test_a_compact_duration_checks_the_end_to_the_minute(tmp_path):
    text = HEADER + "\n" + row(End_Time="10:00:40 AM", **{"Duration (h)": "1:00"}) + "\n"
    (entry,) = entries(write(tmp_path, text))
    assert entry.end - entry.start == 3640


def test_hidden_duration_columns(tmp_path):
    header = HEADER.split(",")
    lines = [
        ",".join(header[:13] + header[15:]),
        ",".join(row().split(",")[:13] + row().split(",")[15:]),
    ]
    (entry,) = entries(write(tmp_path, "\n".join(lines) + "\n"))
    assert entry.end - entry.start == 3600


def test_a_spreadsheet_s_semicolons_and_decimal_commas(tmp_path):
    text = (
        "Projeto;Cliente;Descrição;Tarefa;Usuário;Grupo;E-mail;Etiquetas;Faturável;Data de início;"
        "Hora de início;Data de término;Hora de término;Duração (h);Duração (decimal)\n"
        "Projeto PT;Cliente PT;Reunião;Análise;Ana;;ana@example.com;reunião;Sim;20/02/2026;14:00:00;"
        "20/02/2026;15:30:00;01:30:00;1,50\n"
        "Projeto PT;Cliente PT;Sem fim;;Ana;;ana@example.com;;Não;21/02/2026;09:00:00;;;;2,00\n"
    )
    first, second = entries(write(tmp_path, text))
    assert (first.project, first.task, first.tags) == ("Projeto PT", "Análise", ("reunião",))
    assert first.end - first.start == 5400
    assert second.end - second.start == 7200


def test_extra_and_custom_columns_are_ignored(tmp_path):
    text = HEADER + ',"Invoiced","Invoice ID","Date of creation","Budget code"\n'
    text += row() + ',"No","","05/04/2026","B-12"\n'
    (entry,) = entries(write(tmp_path, text))
    assert entry.end - entry.start == 3600


# --- bad rows --------------------------------------------------------------------


def test_bad_rows_are_reported_with_their_physical_line_and_reading_goes_on(tmp_path):
    lines = [
        HEADER,  # 1
        row(Description="first\nsecond\nthird"),  # 2-4
        row(Start_Date="05/32/2026"),  # 5
        row(End_Time="08:00:00 AM"),  # 6: ends before it starts
        row(**{"Duration (h)": "one hour"}),  # 7
        row(**{"Duration (h)": "01:15:00"}),  # 8: rounded
        row(Start_Time="13:00 PM"),  # 9
        row(),  # 10
    ]
    rows = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert [r.line for r in rows] == [2, 5, 6, 7, 8, 9, 10]
    assert [isinstance(r, BadRow) for r in rows] == [False, True, True, True, True, True, False]
    assert "'05/32/2026'" in rows[1].reason and "MM/DD/YYYY" in rows[1].reason
    assert "before it starts" in rows[2].reason
    assert "'one hour'" in rows[3].reason
    assert "disagree by 900 seconds" in rows[4].reason
    assert "'13:00 PM'" in rows[5].reason


# --- files that are not a Clockify detailed report -------------------------------


def test_a_toggl_export_is_refused_with_the_command_that_reads_it():
    with pytest.raises(InputError) as caught:
        read_clockify(TOGGL / "detailed-en-ymd-24h.csv", zone=ZONE)
    assert "Toggl Track" in caught.value.message
    assert "mansioni import toggl" in caught.value.hint


def test_a_summary_report_is_refused_with_the_columns_expected(tmp_path):
    path = write(
        tmp_path,
        '"Project","Client","Time (h)","Time (decimal)","Amount (USD)"\n"A","B","1:00:00","1.00","0"\n',
    )
    with pytest.raises(InputError) as caught:
        read_clockify(path, zone=ZONE)
    assert "Start Date" in caught.value.message
    assert "Detailed" in caught.value.hint and "Start Date" in caught.value.hint


def test_an_italian_header_is_not_guessed(tmp_path):
    """Clockify exports no Italian: such a file is not taken for one."""
    text = (
        "Progetto,Cliente,Descrizione,Attività,Utente,Data di inizio,Ora di inizio,"
        "Data di fine,Ora di fine,Durata (h)\n"
        "Sito,Acme,Call,,Giulia,04/05/2026,09:00:00,04/05/2026,10:00:00,01:00:00\n"
    )
    with pytest.raises(InputError):
        read_clockify(write(tmp_path, text), zone=ZONE)


def test_a_missing_file(tmp_path):
    with pytest.raises(InputError) as caught:
        read_clockify(tmp_path / "export.csv", zone=ZONE)
    assert "Clockify" in caught.value.hint

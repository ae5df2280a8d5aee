"""The import service over rows as any reader yields them: one transaction, no duplicates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import TABLES, dump, rows
from mansioni.errors import InputError
from mansioni.services import importing
from mansioni.sources.mapping import Mapping
from mansioni.sources.record import BadRow, SourceEntry
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url

ALL = (*TABLES, "task_event", "imported")
H = 3600
DAY0 = 1_780_000_000  # 2026-05-28, well before the tests' clock (2026-11-27)


def entry(key, start, end, project="Rossi/Newsletter", **fields) -> SourceEntry:
    return SourceEntry("frames", fields.pop("line", 1), key, start, end, project=project, **fields)


@pytest.fixture
def store(at):
    opened = AlchemyStore(store_url())
    yield opened
    opened.dispose()


def run(store, source_rows, **options):
    defaults = {
        "source": "watson",
        "mapping": Mapping(),
        "client": None,
        "person": "vera",
        "zone": "Europe/Rome",
        "now": 1_795_788_000,
    }
    return importing.run(store, source_rows, **{**defaults, **options})


def test_an_import_creates_what_it_lacks_and_a_second_run_adds_nothing(store, isolated_home):
    source = [
        entry("a", DAY0, DAY0 + H),
        entry("b", DAY0 + 2 * H, DAY0 + 3 * H, project="Bianchi/Posta"),
        entry("c", DAY0 + 86400, DAY0 + 86400 + 1800),
    ]
    first = run(store, source)
    assert (first.imported, first.already) == (3, 0)
    assert first.new_clients == ["Rossi", "Bianchi"]
    assert sorted(first.new_tasks) == ["Bianchi/Posta", "Rossi/Newsletter"]
    assert {t.full: (t.entries, t.seconds) for t in first.totals.values()} == {
        "Rossi/Newsletter": (2, H + 1800),
        "Bianchi/Posta": (1, H),
    }
    # A new task dates from its first imported entry, so its history reaches back that far.
    assert rows(isolated_home, "SELECT name, created_utc FROM task ORDER BY id") == [
        ("Newsletter", DAY0),
        ("Posta", DAY0 + 2 * H),
    ]
    before = dump(isolated_home, ALL)

    second = run(store, source)
    assert (second.imported, second.already, second.new_clients) == (0, 3, [])
    assert dump(isolated_home, ALL) == before
    # One operation, journaled, so undo can take the import back whole.
    assert rows(isolated_home, "SELECT command FROM operation") == [("import watson",)]


def test_a_deleted_imported_entry_does_not_come_back(store, isolated_home, cli):
    run(store, [entry("a", DAY0, DAY0 + H)])
    cli("delete", "1")
    assert run(store, [entry("a", DAY0, DAY0 + H)]).already == 1
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry") == [(0,)]


def test_undo_takes_the_whole_import_back_and_it_can_be_run_again(store, isolated_home, cli):
    run(store, [entry("a", DAY0, DAY0 + H), entry("b", DAY0 + H, DAY0 + 2 * H)])
    cli("undo")
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry") == [(0,)]
    assert rows(isolated_home, "SELECT COUNT(*) FROM imported") == [(0,)]
    assert run(store, [entry("a", DAY0, DAY0 + H)]).imported == 1


def test_a_bad_row_stops_everything_with_file_line_and_reason(store, isolated_home):
    source = [entry("a", DAY0, DAY0 + H), BadRow("frames", 7, "the start is not a time.")]
    with pytest.raises(InputError, match=r"frames, line 7: the start is not a time\.") as caught:
        run(store, source)
    assert "--skip-invalid" in caught.value.hint
    assert dump(isolated_home, ALL)["entry"] == []


@pytest.mark.parametrize(
    "bad, reason",
    [
        (entry("x", DAY0, DAY0 - 1), "end does not come after its start"),
        (entry("x", -10, 60), "starts before 1970"),
        (entry("a", DAY0 + 2 * H, DAY0 + 3 * H), "the same entry as line 1 of frames"),
        (entry("x", DAY0, DAY0 + 8 * 86400), "more than 7 days"),
        (entry("x", 1_795_787_000, 1_795_790_000), "ends in the future"),
        (entry("x", DAY0, DAY0 + H, project="newsletter"), "no client"),
        (entry("x", DAY0 + 1800, DAY0 + H), "overlaps line 1 of frames"),
    ],
)
def test_impossible_rows_are_refused_or_skipped(store, isolated_home, bad, reason):
    good = entry("a", DAY0, DAY0 + H)
    with pytest.raises(InputError, match=reason):
        run(store, [good, bad._replace(line=9)])
    assert dump(isolated_home, ALL)["entry"] == []

    summary = run(store, [good, bad._replace(line=9)], skip_invalid=True)
    assert summary.imported == 1
    assert [(b.line, reason in b.reason) for b in summary.skipped] == [(9, True)]


def test_overlaps_are_allowed_when_asked(store):
    rows_ = [entry("a", DAY0, DAY0 + H), entry("b", DAY0 + 1800, DAY0 + H)]
    assert run(store, rows_, allow_overlap=True).imported == 2


def test_a_running_timer_is_reported_not_imported(store, isolated_home):
    summary = run(store, [entry("a", DAY0, DAY0 + H), entry("r", DAY0 + 2 * H, None)])
    assert summary.imported == 1
    assert [r.key for r in summary.running] == ["r"]
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry WHERE end_utc IS NULL") == [(0,)]


def test_a_dry_run_writes_nothing_and_reports_the_same(store, isolated_home):
    source = [entry("a", DAY0, DAY0 + H), entry("b", DAY0 + 2 * H, DAY0 + 3 * H)]
    before = dump(isolated_home, ALL)
    dry = run(store, source, dry_run=True)
    assert dump(isolated_home, ALL) == before
    real = run(store, source)
    assert (dry.imported, dry.new_clients, dry.new_tasks) == (
        real.imported,
        real.new_clients,
        real.new_tasks,
    )
    assert dry.totals == real.totals


def test_existing_clients_and_tasks_are_found_by_name_whatever_the_case(store, cli, isolated_home):
    cli("client", "add", "Studio Rossi")
    cli("task", "add", "Studio Rossi/Newsletter")
    summary = run(store, [entry("a", DAY0, DAY0 + H, project="studio rossi/NEWSLETTER")])
    assert (summary.new_clients, summary.new_tasks) == ([], [])
    assert rows(isolated_home, "SELECT COUNT(*) FROM task") == [(1,)]


def test_the_zone_is_the_sources_else_the_users(store, isolated_home):
    run(store, [entry("a", DAY0, DAY0 + H), entry("b", DAY0 + H, DAY0 + 2 * H, zone="Asia/Tokyo")])
    assert rows(isolated_home, "SELECT zone FROM entry ORDER BY id") == [
        ("Europe/Rome",),
        ("Asia/Tokyo",),
    ]


def test_people_come_from_the_mapping_else_the_importer(store, isolated_home):
    mapping = Mapping(people={"anna verdi": "anna"})
    run(
        store,
        [
            entry("a", DAY0, DAY0 + H, person="Anna Verdi"),
            entry("b", DAY0, DAY0 + H, person="Someone Else"),
        ],
        mapping=mapping,
    )
    assert rows(isolated_home, "SELECT person FROM entry ORDER BY id") == [("anna",), ("vera",)]


def test_client_option_names_an_existing_client_by_any_part_else_a_new_one(
    store, cli, isolated_home
):
    cli("client", "add", "Studio Rossi")
    run(store, [entry("a", DAY0, DAY0 + H, project="newsletter")], client="rossi")
    run(store, [entry("b", DAY0 + H, DAY0 + 2 * H, project="posta")], client="Verdi")
    assert rows(isolated_home, "SELECT name FROM client ORDER BY id") == [
        ("Studio Rossi",),
        ("Verdi",),
    ]


def test_an_overlap_with_an_entry_already_stored_names_it(store, cli):
    run(store, [entry("a", DAY0, DAY0 + H)])
    with pytest.raises(InputError, match=r"overlaps entry 1 \(Rossi/Newsletter\)"):
        run(store, [entry("b", DAY0 + 60, DAY0 + 120)])


def test_entries_of_no_length_are_counted_and_left_out(store, isolated_home):
    summary = run(store, [entry("a", DAY0, DAY0), entry("b", DAY0, DAY0 + H)])
    assert (summary.imported, summary.empty) == (1, 1)


def test_entries_imported_before_are_not_placed_again(store, isolated_home):
    """A second run with other options (no --client now) does not trip on old rows."""
    run(store, [entry("a", DAY0, DAY0 + H, project="newsletter")], client="Rossi")
    again = run(store, [entry("a", DAY0, DAY0 + H, project="newsletter")])
    assert (again.imported, again.already, again.skipped) == (0, 1, [])


def test_new_clients_and_tasks_date_from_the_entries_actually_imported(store, isolated_home):
    early = entry("x", DAY0 - 400 * 86400, DAY0 - 400 * 86400 + H, line=1)
    late = entry("a", DAY0, DAY0 + H, line=2)
    clash = entry(
        "c", DAY0 - 400 * 86400 + 60, DAY0 - 400 * 86400 + 120, project="Rossi/Posta", line=3
    )
    run(store, [early, late], skip_invalid=True)
    cli_rows = rows(isolated_home, "SELECT name, created_utc FROM task ORDER BY id")
    assert cli_rows == [("Newsletter", DAY0 - 400 * 86400)]
    # A row skipped for its overlap does not date the task it would have created.
    summary = run(
        store,
        [clash, entry("d", DAY0 + 2 * H, DAY0 + 3 * H, project="Rossi/Posta")],
        skip_invalid=True,
    )
    assert [b.line for b in summary.skipped] == [3]
    assert rows(isolated_home, "SELECT created_utc FROM task WHERE name = 'Posta'") == [
        (DAY0 + 2 * H,)
    ]
    assert rows(isolated_home, "SELECT created_utc FROM client") == [(DAY0 - 400 * 86400,)]


def test_a_very_long_source_key_is_kept_as_its_hash(store, isolated_home):
    run(store, [entry("k" * 300, DAY0, DAY0 + H)])
    [(key,)] = rows(isolated_home, "SELECT source_key FROM imported")
    assert len(key) <= importing.KEY_LENGTH
    assert run(store, [entry("k" * 300, DAY0, DAY0 + H)]).already == 1


def test_a_client_name_that_cannot_be_stored_is_refused_before_reading(store):
    with pytest.raises(InputError, match="cannot contain '/'"):
        run(store, [entry("a", DAY0, DAY0 + H, project="x")], client="a/b")


intervals = st.lists(
    st.tuples(st.integers(0, 12000), st.integers(1, 2400)), min_size=1, max_size=10
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spans=intervals)
def test_overlaps_found_in_memory_are_those_the_store_would_find(store, spans):
    """A first import checks overlaps in memory; with entries already there, through the
    store. Both refuse the same rows."""
    # ``crowded`` has an entry three days before: its overlaps are checked in the store.
    old = entry("old", DAY0 - 3 * 86400, DAY0 - 3 * 86400 + 60, person="crowded")
    run(store, [old], mapping=Mapping(people={"crowded": "crowded"}))  # once: then "already"

    def source(person):
        return [
            entry(
                f"{person}{i}",
                DAY0 + a,
                DAY0 + a + b,
                line=i + 1,
                person=person,
            )
            for i, (a, b) in enumerate(spans)
        ]

    skipped = {}
    for person in ("alone", "crowded"):
        summary = run(
            store,
            source(person),
            mapping=Mapping(people={"alone": "alone", "crowded": "crowded"}),
            skip_invalid=True,
            dry_run=True,
        )
        skipped[person] = [b.line for b in summary.skipped]
        assert summary.imported + len(summary.skipped) == len(spans)
    assert skipped["alone"] == skipped["crowded"]

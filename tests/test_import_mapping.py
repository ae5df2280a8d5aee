"""Placing imported entries on mansioni's client/task: the rules of sources.mapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mansioni.errors import InputError
from mansioni.sources.mapping import Mapping, Place, Unplaced, load_mapping, note, person, place
from mansioni.sources.record import SourceEntry


def entry(**fields) -> SourceEntry:
    return SourceEntry(**{"file": "f", "line": 1, "key": "k", "start": 0, "end": 60, **fields})


MAP = load_mapping(
    """
client = "Studio Rossi"
[clients]
"Rossi S.r.l." = "Studio Rossi"
[projects]
"newsletter" = "Bianchi/Newsletter"
"fatture" = "Invoices"
"Social: Instagram" = "Bianchi/Instagram"
"" = "Studio Rossi/Varie"
[people]
"Vera Bianchi" = "vera"
""",
    file="map.toml",
)


def test_a_mapped_project_wins_over_every_other_rule():
    assert place(entry(project="Newsletter", client="Other"), MAP) == Place("Bianchi", "Newsletter")


def test_a_mapped_task_alone_belongs_to_the_entrys_own_client():
    assert place(entry(project="fatture", client="Rossi S.r.l."), MAP) == Place(
        "Studio Rossi", "Invoices"
    )
    assert place(entry(project="fatture", client="Verdi"), MAP) == Place("Verdi", "Invoices")
    assert place(entry(project="fatture"), MAP) == Place("Studio Rossi", "Invoices")  # map's client


def test_project_with_a_source_task_is_looked_up_first_as_project_colon_task():
    assert place(entry(project="Social", task="Instagram", client="X"), MAP) == Place(
        "Bianchi", "Instagram"
    )
    assert place(entry(project="Social", task="Facebook", client="X"), MAP) == Place(
        "X", "Social: Facebook"
    )


def test_client_slash_task_projects_name_their_client_when_the_source_has_none():
    assert place(entry(project="Caffè Orso/Social"), Mapping()) == Place("Caffè Orso", "Social")
    with pytest.raises(Unplaced, match="cannot contain '/'"):
        place(entry(project="Social / Instagram", client="Rossi"), Mapping())


def test_without_any_client_the_reason_says_what_to_add():
    with pytest.raises(Unplaced, match="--client"):
        place(entry(project="newsletter"), Mapping())
    assert place(entry(project="newsletter"), Mapping(), client="Rossi") == Place(
        "Rossi", "newsletter"
    )


def test_tags_place_a_timewarrior_interval():
    assert place(entry(tags=("urgent", "newsletter")), MAP) == Place("Bianchi", "Newsletter")
    assert place(entry(tags=("urgent", "Rossi/Posta")), Mapping()) == Place("Rossi", "Posta")
    assert place(entry(tags=("posta", "urgent")), Mapping(), client="Rossi") == Place(
        "Rossi", "posta"
    )
    with pytest.raises(Unplaced, match="no project"):
        place(entry(), Mapping(), client="Rossi")
    assert place(entry(), MAP) == Place("Studio Rossi", "Varie")  # the "" key


def test_people_and_notes():
    assert person(entry(person="vera bianchi"), MAP, default="me") == "vera"
    assert person(entry(person="Someone"), MAP, default="me") == "me"
    assert note(entry(note=" Draft ", tags=("a b", "c"))) == "Draft [a b, c]"
    assert note(entry()) is None


@pytest.mark.parametrize(
    "text, problem",
    [
        ("client = [1]", "client must be a name"),
        ("[projets]\na = 'b'", "unknown key 'projets'"),
        ("[projects]\na = 1", "must map names to names"),
        ("client = ", "not a valid mapping file"),
    ],
)
def test_a_bad_mapping_file_is_refused_with_an_example(text, problem):
    with pytest.raises(InputError, match=problem) as caught:
        load_mapping(text, file="map.toml")
    assert "[projects]" in (caught.value.hint or "")


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@given(client=names, project=names, tags=st.lists(names, max_size=3))
def test_place_either_places_a_storable_pair_or_says_why(client, project, tags):
    """Whatever the source names, the result is a valid pair of names, or a reason."""
    from mansioni.domain.names import check_name

    for candidate in (
        entry(client=client, project=project),
        entry(project=project),
        entry(tags=tuple(tags)),
    ):
        try:
            found = place(candidate, Mapping(), client="Rossi")
        except Unplaced as exc:
            assert str(exc)
            continue
        assert check_name(found.client, what="client") == found.client
        assert check_name(found.task, what="task") == found.task


def test_a_tag_naming_a_known_client_makes_the_other_tags_the_task():
    tags = ("Fatture", "Studio Rossi", "chiusura mese")  # as Timewarrior sorts them
    assert place(entry(tags=tags), Mapping(), clients={"studio rossi"}) == Place(
        "Studio Rossi", "Fatture"
    )
    by_map = Mapping(clients={"studio rossi": "Studio Rossi"})
    assert place(entry(tags=tags), by_map) == Place("Studio Rossi", "Fatture")
    assert place(entry(tags=tags), Mapping(), client="studio rossi") == Place(
        "Studio Rossi", "Fatture"
    )
    # A [projects] task alone goes to the client the tags name.
    mapped = Mapping(projects={"newsletter": "Newsletter"}, client="Vari")
    assert place(entry(tags=("invio", "newsletter")), mapped, clients={"studio rossi"}) == Place(
        "Vari", "Newsletter"
    )
    assert place(
        entry(tags=("Newsletter", "Studio Rossi", "bozza")), mapped, clients={"studio rossi"}
    ) == Place("Studio Rossi", "Newsletter")


def test_tags_naming_two_clients_are_a_reason_not_a_guess():
    with pytest.raises(Unplaced, match="more than one client: Bianchi, Rossi"):
        place(
            entry(tags=("Bianchi", "Newsletter", "Rossi")), Mapping(), clients={"rossi", "bianchi"}
        )


@pytest.mark.parametrize(
    "text, problem",
    [
        ('[projects]\n"newsletter" = "a/b/c"', "cannot contain '/'"),
        ('[projects]\n"admin" = "/x"', "cannot be empty"),
        ('[clients]\n"x" = ""', "cannot be empty"),
        ('[people]\n"Vera" = "   "', "1 to 100 characters"),
        ('[projects]\n"newsletter" = "a"\n"Newsletter" = "b"', "twice"),
    ],
)
def test_a_mapping_value_that_could_not_be_stored_is_refused_at_once(text, problem):
    with pytest.raises(InputError, match=problem):
        load_mapping(text, file="map.toml")


# --- names matched against the store as the commands match them -------------------------

from mansioni.domain.names import ClientName, TaskName  # noqa: E402
from mansioni.sources.mapping import Catalog  # noqa: E402

STORE = Catalog(
    clients=(
        ClientName(1, "Studio Cantù Commercialisti"),
        ClientName(2, "Studio Rossi"),
        ClientName(3, "Studio Rossini"),
    ),
    tasks=(
        TaskName(1, "Studio Cantù Commercialisti", "PEC"),
        TaskName(2, "Studio Cantù Commercialisti", "Social post"),
        TaskName(3, "Studio Cantù Commercialisti", "Social media"),
        TaskName(4, "Studio Rossi", "Newsletter"),
    ),
)


@pytest.mark.parametrize(
    ("fields", "placed"),
    [
        ({"project": "cantu/pec"}, Place("Studio Cantù Commercialisti", "PEC")),
        ({"project": "CANTÙ/Pec"}, Place("Studio Cantù Commercialisti", "PEC")),
        ({"project": "cantu/F24"}, Place("Studio Cantù Commercialisti", "F24")),  # a new task
        ({"project": "Verdi/Posta"}, Place("Verdi", "Posta")),  # a new client
        ({"project": "Studio Rossi/news"}, Place("Studio Rossi", "Newsletter")),  # full name wins
        ({"project": "pec", "client": "cantù"}, Place("Studio Cantù Commercialisti", "PEC")),
        ({"tags": ("cantu", "pec")}, Place("Studio Cantù Commercialisti", "PEC")),  # Timewarrior
    ],
)
def test_names_go_where_the_commands_would_take_them(fields, placed):
    assert place(entry(**fields), Mapping(), catalog=STORE) == placed


def test_a_name_that_matches_several_is_a_reason_not_a_guess():
    with pytest.raises(Unplaced, match="'studio' matches several clients: Studio Cantù"):
        place(entry(project="studio/pec"), Mapping(), catalog=STORE)
    with pytest.raises(Unplaced, match="Studio Rossi, Studio Rossini; write more of the name"):
        place(entry(project="ross/newsletter"), Mapping(), catalog=STORE)
    with pytest.raises(Unplaced, match="several tasks of Studio Cantù Commercialisti"):
        place(entry(project="cantu/social"), Mapping(), catalog=STORE)
    # A mapping file names the one meant, in full.
    mapped = Mapping(projects={"cantu/social": "Studio Cantù Commercialisti/Social post"})
    assert place(entry(project="cantu/social"), mapped, catalog=STORE) == Place(
        "Studio Cantù Commercialisti", "Social post"
    )


def test_a_tag_is_a_client_only_by_a_whole_word_of_one_client():
    # "stud" starts a word of a client, but as a tag it is the task's.
    assert place(entry(tags=("stud",)), Mapping(), client="Verdi", catalog=STORE) == Place(
        "Verdi", "stud"
    )
    # "studio" is a whole word of three clients: not one client.
    assert place(entry(tags=("studio",)), Mapping(), client="Verdi", catalog=STORE) == Place(
        "Verdi", "studio"
    )
    # "rossi" is a whole word of Studio Rossi alone (not of Studio Rossini).
    assert place(entry(tags=("news", "rossi")), Mapping(), catalog=STORE) == Place(
        "Studio Rossi", "Newsletter"
    )


def test_the_watson_import_puts_a_project_on_the_client_already_there(cli, tmp_path):
    import json

    cli("client", "add", "Studio Cantù Commercialisti")
    cli("task", "add", "cantu/PEC")
    frames = tmp_path / "frames"
    start = 1_790_000_000  # 2026-09-21
    frames.write_text(
        json.dumps(
            [
                [start, start + 1800, "cantu/pec", "a" * 32, [], start],
                [start + 3600, start + 5400, "cantu/f24", "b" * 32, [], start],
            ]
        )
    )
    out = cli("import", "watson", str(frames)).output
    assert "cantu" not in out.replace("cantu/", "")  # no new client named "cantu"
    listed = json.loads(cli("task", "list", "--json").output)
    assert sorted((t["client"], t["name"]) for t in listed) == [
        ("Studio Cantù Commercialisti", "PEC"),
        ("Studio Cantù Commercialisti", "f24"),  # a new task, named as in Watson
    ]
    assert [c["name"] for c in json.loads(cli("client", "list", "--json").output)] == [
        "Studio Cantù Commercialisti"
    ]

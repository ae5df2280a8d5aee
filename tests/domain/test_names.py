"""Naming clients and tasks: prefixes, accents, case, ambiguity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mansioni.domain.names import (
    ClientName,
    TaskName,
    check_name,
    fold,
    matches,
    resolve_client,
    resolve_task,
    words,
)
from mansioni.errors import AmbiguousError, InputError, NotFoundError

TASKS = [
    TaskName(1, "Studio Rossi", "Newsletter"),
    TaskName(2, "Studio Rossi", "Fatture"),
    TaskName(3, "Caffè Ôrso", "Social post"),
    TaskName(4, "Caffè Ôrso", "Newsletter"),
    TaskName(5, "Avv. Bianchi", "Prima nota"),
    TaskName(6, "Avv. Bianchi", "Prima nota (vecchia)"),
]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Caffè Ôrso", "caffe orso"), ("  STUDIO   Rossi ", "studio rossi"), ("Straße", "strasse")],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "name", "expected"),
    [
        ("rossi", "Studio Rossi", True),
        ("stu", "Studio Rossi", True),
        ("caffe", "Caffè Ôrso", True),
        ("ORSO", "Caffè Ôrso", True),
        ("udio", "Studio Rossi", False),
        ("", "Studio Rossi", False),
        ("post", "Social post", True),
        # A word ends at an apostrophe or a dot; the name goes on from any word.
        ("orto", "L'Orto", True),
        ("dell'a", "Studio Dell'Acqua", True),
        ("acqua", "Studio Dell'Acqua", True),
        ("bianchi", "Avv. Bianchi", True),
        ("rossi srl", "Studio Rossi Srl", True),
        ("rossi bis", "Studio Rossi Srl", False),
    ],
)
def test_matches(query, name, expected):
    assert matches(query, name) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Avv. Bianchi", ("avv", "bianchi")),
        ("L'Orto di Ôrso", ("l", "orto", "di", "orso")),
        ("F24 & Co", ("f24", "co")),
        ("Prima nota (vecchia)", ("prima", "nota", "vecchia")),
        ("", ()),
    ],
)
def test_the_words_of_a_name_are_folded_runs_of_letters_and_digits(name, expected):
    assert words(name) == expected


@pytest.mark.parametrize(
    ("query", "task_id"),
    [
        ("rossi/news", 1),
        ("rossi/newsletter", 1),
        ("caffe/news", 4),
        ("orso/social", 3),
        ("social", 3),
        ("fatt", 2),
        ("STUDIO ROSSI/FATTURE", 2),
        ("bianchi/prima nota", 5),  # the exact name wins over the longer one it starts
    ],
)
def test_resolve_task(query, task_id):
    assert resolve_task(query, TASKS).id == task_id


def test_ambiguous_task_lists_the_candidates():
    with pytest.raises(AmbiguousError) as caught:
        resolve_task("news", TASKS)
    assert caught.value.candidates == ["Caffè Ôrso/Newsletter", "Studio Rossi/Newsletter"]
    assert caught.value.hint


def test_unknown_task():
    with pytest.raises(NotFoundError):
        resolve_task("rossi/social", TASKS)
    with pytest.raises(InputError):
        resolve_task("rossi/", TASKS)


def test_resolve_client():
    clients = [ClientName(1, "Studio Rossi"), ClientName(2, "Studio Bianchi")]
    assert resolve_client("rossi", clients).id == 1
    with pytest.raises(AmbiguousError):
        resolve_client("studio", clients)
    with pytest.raises(NotFoundError):
        resolve_client("verdi", clients)


def test_check_name():
    assert check_name("  Studio   Rossi ", what="client") == "Studio Rossi"
    for bad in ("", "   ", "a/b", "x" * 201):
        with pytest.raises(InputError):
            check_name(bad, what="client")


@given(st.text(max_size=40))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(min_size=1, max_size=30).filter(lambda t: fold(t).strip()))
def test_every_name_is_found_by_its_own_full_name(name):
    tasks = [TaskName(1, "Client", name), TaskName(2, "Client", name + " bis")]
    try:
        name = check_name(name, what="task")
    except InputError:
        return
    assert resolve_task(f"Client/{name}", [TaskName(1, "Client", name), *tasks[1:]]).id == 1


@given(st.text(max_size=30))
def test_resolution_never_crashes(query):
    try:
        resolve_task(query, TASKS)
    except InputError:
        pass


# --- when a name matches nothing: what was meant -------------------------------------------

from mansioni.domain import suggest  # noqa: E402
from mansioni.domain.names import client_ref, find_tasks, task_ref  # noqa: E402

OFFICE = [
    TaskName(11, "Studio Cantù Commercialisti", "PEC"),
    TaskName(12, "Studio Cantù Commercialisti", "Fatture"),
    TaskName(13, "Studio Cantù Commercialisti", "F24"),
    TaskName(14, "Perù Viaggi", "Instagram"),
    TaskName(15, "Pasticceria Dolce Vita", "Ordini"),
    TaskName(16, "Studio Bassi", "Newsletter"),
    TaskName(17, "Caffè Ôrso", "Social post"),
]


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("instagarm", "'peru/instagram'"),
        ("INSTAGARM", "'peru/instagram'"),
        ("pasticceria/ordni", "'pasticceria/ordini'"),
        ("pastcceria/ordini", "'pasticceria/ordini'"),  # a typo in the client
        ("nwesletter", "'bassi/newsletter'"),
        ("cantù/fatur", None),  # "fatur" starts no word of a name: a typo of Fatture
    ],
)
def test_a_typo_is_answered_with_the_closest_tasks(query, meant):
    with pytest.raises(NotFoundError) as caught:
        resolve_task(query, OFFICE)
    if meant is None:
        assert "Did you mean 'cantu/fatture'?" in caught.value.message
    else:
        assert caught.value.message == f"No task matches {query!r}. Did you mean {meant}?"


def test_nothing_close_suggests_nothing():
    with pytest.raises(NotFoundError) as caught:
        resolve_task("xyzzy", OFFICE)
    assert "Did you mean" not in caught.value.message
    assert "client/task" in caught.value.hint


def test_a_clients_name_where_a_task_is_wanted_lists_its_tasks():
    with pytest.raises(AmbiguousError) as caught:
        resolve_task("cantu", OFFICE)
    assert caught.value.message == "'cantu' is the client Studio Cantù Commercialisti, not a task."
    assert caught.value.hint == "Name one of its tasks: cantu/f24, cantu/fatture, cantu/pec"
    assert caught.value.candidates == [
        "Studio Cantù Commercialisti/F24",
        "Studio Cantù Commercialisti/Fatture",
        "Studio Cantù Commercialisti/PEC",
    ]
    # Every name listed is one that works.
    for ref in caught.value.hint.split(": ")[1].split(", "):
        assert len(find_tasks(ref, OFFICE)) == 1


def test_a_name_several_clients_share_lists_all_their_tasks():
    with pytest.raises(AmbiguousError) as caught:
        resolve_task("Studio", OFFICE)
    assert "Studio Bassi, Studio Cantù Commercialisti" in caught.value.message
    assert caught.value.hint.endswith("bassi/newsletter, cantu/f24, cantu/fatture, cantu/pec")


def test_a_client_with_a_slash_and_no_task_lists_its_tasks():
    with pytest.raises(InputError) as caught:
        resolve_task("Cantù/", OFFICE)
    assert caught.value.hint == "Name one of its tasks: cantu/f24, cantu/fatture, cantu/pec"


def test_the_right_client_and_a_wrong_task_lists_the_clients_tasks():
    with pytest.raises(NotFoundError) as caught:
        resolve_task("perù/fatture", OFFICE)
    assert caught.value.hint == "The tasks of Perù Viaggi: peru/instagram"


def test_a_task_named_like_a_client_is_still_the_task():
    tasks = [*OFFICE, TaskName(18, "Perù Viaggi", "Cantù event")]
    assert resolve_task("cantu", tasks).id == 18


def test_a_client_typo_is_answered_with_the_closest_clients():
    clients = [ClientName(1, "Studio Cantù Commercialisti"), ClientName(2, "Studio Rossi")]
    with pytest.raises(NotFoundError) as caught:
        resolve_client("cnatu", clients)
    assert caught.value.message == "No client matches 'cnatu'. Did you mean 'cantu'?"


@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("Studio Cantù Commercialisti", "cantu"),  # the shortest word no other client has
        ("Studio Bassi", "bassi"),
        ("Caffè Ôrso", "orso"),
        ("Perù Viaggi", "peru"),
        ("Avv. Bianchi", "bianchi"),  # an abbreviation is not the word a person types
        ("Dell'Arte", "arte"),  # nor an elided one
    ],
)
def test_a_client_is_typed_by_its_shortest_word_of_its_own(name, ref):
    names = sorted({t.client for t in OFFICE} | {"Avv. Bianchi", "Dell'Arte"})
    assert client_ref(name, names) == ref
    assert resolve_client(ref, [ClientName(i, n) for i, n in enumerate(names)]).name == name


def test_a_client_whose_every_word_is_shared_is_typed_whole():
    names = ["Studio Rossi", "Studio Rossi Bis"]
    assert client_ref("Studio Rossi", names) == "studio rossi"
    assert client_ref("Studio Rossi Bis", names) == "bis"


@pytest.mark.parametrize(
    ("task", "ref"),
    [
        (5, "bianchi/prima nota"),  # "prima" and "nota" name both: the whole name
        (6, "bianchi/vecchia"),  # the word of its own
        (3, "orso/social"),  # the first word
        (4, "orso/newsletter"),
        (1, "rossi/newsletter"),
    ],
)
def test_a_task_is_typed_by_its_first_word_else_its_own(task, ref):
    chosen = next(t for t in TASKS if t.id == task)
    assert task_ref(chosen, TASKS) == ref
    assert resolve_task(ref, TASKS).id == task


def test_what_was_typed_comes_first_and_completing_extends_it():
    pec, post = OFFICE[0], OFFICE[6]
    assert task_ref(pec, OFFICE, typed="Commerc") == "commercialisti/pec"
    assert task_ref(post, OFFICE, typed="caf", typed_task="po") == "caffe/post"
    assert task_ref(post, OFFICE, typed_task="social p") == "orso/social post"
    # A hint mends a typo; a word several clients share gives way to the own word...
    assert client_ref("Studio Bassi", [t.client for t in OFFICE], typed="basi") == "bassi"
    assert client_ref("Studio Bassi", [t.client for t in OFFICE], typed="studio") == "bassi"
    # ...where a shell completing it goes on from the word typed.
    names = [t.client for t in OFFICE]
    assert client_ref("Studio Bassi", names, typed="studio", completing=True) == "studio bassi"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Studio Rossi", "Studio Cantù", "Dell'Arte", "Ôrso", "A B"]),
            st.sampled_from(["PEC", "F24", "Prima nota", "Prima nota (vecchia)", "Post"]),
        ),
        min_size=1,
        max_size=8,
        unique=True,
    )
)
def test_every_task_ref_names_its_task_alone(pairs):
    tasks = [TaskName(i, client, name) for i, (client, name) in enumerate(pairs)]
    for task in tasks:
        assert resolve_task(task_ref(task, tasks), tasks).id == task.id


@pytest.mark.parametrize(
    ("typed", "words", "meant"),
    [
        ("raport", ["report", "import", "export", "review"], ["report"]),
        ("REPORT", ["report", "export"], ["report"]),
        ("révieŵ", ["review", "report"], ["review"]),
        ("--clinet", ["--client", "--month", "--help"], ["--client"]),
        ("--CLIENT", ["--client", "--format"], ["--client"]),
        ("zzz", ["report", "review"], []),
    ],
)
def test_commands_and_options_are_suggested_case_and_accents_aside(typed, words, meant):
    assert suggest.close_words(typed, words) == meant


@pytest.mark.parametrize(
    ("hint", "own"),
    [
        ("See them with: mansioni task list (e.g. rossi/newsletter)", "(e.g. cantu/pec)"),
        ("Start one with: mansioni start rossi/newsletter", "mansioni start cantu/pec"),
        ("For example: mansioni report --client rossi --month 2026-11", "--client cantu --month"),
        (
            "For example: mansioni task add rossi/newsletter --estimate 45m",
            "task add cantu/newsletter",
        ),
        (
            "For example: mansioni review --client rossi --format html -o rossi-review.html",
            "--client cantu --format html -o cantu-review.html",
        ),
        ('For example: "Studio Rossi"', '"Studio Rossi"'),  # a new client's name: an example
    ],
)
def test_examples_in_hints_name_the_users_own_tasks(hint, own):
    assert own in suggest.own_examples(hint, OFFICE, recent=11)


def test_examples_name_the_latest_task_else_the_first_and_keep_what_is_hers():
    hint = "Start one with: mansioni start rossi/newsletter"
    assert suggest.own_examples(hint, OFFICE, recent=14).endswith("start peru/instagram")
    assert suggest.own_examples(hint, OFFICE).endswith("start orso/social")  # Caffè Ôrso first
    mine = [TaskName(1, "Studio Rossi", "Newsletter"), TaskName(2, "Perù Viaggi", "Post")]
    assert suggest.own_examples(hint, mine, recent=2) == hint  # rossi/newsletter is hers
    assert suggest.own_examples(hint, []) == hint
    spaced = [TaskName(1, "Studio Rossi", "Prima nota"), TaskName(2, "Studio Rossi Bis", "X")]
    assert suggest.own_examples("e.g. verdi/newsletter and rossi/x", spaced, recent=1) == (
        "e.g. verdi/newsletter and rossi/x"  # "rossi/x" is hers (Studio Rossi Bis/X)
    )
    assert suggest.own_examples("start rossi/zzz", spaced, recent=1) == (
        "start 'studio rossi/prima'"
    )


def test_a_name_only_a_few_letters_share_is_not_suggested() -> None:
    """ "cantu" shares a, t, u with the start of "Fatture": no reason to offer it."""
    from mansioni.domain.suggest import close_tasks

    tasks = [TaskName(1, "Studio Rossi", "Fatture"), TaskName(2, "Ferri Immobiliare", "Annunci")]
    assert close_tasks("cantu", tasks) == []
    assert close_tasks("fatuter", tasks) == [tasks[0]]


# The demo's clients: a mistyped client is no duty's typo.
DEMO = [
    TaskName(21, "Studio Rossi", "Newsletter"),
    TaskName(22, "Studio Rossi", "Fatture"),
    TaskName(23, "Caffè Ôrso", "Inbox"),
    TaskName(24, "Caffè Ôrso", "Social post"),
    TaskName(25, "Avv. Bianchi", "PEC"),
    TaskName(26, "Avv. Bianchi", "Prima nota"),
    TaskName(27, "Ferri Immobiliare", "Annunci"),
    TaskName(28, "Ferri Immobiliare", "Agenda"),
]


@pytest.mark.parametrize(
    ("query", "client", "hint"),
    [
        ("bianci", "bianchi", "bianchi/pec, bianchi/prima"),  # not ferri/annunci
        ("rosi", "rossi", "rossi/fatture, rossi/newsletter"),
        ("cafe", "caffe", "caffe/inbox, caffe/social"),  # as typed, not orso
    ],
)
def test_a_mistyped_client_where_a_task_is_wanted_lists_its_tasks(query, client, hint):
    with pytest.raises(NotFoundError) as caught:
        resolve_task(query, DEMO)
    assert caught.value.message == (
        f"No task matches {query!r}. Did you mean the client {client!r}?"
    )
    assert caught.value.hint == f"Name one of its tasks: {hint}"
    for ref in caught.value.hint.split(": ")[1].split(", "):
        assert len(find_tasks(ref, DEMO)) == 1


def test_a_task_closer_than_any_client_is_still_the_one_suggested():
    with pytest.raises(NotFoundError) as caught:
        resolve_task("anunci", DEMO)
    assert caught.value.message == "No task matches 'anunci'. Did you mean 'ferri/annunci'?"
    with pytest.raises(NotFoundError) as caught:  # a client part: a task is wanted
        resolve_task("rosi/fatture", DEMO)
    assert caught.value.message == "No task matches 'rosi/fatture'. Did you mean 'rossi/fatture'?"


def test_a_suggestion_is_written_the_way_it_was_being_typed():
    clients = [ClientName(i, name) for i, name in enumerate(sorted({t.client for t in DEMO}))]
    with pytest.raises(NotFoundError) as caught:
        resolve_client("cafe", clients)
    assert caught.value.message == "No client matches 'cafe'. Did you mean 'caffe'?"
    with pytest.raises(NotFoundError) as caught:  # "post", not the first word "social"
        resolve_task("postt", DEMO)
    assert caught.value.message == "No task matches 'postt'. Did you mean 'orso/post'?"
    with pytest.raises(NotFoundError) as caught:
        resolve_task("orso/psot", DEMO)
    assert caught.value.message == "No task matches 'orso/psot'. Did you mean 'orso/post'?"

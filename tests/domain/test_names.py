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
    ],
)
def test_matches(query, name, expected):
    assert matches(query, name) is expected


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

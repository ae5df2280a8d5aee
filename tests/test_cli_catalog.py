"""Clients and tasks through the command line."""

from __future__ import annotations

import json

from helpers import dump


def test_client_add_list_show_edit_archive(cli):
    assert (
        "Added client Studio Rossi."
        in cli(
            "client",
            "add",
            "Studio Rossi",
            "--hour-value",
            "90",
            "--rate",
            "28,50",
            "--rounding",
            "15m",
        ).output
    )
    (client,) = json.loads(cli("client", "list", "--json").output)
    assert client["name"] == "Studio Rossi"
    assert client["currency"] == "EUR"
    assert client["hour_value_cents"] == 9000
    assert client["rate_cents"] == 2850
    assert client["rounding_minutes"] == 15
    table = cli("client", "list").output
    assert "Studio Rossi" in table and "€28.50" in table and "€90.00" in table
    shown = cli("client", "show", "ROSSI").output
    assert "Client: Studio Rossi" in shown and "Rounding: 15 minutes" in shown
    cli("client", "edit", "stud", "--name", "Studio Rossi & Figli", "--currency", "chf")
    data = json.loads(cli("client", "show", "figli", "--json").output)
    assert data["name"] == "Studio Rossi & Figli" and data["currency"] == "CHF"
    cli("client", "archive", "rossi")
    assert json.loads(cli("client", "list", "--json").output) == []
    assert len(json.loads(cli("client", "list", "--all", "--json").output)) == 1
    cli("client", "edit", "rossi", "--active")
    assert len(json.loads(cli("client", "list", "--json").output)) == 1


def test_names_match_without_case_or_accents(cli):
    cli("client", "add", "Caffè Ôrso")
    cli("task", "add", "caffe/Social post", "--estimate", "25m")
    cli("task", "add", "ORSO/Inbox")
    tasks = json.loads(cli("task", "list", "--json").output)
    assert [t["full_name"] for t in tasks] == ["Caffè Ôrso/Inbox", "Caffè Ôrso/Social post"]
    assert "Task: Caffè Ôrso/Social post" in cli("task", "show", "caffe/post").output


def test_task_fields(cli, rossi):
    cli(
        "task",
        "add",
        "rossi/Prima nota",
        "--estimate",
        "1h30",
        "--basis",
        "mese",
        "--rate",
        "32",
        "--oversight",
        "10m",
        "--trial",
        "12w",
        "--note",
        "monthly bookkeeping",
    )
    data = json.loads(cli("task", "show", "prima", "--json").output)
    assert data["estimate_seconds"] == 5400
    assert data["estimate_basis"] == "month"
    assert data["rate_cents"] == 3200
    assert data["oversight_seconds"] == 600
    assert data["trial_days"] == 84
    assert data["description"] == "monthly bookkeeping"
    assert data["state"] == "trial"
    assert data["totals"] == {"entries": 0, "occurrences": 0, "seconds": 0}
    cli("task", "edit", "prima", "--state", "active", "--estimate", "80m", "--name", "Prima Nota")
    data = json.loads(cli("task", "show", "rossi/prima", "--json").output)
    assert (data["name"], data["state"], data["estimate_seconds"]) == ("Prima Nota", "active", 4800)


def test_task_show_counts_occurrences(cli, rossi, at):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    at("2026-11-27 09:20")
    cli("start", "caffe/social")
    at("2026-11-27 09:40")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:00")
    cli("stop")
    cli("add", "rossi/news", "yesterday 9:00-9:50")
    data = json.loads(cli("task", "show", "rossi/news", "--json").output)
    assert data["totals"] == {"entries": 3, "occurrences": 2, "seconds": (20 + 20 + 50) * 60}


def test_archived_task_is_hidden_and_cannot_be_started(cli, rossi, isolated_home):
    cli("task", "archive", "rossi/fatture")
    names = [t["full_name"] for t in json.loads(cli("task", "list", "--json").output)]
    assert "Studio Rossi/Fatture" not in names
    result = cli("start", "rossi/fatture", ok=False)
    assert result.exit_code == 2
    assert "No task matches" in result.output


def test_duplicate_names_are_refused(cli, rossi, isolated_home):
    before = dump(isolated_home)
    assert cli("client", "add", "studio rossi", ok=False).exit_code == 2
    result = cli("task", "add", "rossi/NEWSLETTER", ok=False)
    assert result.exit_code == 2
    assert "already has a task named 'Newsletter'" in result.output
    assert dump(isolated_home) == before


def test_empty_lists_say_how_to_begin(cli):
    assert "mansioni client add" in cli("client", "list").output
    assert "mansioni task add" in cli("task", "list").output


def test_info_tells_where_the_store_is(cli, rossi, isolated_home):
    data = json.loads(cli("info", "--json").output)
    assert data["store"] == str(isolated_home / "mansioni.db")
    assert data["counts"]["client"] == 2 and data["counts"]["task"] == 3
    assert data["zone"] == "Europe/Rome" and data["person"] == "vera"

"""The table of ``mansioni``'s commands: every command and group, the module of
``mansioni.cli`` that defines it, its kind and its help.

It is the one place a command's help is written: each module registers its commands
with :func:`command_help`, and ``mansioni --help`` lists them from here alone, without
importing any (``cli.app``). ``tests/test_command_table.py`` keeps the table and the
modules in step. Nothing heavy is imported here.
"""

from __future__ import annotations

from typing import NamedTuple

from mansioni.i18n import N_, _

COMMAND = "command"
GROUP = "group"


class Entry(NamedTuple):
    """One command of the table."""

    name: str
    #: Its module under ``mansioni.cli``, whose ``register(app)`` adds it...
    module: str
    kind: str
    #: ...its help, word for word as the module gives it (the list shows its first paragraph)...
    help: str
    #: ...or, for a group the module holds as a ``typer.Typer``, that attribute's name.
    typer_app: str | None = None


COMMANDS: tuple[Entry, ...] = (
    Entry("start", "timer", COMMAND, N_("Start timing a task; a running timer is stopped at the same instant.\n\n$ mansioni start rossi/newsletter --note 'issue 42'")),
    Entry("stop", "timer", COMMAND, N_("Stop the running timer.\n\n$ mansioni stop --at 10:45")),
    Entry("cancel", "timer", COMMAND, N_("Throw the running timer away (undo brings it back).\n\n$ mansioni cancel")),
    Entry("status", "timer", COMMAND, N_("What runs, since when, and today's time per client.\n\n$ mansioni status")),
    Entry("add", "timer", COMMAND, N_("Record work done without the timer.\n\n$ mansioni add rossi/invoices 14:00-14:40 --date yesterday")),
    Entry("log", "log", COMMAND, N_("List your time entries, with their ids.\n\n$ mansioni log --week")),
    Entry("edit", "entries", COMMAND, N_("Change an entry.\n\n$ mansioni edit 412 --start 9:05")),
    Entry("delete", "entries", COMMAND, N_("Delete one entry or several (undo brings them back).\n\n$ mansioni delete 413 414")),
    Entry("undo", "undo", COMMAND, N_("Undo your last change, or the last few.\n\n$ mansioni undo --steps 2")),
    Entry("redo", "undo", COMMAND, N_("Do again what undo took back, as many steps as were undone, until you make a new change.\n\n$ mansioni redo")),
    Entry("change", "story", COMMAND, N_("Record a change to a duty. A major change (the default) starts a new phase with a new trial and no estimate until one is given; --minor keeps the phase and re-baselines the comparison.\n\n$ mansioni change rossi/newsletter \"now also schedules the social posts\" --estimate 60m")),
    Entry("estimate", "story", COMMAND, N_("Record or revise the client's estimate of their own time for the current phase.\n\n$ mansioni estimate rossi/newsletter 50m")),
    Entry("history", "story", COMMAND, N_("A task's whole story: estimates, changes, phases, occurrences, decisions.\n\n$ mansioni history rossi/newsletter")),
    Entry("review", "review", COMMAND, N_("The trial-period review: every active task's verdict, those worth renegotiating first; or one task in depth.\n\n$ mansioni review rossi/newsletter")),
    Entry("decide", "review", COMMAND, N_("Record the client's decision after a review: keep, renegotiated or hand-back.\n\n$ mansioni decide rossi/newsletter keep --note 'client keeps delegating at 30/h'")),
    Entry("demo", "demo", COMMAND, N_("Build a sample store (four clients, eleven duties, three months of work) and end on its review. Your own data is never touched.\n\n$ mansioni demo")),
    Entry("info", "info", COMMAND, N_("Where your data is, and the settings in use.\n\n$ mansioni info")),
    Entry("config", "config", GROUP, N_("Your settings: the configuration file, and what the environment sets.\n\n$ mansioni config set timezone Europe/Rome"), typer_app="config_app"),
    Entry("doctor", "doctor", COMMAND, N_("Check the store: SQLite's integrity check, references between rows, the schema, permissions, a synced folder, the newest backup. Exit status 3 when it is damaged.\n\n$ mansioni doctor")),
    Entry("export", "export", COMMAND, N_("Export your time entries for a spreadsheet (csv) or a script (json), or the whole store as a backup (jsonl).\n\n$ mansioni export --format csv --client rossi -o rossi.csv")),
    Entry("backup", "export", COMMAND, N_("Copy the store to a file, safely, even while other commands are writing.\n\n$ mansioni backup ~/backups/mansioni-2026-11-27.db")),
    Entry("report", "report", COMMAND, N_("The periodic report: time per task and in total, the billable time and amount, estimates against actual time, the changes and decisions of the period, and each task's verdict. The period is one of --week, --month [MONTH] or --from/--to (this month if none is given).\n\n$ mansioni report --client rossi --month 2026-11 --format html -o rossi-nov.html")),
    Entry("bill", "bill", COMMAND, N_("Mark a client's entries of a period as invoiced: reports then show them as invoiced, and changing one needs --force (undo takes the marking back).\n\n$ mansioni bill --client rossi --month 2026-11")),
    Entry("client", "catalog", GROUP, N_("Clients: who you work for.\n\n$ mansioni client add 'Studio Rossi' --rate 28"), typer_app="clients"),
    Entry("task", "catalog", GROUP, N_("Tasks: the duties you do for each client.\n\n$ mansioni task add rossi/newsletter --estimate 45m"), typer_app="tasks"),
    Entry("completion", "completion", GROUP, N_("Shell completion of commands, options, clients, duties and entry ids, for bash, zsh and fish.\n\n$ mansioni completion install bash"), typer_app="completion_app"),
    Entry("import", "importing", GROUP, N_("Bring your history in from Watson, Timewarrior, Toggl Track or Clockify, or restore a backup.\n\n$ mansioni import watson --client 'Studio Rossi' --dry-run")),
)  # fmt: skip
_BY_NAME = {entry.name: entry for entry in COMMANDS}


def command_help(name: str) -> str:
    """The help of the command or group ``name``, in the user's language."""
    return _(_BY_NAME[name].help)

"""``mansioni doctor``: is the store sound, safe where it lies, and backed up?

Each check ends ``ok``, ``warning`` (worth knowing, nothing is wrong with the data)
or ``problem`` (the store is damaged or cannot be used by this version). Nothing is
written to the store; the only file doctor may write or remove is the damage marker
beside it (``mansioni.db.damaged``): written when it finds damage, so that no command
writes into a damaged store, removed when every check passes again.

Why one module of this length: it is a list of small independent checks, each a
function, read top to bottom in the order doctor prints them.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mansioni.domain.display import shell_word
from mansioni.i18n import _, ngettext
from mansioni.i18n.sizes import file_size
from mansioni.store import revision, sqlite_setup
from mansioni.store.paths import sqlite_path

OK, WARNING, PROBLEM = "ok", "warning", "problem"

#: Folder names that give away a synced folder (compared in lower case), and the service.
SYNCED_NAMES: tuple[tuple[str, str], ...] = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("mobile documents", "iCloud Drive"),
    ("icloud drive", "iCloud Drive"),
    ("iclouddrive", "iCloud Drive"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
    ("pcloud", "pCloud"),
    ("pcloud drive", "pCloud"),
    ("mega", "MEGA"),
    ("megasync", "MEGA"),
    ("cloudstorage", "CloudStorage (macOS)"),
)
#: Files or folders a sync client leaves at the top of what it syncs.
SYNCED_MARKERS: tuple[tuple[str, str], ...] = (
    (".stfolder", "Syncthing"),
    (".dropbox", "Dropbox"),
    (".nextcloudsync.log", "Nextcloud"),
    (".owncloudsync.log", "ownCloud"),
    (".megaignore", "MEGA"),
    (".sync", "Resilio Sync"),
)


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    message: str
    details: list[str] = field(default_factory=list)


@dataclass
class Diagnosis:
    store: str
    checks: list[Check] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(check.status != PROBLEM for check in self.checks)

    def add(self, name: str, status: str, message: str, details: list[str] | None = None) -> None:
        self.checks.append(Check(name, status, message, details or []))


def diagnose(url: str, *, now: int) -> Diagnosis:
    """Check the store at ``url`` (a SQLite file, or a database server)."""
    path = sqlite_path(url)
    if path is None:
        return _diagnose_server(url)
    return diagnose_file(path, now=now)


# --- a SQLite file ---------------------------------------------------------------------------


def diagnose_file(path: str, *, now: int) -> Diagnosis:
    from mansioni.store.health import inspect_sqlite

    found = Diagnosis(store=path)
    if not os.path.isfile(path):
        found.add(
            "store",
            OK,
            _("There is no store at {path} yet: nothing to check.").format(path=path),
        )
        return found
    if os.path.getsize(path) == 0:
        found.add(
            "file",
            OK,
            _("The store file is empty: the next command creates the store in it."),
        )
        _check_permissions(found, path)
        _check_marker(found, path, None)
        return found
    facts = inspect_sqlite(path)
    damage = _check_file(found, facts)
    if facts.header_ok:
        damage = _check_contents(found, facts)
    _check_permissions(found, path)
    _check_synced(found, path)
    _check_backup(found, path, now)
    _check_leftovers(found, path)
    if facts.wal_size and not sqlite_setup.can_write(path):
        found.add(
            "wal",
            WARNING,
            _(
                "A -wal file of {size} lies beside the store, which cannot be written: the latest changes it holds are not read until the folder can be written."
            ).format(size=file_size(facts.wal_size)),
        )
    _check_marker(found, path, damage)
    return found


def _check_file(found: Diagnosis, facts) -> str | None:  # noqa: ANN001 - health.SqliteFacts
    """The file itself: readable, a SQLite database, whole. Returns the damage, if any:
    a file cut short is a problem, but it is damage (and marked) only when SQLite finds
    it so too (``_check_contents``): the page count alone can be caught mid-checkpoint."""
    if facts.header_ok is None:
        found.add(
            "file",
            PROBLEM,
            _("The store file cannot be read: {reason}.").format(reason=facts.error),
        )
        return None  # not damage: a permission, not the bytes
    if not facts.header_ok:
        found.add(
            "file",
            PROBLEM,
            _(
                "The file does not begin as a SQLite database does: its start was overwritten, or it is another kind of file."
            ),
        )
        return "header"
    if facts.truncated:
        found.add(
            "file",
            PROBLEM,
            _(
                "The file is shorter than its header says ({size} instead of {expected}): its end was cut off."
            ).format(
                size=file_size(facts.size),
                expected=file_size((facts.page_count or facts.header_pages or 0) * facts.page_size),
            ),
        )
        return None
    found.add(
        "file",
        OK,
        _("A SQLite database of {size}.").format(size=file_size(facts.size)),
    )
    return None


def _check_contents(found: Diagnosis, facts) -> str | None:  # noqa: ANN001, C901
    damage: str | None = None
    if facts.integrity == ["ok"]:
        found.add("integrity", OK, _("SQLite's integrity check found no problem."))
    elif facts.integrity:
        found.add(
            "integrity",
            PROBLEM,
            _("SQLite's integrity check found damage:"),
            facts.integrity,
        )
        damage = facts.integrity[0]
    if facts.error is not None:
        hurt = facts.error_is_damage
        if hurt:
            message = _("SQLite could not read the store: {reason}.").format(reason=facts.error)
        else:  # busy, a full disk, an I/O error: said as every command says it
            from mansioni.store.errors import describe

            message = describe(facts.error, facts.path).message
        found.add("integrity", PROBLEM, message)
        if hurt:
            damage = damage or facts.error
        return damage
    if facts.foreign_keys:
        found.add(
            "foreign_keys",
            PROBLEM,
            ngettext(
                "{n} row points to a row that does not exist:",
                "{n} rows point to rows that do not exist:",
                len(facts.foreign_keys),
            ).format(n=len(facts.foreign_keys)),
            [
                _("{table} row {row} -> {parent}").format(table=table, row=row, parent=parent)
                for table, row, parent in facts.foreign_keys[:20]
            ],
        )
        damage = damage or "foreign keys"
    else:
        found.add("foreign_keys", OK, _("Every reference between rows points to a row."))
    schema_damage = _check_schema(found, facts.versioned, facts.revision, facts.tables)
    return damage or schema_damage


def _check_schema(
    found: Diagnosis, versioned: bool, rev: str | None, tables: set[str]
) -> str | None:
    if not versioned or rev is None:
        found.add(
            "schema",
            PROBLEM,
            _(
                "No schema revision is recorded: this is not a mansioni store, or part of it was lost."
            ),
        )
        return "no revision" if tables else None
    if rev == revision.HEAD:
        found.add(
            "schema",
            OK,
            _("Schema {rev}, the one this version of mansioni writes.").format(rev=rev),
        )
        from mansioni.store.health import expected_tables

        missing = sorted(expected_tables() - tables)
        if missing:
            found.add(
                "tables",
                PROBLEM,
                _("Tables missing from the store: {tables}.").format(tables=", ".join(missing)),
            )
            return "missing tables"
        return None
    from mansioni.store.orm.engine import known_revisions

    if rev in known_revisions():
        found.add(
            "schema",
            WARNING,
            _(
                "Schema {rev} is older than this version's ({head}): the next command upgrades it, after a backup."
            ).format(rev=rev, head=revision.HEAD),
        )
    else:
        found.add(
            "schema",
            PROBLEM,
            _(
                "Schema {rev} is unknown to this version of mansioni (which writes {head}): a newer mansioni wrote it. Upgrade mansioni; nothing writes to it meanwhile."
            ).format(rev=rev, head=revision.HEAD),
        )
    return None


def _check_permissions(found: Diagnosis, path: str) -> None:
    if os.name != "posix":
        return
    folder = os.path.dirname(os.path.abspath(path))
    file_stat, folder_stat = os.stat(path), os.stat(folder)
    notes: list[str] = []
    if file_stat.st_mode & 0o077:
        notes.append(
            _("The store file can be read by others (mode {mode}): chmod 600 {path}").format(
                mode=f"{file_stat.st_mode & 0o777:04o}", path=path
            )
        )
    if folder_stat.st_mode & 0o077:
        notes.append(
            _("Its folder can be opened by others (mode {mode}): chmod 700 {path}").format(
                mode=f"{folder_stat.st_mode & 0o777:04o}", path=folder
            )
        )
    uid = os.getuid()
    if file_stat.st_uid != uid:
        notes.append(
            _(
                "The store file belongs to another user (uid {owner}), not to you (uid {uid})."
            ).format(owner=file_stat.st_uid, uid=uid)
        )
    if not sqlite_setup.can_write(path):
        notes.append(
            _(
                "The store cannot be written (read-only file, folder or disk): reading commands work, writing ones refuse."
            )
        )
    if notes:
        found.add("permissions", WARNING, notes[0], notes[1:])
    else:
        found.add("permissions", OK, _("File 0600 and folder 0700, both yours."))


def synced_service(path: str) -> str | None:
    """The sync service whose folder holds ``path``, if its name or a marker shows one."""
    for candidate in dict.fromkeys((os.path.abspath(path), os.path.realpath(path))):
        folders: list[str] = []
        folder = os.path.dirname(candidate)
        while True:
            folders.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for folder in folders:
            name = os.path.basename(folder).lower()
            for known, service in SYNCED_NAMES:
                if name == known or name.startswith((known + " ", known + "-", known + "_")):
                    return service
        for folder in folders:
            for marker, service in SYNCED_MARKERS:
                if os.path.exists(os.path.join(folder, marker)):
                    return service
    return None


def _check_synced(found: Diagnosis, path: str) -> None:
    service = synced_service(path)
    if service is None:
        found.add("synced_folder", OK, _("Not inside a synced folder."))
        return
    found.add(
        "synced_folder",
        WARNING,
        _(
            "The store is inside a folder synced by {service}: a sync can copy it halfway through a write, or bring back an older copy over it."
        ).format(service=service),
        [
            _(
                "Keep the store outside (MANSIONI_HOME) and let the service sync your backups instead (mansioni backup FILE)."
            )
        ],
    )


def _check_backup(found: Diagnosis, path: str, now: int) -> None:
    copies = [name for name in glob.glob(glob.escape(path) + ".*.bak") if os.path.isfile(name)]
    if not copies:
        found.add(
            "backup",
            WARNING,
            _("No backup lies beside the store. Make one with: mansioni backup FILE"),
            [
                _(
                    "Copies made by mansioni backup are kept where you put them: doctor cannot see those."
                )
            ],
        )
        return
    newest = max(copies, key=os.path.getmtime)
    made = os.path.getmtime(newest)
    found.add(
        "backup",
        OK,
        _("Newest backup beside the store: {name}, {size}, made {age} ago ({when}).").format(
            name=os.path.basename(newest),
            size=file_size(os.path.getsize(newest)),
            age=_age(max(0, now - int(made))),
            when=datetime.fromtimestamp(made, UTC).strftime("%Y-%m-%d %H:%M UTC"),
        ),
        [
            _(
                "To go back to it, while no mansioni command runs: move the store and the -wal, -shm and .damaged files beside it away (SQLite would replay an old -wal onto the copy), then copy the backup to the store's name."
            )
        ],
    )


#: What a write made whole-or-nothing (a backup, the copy before an upgrade, a file for
#: ``-o``) is written to first, beside its final name; a process killed midway leaves it.
#: (SQLite may leave its own ``-journal`` or ``-wal`` beside a partial copy.)
PARTIAL_COPIES = (".mansioni-*.part", ".mansioni-*.part-*")


def _check_leftovers(found: Diagnosis, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    names = sorted(
        {name for pattern in PARTIAL_COPIES for name in glob.glob(os.path.join(folder, pattern))}
    )
    if not names:
        return
    found.add(
        "leftovers",
        WARNING,
        ngettext(
            "{n} partial copy ({size}) lies beside the store, left by a backup or an upgrade that was interrupted: it is not a backup.",
            "{n} partial copies ({size}) lie beside the store, left by backups or upgrades that were interrupted: none is a backup.",
            len(names),
        ).format(n=len(names), size=file_size(sum(_file_size(name) for name in names))),
        [
            _("While no mansioni command runs, remove them: rm {files}").format(
                files=" ".join(shell_word(name) for name in names)
            )
        ],
    )


def _file_size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:  # removed meanwhile
        return 0


def _check_marker(found: Diagnosis, path: str, damage: str | None) -> None:
    if damage is not None:
        sqlite_setup.mark_damaged(path, damage)
        found.add(
            "writes",
            PROBLEM,
            _(
                "Writing commands refuse this store until doctor finds it sound; reading commands work as far as it can be read."
            ),
            [
                _(
                    "Rescue what can be read (mansioni export --format jsonl > rescue.jsonl: it keeps what was read before the damage), then restore a backup."
                )
            ],
        )
    elif sqlite_setup.is_marked_damaged(path) and not found.healthy:
        found.add(
            "writes",
            PROBLEM,
            _("Writing commands refuse this store: it was found damaged before."),
        )
    elif sqlite_setup.is_marked_damaged(path):
        if sqlite_setup.clear_damaged(path):
            found.add(
                "writes",
                OK,
                _(
                    "The store was marked damaged before; it is sound now, and can be written again."
                ),
            )
    elif found.healthy and os.path.exists(sqlite_setup.damaged_marker(path)):
        sqlite_setup.clear_damaged(path)  # about another file, once there: it blocked nothing


# --- a database server -----------------------------------------------------------------------


def _diagnose_server(url: str) -> Diagnosis:
    """On PostgreSQL: can it be reached, its schema revision, and the rows it holds."""
    from mansioni.store.health import inspect_server

    facts = inspect_server(url)
    found = Diagnosis(store=facts.store)
    if facts.error is not None:
        hint = facts.error.hint
        found.add("connection", PROBLEM, facts.error.message, [hint] if hint else [])
        return found
    found.add("connection", OK, _("The database answers."))
    if facts.revision is None and not facts.tables:
        found.add(
            "schema",
            OK,
            _("The database holds no store yet: the first command creates it."),
        )
        return found
    damage = _check_schema(found, facts.revision is not None, facts.revision, facts.tables)
    if facts.revision == revision.HEAD and damage is None and facts.counts:
        counts = facts.counts
        if counts["entry"] and not counts["operation"] or facts.lone_entries:
            found.add(
                "rows",
                PROBLEM,
                _("The rows do not add up: {counts}.").format(counts=_counts(counts)),
            )
        else:
            found.add("rows", OK, _("Rows: {counts}.").format(counts=_counts(counts)))
    return found


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {n}" for table, n in counts.items())


def _age(seconds: int) -> str:
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    if seconds < 2 * 86400:
        hours = seconds // 3600
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    days = seconds // 86400
    return ngettext("{n} day", "{n} days", days).format(n=days)

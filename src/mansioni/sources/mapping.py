"""Which mansioni client and task an imported entry belongs to.

Other trackers name work their own way: Toggl Track and Clockify have clients and
projects, Watson has projects and tags, Timewarrior only tags. ``place`` turns an
entry's names into a ``client/task`` pair, in this order:

1. the ``[projects]`` table of a mapping file, keyed by the source's project (for
   Timewarrior, by any of the entry's tags; with a source task, ``project: task``
   is tried before ``project``); a value is ``client/task``, or a task alone for
   the entry's own client;
2. a project (or, for Timewarrior, a tag) written ``client/task``, the convention
   for sources without clients; a Timewarrior tag that names a client (one in the
   store, in ``[clients]``, or ``--client``) makes the other tags the task's;
3. the project as the task, and as the client the source's client (renamed by the
   ``[clients]`` table), else ``--client``, else the mapping file's ``client``.

An entry that none of these places is a bad row: the reason says what to add.
Names are compared folded (case and accents aside), so "studio rossi" in a file
is the client "Studio Rossi" already in the store.

With the store's clients and tasks (a ``Catalog``), the names a rule gives are then
matched as the commands match what is typed (``domain.names``): ``cantu/pec`` goes to
"Studio Cantù Commercialisti/PEC" as ``mansioni start cantu/pec`` would. A name that
matches nothing is a new client (or a new task of its client); one that matches several
is a bad row that names them, never a guess. A Timewarrior tag names a client when it
is the client's whole name or one whole word of it that no other client has: a tag is
also a task's word, so a mere start of one is not taken for a client.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from mansioni.domain.entries import check_note
from mansioni.domain.names import (
    ClientName,
    TaskName,
    check_name,
    find_clients,
    find_tasks,
    fold,
    words,
)
from mansioni.domain.text import check_text
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.sources.record import SourceEntry

#: An example mapping file, shown when one cannot be read.
EXAMPLE = """client = "Studio Rossi"

[clients]
"Rossi S.r.l." = "Studio Rossi"

[projects]
"newsletter" = "Studio Rossi/Newsletter"
"fatture" = "Invoices"

[people]
"Vera Bianchi" = "vera"
"""


@dataclass(frozen=True)
class Mapping:
    """What a ``--map`` file says, with names folded for lookups."""

    client: str | None = None
    clients: dict[str, str] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    client: str
    task: str


@dataclass(frozen=True)
class Catalog:
    """The clients and tasks in the store, which placed names are matched against."""

    clients: tuple[ClientName, ...] = ()
    tasks: tuple[TaskName, ...] = ()

    def client_of_tag(self, tag: str) -> str | None:
        """The client a tag names: its whole name, or one whole word of it that no other
        client's name has (``cantu`` for "Studio Cantù Commercialisti")."""
        folded = fold(tag)
        if not folded:
            return None
        whole = [c.name for c in self.clients if fold(c.name) == folded]
        if whole:
            return whole[0]
        found = [c.name for c in self.clients if folded in words(c.name)]
        return found[0] if len(found) == 1 else None

    def placed(self, place: Place) -> Place:
        """``place`` with the stored names its names match, as a command matches them;
        a name that matches none is new. ``Unplaced`` when one matches several."""
        clients = find_clients(place.client, self.clients)
        if not clients:
            return place
        if len(clients) > 1:
            names = sorted(c.name for c in clients)
            raise Unplaced(
                _(
                    "{name!r} matches several clients: {names}; write more of the name, or map it in [clients]."
                ).format(name=place.client, names=", ".join(names))
            )
        client = clients[0].name
        own = [t for t in self.tasks if fold(t.client) == fold(client)]
        tasks = find_tasks(place.task, own)
        if len(tasks) > 1:
            names = sorted(t.name for t in tasks)
            raise Unplaced(
                _(
                    "{name!r} matches several tasks of {client}: {names}; write more of the name, or map it in [projects]."
                ).format(name=place.task, client=client, names=", ".join(names))
            )
        return Place(client, tasks[0].name if tasks else place.task)


class Unplaced(ValueError):
    """An entry no rule places; the message is the reason, for the user."""


def load_mapping(text: str, *, file: str) -> Mapping:
    """Read a mapping file (TOML). Unknown keys are refused, not ignored: a typo in
    a table's name would otherwise import everything under the wrong names."""
    import tomllib

    hint = _("A mapping file looks like this:") + "\n\n" + EXAMPLE
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            _("{file} is not a valid mapping file: {reason}.").format(file=file, reason=exc),
            hint=hint,
        ) from None
    unknown = sorted(set(data) - {"client", "clients", "projects", "people"})
    if unknown:
        raise InputError(
            _("{file}: unknown key {key!r}.").format(file=file, key=unknown[0]), hint=hint
        )
    client = data.get("client")
    if client is not None and not isinstance(client, str):
        raise InputError(_("{file}: client must be a name.").format(file=file), hint=hint)
    tables: dict[str, dict[str, str]] = {}
    for name in ("clients", "projects", "people"):
        table = data.get(name, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise InputError(
                _("{file}: [{table}] must map names to names.").format(file=file, table=name),
                hint=hint,
            )
        folded: dict[str, str] = {}
        for key, value in table.items():
            if fold(key) in folded:
                raise InputError(
                    _("{file}: [{table}] names {key!r} twice (case and accents aside).").format(
                        file=file, table=name, key=key
                    ),
                    hint=hint,
                )
            folded[fold(key)] = _checked_value(value, name, key, file=file, hint=hint)
        tables[name] = folded
    return Mapping(
        client=client,
        clients=tables["clients"],
        projects=tables["projects"],
        people=tables["people"],
    )


def _checked_value(value: str, table: str, key: str, *, file: str, hint: str) -> str:
    """A value of a mapping table, refused at once if no entry could be stored under it
    (rather than blaming every row of the source that it maps)."""
    try:
        if table == "people":
            check_text(value, field=_("A person's name"), example='"Vera Bianchi" = "vera"')
            cleaned = " ".join(value.split())
            if not cleaned or len(cleaned) > 100:
                raise InputError(_("a person is named by 1 to 100 characters."))
            return cleaned
        if table == "projects" and "/" in value:
            client, task = value.split("/", 1)
            return check_name(client, what=_("client")) + "/" + check_name(task, what=_("task"))
        return check_name(value, what=_("task") if table == "projects" else _("client"))
    except InputError as exc:
        raise InputError(
            _("{file}: [{table}] {key!r}: {reason}").format(
                file=file, table=table, key=key, reason=exc.message
            ),
            hint=hint,
        ) from None


def place(
    entry: SourceEntry,
    mapping: Mapping,
    *,
    client: str | None = None,
    clients: Collection[str] = (),
    catalog: Catalog | None = None,
) -> Place:
    """The client and task ``entry`` goes to; ``client`` is ``--client``, ``clients``
    the folded names of the clients already in the store, ``catalog`` the store's
    clients and tasks, which the names found are matched against.

    Raises ``Unplaced`` with the reason when no rule applies, a name is not allowed, or
    the note it would keep holds a control character (``domain.text``: a note may hold
    tabs and line breaks, nothing else of the kind), as a typed one may not.
    """
    _check_note(entry)
    return _place_names(entry, mapping, client, clients, catalog)


def placer(
    mapping: Mapping,
    *,
    client: str | None = None,
    clients: Collection[str] = (),
    catalog: Catalog | None = None,
) -> Callable[[SourceEntry], Place]:
    """``place`` for the many entries of one import: the same answers, but the names of
    an entry (its client, project, task and tags: all that placing it reads besides its
    note) are placed and checked once, however many entries carry them."""
    known: dict[tuple[object, ...], Place | str] = {}

    def place_entry(entry: SourceEntry) -> Place:
        _check_note(entry)
        names = (entry.client, entry.project, entry.task, entry.tags)
        found = known.get(names)
        if found is None:
            try:
                found = _place_names(entry, mapping, client, clients, catalog)
            except Unplaced as exc:
                found = str(exc)  # the reason alone: an exception would keep its entry alive
            known[names] = found
        if isinstance(found, str):
            raise Unplaced(found)
        return found

    return place_entry


def _place_names(
    entry: SourceEntry,
    mapping: Mapping,
    client: str | None,
    clients: Collection[str],
    catalog: Catalog | None = None,
) -> Place:
    """``place`` but for the note's check."""
    found = _by_rules(entry, mapping, client, clients, catalog)
    return catalog.placed(found) if catalog is not None else found


def _by_rules(
    entry: SourceEntry,
    mapping: Mapping,
    client: str | None,
    clients: Collection[str],
    catalog: Catalog | None,
) -> Place:
    """The place the rules of the module's doc give, before the catalog's matching."""
    default = client or mapping.client
    if entry.project is None and entry.tags:
        known = {*clients, *mapping.clients, *([fold(default)] if default else [])}
        entry = _client_from_tags(entry, known, catalog)
    source_client = entry.client
    if source_client:
        source_client = mapping.clients.get(fold(source_client), source_client)
    own_client = source_client or default
    for key in _keys(entry):
        target = mapping.projects.get(fold(key))
        if target is not None:
            return _split(target, own_client, what=key)
    label = _label(entry)
    if label is None:
        raise Unplaced(
            _('it has no project; map it in the [projects] table with the key "".')
            if not entry.tags
            else _("none of its tags {tags} names a task; map one in [projects].").format(
                tags=", ".join(entry.tags)
            )
        )
    if "/" in label and not entry.client:
        return _split(label, None, what=label)
    if own_client is None:
        raise Unplaced(
            _("there is no client for {project!r}: pass --client, or map it in [projects].").format(
                project=label
            )
        )
    return Place(_name(own_client, what=_("client")), _name(label, what=_("task")))


def person(entry: SourceEntry, mapping: Mapping, *, default: str) -> str:
    """Who did the work: the source's user through ``[people]``, else ``default``."""
    if entry.person:
        return mapping.people.get(fold(entry.person), default)
    return default


def note(entry: SourceEntry) -> str | None:
    """The note of the imported entry: the description, then the tags in brackets."""
    parts = [entry.note.strip()] if entry.note and entry.note.strip() else []
    if entry.tags:
        parts.append("[" + ", ".join(entry.tags) + "]")
    return " ".join(parts) or None


def _check_note(entry: SourceEntry) -> None:
    try:
        check_note(note(entry), field=_("Its note"), example="")
    except InputError as exc:
        raise Unplaced(exc.message[:1].lower() + exc.message[1:]) from None


def _client_from_tags(
    entry: SourceEntry, known: set[str], catalog: Catalog | None = None
) -> SourceEntry:
    """A tag-only entry (Timewarrior) whose tags name a known client (by its folded name,
    or as ``Catalog.client_of_tag`` says): that tag is its client, the others its task.
    Timewarrior sorts tags, so which tag was typed first is lost; naming the client is
    what tells ``"Studio Rossi" Fatture`` apart."""
    clients: dict[str, str] = {}  # each tag naming a client: the client's name
    for tag in entry.tags:
        if fold(tag) in known:
            clients[tag] = tag
        elif catalog is not None and (stored := catalog.client_of_tag(tag)) is not None:
            clients[tag] = stored
    if len({fold(name) for name in clients.values()}) > 1:
        raise Unplaced(
            _("its tags name more than one client: {names}.").format(names=", ".join(clients))
        )
    if clients:
        tag, name = next(iter(clients.items()))
        rest = tuple(t for t in entry.tags if t not in clients)
        return entry._replace(client=name, tags=rest)
    return entry


def _keys(entry: SourceEntry) -> list[str]:
    """The names a ``[projects]`` table is looked up by, most specific first."""
    if entry.project is not None:
        if entry.task:
            return [f"{entry.project}: {entry.task}", entry.project]
        return [entry.project]
    if entry.tags:
        return list(entry.tags)
    return [""]


def _label(entry: SourceEntry) -> str | None:
    """The source's name for the work, when no mapping applies."""
    if entry.project:
        return f"{entry.project}: {entry.task}" if entry.task else entry.project
    if entry.project is None and entry.tags:
        # Timewarrior: a client/task tag if there is one, else the first tag.
        return next((tag for tag in entry.tags if "/" in tag), entry.tags[0])
    return None


def _split(target: str, own_client: str | None, *, what: str) -> Place:
    if "/" in target:
        client_part, task_part = (part.strip() for part in target.split("/", 1))
        return Place(_name(client_part, what=_("client")), _name(task_part, what=_("task")))
    if own_client is None:
        raise Unplaced(
            _(
                "there is no client for {project!r}: pass --client, or map it to client/task."
            ).format(project=what)
        )
    return Place(_name(own_client, what=_("client")), _name(target, what=_("task")))


def _name(text: str, *, what: str) -> str:
    try:
        return check_name(text, what=what)
    except InputError as exc:
        raise Unplaced(exc.message[:1].lower() + exc.message[1:]) from None

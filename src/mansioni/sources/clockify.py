"""Clockify's detailed report, exported as CSV.

In Clockify: Reports, Time, Detailed, the date range, then Export and *Save as CSV*.
Every field is quoted. Its columns, in English::

    Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,
    Start Time,End Date,End Time,Duration (h),Duration (decimal),
    Billable Rate (USD),Billable Amount (USD)

and, depending on the workspace and the export settings, more (``Invoiced``,
``Invoice ID``, ``Date of creation``, custom fields) or fewer (*Customize* in the
export menu hides columns). A workspace that does not group projects by client
renames that column (``Department``...). The names follow the exporting user's
language: English, Spanish, French, German or Portuguese (Clockify's web app has
no Italian). Dates follow the user's date format, times the 12/24-hour setting,
``Duration (h)`` the workspace's duration format (``1:30:00``, ``1:30`` or
``1.50``). Tags are joined with ``", "``. There is no id column. Sources and how sure
each language's names are: ``tests/fixtures/import/clockify/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mansioni.i18n import _
from mansioni.sources import sheet
from mansioni.sources.record import BadRow, SourceEntry

#: The columns read, by field and language (see the fixtures' README for sources).
COLUMNS = {
    "project": {
        "en": ("Project",),
        "es": ("Proyecto",),
        "fr": ("Projet",),
        "de": ("Projekt",),
        "pt": ("Projeto",),
    },
    "client": {
        "en": ("Client", "Department"),
        "es": ("Cliente",),
        "fr": ("Client",),
        "de": ("Kunde",),
        "pt": ("Cliente",),
    },
    "description": {
        "en": ("Description",),
        "es": ("Descripción",),
        "fr": ("Description",),
        "de": ("Beschreibung",),
        "pt": ("Descrição",),
    },
    "task": {
        "en": ("Task",),
        "es": ("Tarea",),
        "fr": ("Tâche",),
        "de": ("Aufgabe",),
        "pt": ("Tarefa",),
    },
    "user": {
        "en": ("User",),
        "es": ("Usuario",),
        "fr": ("Utilisateur",),
        "de": ("Benutzer",),
        "pt": ("Usuário", "Do utilizador"),
    },
    "email": {
        "en": ("Email",),
        "es": ("Correo electrónico",),
        "fr": ("Email",),
        "de": ("E-Mail",),
        "pt": ("E-mail", "Email"),
    },
    "tags": {
        "en": ("Tags",),
        "es": ("Etiquetas",),
        "fr": ("Balises",),
        "de": ("Tags",),
        "pt": ("Etiquetas", "Etiqueta"),
    },
    "start_date": {
        "en": ("Start Date",),
        "es": ("Fecha de inicio",),
        "fr": ("Date de début",),
        "de": ("Startdatum",),
        "pt": ("Data de início",),
    },
    "start_time": {
        "en": ("Start Time",),
        "es": ("Hora de inicio",),
        "fr": ("Heure de début",),
        "de": ("Startzeit",),
        "pt": ("Hora de início",),
    },
    "end_date": {
        "en": ("End Date",),
        "es": ("Fecha de finalización",),
        "fr": ("Date de fin",),
        "de": ("Enddatum",),
        "pt": ("Data final", "Data de término"),
    },
    "end_time": {
        "en": ("End Time",),
        "es": ("Hora de finalización",),
        "fr": ("Heure de fin",),
        "de": ("Endzeit",),
        "pt": ("Hora de término",),
    },
    "duration_h": {
        "en": ("Duration (h)",),
        "es": ("Duración (h)",),
        "fr": ("Durée (h)",),
        "de": ("Dauer (h)",),
        "pt": ("Duração (h)",),
    },
    "duration_decimal": {
        "en": ("Duration (decimal)",),
        "es": ("Duración (decimal)",),
        "fr": ("Durée (décimal)",),
        "de": ("Dauer (dezimal)",),
        "pt": ("Duração (decimal)",),
    },
}

#: The order of the columns in an English export, for messages.
HEADER = (
    "Project, Client, Description, Task, User, Group, Email, Tags, Billable, Start Date, "
    "Start Time, End Date, End Time, Duration (h), Duration (decimal), Billable Rate, Billable Amount"
)

#: A column only Toggl Track's detailed export has: its one ``Duration``.
TOGGL_ONLY = frozenset({sheet.fold_header("Duration")})


def _how_to_export() -> str:
    return _(
        "In Clockify, open Reports, Time, Detailed, choose the dates, then Export and "
        "Save as CSV. Its columns are: {columns}."
    ).format(columns=HEADER)


LAYOUT = sheet.Layout(
    source="clockify",
    name="Clockify",
    other="Toggl Track",
    other_source="toggl",
    columns=COLUMNS,
    durations=("duration_h", "duration_decimal"),
    foreign=TOGGL_ONLY,
    unreadable_hint=_how_to_export,
)


def read_clockify(
    path: Path, *, zone: str, date_format: str | None = None
) -> Iterator[SourceEntry | BadRow]:
    """The time entries of a Clockify detailed report (CSV), one per row.

    ``zone`` is the IANA zone the report was exported in (the Clockify profile's; the
    user's or ``--zone``). The date format is inferred from the file's dates;
    ``date_format`` (``DD/MM/YYYY``, ``MM/DD/YYYY``...) is for a file whose days are
    all 1 to 12: it wins over the inference (the rows it does not fit are bad rows);
    without it such a file is read day first (``inspect_*`` tells whether it was shown).
    The file is checked before the first row is yielded: ``InputError`` if it is not a
    Clockify detailed report; a row that cannot be read is a ``BadRow``, and reading
    goes on. ``Duration (h)`` checks the end (``Duration (decimal)`` when it is the only
    duration); without an end, it gives it.

    The export has no ids, so ``key`` is ``content_key("clockify", who, start, end)``
    where ``who`` is the Email column (else User) and ``start``, ``end`` are the clock
    times as written (not instants, so reading the file in another zone changes no
    key): the same entry exported again gives the same key whatever the language or date format, and even
    after its description, project, client, task or tags were edited or renamed (an
    import of the new export skips it rather than counting its time twice). Two
    different entries of one person with the same start and end get different keys:
    the second such row of a file adds its rank (``..., 1``). Editing an entry's start
    or end gives a new key.
    """
    return sheet.read(path, LAYOUT, zone=zone, date_format=date_format)


def inspect_clockify(path: Path, *, date_format: str | None = None) -> sheet.SheetInfo:
    """What ``read_clockify`` would take the file for (language, date format...)."""
    return sheet.inspect(path, LAYOUT, date_format=date_format)

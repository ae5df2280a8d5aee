"""Toggl Track's detailed report, exported as CSV.

In Toggl Track: Reports, Detailed, the date range, then Export and *Download CSV*
(the same file as the Reports API v3 ``search/time_entries.csv``, and, without the
``Amount`` column, as Settings, Data export, *Export time entries*). Its columns::

    User,Email,Client,Project,Task,Description,Billable,Start date,Start time,
    End date,End time,Duration,Tags,Amount (EUR)

They are always in English (Toggl's own CSV import asks for "headers in English",
the ones its detailed export writes); the currency in ``Amount (...)`` varies and the
column is not read. Times are wall clock in the exporting user's zone, without an
offset; ``Duration`` follows the profile's duration format (``0:18:25`` *improved*,
``18:25 min`` *classic*, or decimal). Tags are joined with ``", "``. There is no id
column. Sources: ``tests/fixtures/import/toggl/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mansioni.i18n import _
from mansioni.sources import sheet
from mansioni.sources.record import BadRow, SourceEntry

#: The columns read, by field; Toggl writes them in English only.
COLUMNS = {
    "user": {"en": ("User",)},
    "email": {"en": ("Email",)},
    "client": {"en": ("Client",)},
    "project": {"en": ("Project",)},
    "task": {"en": ("Task",)},
    "description": {"en": ("Description",)},
    "start_date": {"en": ("Start date",)},
    "start_time": {"en": ("Start time",)},
    "end_date": {"en": ("End date",)},
    "end_time": {"en": ("End time",)},
    "duration": {"en": ("Duration",)},
    "tags": {"en": ("Tags",)},
}

#: The order of the columns in an export, for messages.
HEADER = (
    "User, Email, Client, Project, Task, Description, Billable, Start date, Start time, "
    "End date, End time, Duration, Tags, Amount"
)

#: Columns only Clockify's detailed export has (its two durations and user groups).
CLOCKIFY_ONLY = frozenset(
    sheet.fold_header(name)
    for name in (
        "Duration (h)",
        "Duration (decimal)",
        "Dauer (h)",
        "Dauer (dezimal)",
        "Durée (h)",
        "Durée (décimal)",
        "Duración (h)",
        "Duración (decimal)",
        "Duração (h)",
        "Duração (decimal)",
        "Group",
        "Gruppe",
        "Groupe",
        "Grupo",
    )
)


def _how_to_export() -> str:
    return _(
        "In Toggl Track, open Reports, choose Detailed and the dates, then Export and "
        "Download CSV. Its columns are: {columns}."
    ).format(columns=HEADER)


LAYOUT = sheet.Layout(
    source="toggl",
    name="Toggl Track",
    other="Clockify",
    other_source="clockify",
    columns=COLUMNS,
    durations=("duration",),
    foreign=CLOCKIFY_ONLY,
    unreadable_hint=_how_to_export,
)


def read_toggl(
    path: Path, *, zone: str, date_format: str | None = None
) -> Iterator[SourceEntry | BadRow]:
    """The time entries of a Toggl Track detailed report (CSV), one per row.

    ``zone`` is the IANA zone the report was exported in (the Toggl profile's; the
    user's or ``--zone``). The date format is inferred from the file's dates;
    ``date_format`` (``DD/MM/YYYY``, ``MM/DD/YYYY``...) is for a file whose days are
    all 1 to 12: it wins over the inference (the rows it does not fit are bad rows);
    without it such a file is read day first (``inspect_*`` tells whether it was shown).
    The file is checked before the first row is yielded: ``InputError`` if it is not a
    Toggl detailed report; a row that cannot be read is a ``BadRow``, and reading goes on.

    The export has no ids, so ``key`` is ``content_key("toggl", who, start, end)``
    where ``who`` is the Email column (else User) and ``start``, ``end`` are the clock
    times as written (not instants, so reading the file in another zone changes no
    key): the same entry exported again gives the same key even after its description, project, client,
    task or tags were edited or renamed (an import of the new export skips it rather
    than counting its time twice). Two different entries of one person with the same
    start and end get different keys: the second such row of a file adds its rank
    (``..., 1``), the third ``..., 2``. Editing an entry's start or end in Toggl gives
    it a new key.
    """
    return sheet.read(path, LAYOUT, zone=zone, date_format=date_format)


def inspect_toggl(path: Path, *, date_format: str | None = None) -> sheet.SheetInfo:
    """What ``read_toggl`` would take the file for (its date format, 12-hour clock...)."""
    return sheet.inspect(path, LAYOUT, date_format=date_format)

"""What the Toggl Track and Clockify readers share: their detailed reports are CSV sheets.

Both services export a *detailed report* as one CSV row per time entry, with the
entry's start and end as a local date and a local time of day in separate columns
(in the zone of the account that exported it, without an offset) and its duration.
This module reads such a sheet (``sheet_values`` reads the values in it); ``toggl``
and ``clockify`` only say which columns their exports have (``Layout``). The sources of the column names and formats are
in ``tests/fixtures/import/toggl/README.md`` and ``.../clockify/README.md``.

The file
    UTF-8, with or without a byte order mark (Toggl writes one); UTF-16 with a byte
    order mark; anything else is read as Windows-1252, what Excel writes when it saves
    a CSV on Windows. The delimiter is sniffed from the header line: ``,`` (what both
    services write), ``;`` or a tab (what a spreadsheet may write). Quoted fields may
    hold delimiters, quotes and line breaks; a row is reported by the physical line it
    starts on, counting from 1 (the header is line 1 when nothing precedes it).

Columns
    are found by name, whatever their order and case, in any of the languages the
    service exports in; columns that are not needed are ignored (amounts, billable,
    custom fields...).

Dates
    A file uses one date format throughout, the one set in the exporting account:
    year first (``2026-01-13``, ``2026/01/13``), day first (``13/01/2026``,
    ``13.01.2026``, ``13-01-2026``) or month first (``01/13/2026``). Which one is
    inferred from all the dates of the file: a first number above 12 means day first,
    a second one above 12 month first; failing that, the rows that end on another day
    than they start tell it (only the right order gives an end date as many days after
    the start as the duration says). If the file still cannot tell (all its days are 1
    to 12 and no row says more), the ``date_format`` the caller passes decides, else
    **day first**. An explicit ``date_format`` always wins; the rows it does not fit
    are bad rows.

Times
    ``14:05:30``, ``14:05``, ``2:05:30 PM``, ``2:05 pm``, ``2:05:30 p.m.`` or
    ``2:05:30 p. m.``: 24-hour or 12-hour, with or without seconds.

Durations
    ``1:30:00`` (hours may exceed 24: ``123:04:05``), ``1:30`` (hours and minutes),
    ``18:25 min`` (minutes and seconds, Toggl's *classic* format), ``45 sec``, or
    decimal hours ``1.5``, ``1,5`` or ``1.5 h``.

From wall clock to instants
    The zone is an IANA name (the user's, or ``--zone``), the one the account exported
    in. A local time that happens twice (the hour repeated when summer time ends) or
    never (the hour skipped when it starts) is resolved so that the entry's end minus
    its start agrees with the duration column, when there is one; otherwise, and on a
    tie, the earlier reading is taken (``fold=0``; for a skipped time this is the clock
    as it read before the change, so 02:30 on the day clocks jump from 02:00 to 03:00
    is 03:30 summer time). Without an end, the end is the start plus the duration;
    without either, the entry is running (``end`` is ``None``).

Checks
    When a row has both an end and a duration, they must agree within what the file's
    precision allows (one second of clock rounding plus a step of the duration format
    and of the time format: a second, a minute, or 36 seconds for hundredths of an hour).
    A report exported with *rounding* on disagrees: its rows are bad rows that say so.

Why one module of this length: the file, the columns, the dates and the rows above
are one format's rules, decided together (the date order is inferred from all the
rows); ``sheet_values`` already holds the reading of single values.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from mansioni.domain.display import shell_word
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.sources.record import BadRow, SourceEntry, content_key
from mansioni.sources.sheet_values import (
    DateGuess,
    WallClock,
    date_order,
    guess_date_order,
    parse_date,
    parse_duration,
    parse_time,
    resolve,
    split_tags,
    wall_seconds,
    zone_info,
)

# --- the file --------------------------------------------------------------------

#: The delimiters a sheet may use, in order of preference on a tie.
DELIMITERS = (",", ";", "\t")


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with (see the module docstring)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter of a sheet: the candidate seen most often outside quotes in its first line."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # first of the maxima: "," on a tie
    return best if counts[best] else ","


def records(text: str, delimiter: str) -> list[tuple[int, tuple[str, ...]]]:
    """The non-blank rows of a sheet, each with the physical line (from 1) it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    append = rows.append
    end = 0
    collecting = gc.isenabled()
    gc.disable()  # a bulk load of 100,000 lists: the collector would only slow it down
    try:
        for record in reader:
            line = end + 1
            end = reader.line_num
            if record and (record[0].strip() or "".join(record).strip()):
                append((line, tuple(record)))  # tuples of str: the collector skips them
    finally:
        if collecting:
            gc.enable()
    return rows


def fold_header(text: str) -> str:
    """A column name as compared: NFC, no byte order mark, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    return " ".join(text.split()).casefold()


# --- the layout of a service's export ------------------------------------------

#: The columns a reader looks for; ``end_date``/``end_time`` and the durations are
#: each optional, but a row needs an end or a duration (or is a running timer).
FIELDS = (
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "client",
    "project",
    "task",
    "description",
    "user",
    "email",
    "tags",
)


@dataclass(frozen=True)
class Layout:
    """What one service's detailed export looks like, for ``read``.

    - ``source``: the name in keys and in the store (``toggl``, ``clockify``);
    - ``columns``: for each field of ``FIELDS`` and each duration field, the column
      names it has, by language (``{"en": ("Start date",), ...}``);
    - ``durations``: the duration fields, the most precise first;
    - ``foreign``: column names (folded) that only another service's export has: a
      file with one of them and none of this service's duration columns is refused;
    - ``name``: the service's name for people (``Toggl Track``); ``other``, ``other_source``:
      the other service's, whose export a user may give by mistake;
    - ``unreadable_hint``: how to export the file, for a file that cannot be read.
    """

    source: str
    name: str
    other: str
    other_source: str
    columns: dict[str, dict[str, tuple[str, ...]]]
    durations: tuple[str, ...]
    foreign: frozenset[str]
    unreadable_hint: Callable[[], str]
    _index: dict[str, tuple[str, tuple[str, ...]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, tuple[str, tuple[str, ...]]] = {}
        for name, languages in self.columns.items():
            for language, headers in languages.items():
                for header in headers:
                    folded = fold_header(header)
                    known, langs = index.get(folded, (name, ()))
                    if known == name and language not in langs:
                        index[folded] = (name, (*langs, language))
        object.__setattr__(self, "_index", index)

    def match(self, header: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
        """``({field: column index}, {language: columns matched})`` for a header row."""
        found: dict[str, int] = {}
        languages: dict[str, int] = {}
        for position, name in enumerate(header):
            hit = self._index.get(fold_header(name))
            if hit is None or hit[0] in found:
                continue
            found[hit[0]] = position
            for language in hit[1]:
                languages[language] = languages.get(language, 0) + 1
        return found, languages

    def missing(self, path: str, columns: list[str]) -> InputError:
        """The error for a file without the columns ``read`` needs."""
        return InputError(
            _("{path} is not a {service} detailed report: it lacks the columns {columns}.").format(
                path=path, service=self.name, columns=", ".join(columns)
            ),
            hint=self.unreadable_hint(),
        )

    def wrong(self, path: str) -> InputError:
        """The error for the other service's export."""
        return InputError(
            _("{path} looks like a {other} export, not a {service} one.").format(
                path=path, other=self.other, service=self.name
            ),
            hint=_("Import it with: mansioni import {source} {path}").format(
                source=self.other_source, path=shell_word(path)
            ),
        )

    def names(self, field_name: str) -> list[str]:
        """The English names of a field's column, for messages."""
        return list(self.columns[field_name].get("en", ()))


@dataclass(frozen=True)
class SheetInfo:
    """What ``inspect`` learns of a file, for the command to tell the user."""

    rows: int
    encoding: str
    delimiter: str
    languages: tuple[str, ...]
    date_format: str
    date_format_shown: bool
    twelve_hour: bool


@dataclass
class _Sheet:
    path: Path
    encoding: str
    delimiter: str
    columns: dict[str, int]
    languages: tuple[str, ...]
    width: int
    rows: list[tuple[int, tuple[str, ...]]]


def _load(path: Path, layout: Layout) -> _Sheet:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            _("There is no file {path}.").format(path=name), hint=layout.unreadable_hint()
        ) from None
    except IsADirectoryError:
        raise InputError(
            _("{path} is a folder, not a CSV file.").format(path=name),
            hint=layout.unreadable_hint(),
        ) from None
    except OSError as exc:
        raise InputError(
            _("{path} cannot be read: {error}").format(path=name, error=exc.strerror or exc),
            hint=layout.unreadable_hint(),
        ) from None
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    try:
        rows = records(text, delimiter)
    except csv.Error as exc:
        raise InputError(
            _("{path} is not a CSV file: {error}").format(path=name, error=exc),
            hint=layout.unreadable_hint(),
        ) from None
    if not rows:
        raise InputError(_("{path} is empty.").format(path=name), hint=layout.unreadable_hint())
    _line, header = rows[0]
    columns, languages = layout.match(header)
    folded = {fold_header(value) for value in header}
    if folded & layout.foreign and not any(d in columns for d in layout.durations):
        raise layout.wrong(name)
    missing = [f for f in ("start_date", "start_time") if f not in columns]
    has_end = "end_date" in columns and "end_time" in columns
    if not has_end and not any(d in columns for d in layout.durations):
        missing += [f for f in ("end_date", "end_time") if f not in columns] + [layout.durations[0]]
    if missing:
        raise layout.missing(name, [layout.names(f)[0] for f in missing])
    ranked = tuple(sorted(languages, key=lambda lang: (-languages[lang], lang)))
    return _Sheet(path, encoding, delimiter, columns, ranked, len(header), rows[1:])


def _guess(sheet: _Sheet, layout: Layout, preferred: str | None) -> DateGuess:
    start_col = sheet.columns["start_date"]
    end_col = sheet.columns.get("end_date")
    duration_col = next((sheet.columns[d] for d in layout.durations if d in sheet.columns), None)
    width = sheet.width
    values: set[str] = set()
    spans: list[tuple[str, str, int]] = []
    for _line, record in sheet.rows:
        if len(record) != width:
            continue
        start = record[start_col]
        values.add(start)
        if end_col is not None:
            end = record[end_col]
            values.add(end)
            if end != start and end and duration_col is not None and len(spans) < 1000:
                parsed = parse_duration(record[duration_col])
                if parsed is not None:
                    spans.append((start, end, parsed[0]))
    return guess_date_order(values, spans, preferred=preferred)


def inspect(path: Path, layout: Layout, *, date_format: str | None = None) -> SheetInfo:
    """What ``read`` would take ``path`` for: encoding, delimiter, languages, date format."""
    preferred = date_order(date_format) if date_format is not None else None
    sheet = _load(path, layout)
    guess = _guess(sheet, layout, preferred)
    time_col = sheet.columns["start_time"]
    twelve = any(
        re.search(r"[AaPp]\.?\s?[Mm]\.?\s*\Z", record[time_col])
        for _line, record in sheet.rows[:200]
        if len(record) == sheet.width
    )
    return SheetInfo(
        rows=len(sheet.rows),
        encoding=sheet.encoding,
        delimiter=sheet.delimiter,
        languages=sheet.languages,
        date_format=guess.pattern,
        date_format_shown=guess.evidence or preferred is not None,
        twelve_hour=twelve,
    )


def read(
    path: Path, layout: Layout, *, zone: str, date_format: str | None = None
) -> Iterator[SourceEntry | BadRow]:
    """The entries of a detailed export laid out as ``layout`` says (see the module
    docstring); ``InputError`` if the file cannot be read as one (before any row)."""
    tz = zone_info(zone)
    preferred = date_order(date_format) if date_format is not None else None
    sheet = _load(path, layout)
    return _entries(sheet, layout, zone, tz, _guess(sheet, layout, preferred))


def _entries(
    sheet: _Sheet, layout: Layout, zone: str, tz: ZoneInfo, guess: DateGuess
) -> Iterator[SourceEntry | BadRow]:
    # One pass, kept flat: it runs once per row of files of 100,000 rows.
    name = str(sheet.path)
    source = layout.source
    columns = sheet.columns
    width = sheet.width
    order = guess.order
    form = guess.pattern
    wall = WallClock(tz)
    instants, base = wall.instants, wall.base
    c_start_date, c_start_time = columns["start_date"], columns["start_time"]
    c_end_date, c_end_time = columns.get("end_date"), columns.get("end_time")
    c_durations = [columns[d] for d in layout.durations if d in columns]
    c_client, c_project, c_task = columns.get("client"), columns.get("project"), columns.get("task")
    c_note, c_user, c_email = columns.get("description"), columns.get("user"), columns.get("email")
    c_tags = columns.get("tags")
    dates: dict[str, tuple[date, int | None] | None] = {}  # text: (day, its midnight or None)
    times: dict[str, tuple[int, int] | None] = {}
    durations: dict[str, tuple[int, int] | None] = {}
    tag_lists: dict[str, tuple[str, ...]] = {}
    seen: dict[tuple[str, int, int | None], int] = {}
    unknown = object()

    def read_day(text: str) -> tuple[date, int | None] | None:
        day = parse_date(text, order)
        return None if day is None else (day, base(day))

    for line, record in sheet.rows:
        if len(record) != width:
            yield BadRow(
                name,
                line,
                _("it has {found} fields, but the header has {expected}.").format(
                    found=len(record), expected=width
                ),
            )
            continue
        # -- start
        raw = record[c_start_date]
        day = dates.get(raw, unknown)
        if day is unknown:
            day = dates[raw] = read_day(raw)
        if day is None:
            if raw.strip():
                reason = _("the start date {value!r} is not a date like {form}.").format(
                    value=raw, form=form
                )
            else:
                reason = _("it has no start date.")
            yield BadRow(name, line, reason)
            continue
        raw = record[c_start_time]
        clock = times.get(raw, unknown)
        if clock is unknown:
            clock = times[raw] = parse_time(raw)
        if clock is None:
            if raw.strip():
                reason = _(
                    "the start time {value!r} is not a time of day (like 14:05:30 or 2:05:30 PM)."
                ).format(value=raw)
            else:
                reason = _("it has no start time.")
            yield BadRow(name, line, reason)
            continue
        midnight = day[1]
        starts = (midnight + clock[0],) if midnight is not None else instants(day[0], clock[0])
        time_step = clock[1]
        # -- duration: the first duration column that is not empty
        duration = None
        duration_text = ""
        for column in c_durations:
            raw = record[column]
            if raw and not raw.isspace():
                duration_text = raw
                duration = durations.get(raw, unknown)
                if duration is unknown:
                    duration = durations[raw] = parse_duration(raw)
                break
        if duration is None and duration_text:
            yield BadRow(
                name,
                line,
                _("the duration {value!r} is not a duration (like 1:30:00 or 1.5).").format(
                    value=duration_text
                ),
            )
            continue
        # -- end
        end_date_text = record[c_end_date].strip() if c_end_date is not None else ""
        end_time_text = record[c_end_time].strip() if c_end_time is not None else ""
        if bool(end_date_text) != bool(end_time_text):
            yield BadRow(name, line, _("its end has a date but no time, or a time but no date."))
            continue
        if end_date_text and end_time_text:
            end_day = dates.get(end_date_text, unknown)
            if end_day is unknown:
                end_day = dates[end_date_text] = read_day(end_date_text)
            if end_day is None:
                yield BadRow(
                    name,
                    line,
                    _("the end date {value!r} is not a date like {form}.").format(
                        value=end_date_text, form=form
                    ),
                )
                continue
            end_clock = times.get(end_time_text, unknown)
            if end_clock is unknown:
                end_clock = times[end_time_text] = parse_time(end_time_text)
            if end_clock is None:
                yield BadRow(
                    name,
                    line,
                    _(
                        "the end time {value!r} is not a time of day (like 14:05:30 or 2:05:30 PM)."
                    ).format(value=end_time_text),
                )
                continue
            midnight = end_day[1]
            ends = (
                (midnight + end_clock[0],)
                if midnight is not None
                else instants(end_day[0], end_clock[0])
            )
            if len(starts) == 1 and len(ends) == 1:
                start, end = starts[0], ends[0]
            else:
                start, end = resolve(starts, ends, duration[0] if duration else None)
            if end < start:
                yield BadRow(
                    name,
                    line,
                    _("it ends ({end}) before it starts ({start}).").format(
                        end=f"{end_date_text} {end_time_text}",
                        start=f"{record[c_start_date].strip()} {record[c_start_time].strip()}",
                    ),
                )
                continue
            if duration is not None:
                gap = end - start - duration[0]
                if gap < 0:
                    gap = -gap
                if gap > 1 + duration[1] + max(time_step, end_clock[1]):
                    yield BadRow(
                        name,
                        line,
                        _(
                            "its end and its duration ({duration}) disagree by {seconds} seconds; "
                            "export the report again with rounding off."
                        ).format(duration=duration_text.strip(), seconds=gap),
                    )
                    continue
        elif duration is not None:
            start = starts[0]
            end = start + duration[0]
        else:
            start, end = starts[0], None
        # -- who, what
        person = record[c_user].strip() or None if c_user is not None else None
        identity = (record[c_email].strip() if c_email is not None else "") or person or ""
        # The key is made of the clock times as written, not of the instants: the same
        # file read again in another zone (--zone, a move, a new computer) is the same
        # entries, not new ones.
        occurrence = (
            identity,
            wall_seconds(start, tz),
            None if end is None else wall_seconds(end, tz),
        )
        count = seen.get(occurrence, 0)
        seen[occurrence] = count + 1
        key = content_key(source, *occurrence, count) if count else content_key(source, *occurrence)
        tags: tuple[str, ...] = ()
        if c_tags is not None:
            raw = record[c_tags]
            if raw:
                tags = tag_lists.get(raw, unknown)  # type: ignore[assignment]
                if tags is unknown:
                    tags = tag_lists[raw] = split_tags(raw)
        note = record[c_note].strip() or None if c_note is not None else None
        if note is not None and "\r" in note:
            note = note.replace("\r\n", "\n").replace("\r", "\n")
        yield SourceEntry(
            name,
            line,
            key,
            start,
            end,
            zone,
            record[c_client].strip() or None if c_client is not None else None,
            record[c_project].strip() or None if c_project is not None else None,
            record[c_task].strip() or None if c_task is not None else None,
            tags,
            note,
            person,
        )

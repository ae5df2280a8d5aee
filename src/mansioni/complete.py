"""Shell completion's answers, without Typer: ``mansioni __complete SHELL -- ...``.

The scripts ``mansioni completion show bash|zsh|fish`` prints call back here at every
Tab. ``mansioni.__main__`` hands the call over before anything else is imported, so an
answer costs the interpreter, the command table (``cli.completion_table``, generated
from the Typer commands) and, for names and ids, one read-only look at the store with
the standard ``sqlite3`` (``store.completion_reads``): Typer, Click, Rich, SQLAlchemy
and pendulum are never loaded.

The protocol (private to the scripts; it may change with them):

- ``mansioni __complete bash -- LINE [BREAKS]``: ``LINE`` is the command line up to the
  cursor (``${COMP_LINE:0:COMP_POINT}``), as typed, quotes and all; ``BREAKS`` is
  ``$COMP_WORDBREAKS``. This side splits and unquotes it as bash does, and quotes each
  answer so that readline can put it in place of its current word.
- ``mansioni __complete zsh|fish -- WORD... CURRENT``: the words after ``mansioni``,
  unquoted by the shell, then the word being completed (the shell's own text of it:
  quotes typed in it are taken off here).

The first line of an answer says what to do: ``values`` (the lines that follow),
``nospace`` (bash: the same, with no space after the word: a client's ``rossi/``),
``files`` or ``dirs`` (the shell's own completion of paths). Then one line a value; for
zsh and fish ``value<TAB>description``. A store that is missing, unreadable, busy or not
SQLite gives commands and options only; nothing is ever said on the terminal (the
scripts send stderr away), and the status is 0 but for a call that breaks the protocol.

What is completed: commands and sub-commands, the options of the command being typed,
and the values of those that name things: clients and duties, each written the way
hints write it (``domain.names.client_ref`` and ``task_ref``: ``rossi`` for "Studio
Rossi", ``rossi/newsletter``), after what is typed (``ros`` becomes ``rossi``) and
read as the commands read it: a word that names duties offers those duties, a client's
name (none of the duties) that client's duties; typed letters are kept as typed, so
``Caf`` becomes ``Caffe/...`` no more than ``caf`` becomes ``caffe/...``; the words
of a choice (``--format``, ``--by``, a decision), and the newest entries of the user's
own for ``edit`` and ``delete``, read by primary key from the end (never a scan of the
history).
"""

from __future__ import annotations

import sys

SHELLS = ("bash", "zsh", "fish")
#: How many entry ids ``edit`` and ``delete`` offer, newest first...
ENTRY_IDS = 20
#: ...found among this many of the newest rows of the entry table (anyone's): a bound on
#: the work whatever the size of the history and however many people share it.
ENTRY_WINDOW = 500
#: Seconds to wait for a store another command holds locked (rare: readers do not wait
#: for writers in WAL mode); past that, names are left out.
BUSY_SECONDS = 0.2
#: bash's default ``COMP_WORDBREAKS``.
BASH_BREAKS = " \t\n\"'><=;|&(:"
#: Characters that bash would read as something else than themselves in a word.
_BASH_SPECIAL = frozenset(" \t\n\"'\\$`!&;|<>()*?[]{}#~=:")


class Candidate:
    """A value to offer, with what zsh and fish show beside it."""

    __slots__ = ("value", "description")

    def __init__(self, value: str, description: str = "") -> None:
        self.value, self.description = value, description

    def __repr__(self) -> str:
        return f"Candidate({self.value!r}, {self.description!r})"


# --- the protocol ------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """Answer ``mansioni __complete`` (``argv``: what follows ``__complete``)."""
    if not argv or argv[0] not in SHELLS:
        sys.stderr.write("usage: mansioni __complete bash|zsh|fish -- WORDS...\n")
        return 2
    shell, rest = argv[0], argv[1:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    if shell == "bash":
        if not rest:
            sys.stderr.write("usage: mansioni __complete bash -- LINE [BREAKS]\n")
            return 2
        lines = bash_answer(rest[0], rest[1] if len(rest) > 1 else BASH_BREAKS)
    else:
        words = rest[:-1]
        current = unquote(rest[-1] if rest else "", shell)
        directive, found = answer(words, current, describe=True)
        lines = [directive, *(f"{c.value}\t{_one_line(c.description)}" for c in found)]
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


def bash_answer(line: str, breaks: str = BASH_BREAKS) -> list[str]:
    """The lines answering bash for the command line ``line`` (up to the cursor)."""
    tokens = split_line(line)
    if len(tokens) < 2:  # the cursor is still on the command's own name
        return ["values"]
    *before, current = tokens[1:]
    directive, found = answer([t.value for t in before], current.value, describe=False)
    # Readline puts each value in place of its own idea of the word: from after an open
    # quote, else from after the last word-break character that is not quoted (the = of
    # --client=rossi). The part before it must be the same in the value; the rest is
    # quoted the way the word is.
    start = current.open_quote + 1 if current.open_quote is not None else current.start
    if current.open_quote is None:
        for index in range(len(line) - 1, current.start - 1, -1):
            if line[index] in breaks and not current.quoted[index - current.start]:
                start = index + 1
                break
    kept = current.value[: current.lengths[start - current.start]]
    quote = line[current.open_quote] if current.open_quote is not None else None
    values = [_bash_quote(c.value[len(kept) :], quote) for c in found if c.value.startswith(kept)]
    if directive == "values" and any(v.endswith(("/", "=")) for v in values):
        directive = "nospace"
    return [directive, *values]


def _bash_quote(text: str, quote: str | None) -> str:
    if quote == "'":
        return text.replace("'", "'\\''")
    if quote == '"':
        return "".join("\\" + ch if ch in '"\\$`' else ch for ch in text)
    return "".join("\\" + ch if ch in _BASH_SPECIAL else ch for ch in text)


class _Token:
    """A word of the command line: its value, where it starts, and for each of its
    characters whether a quote or a backslash makes it quoted, and how much of the value
    comes before it (``lengths``, one more than the characters: the whole value last)."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.value = ""
        self.quoted: list[bool] = []
        self.lengths: list[int] = []
        self.open_quote: int | None = None  # the index of a quote still open at the end


def split_line(line: str) -> list[_Token]:
    """The words of ``line`` as bash reads them: blanks split, quotes and backslashes
    are taken off (an unclosed quote or a backslash at the end is allowed)."""
    tokens: list[_Token] = []
    token: _Token | None = None
    quote: str | None = None
    escaped = False
    for index, ch in enumerate(line):
        if token is None:
            if ch in " \t\n" and quote is None:
                continue
            token = _Token(index)
            tokens.append(token)
        token.lengths.append(len(token.value))
        if escaped:
            escaped = False
            token.quoted.append(True)
            if quote == '"' and ch not in '$`"\\\n':
                token.value += "\\"
            if ch != "\n":
                token.value += ch
            continue
        if quote == "'":
            token.quoted.append(True)
            if ch == "'":
                quote, token.open_quote = None, None
            else:
                token.value += ch
        elif ch == "\\":
            token.quoted.append(True)
            escaped = True
        elif quote == '"':
            token.quoted.append(True)
            if ch == '"':
                quote, token.open_quote = None, None
            else:
                token.value += ch
        elif ch in "'\"":
            token.quoted.append(True)
            quote, token.open_quote = ch, index
        elif ch in " \t\n":
            token.lengths.pop()
            token = None
        else:
            token.quoted.append(False)
            token.value += ch
    if token is None:  # the line ends with a blank: a new, empty word is being typed
        tokens.append(_Token(len(line)))
        token = tokens[-1]
    token.lengths.append(len(token.value))
    return tokens


def unquote(text: str, shell: str) -> str:
    """The word ``text`` as typed in ``shell``, its quotes and backslashes taken off (an
    unclosed quote allowed); fish's single quotes also take ``\\'`` and ``\\\\``."""
    value, quote, escaped = "", None, False
    for ch in text:
        if escaped:
            escaped = False
            if quote == '"' and ch not in '$`"\\':
                value += "\\"
            elif quote == "'" and ch not in "'\\":
                value += "\\"
            value += ch
        elif quote == "'":
            if ch == "'":
                quote = None
            elif ch == "\\" and shell == "fish":
                escaped = True
            else:
                value += ch
        elif ch == "\\":
            escaped = True
        elif quote == '"':
            if ch == '"':
                quote = None
            else:
                value += ch
        elif ch in "'\"":
            quote = ch
        else:
            value += ch
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- what to offer ----------------------------------------------------------------------


def answer(words: list[str], current: str, *, describe: bool) -> tuple[str, list[Candidate]]:
    """``(directive, candidates)`` for the word ``current`` after ``words`` (the words
    after ``mansioni``, unquoted)."""
    from mansioni.cli.completion_table import COMMANDS

    path, node = "", COMMANDS[""]
    positionals: list[str] = []
    used: set[tuple[str, ...]] = set()
    awaiting: tuple | None = None  # the option whose value comes next
    only_arguments = False
    for word in words:
        if awaiting is not None:
            awaiting = None
            continue
        if not only_arguments and word == "--":
            only_arguments = True
            continue
        if not only_arguments and word.startswith("-") and len(word) > 1:
            name, eq, _value = word.partition("=")
            option = _option(node, name)
            if option is not None:
                used.add(option[0])
                if option[1] != "flag" and not eq:
                    awaiting = option
            continue
        if node[1] and not positionals:  # a group: the word names one of its commands
            if word not in node[1]:
                return "values", []
            path = f"{path} {word}".strip()
            node, used = COMMANDS[path], set()
            continue
        positionals.append(word)

    names = _Names(describe)
    if awaiting is not None:
        return _values(awaiting[1], current, "", positionals, names)
    if current.startswith("-") and not only_arguments:
        name, eq, value = current.partition("=")
        option = _option(node, name) if eq else None
        if option is not None and option[1] != "flag":
            return _values(option[1], value, name + "=", positionals, names)
        return "values", _options(node, current, used, describe)
    if node[1] and not positionals:
        return "values", [
            Candidate(sub, _help(COMMANDS[f"{path} {sub}".strip()][0], describe))
            for sub in node[1]
            if sub.startswith(current.lower())
        ]
    arguments = node[3]
    if arguments and (len(positionals) < len(arguments) or arguments[-1][2]):
        kind, required, _variadic = arguments[min(len(positionals), len(arguments) - 1)]
        if kind != "text" or required or current:
            return _values(kind, current, "", positionals, names)
    return "values", (_options(node, current, used, describe) if not current else [])


def _option(node: tuple, name: str) -> tuple | None:
    return next((option for option in node[2] if name in option[0]), None)


def _options(node: tuple, current: str, used: set, describe: bool) -> list[Candidate]:
    return [
        Candidate(name, _help(help_text, describe))
        for names, _kind, help_text in node[2]
        if names not in used
        for name in names
        if name.startswith(current)
    ]


def _help(message: str, describe: bool) -> str:
    """The first paragraph of a help text, in the user's language."""
    if not describe or not message:
        return ""
    from mansioni.i18n import _

    return _one_line(_(message).split("\n\n")[0])


def _values(
    kind: str | tuple, current: str, prefix: str, positionals: list[str], names: _Names
) -> tuple[str, list[Candidate]]:
    """What completes a value of ``kind``; each candidate is ``prefix`` + the value."""
    if kind == "file":
        return "files", []
    if kind == "dir":
        return "dirs", []
    if isinstance(kind, tuple):  # ("choice", shown, also)
        typed = current.strip().lower()
        words = kind[1] + kind[2] if typed else kind[1]
        found = [Candidate(word) for word in words if word.startswith(typed)]
    elif kind == "client":
        found = names.clients(current)
    elif kind == "client/":
        found = [] if "/" in current else names.clients(current, "/")
    elif kind == "task":
        found = names.tasks(current)
    elif kind == "entry":
        found = names.entries(current, set(positionals))
    else:
        found = []
    for candidate in found:
        candidate.value = prefix + candidate.value
    return "values", found


# --- names from the store ---------------------------------------------------------------


def _kept(typed: str, ref: str) -> str:
    """``ref`` beginning with the letters as typed (``Caf`` + ``fe`` for ``caffe``) when
    they fold to its start, so that no shell takes the value for a different word."""
    from mansioni.domain.names import fold

    q, folded = fold(typed), fold(ref)
    if q and folded.startswith(q):
        kept = typed + folded[len(q) :]
        if fold(kept) == folded:
            return kept
    return ref


class _Names:
    """The clients, duties and newest entries of the store, read once, when first asked.

    Which duty a word names is the commands' own reading of it (``domain.names``), and
    each name is offered the way hints write it (``names.client_ref``, ``task_ref``)."""

    def __init__(self, describe: bool) -> None:
        self.describe = describe
        self._catalog: tuple[list, list] | None = None

    def catalog(self) -> tuple[list, list]:
        """``(clients, tasks)``: ``(id, name, archived)`` and ``(id, client_id, name,
        hidden)``, hidden being an archived or handed-back duty or one of an archived
        client; empty when the store cannot be read."""
        if self._catalog is None:
            from mansioni.domain.states import HIDDEN_STATES
            from mansioni.store.completion_reads import catalog

            read = catalog(BUSY_SECONDS)
            if read is None:
                self._catalog = ([], [])
            else:
                clients, rows = read
                archived = {c[0] for c in clients if c[2]}
                tasks = [(i, c, n, s in HIDDEN_STATES or c in archived) for i, c, n, s in rows]
                self._catalog = (clients, tasks)
        return self._catalog

    # -- clients and duties ----------------------------------------------------------

    def clients(self, typed: str, suffix: str = "") -> list[Candidate]:
        """Clients matching ``typed``, each as its reference (then ``suffix``)."""
        from mansioni.domain.names import client_ref, matches

        clients, _tasks = self.catalog()
        names = [c[1] for c in clients]
        found = [c for c in clients if not typed.strip() or matches(typed, c[1])]
        found = [c for c in found if not c[2]] or found  # archived ones if nothing else
        return _sorted(
            Candidate(
                _kept(typed, client_ref(c[1], names, typed=typed, completing=True)) + suffix,
                c[1] if self.describe else "",
            )
            for c in found
        )

    def tasks(self, typed: str) -> list[Candidate]:
        """Duties as ``client/duty``: those ``typed`` names as the commands read it
        (``names.find_tasks``); when it names none, the duties of the clients it names
        (``names.tasks_of_clients``: a client's name where a duty is wanted), or those
        clients (``rossi/``) when it names several. Nothing typed: the clients, or the
        duties of the only one. Hidden duties only when nothing else is found."""
        from mansioni.domain.names import TaskName, find_tasks, fold, tasks_of_clients

        clients, rows = self.catalog()
        by_id = {c[0]: c for c in clients}
        rows = [t for t in rows if t[1] in by_id]
        every = [TaskName(t[0], by_id[t[1]][1], t[2]) for t in rows]
        shown = [task for task, row in zip(every, rows, strict=True) if not row[3]]
        client_typed, slash, task_typed = typed.partition("/")
        if slash and not client_typed.strip():
            return []
        if not typed.strip():
            owned = shown or every
        else:
            found = find_tasks(typed, shown) or find_tasks(typed, every)
            if found and slash:
                return self._duties(found, every, typed, client_typed, task_typed)
            if found:
                return self._duties(found, every, typed, None, typed)
            if slash and task_typed.strip():
                return []
            owned = tasks_of_clients(client_typed, shown) or tasks_of_clients(client_typed, every)
        if len({fold(t.client) for t in owned}) > 1:
            return self.clients_of(owned, client_typed)
        return self._duties(owned, every, typed, client_typed, None)

    def clients_of(self, tasks: list, typed: str) -> list[Candidate]:
        """The clients of ``tasks``, each as its reference then ``/``."""
        from mansioni.domain.names import client_ref, fold

        names = sorted({t.client for t in tasks}, key=fold)
        everyone = [c[1] for c in self.catalog()[0]]
        return _sorted(
            Candidate(
                _kept(typed, client_ref(name, everyone, typed=typed, completing=True)) + "/",
                name if self.describe else "",
            )
            for name in names
        )

    def _duties(
        self,
        found: list,
        every: list,
        typed: str,
        client_typed: str | None,
        task_typed: str | None,
    ) -> list[Candidate]:
        """``found`` as ``client/duty``, each the way ``names.task_ref`` types it among
        ``every`` duty (so it names that duty whatever the command reads it among) after
        what was typed for its client and for itself, the letters of ``typed`` kept as
        typed."""
        from mansioni.domain.names import task_ref

        return _sorted(
            Candidate(
                _kept(
                    typed,
                    task_ref(t, every, typed=client_typed, typed_task=task_typed, completing=True),
                ),
                t.full if self.describe else "",
            )
            for t in found
        )

    # -- entries ---------------------------------------------------------------------

    def entries(self, typed: str, taken: set[str]) -> list[Candidate]:
        """The newest entries of the user's own, newest first, whose ids start ``typed``
        (those already on the line left out); described by duty and day."""
        if typed and not typed.isdigit():
            return []
        from mansioni import clock
        from mansioni.errors import MansioniError
        from mansioni.store.completion_reads import newest_entries

        try:
            person = clock.person()
        except MansioniError:
            return []
        rows = newest_entries(person, ENTRY_WINDOW, BUSY_SECONDS) or []
        found = [row for row in rows if str(row[0]).startswith(typed) and str(row[0]) not in taken]
        found = found[:ENTRY_IDS]
        zone = _zone() if self.describe else None
        return [
            Candidate(str(row[0]), _entry_text(row, zone) if zone is not None else "")
            for row in found
        ]


def _sorted(candidates) -> list[Candidate]:  # noqa: ANN001
    from mansioni.domain.names import fold

    unique = {c.value: c for c in candidates}
    return sorted(unique.values(), key=lambda c: (fold(c.value), c.value))


def _zone():  # noqa: ANN202
    from zoneinfo import ZoneInfo

    from mansioni import clock
    from mansioni.errors import MansioniError

    try:
        return ZoneInfo(clock.zone_name())
    except (MansioniError, KeyError, ValueError, OSError):
        return ZoneInfo("UTC")


def _entry_text(row: tuple, zone) -> str:  # noqa: ANN001
    """``Studio Rossi/Newsletter, 2026-11-27 09:00-09:30`` (``…-running`` while it runs)."""
    from datetime import datetime

    from mansioni.i18n import _

    start = datetime.fromtimestamp(row[1], zone)
    if row[2] is None:
        end = _("running")
    else:
        stop = datetime.fromtimestamp(row[2], zone)
        end = stop.strftime("%H:%M" if stop.date() == start.date() else "%Y-%m-%d %H:%M")
    return f"{row[4]}/{row[3]}, {start:%Y-%m-%d %H:%M}-{end}"

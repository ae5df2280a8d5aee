"""Where the store lives: one function decides, honouring the environment.

``MANSIONI_DB`` (any SQLAlchemy URL) wins; else ``MANSIONI_HOME`` (a directory);
else the configuration file's ``store``; else the user data directory of
platformdirs. Nothing here opens the store.

Paths are plain strings: ``pathlib`` and ``platformdirs`` cost the commands typed
all day some 20 ms of imports. On Linux the data directory is the XDG rule, written
out below; a test holds it equal to ``platformdirs.user_data_dir`` so the two
cannot drift apart. Elsewhere platformdirs answers.
"""

from __future__ import annotations

import os
import sys

DB_FILENAME = "mansioni.db"
APP_NAME = "mansioni"


def user_data_dir() -> str:
    if sys.platform == "linux":
        base = os.environ.get("XDG_DATA_HOME", "").strip()
        if not base:
            base = os.path.expanduser("~/.local/share")
        return os.path.join(base, APP_NAME)
    import platformdirs

    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


def data_home() -> str:
    home = os.environ.get("MANSIONI_HOME")
    if home:
        return os.path.expanduser(home)
    return user_data_dir()


def store_url() -> str:
    return store_source()[0]


def store_source() -> tuple[str, str, str]:
    """The store's URL and where it comes from: ``(url, kind, origin)``. ``MANSIONI_DB``,
    then ``MANSIONI_HOME`` (``env``), the configuration file's ``store`` (``file``), else
    the user data folder (``default``).

    The configuration file is checked first, whatever wins: every command asks this
    before it opens the store, so none ever touches the store with a bad file
    (``mansioni.config.check`` raises its ``InputError``)."""
    from mansioni import config

    configured = config.check().get("store")
    url = os.environ.get("MANSIONI_DB")
    if url:
        return url, "env", "MANSIONI_DB"
    home = os.environ.get("MANSIONI_HOME")
    if home:
        return f"sqlite:///{os.path.join(os.path.expanduser(home), DB_FILENAME)}", "env", "MANSIONI_HOME"  # fmt: skip
    if configured:
        return configured, "file", config.file_path()
    return f"sqlite:///{os.path.join(user_data_dir(), DB_FILENAME)}", "default", ""


def stray_at(url: str) -> bool:
    """True when a database URL (not a SQLite file's) holds an ``@`` after its password.

    The first ``@`` ends the user name and password; another one in the host, port or
    database name (a password holding an unencoded ``@``) would make the driver read the
    password's tail as the host and print it in its errors. Such a URL is refused before
    any driver sees it: an ``@`` in a password is written ``%40``. A value in the query
    may hold one (``?sslrootcert=/home/me@corp/ca.pem``); the name of a parameter may not.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0] == "sqlite":
        return False
    # Read as SQLAlchemy does: a user name (no ``:`` or ``/``), then ``:password`` up to
    # the first ``@``; the host, port and database run to the first ``?``, then the query.
    info, at, after = rest.partition("@")
    if not at or "/" in info.partition(":")[0]:
        return False  # no user information: that @ is in the database name or the query
    place, _sep, query = after.partition("?")
    return "@" in place or any("@" in item.partition("=")[0] for item in query.split("&"))


def url_secrets(url: str) -> list[str]:
    """Every string of ``url`` no message may show, longest first: its user information
    (``user:password``) and password, as typed and decoded, each piece of a password
    between two ``@`` (a driver could take one for a host), and a password passed in
    the query (``?password=…``)."""
    import re
    from urllib.parse import unquote

    scheme, sep, rest = url.partition("://")
    found: set[str] = set()
    if sep and scheme.split("+", 1)[0] != "sqlite" and "@" in rest:
        # The user information ends at the first @ or, when a password holds one, at a
        # later one: both are secret (the longer may take in more, never less).
        for info in (rest.partition("@")[0], rest.rpartition("@")[0]):
            _user, colon, password = info.partition(":")
            if colon:
                found.update((info, password, *password.split("@")))
    found.update(m.group(1) for m in re.finditer(r"[?&]password=([^&#]*)", url))
    found.update({unquote(text) for text in found})
    return sorted((s for s in found if s), key=len, reverse=True)


def scrub(message: str, url: str) -> str:
    """``message`` (a driver's error, a URL) with every secret of ``url`` masked."""
    for secret in url_secrets(url):
        message = message.replace(secret, "***")
    return message


def sqlite_path(url: str) -> str | None:
    """The file of a file-backed SQLite URL, else ``None`` (other databases, memory)."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix) :].split("?", 1)[0]
            if rest and rest != ":memory:":
                return rest
    return None


def is_store_file(target: str, store: str) -> bool:
    """True when ``target`` is the store file ``store`` or one of SQLite's companions
    (``-wal``, ``-shm``, ``-journal``): writing there would destroy the store."""
    real = os.path.realpath(target)
    for name in (store, store + "-wal", store + "-shm", store + "-journal"):
        if real == os.path.realpath(name):
            return True
        if os.path.exists(target) and os.path.exists(name) and os.path.samefile(target, name):
            return True
    return False

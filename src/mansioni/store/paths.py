"""Where the store lives: one function decides, honouring the environment.

``MANSIONI_DB`` (any SQLAlchemy URL) wins; else ``MANSIONI_HOME`` (a directory);
else the user data directory given by platformdirs. Nothing here opens a file.
"""

from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "mansioni.db"


def data_home() -> Path:
    home = os.environ.get("MANSIONI_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_path

    return user_data_path("mansioni", appauthor=False)


def store_url() -> str:
    url = os.environ.get("MANSIONI_DB")
    if url:
        return url
    return f"sqlite:///{data_home() / DB_FILENAME}"


def sqlite_path(url: str) -> Path | None:
    """The file of a file-backed SQLite URL, else ``None`` (other databases, memory)."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix) :].split("?", 1)[0]
            if rest and rest != ":memory:":
                return Path(rest)
    return None

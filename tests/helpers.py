"""Helpers shared by tests: reading the store directly, as plain rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

TABLES = ("client", "task", "entry", "operation", "journal")


def db_file(home: Path) -> Path:
    return home / "mansioni.db"


def dump(home: Path, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple]]:
    """Every row of the store's tables, in id order (an empty dict if there is no store)."""
    path = db_file(home)
    if not path.exists():
        return {}
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    finally:
        conn.close()


def rows(home: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db_file(home))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()

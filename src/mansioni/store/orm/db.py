"""``Db`` over a SQLAlchemy connection: the same SQL text as the quick path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.db import Row


class AlchemyDb:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        result = self.conn.execute(text(sql), dict(params or {}))
        if not result.returns_rows:
            return []
        names = list(result.keys())
        return [dict(zip(names, values, strict=True)) for values in result.fetchall()]

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        return self.conn.execute(text(sql), dict(params or {})).rowcount

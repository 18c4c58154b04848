"""Read an archive from a test with plain SQL, closing every connection before returning.

A pooled engine left for the garbage collector closes its PostgreSQL connection late, in whatever
test runs next, as a ResourceWarning; NullPool plus dispose closes it here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool


def query(db_url: str, sql: str, **params: Any) -> list[sa.Row]:
    engine = sa.create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params))
    finally:
        engine.dispose()


def scalar(db_url: str, sql: str, **params: Any) -> Any:
    rows = query(db_url, sql, **params)
    return rows[0][0] if rows else None

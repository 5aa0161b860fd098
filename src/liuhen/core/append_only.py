"""SQL that makes record tables append-only at the database level (standing rule 1).

Used by the ``append_only`` data migrations. SQLite gets BEFORE UPDATE/DELETE triggers that abort;
PostgreSQL gets one trigger function raising ``liuhen: append-only`` for row UPDATE/DELETE and for
TRUNCATE. No Django import: the migrations pass ``connection.vendor`` in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

APPEND_ONLY_MESSAGE = "liuhen: append-only table"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION liuhen_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE} %: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install_statements(
    vendor: str, table: str, *, operations: tuple[str, ...] = ("UPDATE", "DELETE")
) -> list[str]:
    """Statements that forbid ``operations`` on ``table``."""
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} {table}: {op} refused'); END;"
            for op in operations
        ]
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for op in operations:
            statements.append(f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()} ON {table};")
            statements.append(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION liuhen_append_only();"
            )
        statements.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        statements.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION liuhen_append_only();"
        )
        return statements
    raise NotImplementedError(f"append-only triggers are not written for database vendor {vendor!r}")


def remove_statements(
    vendor: str, table: str, *, operations: tuple[str, ...] = ("UPDATE", "DELETE")
) -> list[str]:
    """The reverse of :func:`install_statements` (for migrating backwards)."""
    names = [f"{table}_no_{op.lower()}" for op in operations]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name};" for name in names]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table};" for name in [*names, f"{table}_no_truncate"]]


def trigger_migration(
    *, record_tables: Sequence[str], no_delete_tables: Sequence[str] = ()
) -> tuple[Callable[[Any, Any], None], Callable[[Any, Any], None]]:
    """The ``(forwards, backwards)`` pair for a ``migrations.RunPython`` that makes ``record_tables``
    reject UPDATE and DELETE and ``no_delete_tables`` reject DELETE.

    Statements run with ``params=None``: with parameters, psycopg would read PL/pgSQL's ``%`` as
    placeholders."""

    def runner(statements: Callable[..., list[str]]) -> Callable[[Any, Any], None]:
        def run(apps: Any, schema_editor: Any) -> None:
            vendor = schema_editor.connection.vendor
            for table in record_tables:
                for sql in statements(vendor, table):
                    schema_editor.execute(sql, params=None)
            for table in no_delete_tables:
                for sql in statements(vendor, table, operations=("DELETE",)):
                    schema_editor.execute(sql, params=None)

        return run

    return runner(install_statements), runner(remove_statements)

"""SQL that makes record tables append-only at the database level (standing rule 1).

Used by the ``append_only`` data migrations. SQLite gets BEFORE UPDATE/DELETE triggers that abort;
PostgreSQL gets one trigger function raising ``liuhen: append-only`` for row UPDATE/DELETE and for
TRUNCATE. Current-state tables (a case: its stage moves) get a column guard instead: an UPDATE may
change only the columns the services change (:func:`column_guard_statements`). No Django import: the
migrations pass ``connection.vendor`` in.
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


_PG_COLUMNS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION liuhen_update_only_columns() RETURNS trigger AS $$
BEGIN
    IF (to_jsonb(NEW) - TG_ARGV) IS DISTINCT FROM (to_jsonb(OLD) - TG_ARGV) THEN
        RAISE EXCEPTION '{APPEND_ONLY_MESSAGE} %: UPDATE of a column other than % refused',
            TG_TABLE_NAME, array_to_string(TG_ARGV, ', ')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def column_guard_statements(
    vendor: str, table: str, *, mutable: Sequence[str], columns: Sequence[str]
) -> list[str]:
    """Statements that let an UPDATE of ``table`` change only the ``mutable`` columns.

    ``columns`` are the table's columns (SQLite compares each other one, OLD against NEW; PostgreSQL
    compares the whole row less ``mutable``, so a column added later is guarded too). An UPDATE that
    sets a guarded column to its current value passes: nothing changed."""
    name = f"{table}_update_columns"
    if vendor == "sqlite":
        guarded = [c for c in columns if c not in mutable]
        changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in guarded)
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE UPDATE ON {table} WHEN {changed} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} {table}: UPDATE of a column other than "
            f"{', '.join(mutable)} refused'); END;"
        ]
    if vendor == "postgresql":
        arguments = ", ".join(f"'{c}'" for c in mutable)
        return [
            _PG_COLUMNS_FUNCTION,
            f"DROP TRIGGER IF EXISTS {name} ON {table};",
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION liuhen_update_only_columns({arguments});",
        ]
    raise NotImplementedError(f"column guards are not written for database vendor {vendor!r}")


def column_guard_remove_statements(vendor: str, table: str) -> list[str]:
    """The reverse of :func:`column_guard_statements`."""
    name = f"{table}_update_columns"
    return [
        f"DROP TRIGGER IF EXISTS {name};"
        if vendor == "sqlite"
        else f"DROP TRIGGER IF EXISTS {name} ON {table};"
    ]


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

"""Indexes for a case list that stays fast at a million cases, and text search that handles Chinese.

* The list is read newest first (``-opened_at, -id``) a page at a time (keyset pagination,
  :mod:`liuhen.core.keyset`): one index per agency in that order, one across agencies (a supervisor
  sees several), and one per filter (stage, procedure, year, handler) with the same order behind it.
* Search (:mod:`liuhen.cases.search`): on SQLite, FTS5 tables with the trigram tokenizer over the case
  number and cause and over party names, filled now and kept in step by triggers on insert (neither
  table's columns change after insert: migration 0005 guards them; cases and parties are never
  deleted: migration 0002); on PostgreSQL, ``pg_trgm`` GIN indexes on ``UPPER(column)`` — the
  expression Django's ``icontains`` compares. A party's name (prefix search of short names) and ID
  number (exact search) get plain indexes on both.

The index definitions live here rather than in the models' ``Meta``: the GIN operator class and the
FTS5 tables are vendor-specific, and the others belong with them.
"""

from django.db import migrations

ORDER = "opened_at, id"
CASE_INDEXES = {
    "cases_case_list_agency": f"agency_id, {ORDER}",
    "cases_case_list_all": ORDER,
    "cases_case_list_stage": f"agency_id, stage, {ORDER}",
    "cases_case_list_procedure": f"agency_id, procedure, {ORDER}",
    "cases_case_list_year": f"agency_id, year, {ORDER}",
    "cases_case_list_handler": f"agency_id, handler_id, {ORDER}",
}
PLAIN_INDEXES = {
    **{name: ("cases_case", columns) for name, columns in CASE_INDEXES.items()},
    "cases_party_name_idx": ("cases_party", "name"),
    "cases_party_id_number_idx": ("cases_party", "id_number"),
    "cases_document_number_idx": ("cases_document", "number"),
}

SQLITE_FTS = [
    # (table, content table, columns)
    ("cases_case_fts", "cases_case", ("case_no", "cause")),
    ("cases_party_fts", "cases_party", ("name",)),
]

PG_TRIGRAM = {
    "cases_case_cause_trgm": ("cases_case", "cause"),
    "cases_case_case_no_trgm": ("cases_case", "case_no"),
    "cases_party_name_trgm": ("cases_party", "name"),
}


def _sqlite_fts() -> list[str]:
    statements = []
    for fts, content, columns in SQLITE_FTS:
        names = ", ".join(columns)
        values = ", ".join(f"new.{c}" for c in columns)
        statements += [
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{content}', content_rowid='id', "
            "tokenize='trigram')",
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {content} BEGIN "  # noqa: S608 - constants only
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {values}); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608 - constants only
        ]
    return statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [f"CREATE INDEX {name} ON {table} ({cols})" for name, (table, cols) in PLAIN_INDEXES.items()]
    if vendor == "sqlite":
        statements += _sqlite_fts()
    elif vendor == "postgresql":
        statements.append("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        statements += [
            f"CREATE INDEX {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
            for name, (table, column) in PG_TRIGRAM.items()
        ]
    else:
        raise NotImplementedError(f"case search indexes are not written for database vendor {vendor!r}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [f"DROP INDEX IF EXISTS {name}" for name in PLAIN_INDEXES]
    if vendor == "sqlite":
        for fts, _, _ in SQLITE_FTS:
            statements += [f"DROP TRIGGER IF EXISTS {fts}_insert", f"DROP TABLE IF EXISTS {fts}"]
    else:
        statements += [f"DROP INDEX IF EXISTS {name}" for name in PG_TRIGRAM]  # the extension stays
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_media_models_to_evidence")]
    operations = [migrations.RunPython(install, remove)]

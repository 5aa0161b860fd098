# ruff: noqa: S608  (SQL built from this module's constants only)
"""Search of one or two characters in a case's number or cause on SQLite (the trigram index of 0013
needs three): ``cases_case_bigram``, a contentless FTS5 table (``unicode61`` tokenizer) of the text cut
into overlapping pairs of characters, 占道经营 → 占道 道经 经营 营 (the last character alone, so a
one-character search is a prefix search of the pairs). The insert trigger cuts the text with the help
of a table of the numbers 1…200 (SQLite triggers allow no recursive query); cases never change in these
columns (migration 0005) and are never deleted (0002). PostgreSQL: nothing (``pg_trgm`` answers)."""

from django.db import migrations

NUMBERS = "cases_search_numbers"
LONGEST = 200  # Case.cause max_length (case_no: 64)


def _pairs(column: str, row: str) -> str:
    return (
        f"(SELECT group_concat(substr({row}.{column}, n, 2), ' ') FROM {NUMBERS} "
        f"WHERE n <= length({row}.{column}))"
    )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    statements = [
        f"CREATE TABLE {NUMBERS} (n INTEGER PRIMARY KEY)",
        f"INSERT INTO {NUMBERS} (n) SELECT value FROM json_each('[{','.join(map(str, range(1, LONGEST + 1)))}]')",
        "CREATE VIRTUAL TABLE cases_case_bigram USING fts5(case_no, cause, content='', tokenize='unicode61')",
        "CREATE TRIGGER cases_case_bigram_insert AFTER INSERT ON cases_case BEGIN "
        "INSERT INTO cases_case_bigram(rowid, case_no, cause) "
        f"VALUES (new.id, {_pairs('case_no', 'new')}, {_pairs('cause', 'new')}); END",
        "INSERT INTO cases_case_bigram(rowid, case_no, cause) "
        f"SELECT id, {_pairs('case_no', 'c')}, {_pairs('cause', 'c')} FROM cases_case c",
    ]
    for sql in statements:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in (
        "DROP TRIGGER IF EXISTS cases_case_bigram_insert",
        "DROP TABLE IF EXISTS cases_case_bigram",
        f"DROP TABLE IF EXISTS {NUMBERS}",
    ):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_document_number_field_index")]
    operations = [migrations.RunPython(install, remove)]

"""An index on the 文号 a document holds in its fields (``fields.doc_number``), for the case search
(:func:`liuhen.cases.search.documents_numbered`): without it, searching a 文号 reads every numbered
document. SQLite indexes ``json_extract(fields, '$.doc_number')`` (the search writes that expression
with the path as a constant, so the planner matches it); PostgreSQL ``fields -> 'doc_number'``, the
expression Django's ``fields__doc_number`` compares."""

from django.db import migrations

INDEX = "cases_document_doc_number_idx"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sql = f"CREATE INDEX {INDEX} ON cases_document (json_extract(fields, '$.doc_number'))"
    elif vendor == "postgresql":
        sql = f"CREATE INDEX {INDEX} ON cases_document ((fields -> 'doc_number'))"
    else:
        raise NotImplementedError(f"the 文号 index is not written for database vendor {vendor!r}")
    schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_case_list_indexes_and_text_search")]
    operations = [migrations.RunPython(install, remove)]

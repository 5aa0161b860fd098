"""Data-level triggers: record tables reject UPDATE and DELETE; cases and parties reject DELETE."""

from django.db import migrations

from liuhen.core.append_only import install_statements, remove_statements

RECORD_TABLES = [
    "cases_stagetransition",
    "cases_document",
    "cases_signature",
    "cases_signaturerefusal",
    "cases_amendment",
    "cases_approvalstep",
    "cases_mediarecord",
    "cases_case_parties",
]
NO_DELETE_TABLES = ["cases_case", "cases_party"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in RECORD_TABLES:
        for sql in install_statements(vendor, table):
            schema_editor.execute(sql, params=None)
    for table in NO_DELETE_TABLES:
        for sql in install_statements(vendor, table, operations=("DELETE",)):
            schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in RECORD_TABLES:
        for sql in remove_statements(vendor, table):
            schema_editor.execute(sql, params=None)
    for table in NO_DELETE_TABLES:
        for sql in remove_statements(vendor, table, operations=("DELETE",)):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

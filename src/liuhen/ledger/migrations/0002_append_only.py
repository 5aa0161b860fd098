"""Data-level triggers: ledger entries reject UPDATE and DELETE."""

from django.db import migrations

from liuhen.core.append_only import install_statements, remove_statements

RECORD_TABLES = ["ledger_ledgerentry"]


def install(apps, schema_editor):
    for table in RECORD_TABLES:
        for sql in install_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for table in RECORD_TABLES:
        for sql in remove_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

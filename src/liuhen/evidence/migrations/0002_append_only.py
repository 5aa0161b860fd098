"""Data-level triggers: the evidence record tables reject UPDATE and DELETE."""

from django.db import migrations

from liuhen.core.append_only import install_statements, remove_statements

RECORD_TABLES = ["evidence_mediaintake", "evidence_deviceevent", "evidence_interruption"]
NO_DELETE_TABLES = ["evidence_device"]


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
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

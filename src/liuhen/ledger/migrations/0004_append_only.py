"""Data-level triggers: Merkle nodes, checkpoints, SM3 digests and alerts reject UPDATE and DELETE."""

from django.db import migrations

from liuhen.core.append_only import install_statements, remove_statements

RECORD_TABLES = [
    "ledger_ledgernode",
    "ledger_ledgercheckpoint",
    "ledger_contentdigest",
    "ledger_integrityalert",
]


def install(apps, schema_editor):
    for table in RECORD_TABLES:
        for sql in install_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for table in RECORD_TABLES:
        for sql in remove_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_tree_checkpoints_digests_alerts")]
    operations = [migrations.RunPython(install, remove)]

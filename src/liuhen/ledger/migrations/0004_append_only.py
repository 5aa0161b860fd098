"""Data-level triggers: Merkle nodes, checkpoints, SM3 digests and alerts reject UPDATE and DELETE."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

RECORD_TABLES = [
    "ledger_ledgernode",
    "ledger_ledgercheckpoint",
    "ledger_contentdigest",
    "ledger_integrityalert",
]
NO_DELETE_TABLES = []

install, remove = trigger_migration(record_tables=RECORD_TABLES, no_delete_tables=NO_DELETE_TABLES)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_tree_checkpoints_digests_alerts")]
    operations = [migrations.RunPython(install, remove)]

"""Data-level triggers: ledger entries reject UPDATE and DELETE."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

RECORD_TABLES = ["ledger_ledgerentry"]
NO_DELETE_TABLES = []

install, remove = trigger_migration(record_tables=RECORD_TABLES, no_delete_tables=NO_DELETE_TABLES)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

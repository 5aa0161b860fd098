"""Data-level triggers: the evidence record tables reject UPDATE and DELETE; devices reject DELETE."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

RECORD_TABLES = ["evidence_mediaintake", "evidence_deviceevent", "evidence_interruption"]
NO_DELETE_TABLES = ["evidence_device"]

install, remove = trigger_migration(record_tables=RECORD_TABLES, no_delete_tables=NO_DELETE_TABLES)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

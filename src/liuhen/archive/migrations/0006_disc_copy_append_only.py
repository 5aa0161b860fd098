"""A disc copy's record is a record: UPDATE and DELETE are refused."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(record_tables=["archive_disccopy"], no_delete_tables=[])


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_disc_copy")]
    operations = [migrations.RunPython(install, remove)]

"""Issued documents are records: UPDATE and DELETE are refused by the database."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(record_tables=["issuing_issueddocument"])


class Migration(migrations.Migration):
    dependencies = [("issuing", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

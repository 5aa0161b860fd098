"""Signature marks and signed copies are records: UPDATE and DELETE are refused by the database."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(record_tables=["cases_signaturemark", "cases_signedcopy"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_signature_marks")]
    operations = [migrations.RunPython(install, remove)]

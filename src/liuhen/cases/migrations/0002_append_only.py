"""Data-level triggers: record tables reject UPDATE and DELETE; cases and parties reject DELETE."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

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

install, remove = trigger_migration(record_tables=RECORD_TABLES, no_delete_tables=NO_DELETE_TABLES)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

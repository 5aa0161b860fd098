"""The case file and its records are append-only: UPDATE and DELETE are refused by the database.
The draft (a working table) and the 档号 counter (current state, changed under a row lock) are not."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=[
        "archive_casefilecompilation",
        "archive_casefile",
        "archive_casefilesupplement",
        "archive_supplementapproval",
    ],
    no_delete_tables=["archive_archivecounter"],
)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

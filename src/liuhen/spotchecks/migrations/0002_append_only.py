"""Checks, draws, samples, judgements, rectifications, responses and reviews are records: UPDATE and
DELETE refused."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=[
        "spotchecks_spotcheck",
        "spotchecks_spotcheckdraw",
        "spotchecks_spotchecksample",
        "spotchecks_spotcheckjudgement",
        "spotchecks_rectification",
        "spotchecks_rectificationresponse",
        "spotchecks_rectificationreview",
    ],
    no_delete_tables=[],
)


class Migration(migrations.Migration):
    dependencies = [("spotchecks", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

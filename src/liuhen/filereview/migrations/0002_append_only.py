"""Campaigns, reviews, scores and sign-offs are records: UPDATE and DELETE refused."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=[
        "filereview_reviewcampaign",
        "filereview_filereview",
        "filereview_reviewscore",
        "filereview_reviewfinalisation",
    ],
    no_delete_tables=[],
)


class Migration(migrations.Migration):
    dependencies = [("filereview", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

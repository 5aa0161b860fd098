"""Publications and their withdrawals are records: UPDATE and DELETE are refused. The clock is a
working table (derived, rebuilt from the records) and has no trigger."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=["publication_publication", "publication_publicationwithdrawal"],
    no_delete_tables=[],
)


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

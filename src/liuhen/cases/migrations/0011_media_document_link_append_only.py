"""Media→document links are records: UPDATE and DELETE are refused by the database."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(record_tables=["cases_mediadocumentlink"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_media_document_link")]
    operations = [migrations.RunPython(install, remove)]

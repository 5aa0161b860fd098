"""A/V records now belong to ``evidence`` (its migration 0004 took over their model state): drop them
from the ``cases`` state. The tables, their rows and triggers stay as they are; no SQL runs."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_media_document_link_append_only"),
        ("evidence", "0004_media_models_from_cases"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="MediaDocumentLink"),
                migrations.DeleteModel(name="MediaAssignment"),
                migrations.DeleteModel(name="MediaRecord"),
            ],
        ),
    ]

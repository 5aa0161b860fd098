"""Content digests, integrity alerts and acknowledgements now belong to the archive (its migration 0007
took over their model state): drop them from the ledger's state. No SQL runs; the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_leaf_hash_index"),
        ("archive", "0007_preservation_models_from_ledger"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="AlertAcknowledgement"),
                migrations.DeleteModel(name="IntegrityAlert"),
                migrations.DeleteModel(name="ContentDigest"),
            ],
        ),
    ]

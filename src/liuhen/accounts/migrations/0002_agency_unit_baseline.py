"""Data: agencies and units became tracked rows (their state in the ledger, checked by ``liuhen
verify``). Those that exist already were made before any service wrote them, so each gets one
``state.baseline`` entry carrying its state (see liuhen.ledger.integrity.state). On a new database
there are no rows and nothing is appended."""

from django.db import migrations

from liuhen.ledger.integrity.state import agency_unit_baseline


def baseline(apps, schema_editor):
    agency_unit_baseline(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("ledger", "0009_leaf_hash_index"),
    ]
    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]

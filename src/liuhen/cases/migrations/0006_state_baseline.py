"""Data: rows written before ledger entries carried their state get one ``state.baseline`` entry each,
carrying it, so that ``liuhen verify`` can tell from here on whether a row changed outside the services
(see liuhen.ledger.integrity.state). On a new database there are no rows and nothing is appended."""

from django.db import migrations

from liuhen.ledger.integrity.state import state_baseline


def baseline(apps, schema_editor):
    state_baseline(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_party_update_guards"),
        ("accounts", "0001_initial"),
        ("evidence", "0002_append_only"),
        ("ledger", "0007_alert_acknowledgement_append_only"),
    ]
    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]

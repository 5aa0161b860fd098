"""Alert acknowledgements are records: UPDATE and DELETE are refused by the database."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(record_tables=["ledger_alertacknowledgement"])


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_alert_acknowledgement")]
    operations = [migrations.RunPython(install, remove)]

"""The request, its items, decision, revocation and deliveries are records: UPDATE and DELETE refused."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=[
        "grants_accessrequest",
        "grants_accessrequestitem",
        "grants_accessdecision",
        "grants_accessrevocation",
        "grants_accessdelivery",
    ],
    no_delete_tables=[],
)


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

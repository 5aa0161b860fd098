"""Data-level trigger: a device row may change only in what its events change (status, holder); its
number, kind, agency, unit, custodian and registration are fixed when it is registered."""

from django.db import migrations

from liuhen.core.append_only import column_guard_remove_statements, column_guard_statements

# what liuhen.evidence.services.devices.device_event writes; everything else is set at registration
DEVICE_MUTABLE = ["status", "holder_id"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    columns = [f.column for f in apps.get_model("evidence", "Device")._meta.concrete_fields]
    for sql in column_guard_statements(vendor, "evidence_device", mutable=DEVICE_MUTABLE, columns=columns):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for sql in column_guard_remove_statements(schema_editor.connection.vendor, "evidence_device"):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_append_only")]
    operations = [migrations.RunPython(install, remove)]

"""Data-level triggers: a case row may change only in the columns a stage move changes; a party row
never changes (no service updates one). Before this, both only refused DELETE."""

from django.db import migrations

from liuhen.core.append_only import (
    column_guard_remove_statements,
    column_guard_statements,
    install_statements,
)

# what liuhen.cases.services.cases._apply_stage writes; every other column is fixed when the case opens
CASE_MUTABLE = ["stage", "enforcement_ended_at", "archived_at"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    columns = [f.column for f in apps.get_model("cases", "Case")._meta.concrete_fields]
    statements = column_guard_statements(vendor, "cases_case", mutable=CASE_MUTABLE, columns=columns)
    statements += install_statements(vendor, "cases_party", operations=("UPDATE",))
    for sql in statements:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = column_guard_remove_statements(vendor, "cases_case")
    suffix = "" if vendor == "sqlite" else " ON cases_party"  # the TRUNCATE trigger stays (0002's)
    statements.append(f"DROP TRIGGER IF EXISTS cases_party_no_update{suffix};")
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_media_assignment_append_only")]
    operations = [migrations.RunPython(install, remove)]

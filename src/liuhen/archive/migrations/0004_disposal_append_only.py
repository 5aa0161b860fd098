"""The 销毁清册, its approvals and its destructions are records: UPDATE and DELETE are refused."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=["archive_disposallist", "archive_disposalapproval", "archive_disposaldestruction"],
    no_delete_tables=[],
)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_disposal")]
    operations = [migrations.RunPython(install, remove)]

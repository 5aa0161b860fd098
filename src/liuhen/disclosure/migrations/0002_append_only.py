"""A party's request and everything recorded on it are records: UPDATE and DELETE are refused. The
counter only counts up: DELETE is refused."""

from django.db import migrations

from liuhen.core.append_only import trigger_migration

install, remove = trigger_migration(
    record_tables=[
        "disclosure_disclosurerequest",
        "disclosure_disclosureattachment",
        "disclosure_disclosureextension",
        "disclosure_disclosuredecision",
        "disclosure_disclosureapproval",
        "disclosure_disclosureredaction",
        "disclosure_disclosuredelivery",
    ],
    no_delete_tables=["disclosure_disclosurecounter"],
)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]

"""Data: build the Merkle nodes and the head's tree edge for entries written before nodes were stored."""

from django.db import migrations

from liuhen.tlog import merkle


def backfill(apps, schema_editor):
    Entry = apps.get_model("ledger", "LedgerEntry")
    Node = apps.get_model("ledger", "LedgerNode")
    Head = apps.get_model("ledger", "LedgerHead")
    leaves = [bytes(h) for h in Entry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    if not leaves or Node.objects.exists():
        return
    store = merkle.MemoryHashStore.from_leaf_hashes(leaves)
    Node.objects.bulk_create(
        Node(key=(level << 48) | index, hash=value)
        for level in range(1, len(store.levels))
        for index, value in enumerate(store.levels[level])
    )
    frontier = b"".join(store.get_hashes(merkle._range_keys(0, len(leaves))))
    Head.objects.update_or_create(pk=1, defaults={"size": len(leaves), "frontier": frontier})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_append_only")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

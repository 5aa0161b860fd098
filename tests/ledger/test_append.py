"""Appending: consecutive indices, Merkle nodes persisted with the entry, all-or-nothing with the caller."""

from __future__ import annotations

import pytest
from django.db import transaction

from liuhen.ledger.models import LedgerEntry, LedgerNode
from liuhen.ledger.services import ledger_append
from liuhen.ledger.tree import DatabaseHashStore, tree_size
from liuhen.tlog import merkle
from tests.ledger.helpers import append_n

pytestmark = pytest.mark.django_db


def _memory_store() -> merkle.MemoryHashStore:
    leaves = [bytes(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    return merkle.MemoryHashStore.from_leaf_hashes(leaves)


def test_given_single_and_batched_appends_when_stored_then_nodes_equal_a_tree_rebuilt_from_leaves():
    """GIVEN 37 single appends and a batch of 300 WHEN the tree is read back from the database
    THEN every stored node, root and proof equals the in-memory RFC 9162 tree over the same leaves."""
    start = tree_size()
    for i in range(37):
        ledger_append(action="test.single", details={"i": i})
    append_n(300)
    size = tree_size()
    assert size == start + 337
    indices = list(LedgerEntry.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(size))
    memory, db = _memory_store(), DatabaseHashStore()
    for n in (1, 2, 3, 64, 255, 256, 257, size):
        if n <= size:
            assert merkle.tree_root(db, n) == merkle.tree_root(memory, n)
    assert merkle.inclusion_proof(db, 5, size) == merkle.inclusion_proof(memory, 5, size)
    assert merkle.consistency_proof(db, 7, size) == merkle.consistency_proof(memory, 7, size)
    expected_nodes = sum(len(level) for level in memory.levels[1:])
    assert LedgerNode.objects.count() == expected_nodes


def test_given_a_failing_caller_transaction_when_it_rolls_back_then_entries_nodes_and_head_roll_back():
    """GIVEN a service whose transaction fails after appending WHEN it rolls back
    THEN neither the entries, the nodes nor the head size survive, and the next append reuses the index."""
    append_n(3)
    before = (tree_size(), LedgerEntry.objects.count(), LedgerNode.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        append_n(10)
        raise RuntimeError("the service failed after appending")
    assert (tree_size(), LedgerEntry.objects.count(), LedgerNode.objects.count()) == before
    entry = ledger_append(action="test.after")
    assert entry.index == before[0]


def test_given_an_entry_when_appended_then_its_body_is_canonical_and_names_its_index_and_contents():
    """GIVEN an append with a content reference WHEN stored THEN the body is canonical JSON with index and contents."""
    from liuhen.ledger.services import ContentRef

    entry = ledger_append(
        action="test.content", contents=[ContentRef("media", "ab" * 32, 10)], objects={"media": 4}
    )
    stored = LedgerEntry.objects.get(index=entry.index)
    assert bytes(stored.body) == entry.body
    assert b'"index":%d' % entry.index in entry.body
    assert b'"contents":[{"kind":"media","sha256":"' + b"ab" * 32 + b'","size":10}]' in entry.body
    assert (stored.object_type, stored.object_id) == ("media", 4)
    assert bytes(stored.leaf_hash) == merkle.leaf_hash(entry.body)

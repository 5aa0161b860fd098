"""The ledger: every state change (and every read of A/V or confidential records) as an entry.

Each entry's ``body`` is canonical JSON (see :mod:`liuhen.core.canonical`); its ``leaf_hash`` is the
RFC 9162 leaf hash SHA-256(0x00 ‖ body). Entries, Merkle nodes, checkpoints, content digests and alerts
are append-only (database triggers reject UPDATE and DELETE). The Merkle tree is kept as the stored
hashes of :mod:`liuhen.tlog.merkle`: level 0 is ``LedgerEntry.leaf_hash``, levels ≥ 1 are ``LedgerNode``
rows written in the same transaction as the entry that completed them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

NODE_LEVEL_SHIFT = 48  # LedgerNode.key = level << 48 | index: one integer primary key, batched IN reads


def node_key(level: int, index: int) -> int:
    return (level << NODE_LEVEL_SHIFT) | index


class LedgerHead(models.Model):
    """One row: the number of entries and the right edge of the tree (the hashes of the complete
    subtrees that make up ``size``, largest first), so an append needs no other read.
    Locked FOR UPDATE by each append to serialise index allocation."""

    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")

    class Meta:
        verbose_name = "日志头"

    def __str__(self) -> str:
        return f"ledger size {self.size}"


class LedgerEntry(models.Model):
    """One entry of the tamper-evident log."""

    index = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, related_name="ledger_entries")
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.BigIntegerField(null=True)
    body = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = "日志条目"
        ordering = ["index"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # the public verification page looks entries up by leaf hash; a Meta index (not db_index on
            # the field) so that SQLite adds it with CREATE INDEX instead of rebuilding the table, which
            # would drop the append-only triggers
            models.Index(fields=["leaf_hash"], name="ledger_entry_leaf_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.action}"


class LedgerNode(models.Model):
    """A stored Merkle hash at ``level`` ≥ 1: the root of the complete subtree of 2**level leaves
    starting at leaf ``index * 2**level`` (``key`` = :func:`node_key`)."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = "默克尔树节点"

    def __str__(self) -> str:
        return f"node {self.key >> NODE_LEVEL_SHIFT}/{self.key & ((1 << NODE_LEVEL_SHIFT) - 1)}"


class LedgerCheckpoint(models.Model):
    """A signed tree head (C2SP tlog-checkpoint note). All are kept; sizes never decrease."""

    size = models.BigIntegerField(db_index=True)
    root_hash = models.BinaryField(max_length=32)
    note = models.TextField()
    key_id = models.CharField(max_length=8)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "签名检查点"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"

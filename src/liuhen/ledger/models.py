"""The ledger: every state change (and every read of A/V or confidential records) as an entry.

Each entry's ``body`` is canonical JSON (see :mod:`liuhen.core.canonical`); its ``leaf_hash`` is the
RFC 9162 leaf hash SHA-256(0x00 ‖ body). Entries are append-only (database triggers reject UPDATE and
DELETE); the Merkle tree, checkpoints and proofs are built over them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LedgerHead(models.Model):
    """One row: the number of entries. Locked FOR UPDATE by each append to serialise index allocation."""

    size = models.BigIntegerField(default=0)

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
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.index} {self.action}"

"""Issued documents: each PDF Liuhen hands out, stored once per document version and copy."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IssuedDocument(models.Model):
    """A sealed PDF/A of one version of a document (0: as created, n: after n amendments), as the file
    copy (存档联) or the party's copy (当事人联), with the signatures, refusals and signature images it
    was printed with (``attestations``: their digest). Stored content-addressed the first time it is
    asked for; later requests get the same bytes until someone signs again, so a printed or e-mailed
    copy matches exactly one row, and its SHA-256 and SM3 are in the ledger entry ``document.issued``.
    Never altered (append-only)."""

    class Copy(models.TextChoices):
        FILE = "file", "存档联"
        PARTY = "party", "当事人联"

    document = models.ForeignKey("cases.Document", on_delete=models.PROTECT, related_name="issued")
    version = models.PositiveIntegerField(help_text="number of amendments applied")
    copy = models.CharField(max_length=8, choices=Copy.choices)
    attestations = models.CharField(
        max_length=64, help_text="SHA-256 of the ids of the signatures, refusals and marks printed"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    sm3 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    storage_key = models.CharField(max_length=255)
    record_leaf = models.CharField(max_length=64, help_text="leaf hash (hex) the QR code names")
    sealed_by = models.CharField(max_length=200, help_text="the sealing certificate's subject")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "出具文书"
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version", "copy", "attestations"], name="issued_once_per_version_copy"
            )
        ]

    def __str__(self) -> str:
        return f"document {self.document_id} v{self.version} {self.copy}"

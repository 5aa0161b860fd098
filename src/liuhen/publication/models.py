"""Publication deadlines (执法公示) and the 双公示 administrative-penalty export (issue #14).

Two record tables, append-only in the database (migration ``0002_append_only``), each row written by
one service in :mod:`liuhen.publication.services` with its ledger entry in the same transaction:

* :class:`Publication` — a decision published on a date, somewhere (门户网站 / 信用平台 / 其他), with
  its reference (URL or 文号), by whom;
* :class:`PublicationWithdrawal` — a publication taken down (撤下) on a date, with the reason (the
  decision revoked or corrected). A publication is withdrawn at most once.

And one WORKING table, :class:`PublicationClock` (not a record, like ``cases.DocumentDraft``): one row
per decision that must be published, with its deadlines on the holiday calendar and a cache of what
the records say (first publication date, withdrawn). It is derived data: rebuilt from the documents
and the two record tables by :func:`liuhen.publication.clock.clock_sync`, updated by the services in
the transaction that writes a record, and indexed so that the list stays fast at a million cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    PORTAL = "portal", "门户网站"
    CREDIT = "credit", "信用平台"
    OTHER = "other", "其他"


class PublicationClock(models.Model):
    """待公示: one decision document (行政处罚决定书, 简易程序当场处罚决定书 …: the profile's
    ``publication_doc_types``) with its publication deadline (``due_on``: ``publication_working_days``
    after the decision date) and, for penalties on enterprises and organisations, the credit-platform
    deadline (``credit_due_on``). Derived and cached: never evidence; see the module docstring."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField("cases.Document", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=48)
    decided_on = models.DateField(null=True, help_text="决定日期（北京时间）；无法读出时为空")
    due_on = models.DateField(null=True, help_text="公示期限；节假日安排缺失时为空")
    credit_due_on = models.DateField(null=True, blank=True, help_text="报送信用平台期限（法人及其他组织）")
    sort_on = models.DateField(help_text="the list's order: due_on, or 9999-12-31 when unknown")
    provisional = models.BooleanField(default=False, help_text="期限按未公布调休的节假日安排计算")
    party_type = models.CharField(max_length=32, blank=True)
    party_name = models.CharField(max_length=200, blank=True)
    doc_number = models.CharField(max_length=64, blank=True)
    credit_exempt = models.BooleanField(default=False, help_text="按规则不报送信用平台（如自然人仅受警告）")
    amendment_seen = models.BigIntegerField(default=0, help_text="last amendment of the document applied")
    # what the records say (cache, updated with each record in the same transaction)
    open = models.BooleanField(default=True, help_text="未公示且未撤下")
    published_on = models.DateField(null=True, blank=True, help_text="首次公开公示日期（门户网站或其他）")
    credit_published_on = models.DateField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        verbose_name = "公示期限"
        indexes = [
            models.Index(fields=["agency", "-open", "sort_on", "id"], name="pubclock_list"),
            models.Index(fields=["agency", "decided_on", "id"], name="pubclock_decided"),
            models.Index(fields=["agency", "document"], name="pubclock_sync"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number or self.document_id}: {self.due_on}"


class PublicationSyncCursor(models.Model):
    """Where :func:`liuhen.publication.clock.clock_sync` stopped for an agency: the last amendment (of
    any document) it looked at. A working table like the clock (derived, never evidence)."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    amendment_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "公示期限同步位置"

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.amendment_id}"


class Publication(models.Model):
    """公示记录: a decision published on ``published_on`` at ``channel`` under ``reference``."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("cases.Document", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    published_on = models.DateField()
    reference = models.CharField(max_length=500, help_text="网址或文号")
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "公示记录"
        ordering = ["published_on", "id"]
        indexes = [models.Index(fields=["document", "id"], name="publication_document")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.channel} {self.published_on}"


class PublicationWithdrawal(models.Model):
    """撤下: a publication taken down (the decision revoked, corrected …), on a date, with the reason."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_on = models.DateField()
    reason = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "撤下公示记录"

    def __str__(self) -> str:
        return f"withdrawal of {self.publication_id}"

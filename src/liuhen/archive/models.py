"""The case file (案卷) and what the archivist works with while assembling it.

* :class:`CaseFileDraft` is a WORKING table (like ``cases.DocumentDraft``): the archivist's order of the
  items and the 备考表 text while assembling. Updated freely, never a record, not in the log.
* :class:`CaseFileCompilation` is the 立卷人's signature over one assembly (a record: append-only). A
  later change to the draft needs a new compilation, so the 检查人 always checks what was signed.
* :class:`CaseFile` is the signed-off case file (a record: append-only), made by the 检查人's signature
  from the latest compilation: 档号, 保管期限, holds, the ordered items, the cover, the 备考表, both
  signers, times and the digest of it all.
* :class:`ArchiveCounter` is the current-state row each 档号 sequence is taken from, under a row lock,
  inside the sign-off transaction, so a rolled-back sign-off leaves no gap and no number is reused.
* :class:`CaseFileSupplement` (补充归档) and :class:`SupplementApproval` are records: a later addition
  counts only once approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ArchiveCounter(models.Model):
    """The last 档号 sequence given out for one (agency, year, retention) series. Current state, changed
    only by :func:`liuhen.archive.numbering.next_seq` under ``select_for_update``."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    retention = models.CharField(max_length=8, help_text="永久 / 30年 / 10年")
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "档号计数"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "retention"], name="archive_counter_series")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.retention}: {self.last_seq}"


class CaseFileDraft(models.Model):
    """The 案卷 while the archivist assembles it: the order of the items and the 卷内情况说明."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="case_file_draft")
    order = models.JSONField(default=list, help_text='["document:12", "media:5", …] as the archivist set it')
    notes = models.TextField(blank=True, help_text="备考表：卷内情况说明")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "案卷整理稿"

    def __str__(self) -> str:
        return f"case file draft of case {self.case_id}"


class CaseFileCompilation(models.Model):
    """The 立卷人's signature over one assembly of the case file. Never altered."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="case_file_compilations")
    items = models.JSONField(help_text="the ordered items as compiled (件号, record, volume, pages …)")
    notes = models.TextField(blank=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical items and notes")
    compiled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    compiled_at = models.DateTimeField()

    class Meta:
        verbose_name = "立卷记录"
        ordering = ["compiled_at", "id"]

    def __str__(self) -> str:
        return f"compilation {self.pk} of case {self.case_id}"


class CaseFile(models.Model):
    """案卷: the signed-off case file. Never altered; a later addition is a :class:`CaseFileSupplement`."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="case_file")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    compilation = models.OneToOneField(CaseFileCompilation, on_delete=models.PROTECT, related_name="+")
    archive_no = models.CharField(max_length=80, help_text="档号")
    year = models.PositiveSmallIntegerField(help_text="年度")
    seq = models.PositiveIntegerField(help_text="the series' sequence number in the 档号")
    retention = models.CharField(max_length=8, help_text="保管期限：永久 / 30年 / 10年")
    retention_basis = models.CharField(max_length=300, blank=True)
    holds = models.JSONField(default=list, help_text='[{"code", "label", "citation"}] long-term triggers')
    items = models.JSONField(help_text="the ordered items (件号, record, volume, pages, first page …)")
    cover = models.JSONField(help_text="封面 fields as shown")
    notes = models.TextField(blank=True, help_text="备考表：卷内情况说明")
    compiled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    compiled_at = models.DateTimeField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical case file")

    class Meta:
        verbose_name = "案卷"
        ordering = ["checked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "archive_no"], name="case_file_archive_no_unique")
        ]

    def __str__(self) -> str:
        return self.archive_no


class CaseFileSupplement(models.Model):
    """补充归档: records added to a signed-off case file later, with the reason. Never altered; counts
    only once a :class:`SupplementApproval` approves it."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="supplements")
    items = models.JSONField(help_text="the added items, numbered after the file's last 件号")
    reason = models.TextField()
    digest = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = "补充归档"
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"supplement {self.pk} of {self.case_file_id}"


class SupplementApproval(models.Model):
    """The approval (by the role the profile names: the head by default) of a 补充归档. Never altered."""

    supplement = models.OneToOneField(CaseFileSupplement, on_delete=models.PROTECT, related_name="approval")
    opinion = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = "补充归档审批"

    def __str__(self) -> str:
        return f"approval of supplement {self.supplement_id}"


# --- approved disposal (销毁清册), liuhen.archive.disposal ------------------------------------------


class DisposalList(models.Model):
    """销毁清册: the case files whose period ended with no hold, and each item's content (SHA-256, size)
    to destroy. Never altered; it counts once every role the profile names has approved it."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=40, help_text="清册编号，如 2026-001 (per agency, per year)")
    entries = models.JSONField(help_text="[{case_file, archive_no, retention, period_end, items: […]}]")
    reason = models.TextField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical entries and reason")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()

    class Meta:
        verbose_name = "销毁清册"
        ordering = ["proposed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="disposal_number_unique")]

    def __str__(self) -> str:
        return f"销毁清册 {self.number}"


class DisposalApproval(models.Model):
    """One approval of a 销毁清册 in one role (the head's, the archive unit's). Never altered."""

    disposal = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="approvals")
    role = models.CharField(max_length=32)
    opinion = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = "销毁审批"
        ordering = ["approved_at", "id"]
        constraints = [models.UniqueConstraint(fields=["disposal", "role"], name="disposal_approval_role")]

    def __str__(self) -> str:
        return f"{self.role} approval of disposal {self.disposal_id}"


class DisposalDestruction(models.Model):
    """That one content of an approved 销毁清册 was destroyed (or kept because a record outside the list
    still holds it). Never altered; a content of the list without a row is still pending."""

    disposal = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="destructions")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    outcome = models.CharField(max_length=16, help_text="destroyed / kept_shared")
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    executed_at = models.DateTimeField()

    class Meta:
        verbose_name = "销毁记录"
        ordering = ["executed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["disposal", "sha256"], name="disposal_destruction_once")
        ]

    def __str__(self) -> str:
        return f"{self.outcome} {self.sha256[:12]} of disposal {self.disposal_id}"


class DiscCopy(models.Model):
    """A carrier (载体) holding a signed-off case file's package: a disc burnt from the ISO image Liuhen
    wrote. Records which carrier it is, who made it and when, and the digests of the image and of the
    package on it, so a disc found later can be checked against its record (``liuhen archive check``);
    the A/V records on it are listed, which is the long-term copy of evidence footage (xinle-fg§28,
    longjiang-cg§19). Never altered."""

    class CarrierType(models.TextChoices):
        CD_R = "cd-r", "CD-R 光盘"
        DVD_R = "dvd-r", "DVD-R 光盘"
        BD_R = "bd-r", "BD-R 蓝光光盘"
        OTHER = "other", "其他载体"

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="disc_copies")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    carrier_no = models.CharField(max_length=64, help_text="载体编号")
    carrier_type = models.CharField(max_length=8, choices=CarrierType.choices)
    image_sha256 = models.CharField(max_length=64)
    image_size = models.BigIntegerField()
    package_sha256 = models.CharField(max_length=64, db_index=True, help_text="the package's manifest digest")
    media_ids = models.JSONField(default=list, help_text="the A/V records whose originals are on it")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        verbose_name = "载体（光盘）"
        ordering = ["made_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "carrier_no"], name="disc_copy_carrier_no_unique")
        ]

    def __str__(self) -> str:
        return self.carrier_no


# --- preservation: SM3 digests of stored content, integrity alerts (moved from the ledger, which keeps
# the log itself; the tables keep their ledger_ names) --------------------------------------------


class ContentDigest(models.Model):
    """The SM3 digest (GB/T 32905) recorded beside the SHA-256 of a file or document body."""

    sha256 = models.CharField(max_length=64, unique=True)
    sm3 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    computed_at = models.DateTimeField()

    class Meta:
        db_table = "ledger_contentdigest"  # kept from when the ledger held it
        verbose_name = "内容摘要（SM3）"

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"


class IntegrityAlert(models.Model):
    """A failed fixity or integrity check, for administrators. Acknowledgements are new rows."""

    kind = models.CharField(max_length=32)  # file corrupted, file missing, modified, …
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # whose records the alert concerns; None: the system as a whole (every administrator's)
    subject = models.CharField(max_length=200)
    detail = models.TextField()
    ledger_index = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "ledger_integrityalert"
        verbose_name = "完整性告警"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"


class AlertAcknowledgement(models.Model):
    """An administrator (or the system, when the cause went away) dealt with an alert: who, when, what
    was done. The alert itself is never altered; an acknowledged alert leaves the banner."""

    alert = models.OneToOneField(IntegrityAlert, on_delete=models.PROTECT, related_name="acknowledgement")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: the system (e.g. a held upload was finally recorded)
    note = models.TextField()
    at = models.DateTimeField()
    ledger_index = models.BigIntegerField()

    class Meta:
        db_table = "ledger_alertacknowledgement"
        verbose_name = "告警处理记录"

    def __str__(self) -> str:
        return f"ack of alert {self.alert_id}"

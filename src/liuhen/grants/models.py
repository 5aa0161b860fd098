"""Staff requests to view (调阅), copy (复制) or release (对外提供) records, and what became of them.

Record tables: never altered (triggers). A request is decided once (:class:`AccessDecision`); an
approved one is a *grant* until it expires or is revoked (:class:`AccessRevocation`). Copies made
under a copy or release grant are :class:`AccessDelivery` rows. The counter is current state."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessCounter(models.Model):
    """The last number given out for one (agency, kind, year) series: 调阅〔2026〕7号. Current state,
    changed only by :func:`liuhen.grants.services.next_number` under ``select_for_update``."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "调阅申请编号计数"
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year"], name="grants_counter_series")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last_seq}"


class AccessRequest(models.Model):
    """What a staff member asks for, why, and for how long. Never altered."""

    class Kind(models.TextChoices):
        VIEW = "view", "调阅"
        COPY = "copy", "复制"
        RELEASE = "release", "对外提供"

    class RecipientKind(models.TextChoices):
        AUTHORITY = "authority", "其他行政机关"
        COURT = "court", "人民法院"
        PROCURATORATE = "procuratorate", "人民检察院"
        SUPERVISION = "supervision", "监察机关"
        PRESS = "press", "新闻媒体"
        PUBLIC = "public", "互联网公开发布"
        OTHER = "other", "其他"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=40, help_text="调阅〔2026〕7号 (per agency)")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.TextField(help_text="用途：因何工作需要")
    days = models.PositiveSmallIntegerField(help_text="申请使用的天数")
    recipient = models.CharField(max_length=200, blank=True, help_text="对外提供：接收单位或个人")
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        verbose_name = "调阅复制申请"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="grants_request_number")]

    def __str__(self) -> str:
        return self.number


class AccessRequestItem(models.Model):
    """One thing asked for: a whole case (its documents and A/V), or one document or A/V record of it."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("cases.Document", on_delete=models.PROTECT, null=True, related_name="+")
    media = models.ForeignKey("evidence.MediaRecord", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = "调阅复制申请事项"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(document__isnull=True) | models.Q(media__isnull=True),
                name="grants_item_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"item {self.pk} of request {self.request_id}"

    @property
    def whole_case(self) -> bool:
        return self.document_id is None and self.media_id is None


class AccessDecision(models.Model):
    """The approver's answer: approved until ``expires_at``, or refused with a reason. Never altered."""

    request = models.OneToOneField(AccessRequest, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField()
    opinion = models.TextField(help_text="审批意见；不予批准时为理由")
    expires_at = models.DateTimeField(null=True, help_text="批准后可用至")
    role = models.CharField(max_length=16, help_text="the role the approver acted in (profile data)")
    basis = models.TextField(help_text="the rule that names the approver, as shown")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = "调阅复制审批"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved=False, expires_at__isnull=True)
                | models.Q(approved=True, expires_at__isnull=False),
                name="grants_decision_expiry",
            )
        ]

    def __str__(self) -> str:
        return f"decision on request {self.request_id}"


class AccessRevocation(models.Model):
    """A grant withdrawn before it expired: it stops working at once. Never altered."""

    request = models.OneToOneField(AccessRequest, on_delete=models.PROTECT, related_name="revocation")
    reason = models.TextField()
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField()

    class Meta:
        verbose_name = "调阅复制授权撤销"

    def __str__(self) -> str:
        return f"revocation of request {self.request_id}"


class AccessDelivery(models.Model):
    """A copy made under a copy or release grant: the package (files, watermarks, signed manifest) and,
    for a release, to whom it went. Never altered."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="deliveries")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    manifest_sha256 = models.CharField(max_length=64)
    files = models.PositiveIntegerField()
    handed_to = models.CharField(max_length=200, blank=True, help_text="对外提供：实际接收人")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        verbose_name = "复制件交付"
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"delivery {self.pk} of request {self.request_id}"

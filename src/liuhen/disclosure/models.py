"""A party's or an agent's request to see or copy records (依申请公开, R6.2; 政府信息公开条例).

Every table is a record (append-only in the database, migration ``0002_append_only``) but the
counter, which only ever counts up and is never deleted. A request's state is what its rows say:
registered → (extended) → decided → (approved) → redacted → delivered; each row is written by one
service in :mod:`liuhen.disclosure.services` with its ledger entry in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DisclosureCounter(models.Model):
    """The last request number given out by one agency in one year (``依申请〔2026〕3号``). Current
    state, changed only under ``select_for_update`` by the registering service; never deleted."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "依申请编号计数"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="disclosure_counter_year")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_seq}"


class DisclosureRequest(models.Model):
    """依申请: who asks (the party, or an agent for them), what they ask for, when it was received and
    the deadline computed on working days. The requester's ID number, phone and address are personal
    data: masked unless the reader holds ``personal.view``."""

    class RequesterKind(models.TextChoices):
        PARTY = "party", "当事人本人"
        AGENT = "agent", "委托代理人"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requester_kind = models.CharField(max_length=8, choices=RequesterKind.choices)
    requester_name = models.CharField(max_length=200)
    requester_id_type = models.CharField(max_length=32, blank=True)
    requester_id_number = models.CharField(max_length=64, blank=True)
    requester_phone = models.CharField(max_length=32, blank=True)
    requester_address = models.CharField(max_length=300, blank=True)
    asked_for = models.TextField(help_text="申请公开的内容，如申请人所述")
    items = models.JSONField(default=list, help_text='[{"kind": "document"|"media", "id": 17}, …]')
    received_on = models.DateField()
    due_on = models.DateField()
    due_provisional = models.BooleanField(default=False, help_text="期限按未公布调休的节假日安排计算")
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请公开"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="disclosure_request_number")
        ]

    def __str__(self) -> str:
        return self.number


class DisclosureAttachment(models.Model):
    """An uploaded file of the request: the requester's identity document, the agent's authorisation.
    Kept in the blob store under its SHA-256; its type sniffed from the bytes."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", "身份证明"
        AUTHORISATION = "authorisation", "授权委托书"
        OTHER = "other", "其他材料"

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=64)
    original_filename = models.CharField(max_length=255, blank=True)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_kind_display()}"


class DisclosureExtension(models.Model):
    """The one extension (政府信息公开条例 §33), approved by the head: one per request (unique)."""

    request = models.OneToOneField(DisclosureRequest, on_delete=models.PROTECT, related_name="extension")
    reason = models.TextField()
    due_on = models.DateField(help_text="延长后的答复期限")
    due_provisional = models.BooleanField(default=False)
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请延期"

    def __str__(self) -> str:
        return f"{self.request_id}: {self.due_on}"


class DisclosureDecision(models.Model):
    """答复决定: grant, partial grant or refusal, its legal reason, and what happens to each item.
    A request has one decision in force: the latest, which may replace one its approver refused."""

    class Outcome(models.TextChoices):
        GRANT = "grant", "予以公开"
        PARTIAL = "partial", "部分公开"
        REFUSE = "refuse", "不予公开"

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reason = models.CharField(max_length=32, blank=True, help_text="REASONS 中的代码；全部公开时为空")
    note = models.TextField(blank=True)
    items = models.JSONField(help_text='[{"kind", "id", "outcome": "given"|"redacted"|"withheld"}, …]')
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请答复决定"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_outcome_display()}"


class DisclosureApproval(models.Model):
    """The approval of a decision by the role the profile names (gaochang-sthj§31: the head)."""

    decision = models.OneToOneField(DisclosureDecision, on_delete=models.PROTECT, related_name="approval")
    approved = models.BooleanField()
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请审批"

    def __str__(self) -> str:
        return f"{self.decision_id}: {'同意' if self.approved else '不同意'}"


class DisclosureRedaction(models.Model):
    """A redacted derivative of one record: its own bytes in the blob store, linked to the original
    (whose bytes and hash stay as they are). The latest redaction of a record is the one delivered."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="redactions")
    source_kind = models.CharField(max_length=8, help_text="document / media")
    source_id = models.PositiveIntegerField()
    original_sha256 = models.CharField(max_length=64)
    spec = models.JSONField(help_text="fields / rects / regions + mute, as the reviewer chose them")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=64)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请遮蔽件"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.source_kind}:{self.source_id} → {self.sha256[:12]}"


class DisclosureDelivery(models.Model):
    """送达: how and to whom the answer went, and the package (for a grant or a partial grant)."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "当面领取"
        MAIL = "mail", "邮寄"
        ELECTRONIC = "electronic", "电子方式"

    request = models.OneToOneField(DisclosureRequest, on_delete=models.PROTECT, related_name="delivery")
    method = models.CharField(max_length=16, choices=Method.choices)
    recipient = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, blank=True, help_text="the package zip; empty for a refusal")
    size = models.BigIntegerField(default=0)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    files = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField()
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依申请送达"

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_method_display()}"

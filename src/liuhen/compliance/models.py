"""Stored compliance results, so that case lists and dashboards are fast.

These tables hold **derived data**, not records: every row can be recomputed at any time from the
case's append-only records and the agency's rule profile (``liuhen compliance refresh``). They are
therefore not append-only: a recompute replaces a case's findings. The history of what was decided
lives in the records and the ledger (gate overrides are stored on ``StageTransition``), not here.
"""

from __future__ import annotations

from django.db import models

STATUS_CHOICES = [
    ("satisfied", "已满足"),
    ("missing", "缺失"),
    ("overdue", "已逾期"),
    ("pending", "待完成"),
    ("violated", "违规"),
]
SEVERITY_CHOICES = [("error", "强制"), ("warning", "提示")]


class CaseCompliance(models.Model):
    """A case's latest compliance summary: counts by status, overdue count and the next due time."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="compliance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    profile_id = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    satisfied = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    violated = models.PositiveIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True, help_text="最近一项未完成事项的期限")

    class Meta:
        verbose_name = "案件合规概况"

    def __str__(self) -> str:
        return f"compliance of case {self.case_id}"

    @property
    def unmet(self) -> int:
        return self.missing + self.overdue + self.pending


class StoredFinding(models.Model):
    """One rule's finding for one case (or one record of it) as of ``CaseCompliance.computed_at``."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="findings")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    rule_id = models.CharField(max_length=100)
    rule_kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    severity = models.CharField(max_length=8, choices=SEVERITY_CHOICES)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES)
    citation = models.CharField(max_length=64)
    quote = models.TextField()
    message = models.TextField()
    record_ids = models.JSONField(default=list)
    due_at = models.DateTimeField(null=True, blank=True)
    guards = models.CharField(max_length=24, blank=True)
    av_upload = models.BooleanField(default=False, help_text="音像记录上传时限规则")
    device_no = models.CharField(max_length=64, blank=True)
    officers = models.JSONField(default=list)

    class Meta:
        verbose_name = "合规检查结果"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["case", "status"]),
            # 待办 lists each section's most urgent findings by walking this in deadline order
            models.Index(fields=["rule_kind", "due_at"], name="finding_kind_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.status}"


class ComplianceDaily(models.Model):
    """One agency's totals on one day (Asia/Shanghai), written by the scheduled refresh, for the trend."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    cases = models.PositiveIntegerField(default=0)
    cases_with_problems = models.PositiveIntegerField(default=0, help_text="有缺失、逾期或违规事项的案件数")
    satisfied = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    violated = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "合规日统计"
        ordering = ["agency", "day"]
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="compliance_daily_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"

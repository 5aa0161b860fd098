"""Spot checks of recording (抽查), the check register (检查台账) and rectifications (issue #14).

Every table here is a record (append-only by triggers, migration ``0002_append_only``): a check is
announced once (:class:`SpotCheck`), drawn once (:class:`SpotCheckDraw`, with its sampled cases
:class:`SpotCheckSample`), each item of a sampled case is judged by rows that supersede one another
(:class:`SpotCheckJudgement`, the latest counts, history kept), and a failed item may become a
rectification request (:class:`Rectification`) answered (:class:`RectificationResponse`) and closed or
returned (:class:`RectificationReview`) until closed. Current state is derived from the rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SpotCheck(models.Model):
    """An announced check: who checks (``agency``, the legal unit's or the justice bureau's), whose cases
    (``target_agency``: the own agency, or one the bureau supervises), which cases (period and scope)
    and how many to draw. Never altered."""

    class PeriodBasis(models.TextChoices):
        OPENED = "opened", "立案时间"
        ENFORCEMENT = "enforcement", "执法行为终结时间"

    class What(models.TextChoices):
        AV = "av", "音像记录"
        TEXT = "text", "文字记录"
        BOTH = "both", "文字和音像记录"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    target_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=40, help_text="抽查〔2026〕1号 (per checking agency)")
    title = models.CharField(max_length=200)
    period_basis = models.CharField(max_length=12, choices=PeriodBasis.choices)
    period_from = models.DateField()
    period_to = models.DateField()
    unit_ids = models.JSONField(default=list, help_text="units of the target agency; empty: all")
    officer_ids = models.JSONField(default=list, help_text="handlers; empty: all")
    procedures = models.JSONField(default=list, help_text="procedure codes; empty: all")
    what = models.CharField(max_length=8, choices=What.choices)
    sample_size = models.PositiveIntegerField()
    announced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField()

    class Meta:
        verbose_name = "执法记录抽查"
        ordering = ["-announced_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="spotcheck_number")]
        indexes = [models.Index(fields=["target_agency", "announced_at"], name="spotcheck_target_idx")]

    def __str__(self) -> str:
        return self.number


class SpotCheckDraw(models.Model):
    """The draw: the signed checkpoint issued after the announcement, the seed taken from it, the
    population it was drawn from (its sorted keys, their count and hash). Never altered."""

    check_ref = models.OneToOneField(SpotCheck, on_delete=models.PROTECT, related_name="draw")
    checkpoint = models.ForeignKey("ledger.LedgerCheckpoint", on_delete=models.PROTECT, related_name="+")
    checkpoint_size = models.BigIntegerField()
    checkpoint_root = models.CharField(max_length=64)
    seed = models.CharField(max_length=64)
    population_count = models.PositiveIntegerField()
    population_sha256 = models.CharField(max_length=64)
    # the population's keys (case numbers), sorted: with the seed, all a receiver needs to recompute the
    # sample; their digest is in the draw's ledger entry
    population = models.JSONField(default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        verbose_name = "抽查抽签"

    def __str__(self) -> str:
        return f"draw of check {self.check_ref_id}"


class SpotCheckSample(models.Model):
    """One drawn case, at its place in the draw's order (``position`` 1 … k). Never altered."""

    check_ref = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="samples")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64, help_text="the case's key in the population (case_no)")
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = "抽中案件"
        ordering = ["check_ref", "position"]
        constraints = [
            models.UniqueConstraint(fields=["check_ref", "case"], name="spotcheck_sample_case"),
        ]
        indexes = [models.Index(fields=["case"], name="spotcheck_sample_case_idx")]

    def __str__(self) -> str:
        return f"{self.key} in check {self.check_ref_id}"


class SpotCheckJudgement(models.Model):
    """The checker's verdict on one checklist item of one sampled case, with what the system had
    suggested (``auto_verdict``, ``evidence``). A later row for the same item supersedes. Never altered."""

    class Verdict(models.TextChoices):
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"
        NA = "na", "不适用"

    sample = models.ForeignKey(SpotCheckSample, on_delete=models.PROTECT, related_name="judgements")
    item_id = models.CharField(max_length=64)
    item_text = models.CharField(max_length=200)
    verdict = models.CharField(max_length=4, choices=Verdict.choices)
    auto_verdict = models.CharField(max_length=4, blank=True, help_text="the judge's suggestion, if any")
    evidence = models.JSONField(default=list, help_text="what the judge based its suggestion on")
    overridden = models.BooleanField(default=False)
    remark = models.TextField(blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField()

    class Meta:
        verbose_name = "抽查检查项判定"
        ordering = ["sample", "item_id", "-judged_at", "-id"]
        indexes = [models.Index(fields=["sample", "item_id", "-id"], name="spotcheck_judgement_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.verdict}"


class Rectification(models.Model):
    """A rectification request (整改通知) from a failed item, to the case's handler or a unit, due on a
    working day. Never altered; its state follows from its responses and reviews."""

    check_ref = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="rectifications")
    sample = models.ForeignKey(SpotCheckSample, on_delete=models.PROTECT, related_name="rectifications")
    judgement = models.ForeignKey(SpotCheckJudgement, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=40)
    addressee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    addressee_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    requirement = models.TextField(help_text="整改要求")
    due_on = models.DateField()
    basis = models.TextField(help_text="the profile's basis of the period, as shown")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = "整改通知"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["check_ref", "number"], name="spotcheck_rect_number"),
            models.CheckConstraint(
                condition=models.Q(addressee_user__isnull=False) | models.Q(addressee_unit__isnull=False),
                name="spotcheck_rect_addressee",
            ),
        ]
        indexes = [
            models.Index(fields=["addressee_user", "due_on"], name="spotcheck_rect_user_idx"),
            models.Index(fields=["addressee_unit", "due_on"], name="spotcheck_rect_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class RectificationResponse(models.Model):
    """What the addressee did. Never altered."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="responses")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "整改情况报告"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"response to {self.rectification_id}"


class RectificationReview(models.Model):
    """The checker's answer to a response: closed (整改完成) or returned (退回重新整改). Never altered."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="reviews")
    response = models.ForeignKey(RectificationResponse, on_delete=models.PROTECT, related_name="+")
    closed = models.BooleanField()
    remark = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "整改复核"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"review of {self.rectification_id}"

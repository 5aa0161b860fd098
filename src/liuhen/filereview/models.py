"""Case-file reviews (案卷评查): campaigns, reviews, scores and sign-offs (issue #14).

Record tables, never altered (triggers): a review is made once with a snapshot of the scoring sheet
it is scored against; every score (the system's automatic result or the reviewer's) is a new row and
the latest row of an item counts; a review is finalised once (:class:`ReviewFinalisation`, signed off
in the ledger) and is then immutable — a correction is a new review that names the one it corrects.
The reviewing agency (``agency``) is the legal unit's own agency or the justice bureau; the reviewed
case belongs to ``case_agency`` (the same agency, or one the bureau supervises)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReviewCampaign(models.Model):
    """评查活动: a named review of a set of case files by one reviewing agency. Never altered; its
    reviews point at it."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    period_from = models.DateField(null=True, help_text="归档日期起（按期间选取案卷时）")
    period_to = models.DateField(null=True, help_text="归档日期止")
    reviewed_agencies = models.JSONField(default=list, help_text="被评查机关的 id")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "案卷评查活动"
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "-id"], name="frev_campaign_agency_idx")]

    def __str__(self) -> str:
        return self.name


class FileReview(models.Model):
    """One case file's review against the sheet of the case's agency (snapshot in ``sheet``)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    case_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        ReviewCampaign, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    profile_id = models.CharField(max_length=64, help_text="the profile whose sheet was used")
    sheet = models.JSONField(help_text="the scoring sheet's items as used (id, category, kind, points …)")
    total = models.DecimalField(max_digits=5, decimal_places=1, help_text="满分")
    rating_excellent = models.DecimalField(max_digits=5, decimal_places=1)
    rating_pass = models.DecimalField(max_digits=5, decimal_places=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "案卷评查"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["case_agency", "-id"], name="frev_review_case_agency_idx"),
            models.Index(fields=["agency", "-id"], name="frev_review_agency_idx"),
            models.Index(fields=["case", "-id"], name="frev_review_case_idx"),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of case {self.case_id}"


class ReviewScore(models.Model):
    """One item's result: the system's (``source`` auto, with the evidence) or the reviewer's (with the
    reason). The latest row of an item counts; earlier rows stay."""

    class Result(models.TextChoices):
        PASS = "pass", "符合"
        FAIL = "fail", "不符合"
        NA = "na", "不适用"

    class Source(models.TextChoices):
        AUTO = "auto", "系统自动评分"
        REVIEWER = "reviewer", "评查人评分"

    review = models.ForeignKey(FileReview, on_delete=models.PROTECT, related_name="scores")
    item_id = models.CharField(max_length=64)
    result = models.CharField(max_length=4, choices=Result.choices)
    deduction = models.DecimalField(max_digits=5, decimal_places=1, default=0, help_text="扣分")
    source = models.CharField(max_length=8, choices=Source.choices)
    evidence = models.TextField(blank=True, help_text="自动评分的依据（文书、时间）")
    reason = models.TextField(blank=True, help_text="评查人的理由")
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField()

    class Meta:
        verbose_name = "案卷评查评分"
        ordering = ["id"]
        indexes = [models.Index(fields=["review", "item_id", "-id"], name="frev_score_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.result}"


class ReviewFinalisation(models.Model):
    """The sign-off: the score, the rating and who finalised it. After it the review is immutable."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"

    review = models.OneToOneField(FileReview, on_delete=models.PROTECT, related_name="finalisation")
    score = models.DecimalField(max_digits=5, decimal_places=1)
    deductions = models.DecimalField(max_digits=5, decimal_places=1)
    vetoed = models.BooleanField(help_text="否决项不符合，得分为0")
    rating = models.CharField(max_length=12, choices=Rating.choices)
    opinion = models.TextField(blank=True, help_text="评查意见")
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField()

    class Meta:
        verbose_name = "案卷评查定稿"
        indexes = [models.Index(fields=["finalised_at"], name="frev_final_at_idx")]

    def __str__(self) -> str:
        return f"finalisation of review {self.review_id}"

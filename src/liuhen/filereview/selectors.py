"""Reads of case-file reviews, campaigns and rates: every one starts from the access layer
(:mod:`liuhen.access.scope_filereview`). Lists are keyset-paged on the id (newest first) over the
indexes of the reviews' agency columns, so the first page costs the same at a million cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from liuhen.access.scope_filereview import file_reviews, review_campaigns
from liuhen.accounts.models import User
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.filereview.models import FileReview, ReviewCampaign, ReviewFinalisation
from liuhen.filereview.tally import RATING_LABELS

PAGE = 50


def review_list(
    *,
    user: User,
    before: int | None = None,
    limit: int = PAGE,
    campaign_id: int | None = None,
    agency_id: int | None = None,
    case_id: int | None = None,
) -> list[FileReview]:
    qs = file_reviews(user)
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    if agency_id is not None:
        qs = qs.filter(case_agency_id=agency_id)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    qs = qs.select_related("case", "case_agency", "agency", "created_by", "finalisation", "campaign")
    return list(qs.order_by("-id")[: max(1, min(limit, 200))])


def review_get(*, user: User, review_id: int) -> FileReview:
    found = (
        file_reviews(user)
        .select_related("case", "case__unit", "case_agency", "agency", "created_by", "campaign", "corrects")
        .filter(pk=review_id)
        .first()
    )
    if found is None:
        raise NotFound("评查不存在")
    return found


def review_for_write(*, user: User, review_id: int) -> FileReview:
    """A review to score, finalise or correct: 404 when it is not of an agency the user sees (or is a
    confidential case's review beyond what they may read); 403 when their role does not review; the
    service then refuses another agency's review (403) and a finalised one (409)."""
    from django.db.models import Q

    from liuhen.access import scope
    from liuhen.accounts.roles import Permission
    from liuhen.core.errors import PermissionDenied

    near = Q(case_agency_id__in=scope.visible_agency_ids(user))
    if user.agency_id:
        near |= Q(agency_id=user.agency_id)
    if not scope._authenticated(user) or not FileReview.objects.filter(near, pk=review_id).exists():
        raise NotFound("评查不存在")
    if not user.can(Permission.FILE_REVIEW_MANAGE):
        raise PermissionDenied("您的角色不能进行案卷评查")
    return review_get(user=user, review_id=review_id)


def finalisation_of(review: FileReview) -> ReviewFinalisation | None:
    return ReviewFinalisation.objects.filter(review=review).select_related("finalised_by").first()


def corrected_by(review: FileReview, user: User) -> list[FileReview]:
    return list(file_reviews(user).filter(corrects=review).order_by("id"))


def campaign_list(*, user: User, before: int | None = None, limit: int = PAGE) -> list[ReviewCampaign]:
    qs = review_campaigns(user)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return list(qs.select_related("agency", "created_by").order_by("-id")[: max(1, min(limit, 200))])


def campaign_get(*, user: User, campaign_id: int) -> ReviewCampaign:
    found = review_campaigns(user).select_related("agency", "created_by").filter(pk=campaign_id).first()
    if found is None:
        raise NotFound("评查活动不存在")
    return found


def campaign_reviews(*, user: User, campaign: ReviewCampaign) -> QuerySet[FileReview]:
    return (
        file_reviews(user)
        .filter(campaign=campaign)
        .select_related("case", "case_agency", "finalisation")
        .order_by("id")
    )


@dataclass
class Rate:
    """One agency's (or unit's) finalised reviews: counts, 优秀率, 合格率 and the average score."""

    agency: str
    unit: str
    reviews: int = 0
    excellent: int = 0
    passed: int = 0  # 合格 or better
    score_sum: Decimal = Decimal(0)

    @property
    def excellent_rate(self) -> str:
        return _percent(self.excellent, self.reviews)

    @property
    def pass_rate(self) -> str:
        return _percent(self.passed, self.reviews)

    @property
    def average(self) -> str:
        if not self.reviews:
            return "—"
        return f"{(self.score_sum / self.reviews).quantize(Decimal('0.1'))}"


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _bounds(start: date | None, end: date | None) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if start:
        filters["finalised_at__gte"] = datetime.combine(start, time.min, tzinfo=clock.SHANGHAI)
    if end:
        filters["finalised_at__lte"] = datetime.combine(end, time.max, tzinfo=clock.SHANGHAI)
    return filters


def rates(*, user: User, start: date | None = None, end: date | None = None) -> tuple[list[Rate], list[Rate]]:
    """Per agency and per unit, of the finalised reviews the user sees that no later review corrects
    (a corrected review is replaced by its correction). Bounded by the number of reviews, not cases."""
    finals = (
        ReviewFinalisation.objects.filter(review__in=file_reviews(user), **_bounds(start, end))
        .exclude(review__corrections__finalisation__isnull=False)
        .values_list("review__case_agency__name", "review__case__unit__name", "rating", "score")
    )
    by_agency: dict[str, Rate] = {}
    by_unit: dict[tuple[str, str], Rate] = defaultdict(lambda: Rate("", ""))
    for agency, unit, rating, score in finals.iterator():
        unit = unit or "未分配单位"
        for rate in (
            by_agency.setdefault(agency, Rate(agency, "")),
            by_unit.setdefault((agency, unit), Rate(agency, unit)),
        ):
            rate.reviews += 1
            rate.excellent += rating == "excellent"
            rate.passed += rating in ("excellent", "pass")
            rate.score_sum += Decimal(score)
    return sorted(by_agency.values(), key=lambda r: r.agency), sorted(
        by_unit.values(), key=lambda r: (r.agency, r.unit)
    )


RATE_HEADERS = [
    "被评查机关",
    "执法单位",
    "已定稿评查数",
    "优秀数",
    "合格及以上数",
    "优秀率",
    "合格率",
    "平均分",
]


def rate_rows(agencies: list[Rate], units: list[Rate]) -> Iterator[list[object]]:
    for r in [*agencies, *units]:
        yield [
            r.agency,
            r.unit or "（全机关）",
            r.reviews,
            r.excellent,
            r.passed,
            r.excellent_rate,
            r.pass_rate,
            r.average,
        ]


REVIEW_HEADERS = [
    "评查编号",
    "案号",
    "案由",
    "被评查机关",
    "评查机关",
    "评查活动",
    "状态",
    "得分",
    "等次",
    "评查人",
    "开始时间",
]


def review_row(review: FileReview) -> list[object]:
    final = getattr(review, "finalisation", None)
    return [
        review.pk,
        review.case.case_no,
        review.case.cause,
        review.case_agency.name,
        review.agency.name,
        review.campaign.name if review.campaign else "",
        "已定稿" if final else "评查中",
        str(final.score) if final else "",
        RATING_LABELS[final.rating] if final else "",
        review.created_by.display_name,
        clock.local_text(review.created_at),
    ]

"""API of issue #14: Case-file reviews (案卷评查): sheets, scores, reports, campaigns and rates.

A review is of one case file the reviewer sees (the legal unit: its agency's; the bureau's
supervisor: the supervised agencies'), scored against the sheet of the case's agency; the items the
records decide are scored at once with their evidence, the reviewer scores the rest (or overrides)
with reasons, and finalising fixes the score and rating (then immutable; a correction is a new review
naming the old one). Lists are keyset-paged (``before`` = the last id seen) and exportable with
``?format=csv|xlsx``. Errors: the one error shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from liuhen.access import scope
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id, PageLimit
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.core.responses import file_response
from liuhen.core.tabular import export_format, tabular_response
from liuhen.filereview import reports, selectors, services
from liuhen.filereview.models import FileReview, ReviewCampaign
from liuhen.filereview.sheet import agency_sheet, item_row
from liuhen.filereview.tally import RATING_LABELS, RESULT_LABELS, latest_scores
from liuhen.rules.review_sheet import CATEGORIES

router = Router(tags=["file_reviews 案卷评查"])


class ReviewIn(Schema):
    case_id: Id
    campaign_id: Id | None = Field(None, description="所属评查活动")
    corrects_id: Id | None = Field(None, description="更正已定稿的评查时，被更正的评查")


class ScoreIn(Schema):
    item_id: str = Field(max_length=64)
    result: str = Field(description="pass 符合 / fail 不符合 / na 不适用")
    reason: str = Field("", max_length=2000, description="理由（不符合、不适用或改变自动评分时必填）")
    deduction: Decimal | None = Field(None, ge=0, le=100, description="扣分（默认该项满扣）")


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(max_length=200)


class FinaliseIn(Schema):
    opinion: str = Field("", max_length=4000, description="评查意见")


class CampaignIn(Schema):
    name: str = Field(max_length=200)
    agency_ids: list[Id] = Field(default_factory=list, max_length=50, description="被评查机关（默认本机关）")
    period_from: date | None = Field(None, description="归档日期起")
    period_to: date | None = Field(None, description="归档日期止")
    case_ids: list[Id] = Field(
        default_factory=list, max_length=200, description="指定案卷（不填则按期间选取）"
    )
    note: str = Field("", max_length=4000)


class PeriodIn(Schema):
    period_from: date | None = Field(None, description="定稿日期起")
    period_to: date | None = Field(None, description="定稿日期止")
    format: str | None = Field(None, description="导出格式：csv | xlsx")


def _summary(review: FileReview) -> dict:
    final = getattr(review, "finalisation", None)
    return {
        "id": review.pk,
        "case_id": review.case_id,
        "case_no": review.case.case_no,
        "cause": review.case.cause,
        "case_agency": review.case_agency.name,
        "agency": review.agency.name,
        "campaign_id": review.campaign_id,
        "corrects_id": review.corrects_id,
        "finalised": final is not None,
        "score": str(final.score) if final else None,
        "rating": final.rating if final else None,
        "rating_label": RATING_LABELS[final.rating] if final else None,
        "created_by": review.created_by.display_name,
        "created_at": review.created_at,
    }


def _detail(user, review: FileReview) -> dict:
    latest = latest_scores(review)
    result = services.review_tally(review)
    final = selectors.finalisation_of(review)
    items = []
    for item in review.sheet:
        score = latest.get(item["id"])
        items.append(
            {
                **item,
                "category_label": CATEGORIES[item["category"]],
                "result": score.result if score else None,
                "result_label": RESULT_LABELS[score.result] if score else "未评",
                "deduction": str(score.deduction) if score else None,
                "source": score.source if score else None,
                "evidence": score.evidence if score else "",
                "reason": score.reason if score else "",
                "scored_at": score.scored_at if score else None,
            }
        )
    return {
        **_summary(review),
        "total": str(review.total),
        "running_score": str(result.score),
        "running_rating": result.rating,
        "running_rating_label": result.rating_label,
        "vetoed": result.vetoed,
        "unscored": len(result.unscored),
        "opinion": final.opinion if final else "",
        "finalised_by": final.finalised_by.display_name if final else None,
        "finalised_at": final.finalised_at if final else None,
        "corrected_by": [r.pk for r in selectors.corrected_by(review, user)],
        "items": items,
    }


def _review(request: AuthedRequest, review_id: int) -> FileReview:
    return selectors.review_get(user=request.user, review_id=review_id)


@router.get("/file-reviews", response={200: dict, **ERRORS_LIST}, summary="案卷评查列表")
def review_list(
    request: AuthedRequest,
    before: Id | None = None,
    limit: PageLimit = 50,
    campaign_id: Id | None = None,
    agency_id: Id | None = None,
    case_id: Id | None = None,
    format: str | None = None,
):
    """Newest first, ``limit`` at a time; ``before``: the last id of the previous page."""
    fmt = export_format(format)
    filters = {"campaign_id": campaign_id, "agency_id": agency_id, "case_id": case_id}
    if fmt is not None:
        return tabular_response(
            fmt, stem="案卷评查", headers=selectors.REVIEW_HEADERS, rows=_export_rows(request, filters)
        )
    found = selectors.review_list(user=request.user, before=before, limit=limit, **filters)
    return {
        "items": [_summary(r) for r in found],
        "next_before": found[-1].pk if len(found) == limit else None,
    }


def _export_rows(request: AuthedRequest, filters: dict):
    before = None
    while True:
        page = selectors.review_list(user=request.user, before=before, limit=200, **filters)
        yield from (selectors.review_row(r) for r in page)
        if len(page) < 200:
            return
        before = page[-1].pk


@router.post("/file-reviews", response={201: dict, **ERRORS_WRITE}, summary="开始评查一份案卷")
def review_create(request: AuthedRequest, body: ReviewIn):
    campaign = corrects = None
    if body.campaign_id is not None:
        campaign = _campaign_or_422(request, body.campaign_id)
    if body.corrects_id is not None:
        corrects = selectors.file_reviews(request.user).filter(pk=body.corrects_id).first()
        if corrects is None:
            raise NotFound("被更正的评查不存在")
    review = services.review_create(
        by=request.user, case_id=body.case_id, campaign=campaign, corrects=corrects
    )
    return Status(201, _detail(request.user, selectors.review_get(user=request.user, review_id=review.pk)))


def _campaign_or_422(request: AuthedRequest, campaign_id: int) -> ReviewCampaign:
    return selectors.campaign_get(user=request.user, campaign_id=campaign_id)


@router.get("/file-reviews/sheet", response={200: dict, **ERRORS_READ}, summary="案卷评查评分表")
def sheet(request: AuthedRequest, agency_id: Id | None = None):
    """The scoring sheet of ``agency_id`` (one the user sees; default the user's own)."""
    wanted = agency_id or request.user.agency_id
    agency = scope.agencies(request.user).filter(pk=wanted).first() if wanted else None
    if agency is None or agency.pk not in scope.visible_agency_ids(request.user):
        raise NotFound("机关不存在")
    found = agency_sheet(agency)
    return {
        "agency": agency.name,
        "profile": found.profile_id,
        "total": str(found.total),
        "rating_excellent": str(found.excellent),
        "rating_pass": str(found.passing),
        "basis": found.basis,
        "items": [{**item_row(i), "category_label": i.category_zh} for i in found.items],
    }


@router.get("/file-reviews/rates", response={200: dict, **ERRORS_LIST}, summary="案卷评查优秀率、合格率")
def rates(request: AuthedRequest, period: Query[PeriodIn]):
    """Of the finalised reviews (finalised in the period) of the case files the user sees."""
    fmt = export_format(period.format)
    agencies, units = selectors.rates(user=request.user, start=period.period_from, end=period.period_to)
    if fmt is not None:
        return tabular_response(
            fmt,
            stem="案卷评查统计",
            headers=selectors.RATE_HEADERS,
            rows=selectors.rate_rows(agencies, units),
        )

    def out(r: selectors.Rate) -> dict:
        return {
            "agency": r.agency,
            "unit": r.unit,
            "reviews": r.reviews,
            "excellent": r.excellent,
            "passed": r.passed,
            "excellent_rate": r.excellent_rate,
            "pass_rate": r.pass_rate,
            "average": r.average,
        }

    return {"agencies": [out(r) for r in agencies], "units": [out(r) for r in units]}


@router.get("/file-reviews/{review_id}", response={200: dict, **ERRORS_READ}, summary="一份案卷评查")
def review_detail(request: AuthedRequest, review_id: Id):
    return _detail(request.user, _review(request, review_id))


@router.post("/file-reviews/{review_id}/scores", response={201: dict, **ERRORS_WRITE}, summary="评分")
def review_score(request: AuthedRequest, review_id: Id, body: ScoresIn):
    review = selectors.review_for_write(user=request.user, review_id=review_id)
    services.review_score(
        review=review,
        by=request.user,
        scores=[services.ScoreSpec(s.item_id, s.result, s.reason, s.deduction) for s in body.scores],
    )
    return Status(201, _detail(request.user, _review(request, review_id)))


@router.post("/file-reviews/{review_id}/finalise", response={201: dict, **ERRORS_WRITE}, summary="定稿")
def review_finalise(request: AuthedRequest, review_id: Id, body: FinaliseIn):
    review = selectors.review_for_write(user=request.user, review_id=review_id)
    services.review_finalise(review=review, by=request.user, opinion=body.opinion)
    return Status(201, _detail(request.user, _review(request, review_id)))


@router.get("/file-reviews/{review_id}/report.pdf", response={200: None, **ERRORS_READ}, summary="评查表 PDF")
def review_report(request: AuthedRequest, review_id: Id):
    review = _review(request, review_id)
    pdf = reports.review_report(review, user=request.user)
    return file_response(pdf, "application/pdf", f"案卷评查表-{review.case.case_no}.pdf")


def _campaign_out(campaign: ReviewCampaign) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "agency": campaign.agency.name,
        "period_from": campaign.period_from,
        "period_to": campaign.period_to,
        "note": campaign.note,
        "created_by": campaign.created_by.display_name,
        "created_at": campaign.created_at,
    }


@router.get("/file-review-campaigns", response={200: dict, **ERRORS_LIST}, summary="评查活动列表")
def campaign_list(
    request: AuthedRequest,
    before: Id | None = None,
    limit: PageLimit = 50,
    format: str | None = None,
):
    fmt = export_format(format)
    found = selectors.campaign_list(user=request.user, before=before, limit=200 if fmt else limit)
    if fmt is not None:
        headers = ["编号", "名称", "评查机关", "归档日期起", "归档日期止", "创建人", "创建时间"]
        rows = (
            [
                c.pk,
                c.name,
                c.agency.name,
                c.period_from,
                c.period_to,
                c.created_by.display_name,
                clock.local_text(c.created_at),
            ]
            for c in found
        )
        return tabular_response(fmt, stem="案卷评查活动", headers=headers, rows=rows)
    return {
        "items": [_campaign_out(c) for c in found],
        "next_before": found[-1].pk if len(found) == limit else None,
    }


@router.post("/file-review-campaigns", response={201: dict, **ERRORS_WRITE}, summary="创建评查活动")
def campaign_create(request: AuthedRequest, body: CampaignIn):
    campaign = services.campaign_create(
        by=request.user,
        name=body.name,
        agency_ids=body.agency_ids,
        period_from=body.period_from,
        period_to=body.period_to,
        case_ids=body.case_ids,
        note=body.note,
    )
    return Status(201, _campaign_detail(request, campaign.pk))


def _campaign_detail(request: AuthedRequest, campaign_id: int) -> dict:
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    reviews = selectors.campaign_reviews(user=request.user, campaign=campaign)
    return {
        **_campaign_out(campaign),
        "reviews": [_summary(r) for r in reviews.select_related("agency", "created_by")],
    }


@router.get(
    "/file-review-campaigns/{campaign_id}", response={200: dict, **ERRORS_READ}, summary="一次评查活动"
)
def campaign_detail(request: AuthedRequest, campaign_id: Id):
    return _campaign_detail(request, campaign_id)


@router.get(
    "/file-review-campaigns/{campaign_id}/report.pdf",
    response={200: None, **ERRORS_READ},
    summary="评查报告 PDF",
)
def campaign_report(request: AuthedRequest, campaign_id: Id):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    pdf = reports.campaign_report(campaign, user=request.user)
    return file_response(pdf, "application/pdf", f"案卷评查报告-{campaign.pk}.pdf")

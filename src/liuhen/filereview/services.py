"""Make, score and finalise case-file reviews (案卷评查), and campaigns of them (评查活动).

Who: the holders of ``file_review.manage`` — the legal unit for its own agency's case files, the
justice bureau's supervisor for those of the agencies it supervises. What the bureau writes is its own
agency's record pointing at the supervised agency's case. Each change is one transaction with its
ledger entry (the review or the campaign first among the entry's objects) carrying the new rows'
state. A finalised review is immutable: a correction is a new review naming it (``corrects``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.db import transaction

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, NotFound, PermissionDenied, invalid
from liuhen.filereview import scorers
from liuhen.filereview.models import FileReview, ReviewCampaign, ReviewFinalisation, ReviewScore
from liuhen.filereview.sheet import agency_sheet
from liuhen.filereview.tally import Tally, latest_scores, tally
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import EntryDraft, ledger_append, ledger_append_many

MAX_CAMPAIGN_CASES = 100


@dataclass(frozen=True)
class ScoreSpec:
    """The reviewer's result for one item: pass/fail/na, the points taken (a deduction's, at most the
    item's; default all of them) and the reason (required for a failure, a not-applicable and an
    override of the system's result)."""

    item_id: str
    result: str
    reason: str = ""
    deduction: Decimal | None = None


def _require_manage(by: User) -> None:
    if not by.can(Permission.FILE_REVIEW_MANAGE):
        raise PermissionDenied("您的角色不能进行案卷评查")


def _reviewable_case(by: User, case_id: int, field: str = "case_id") -> Case:
    """A case the reviewer sees and may review: of their agency, or one the bureau supervises."""
    case = scope.cases(by).filter(pk=case_id).select_related("agency").first()
    if case is None or case.agency_id not in scope.visible_agency_ids(by):
        raise NotFound("案件不存在", errors=[FieldError(field, "not_found", "案件不存在或无权评查")])
    return case


def review_create(
    *,
    by: User,
    case_id: int,
    campaign: ReviewCampaign | None = None,
    corrects: FileReview | None = None,
) -> FileReview:
    """Start a review of one case file, scoring automatically what the records decide."""
    case = _reviewable_case(by, case_id)  # 404 before 403: no hint of what exists
    _require_manage(by)
    if by.agency_id is None:
        raise PermissionDenied("用户未归属任何机关，不能评查")
    if campaign is not None and campaign.agency_id != by.agency_id:
        raise PermissionDenied("只能在本机关的评查活动中评查")
    if corrects is not None:
        if corrects.case_id != case.pk:
            raise invalid("corrects", "other_case", "更正的评查须是同一案卷的评查")
        if corrects.created_by_id != by.pk:
            raise PermissionDenied("只有原评查的评查人可以更正评查")
        if not ReviewFinalisation.objects.filter(review=corrects).exists():
            raise invalid("corrects", "not_final", "未定稿的评查可直接修改评分，无须更正")
    sheet = agency_sheet(case.agency)
    if not sheet.items:
        raise Conflict(f"机关「{case.agency.name}」的规则未配置案卷评查评分表")
    now = clock.now()
    with transaction.atomic():
        review = FileReview.objects.create(
            agency_id=by.agency_id,
            case=case,
            case_agency_id=case.agency_id,
            campaign=campaign,
            corrects=corrects,
            profile_id=sheet.profile_id,
            sheet=sheet.as_rows(),
            total=sheet.total,
            rating_excellent=sheet.excellent,
            rating_pass=sheet.passing,
            created_by=by,
            created_at=now,
        )
        ledger_append(
            action="file_review.created",
            actor=by,
            agency=by.agency,
            case=case,
            objects={"file_review": review.pk, **({"review_campaign": campaign.pk} if campaign else {})},
            details={
                "case_no": case.case_no,
                "profile": sheet.profile_id,
                "corrects": corrects.pk if corrects else None,
                STATE_KEY: row_states(file_review=review.pk),
            },
            at=now,
        )
        _auto_score(review, by, now)
    return review


def _auto_score(review: FileReview, by: User, now: datetime) -> list[ReviewScore]:
    facts = scorers.case_facts(review.case, now=now)
    rows = []
    for item in review.sheet:
        if not item["auto"]:
            continue
        outcome = scorers.SCORERS[item["auto"]](facts)
        rows.append(
            ReviewScore.objects.create(
                review=review,
                item_id=item["id"],
                result=outcome.result,
                deduction=_points(item) if outcome.result == "fail" and item["kind"] == "deduction" else 0,
                source=ReviewScore.Source.AUTO,
                evidence=outcome.evidence,
                scored_by=by,
                scored_at=now,
            )
        )
    _score_entries(review, by, rows, now)
    return rows


def _points(item: dict) -> Decimal:
    return Decimal(str(item["points"])).quantize(Decimal("0.1"))


def _score_entries(review: FileReview, by: User, rows: Sequence[ReviewScore], now: datetime) -> None:
    ledger_append_many(
        drafts=[
            EntryDraft(
                action="file_review.scored",
                actor=by,
                agency=review.agency,
                case=review.case,
                objects={"file_review": review.pk, "review_score": row.pk},
                details={
                    "item": row.item_id,
                    "result": row.result,
                    "deduction": str(row.deduction),
                    "source": row.source,
                    STATE_KEY: row_states(review_score=row.pk),
                },
                at=now,
            )
            for row in rows
        ]
    )


def _may_write(by: User, review: FileReview) -> None:
    """A review is its reviewer's: they score and finalise it and answer for it (评查人签字)."""
    _require_manage(by)
    if by.pk != review.created_by_id:
        raise PermissionDenied("只有本评查的评查人可以评分、定稿")
    if ReviewFinalisation.objects.filter(review=review).exists():
        raise Conflict("评查已定稿，不能再修改；如需更正，请新建一份更正评查")


def review_score(*, review: FileReview, by: User, scores: Sequence[ScoreSpec]) -> list[ReviewScore]:
    """Record the reviewer's results (new rows; the latest of an item counts)."""
    _may_write(by, review)
    if not scores:
        raise invalid("scores", "required", "请至少评定一项")
    items = {item["id"]: item for item in review.sheet}
    current = latest_scores(review)
    rows: list[tuple[ScoreSpec, Decimal]] = []
    for i, spec in enumerate(scores):
        field = f"scores[{i}]"
        item = items.get(spec.item_id)
        if item is None:
            raise invalid(f"{field}.item_id", "unknown", "评分表中没有这一项")
        if spec.result not in ReviewScore.Result.values:
            raise invalid(f"{field}.result", "invalid", "请选择符合、不符合或不适用")
        before = current.get(spec.item_id)
        overrides = before is not None and before.source == "auto" and before.result != spec.result
        if not spec.reason.strip() and (spec.result != "pass" or overrides):
            message = "改变系统自动评分须写明理由" if overrides else "不符合或不适用须写明理由"
            raise invalid(f"{field}.reason", "required", message)
        rows.append((spec, _deduction(field, item, spec)))
    now = clock.now()
    with transaction.atomic():
        FileReview.objects.select_for_update().filter(pk=review.pk).first()
        if ReviewFinalisation.objects.filter(review=review).exists():
            raise Conflict("评查已定稿，不能再修改")
        created = [
            ReviewScore.objects.create(
                review=review,
                item_id=spec.item_id,
                result=spec.result,
                deduction=deduction,
                source=ReviewScore.Source.REVIEWER,
                reason=spec.reason.strip(),
                scored_by=by,
                scored_at=now,
            )
            for spec, deduction in rows
        ]
        _score_entries(review, by, created, now)
    return created


def _deduction(field: str, item: dict, spec: ScoreSpec) -> Decimal:
    if spec.result != "fail" or item["kind"] != "deduction":
        if spec.deduction not in (None, Decimal(0)):
            raise invalid(f"{field}.deduction", "not_deducted", "只有不符合的扣分项才扣分")
        return Decimal(0)
    most = _points(item)
    if spec.deduction is None:
        return most
    try:
        points = Decimal(spec.deduction).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise invalid(f"{field}.deduction", "invalid", "扣分须为数字") from None
    if not Decimal("0.5") <= points <= most or points % Decimal("0.5"):
        raise invalid(f"{field}.deduction", "out_of_range", f"扣分应在 0.5 至 {most} 分之间，以0.5分为单位")
    return points


def review_tally(review: FileReview) -> Tally:
    return tally(
        review.sheet, latest_scores(review), review.total, review.rating_excellent, review.rating_pass
    )


def review_finalise(*, review: FileReview, by: User, opinion: str = "") -> ReviewFinalisation:
    """Sign off: every item scored; the score (0 when a veto item failed) and rating are fixed."""
    _may_write(by, review)
    now = clock.now()
    with transaction.atomic():
        FileReview.objects.select_for_update().filter(pk=review.pk).first()
        if ReviewFinalisation.objects.filter(review=review).exists():
            raise Conflict("评查已定稿")
        result = review_tally(review)
        if result.unscored:
            names = "、".join(item["text_zh"] for item in result.unscored[:3])
            more = f"等{len(result.unscored)}项" if len(result.unscored) > 3 else ""
            raise invalid("scores", "unscored", f"尚有未评定的项目：{names}{more}")
        final = ReviewFinalisation.objects.create(
            review=review,
            score=result.score,
            deductions=result.deductions,
            vetoed=result.vetoed,
            rating=result.rating,
            opinion=opinion.strip(),
            finalised_by=by,
            finalised_at=now,
        )
        ledger_append(
            action="file_review.finalised",
            actor=by,
            agency=review.agency,
            case=review.case,
            objects={"file_review": review.pk, "review_finalisation": final.pk},
            details={
                "case_no": review.case.case_no,
                "score": str(final.score),
                "rating": final.rating,
                "vetoed": final.vetoed,
                STATE_KEY: row_states(review_finalisation=final.pk),
            },
            at=now,
        )
    return final


def campaign_create(
    *,
    by: User,
    name: str,
    agency_ids: Sequence[int] = (),
    period_from: date | None = None,
    period_to: date | None = None,
    case_ids: Sequence[int] = (),
    note: str = "",
) -> ReviewCampaign:
    """A campaign of the chosen case files, or of every case file of ``agency_ids`` archived in the
    period (at most :data:`MAX_CAMPAIGN_CASES`); a review is started for each at once."""
    _require_manage(by)
    if by.agency_id is None:
        raise PermissionDenied("用户未归属任何机关，不能评查")
    if not name.strip():
        raise invalid("name", "required", "请填写评查活动名称")
    visible = scope.visible_agency_ids(by)
    agencies = list(dict.fromkeys(agency_ids)) or ([by.agency_id] if by.agency_id else [])
    for agency_id in agencies:
        if agency_id not in visible:  # as if it did not exist: no hint of other agencies
            raise NotFound("机关不存在：只能评查本机关或所监督机关的案卷")
    if period_from and period_to and period_from > period_to:
        raise invalid("period_to", "before_start", "结束日期不能早于开始日期")
    cases = _campaign_cases(by, agencies, period_from, period_to, case_ids)
    now = clock.now()
    with transaction.atomic():
        campaign = ReviewCampaign.objects.create(
            agency_id=by.agency_id,
            name=name.strip(),
            period_from=period_from,
            period_to=period_to,
            reviewed_agencies=sorted({c.agency_id for c in cases}),
            note=note.strip(),
            created_by=by,
            created_at=now,
        )
        ledger_append(
            action="file_review.campaign_created",
            actor=by,
            agency=by.agency,
            objects={"review_campaign": campaign.pk},
            details={
                "name": campaign.name,
                "cases": [c.pk for c in cases],
                STATE_KEY: row_states(review_campaign=campaign.pk),
            },
            at=now,
        )
        for case in cases:
            review_create(by=by, case_id=case.pk, campaign=campaign)
    return campaign


def _campaign_cases(
    by: User, agencies: list[int], start: date | None, end: date | None, case_ids: Sequence[int]
) -> list[Case]:
    if case_ids:
        if len(case_ids) > MAX_CAMPAIGN_CASES:
            raise invalid("case_ids", "too_many", f"一次评查活动最多{MAX_CAMPAIGN_CASES}份案卷")
        found = []
        for i, case_id in enumerate(dict.fromkeys(case_ids)):
            found.append(_reviewable_case(by, case_id, f"case_ids[{i}]"))
        return found
    chosen = scope.cases(by).filter(agency_id__in=agencies, archived_at__isnull=False)
    if start:
        chosen = chosen.filter(archived_at__gte=datetime.combine(start, time.min, tzinfo=clock.SHANGHAI))
    if end:
        chosen = chosen.filter(archived_at__lte=datetime.combine(end, time.max, tzinfo=clock.SHANGHAI))
    found = list(chosen.order_by("archived_at", "id")[: MAX_CAMPAIGN_CASES + 1])
    if not found:
        raise invalid("period_from", "empty", "所选机关和期间内没有已归档的案卷")
    if len(found) > MAX_CAMPAIGN_CASES:
        raise invalid(
            "period_from", "too_many", f"所选期间内已归档案卷超过{MAX_CAMPAIGN_CASES}份，请缩小期间"
        )
    return found

"""案卷评查 pages (Chinese): the list of reviews and campaigns (start one), a review with the automatic
items' evidence and the reviewer's scoring form per item (running total and rating, finalise), a
campaign, and the rates (优秀率, 合格率, average score). Every read goes through
:mod:`liuhen.filereview.selectors` (the one access layer); refusals are shown at their field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liuhen.access import scope
from liuhen.accounts.roles import Permission
from liuhen.core.errors import DomainError, FieldError, NotFound, invalid
from liuhen.core.responses import file_response
from liuhen.core.tabular import export_format, tabular_response
from liuhen.filereview import reports, selectors, services
from liuhen.filereview.models import ReviewCampaign
from liuhen.filereview.tally import RATING_LABELS, RESULT_LABELS, latest_scores
from liuhen.rules.review_sheet import CATEGORIES
from liuhen.web.views.common import AuthedRequest, form_date, found


def _field_errors(error: DomainError | None) -> dict[str, str]:
    return {e.field: e.message for e in error.errors} if error else {}


def _export(request: AuthedRequest) -> str | None:
    try:
        return export_format(request.GET.get("format"))
    except DomainError:
        raise Http404("导出格式须为 csv 或 xlsx") from None


@login_required
@require_GET
def review_list(request: AuthedRequest) -> HttpResponseBase:
    return _list(request)


def _list(request: AuthedRequest, *, error: DomainError | None = None, form: str = "") -> HttpResponseBase:
    user = request.user
    fmt = _export(request)
    if fmt is not None:
        rows = (selectors.review_row(r) for r in selectors.review_list(user=user, limit=200))
        return tabular_response(fmt, stem="案卷评查", headers=selectors.REVIEW_HEADERS, rows=rows)
    before = _int(request.GET.get("before"))
    reviews = selectors.review_list(user=user, before=before)
    context = {
        "reviews": [(r, getattr(r, "finalisation", None)) for r in reviews],
        "next_before": reviews[-1].pk if len(reviews) == selectors.PAGE else None,
        "campaigns": selectors.campaign_list(user=user, limit=20),
        "may_manage": user.can(Permission.FILE_REVIEW_MANAGE),
        "agencies": scope.agencies(user).filter(pk__in=scope.visible_agency_ids(user)).order_by("pk"),
        "ratings": RATING_LABELS,
        "error": error,
        "error_form": form,
        "field_errors": _field_errors(error),
        "posted": request.POST if error else {},
    }
    return render(request, "web/filereview_list.html", context, status=error.status if error else 200)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def review_new(request: AuthedRequest) -> HttpResponseBase:
    case_no = request.POST.get("case_no", "").strip()
    try:
        if not case_no:
            raise invalid("case_no", "required", "请填写要评查的案号")
        case = scope.cases(request.user).filter(case_no=case_no).first()
        if case is None:
            raise NotFound(
                "案件不存在",
                errors=[FieldError("case_no", "not_found", "没有找到这个案号的案件，或无权评查")],
            )
        review = services.review_create(by=request.user, case_id=case.pk)
    except DomainError as exc:
        return _list(request, error=exc, form="new")
    messages.success(request, f"已开始评查 {case.case_no}，系统已自动评定可由记录判断的项目")
    return redirect("filereview:detail", review_id=review.pk)


@login_required
@require_POST
def campaign_new(request: AuthedRequest) -> HttpResponseBase:
    try:
        start = form_date(request.POST.get("period_from"), "period_from")
        end = form_date(request.POST.get("period_to"), "period_to")
        agency_ids = [int(a) for a in request.POST.getlist("agency_ids") if a.isdigit()]
        campaign = services.campaign_create(
            by=request.user,
            name=request.POST.get("name", ""),
            agency_ids=agency_ids,
            period_from=start,
            period_to=end,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        return _list(request, error=exc, form="campaign")
    messages.success(request, f"评查活动「{campaign.name}」已创建")
    return redirect("filereview:campaign", campaign_id=campaign.pk)


def _detail(
    request: AuthedRequest, review_id: int, *, error: DomainError | None = None, form: str = ""
) -> HttpResponseBase:
    user = request.user
    review = found(selectors.review_get, user=request.user, review_id=review_id)
    latest = latest_scores(review)
    final = selectors.finalisation_of(review)
    result = services.review_tally(review)
    posted = request.POST if error and form == "score" else {}
    rows = []
    for item in review.sheet:
        score = latest.get(item["id"])
        rows.append(
            {
                "item": item,
                "category": CATEGORIES[item["category"]],
                "score": score,
                "result_label": RESULT_LABELS[score.result] if score else "未评",
                # what the form shows: what was just posted (after an error), else the latest score
                "chosen": posted.get(f"result-{item['id']}", score.result if score else ""),
                "reason": posted.get(f"reason-{item['id']}", score.reason if score else ""),
                "deduction": posted.get(
                    f"deduction-{item['id']}", score.deduction if score and score.result == "fail" else ""
                ),
            }
        )
    context = {
        "review": review,
        "rows": rows,
        "final": final,
        "tally": result,
        "rating_label": RATING_LABELS[final.rating] if final else result.rating_label,
        "may_write": final is None
        and user.can(Permission.FILE_REVIEW_MANAGE)
        and user.agency_id == review.agency_id,
        "may_correct": final is not None
        and user.can(Permission.FILE_REVIEW_MANAGE)
        and user.agency_id == review.agency_id,
        "corrected_by": selectors.corrected_by(review, user),
        "results": RESULT_LABELS,
        "error": error,
        "error_form": form,
        "field_errors": _field_errors(error),
        "posted": request.POST if error else {},
    }
    return render(request, "web/filereview_detail.html", context, status=error.status if error else 200)


@login_required
@require_GET
def review_detail(request: AuthedRequest, review_id: int) -> HttpResponseBase:
    return _detail(request, review_id)


@login_required
@require_POST
def review_score(request: AuthedRequest, review_id: int) -> HttpResponseBase:
    """The form posts ``result-<item>``, ``reason-<item>`` and ``deduction-<item>`` per item; items whose
    result, reason or points changed are recorded (new rows)."""
    review = found(selectors.review_for_write, user=request.user, review_id=review_id)
    latest = latest_scores(review)
    specs = []
    try:
        for i, item in enumerate(review.sheet):
            result = request.POST.get(f"result-{item['id']}", "")
            if not result:
                continue
            reason = request.POST.get(f"reason-{item['id']}", "").strip()
            raw = request.POST.get(f"deduction-{item['id']}", "").strip()
            try:
                deduction = Decimal(raw) if raw else None
            except InvalidOperation:
                raise invalid(f"deduction-{item['id']}", "invalid", "扣分须为数字") from None
            before = latest.get(item["id"])
            unchanged = before is not None and before.result == result and reason in ("", before.reason)
            if unchanged and before is not None and deduction in (None, before.deduction):
                continue
            specs.append((i, item["id"], services.ScoreSpec(item["id"], result, reason, deduction)))
        services.review_score(review=review, by=request.user, scores=[s for _, _, s in specs])
    except DomainError as exc:
        exc.errors = [_on_page(e, [item_id for _, item_id, _ in specs]) for e in exc.errors]
        return _detail(request, review_id, error=exc, form="score")
    messages.success(request, f"已记录 {len(specs)} 项评分")
    return redirect("filereview:detail", review_id=review_id)


def _on_page(error: FieldError, item_ids: list[str]) -> FieldError:
    """``scores[n].reason`` → ``reason-<item id>``: the name of the input on the page."""
    if not error.field.startswith("scores[") or "]" not in error.field:
        return error
    n = int(error.field[7 : error.field.index("]")])
    name = error.field.rsplit(".", 1)[-1] if "." in error.field else "result"
    return replace(error, field=f"{name}-{item_ids[n]}") if n < len(item_ids) else error


@login_required
@require_POST
def review_finalise(request: AuthedRequest, review_id: int) -> HttpResponseBase:
    review = found(selectors.review_for_write, user=request.user, review_id=review_id)
    try:
        final = services.review_finalise(
            review=review, by=request.user, opinion=request.POST.get("opinion", "")
        )
    except DomainError as exc:
        return _detail(request, review_id, error=exc, form="finalise")
    messages.success(request, f"评查已定稿：{final.score} 分，{RATING_LABELS[final.rating]}")
    return redirect("filereview:detail", review_id=review_id)


@login_required
@require_POST
def review_correct(request: AuthedRequest, review_id: int) -> HttpResponseBase:
    review = found(selectors.review_for_write, user=request.user, review_id=review_id)
    try:
        correction = services.review_create(by=request.user, case_id=review.case_id, corrects=review)
    except DomainError as exc:
        return _detail(request, review_id, error=exc, form="correct")
    messages.success(request, "已新建更正评查，原评查保留不变")
    return redirect("filereview:detail", review_id=correction.pk)


@login_required
@require_GET
def review_report(request: AuthedRequest, review_id: int) -> HttpResponseBase:
    review = found(selectors.review_get, user=request.user, review_id=review_id)
    pdf = reports.review_report(review, user=request.user)
    return file_response(pdf, "application/pdf", f"案卷评查表-{review.case.case_no}.pdf")


def _campaign_or_404(request: AuthedRequest, campaign_id: int) -> ReviewCampaign:
    try:
        return selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
@require_GET
def campaign_detail(request: AuthedRequest, campaign_id: int) -> HttpResponseBase:
    campaign = _campaign_or_404(request, campaign_id)
    reviews = list(selectors.campaign_reviews(user=request.user, campaign=campaign))
    fmt = _export(request)
    if fmt is not None:
        rows = (selectors.review_row(r) for r in reviews)
        return tabular_response(fmt, stem="评查活动案卷", headers=selectors.REVIEW_HEADERS, rows=rows)
    finals = [getattr(r, "finalisation", None) for r in reviews]
    context = {
        "campaign": campaign,
        "reviews": list(zip(reviews, finals, strict=True)),
        "done": sum(f is not None for f in finals),
        "ratings": RATING_LABELS,
    }
    return render(request, "web/filereview_campaign.html", context)


@login_required
@require_GET
def campaign_report(request: AuthedRequest, campaign_id: int) -> HttpResponseBase:
    campaign = _campaign_or_404(request, campaign_id)
    pdf = reports.campaign_report(campaign, user=request.user)
    return file_response(pdf, "application/pdf", f"案卷评查报告-{campaign.pk}.pdf")


@login_required
@require_GET
def rates(request: AuthedRequest) -> HttpResponseBase:
    errors: dict[str, str] = {}
    values: dict[str, date | None] = {}
    for field in ("period_from", "period_to"):
        try:
            values[field] = form_date(request.GET.get(field), field)
        except DomainError as exc:
            errors[field] = exc.errors[0].message
            values[field] = None
    agencies, units = selectors.rates(user=request.user, start=values["period_from"], end=values["period_to"])
    fmt = _export(request)
    if fmt is not None:
        rows = selectors.rate_rows(agencies, units)
        return tabular_response(fmt, stem="案卷评查统计", headers=selectors.RATE_HEADERS, rows=rows)
    context = {"agencies": agencies, "units": units, "field_errors": errors, "query": request.GET}
    return render(request, "web/filereview_rates.html", context)

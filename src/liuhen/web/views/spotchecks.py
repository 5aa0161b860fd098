"""抽查 pages (Chinese): the checks and the announce form, a check (its draw with the checkpoint and the
seed, the sample, each case's checklist with the system's suggestion and evidence, the judgement forms
and rectifications), the check register (filters, CSV/Excel/PDF), the annual assessment, and a
rectification's page for its addressee. Every read goes through :mod:`liuhen.spotchecks.selectors`
(the one access layer); refusals are shown at their field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liuhen.access import scope, scope_spotchecks
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.roles import Permission
from liuhen.core import clock
from liuhen.core.errors import DomainError, NotFound, invalid
from liuhen.core.responses import file_response
from liuhen.core.stages import PROCEDURE_LABELS
from liuhen.core.tabular import export_format, tabular_response
from liuhen.spotchecks import exports, selectors, services
from liuhen.spotchecks.models import SpotCheck
from liuhen.spotchecks.outputs import case_url, rectification_out
from liuhen.web.views.common import AuthedRequest, form_date, found


def _field_errors(error: DomainError | None) -> dict[str, str]:
    return {e.field: e.message for e in error.errors} if error else {}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _targets(user: User) -> list:
    """The agencies the user may check: the own agency and, for a supervisor, those it supervises."""
    if not scope_spotchecks.runs_spot_checks(user) or user.agency is None:
        return []
    agencies = scope.agencies(user).order_by("pk")
    if user.agency.kind == Agency.Kind.SUPERVISION:  # a bureau checks the agencies it supervises
        agencies = agencies.exclude(pk=user.agency.pk)
    return list(agencies)


# --- the list and the announce form ---------------------------------------------------------------


@login_required
@require_GET
def check_list(request: AuthedRequest) -> HttpResponse:
    return _list(request)


def _list(request: AuthedRequest, *, error: DomainError | None = None) -> HttpResponse:
    user = request.user
    before = _int(request.GET.get("before"))
    qs = selectors.check_list(user=user)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    checks = list(qs[:50])
    today = clock.now().astimezone(clock.SHANGHAI).date()
    own_units = OrgUnit.objects.filter(agency_id=user.agency_id).order_by("id") if user.agency_id else []
    context = {
        "checks": checks,
        "next_before": checks[-1].pk if len(checks) == 50 else None,
        "may_manage": scope_spotchecks.runs_spot_checks(user),
        "targets": _targets(user),
        "units": own_units,
        "procedures": PROCEDURE_LABELS,
        "whats": SpotCheck.What.choices,
        "bases": SpotCheck.PeriodBasis.choices,
        "error": error,
        "field_errors": _field_errors(error),
        "posted": request.POST
        if error
        else {"period_to": today.isoformat(), "what": "both", "sample_size": "5"},
    }
    return render(request, "web/spotchecks_list.html", context, status=error.status if error else 200)


@login_required
@require_POST
def check_announce(request: AuthedRequest) -> HttpResponse:
    post = request.POST
    try:
        start = form_date(post.get("period_from"), "period_from")
        end = form_date(post.get("period_to"), "period_to")
        if start is None:
            raise invalid("period_from", "required", "请填写起始日期")
        if end is None:
            raise invalid("period_to", "required", "请填写截止日期")
        size = _int(post.get("sample_size"))
        if size is None:
            raise invalid("sample_size", "required", "请填写抽查数量")
        check = services.spot_check_announce(
            by=request.user,
            announcement=services.Announcement(
                title=post.get("title", ""),
                period_basis=post.get("period_basis", "opened"),
                period_from=start,
                period_to=end,
                sample_size=size,
                what=post.get("what", "both"),
                target_agency_id=_int(post.get("target_agency_id")),
                unit_ids=[int(u) for u in post.getlist("unit_ids") if u.isdigit()],
                procedures=post.getlist("procedures"),
            ),
        )
    except DomainError as exc:
        return _list(request, error=exc)
    messages.success(request, f"已公布抽查 {check.number}，请在日志签署新的检查点后抽签")
    return redirect("spotchecks:detail", check_id=check.pk)


# --- one check -------------------------------------------------------------------------------------


@login_required
@require_GET
def check_detail(request: AuthedRequest, check_id: int) -> HttpResponse:
    return _detail(request, check_id)


def _detail(
    request: AuthedRequest, check_id: int, *, error: DomainError | None = None, form: str = ""
) -> HttpResponse:
    user = request.user
    check = found(selectors.check_get, user=request.user, check_id=check_id)
    drawn = getattr(check, "draw", None)
    items = services.checklist(check)
    sheets = [selectors.sample_sheet(s, items) for s in selectors.samples_of(check)] if drawn else []
    may_change = scope_spotchecks.spot_checks(user, "change").filter(pk=check.pk).exists()
    sampled = [sheet.sample.case_id for sheet in sheets]
    seen = set(scope.cases(user).filter(pk__in=sampled).values_list("pk", flat=True))
    for sheet in sheets:
        sheet.case_visible = sheet.sample.case_id in seen  # type: ignore[attr-defined]
    kind, _, rest = form.partition("-")
    sample_id, _, item_id = rest.partition("-")
    context = {
        "error_kind": kind,
        "error_sample": _int(sample_id),
        "error_item": item_id,
        "check": check,
        "drawn": drawn,
        "announcement_index": services.announcement_entry(check).index,
        "scope_text": services.scope_text(check),
        "items": items,
        "sheets": sheets,
        "may_change": may_change,
        "verdicts": services.VERDICTS,
        "units": OrgUnit.objects.filter(agency_id=check.target_agency_id).order_by("id"),
        "case_url": case_url,
        "error": error,
        "error_form": form,
        "field_errors": _field_errors(error),
        "posted": request.POST if error else {},
    }
    return render(request, "web/spotchecks_detail.html", context, status=error.status if error else 200)


@login_required
@require_POST
def check_draw(request: AuthedRequest, check_id: int) -> HttpResponse:
    check = found(selectors.check_for_change, user=request.user, check_id=check_id)
    try:
        services.spot_check_draw(check=check, by=request.user)
    except DomainError as exc:
        return _detail(request, check_id, error=exc, form="draw")
    messages.success(request, f"{check.number} 已抽签")
    return redirect("spotchecks:detail", check_id=check.pk)


@login_required
@require_POST
def check_judge(request: AuthedRequest, check_id: int) -> HttpResponse:
    check = found(selectors.check_for_change, user=request.user, check_id=check_id)
    post = request.POST
    form = f"judge-{post.get('sample_id')}-{post.get('item_id')}"
    try:
        sample = selectors.sample_get(
            user=request.user, check=check, sample_id=_int(post.get("sample_id")) or 0
        )
        _, suggestion = selectors.suggestion_for(sample, post.get("item_id", ""))
        services.spot_check_judge(
            sample=sample,
            item_id=post.get("item_id", ""),
            by=request.user,
            verdict=post.get("verdict", ""),
            remark=post.get("remark", ""),
            suggestion=suggestion,
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return _detail(request, check_id, error=exc, form=form)
    messages.success(request, "已记录检查结论")
    return redirect(f"{_detail_url(check)}#sample-{sample.pk}")


def _detail_url(check: SpotCheck) -> str:
    from django.urls import reverse

    return reverse("spotchecks:detail", args=[check.pk])


@login_required
@require_POST
def check_rectify(request: AuthedRequest, check_id: int) -> HttpResponse:
    check = found(selectors.check_for_change, user=request.user, check_id=check_id)
    post = request.POST
    form = f"rectify-{post.get('sample_id')}-{post.get('item_id')}"
    try:
        sample = selectors.sample_get(
            user=request.user, check=check, sample_id=_int(post.get("sample_id")) or 0
        )
        row = services.rectification_issue(
            sample=sample,
            item_id=post.get("item_id", ""),
            by=request.user,
            requirement=post.get("requirement", ""),
            unit_id=_int(post.get("unit_id")),
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return _detail(request, check_id, error=exc, form=form)
    messages.success(request, f"已发出整改通知 {row.number}，整改期限 {row.due_on:%Y-%m-%d}")
    return redirect("spotchecks:rectification", rectification_id=row.pk)


# --- the register and the assessment ---------------------------------------------------------------


def _register_filters(request: AuthedRequest) -> selectors.RegisterFilters:
    g = request.GET
    return selectors.RegisterFilters(
        period_from=form_date(g.get("from"), "from"),
        period_to=form_date(g.get("to"), "to"),
        unit_id=_int(g.get("unit")),
        officer_id=_int(g.get("officer")),
        result=g.get("result", ""),
        rectification=g.get("rectification", ""),
        check_id=_int(g.get("check")),
    )


@login_required
@require_GET
def register(request: AuthedRequest) -> HttpResponseBase:
    user = request.user
    error: DomainError | None = None
    rows: list = []
    next_before = None
    try:
        fmt = export_format(request.GET.get("format"))
        filters = _register_filters(request)
        if fmt is not None:
            iterator = selectors.register_iter(user=user, filters=filters)
            return tabular_response(
                fmt, stem=exports.REGISTER_STEM, headers=selectors.REGISTER_HEADERS, rows=iterator
            )
        found = list(
            selectors.register_rows(user=user, filters=filters, before=_int(request.GET.get("before")))[:100]
        )
        today = clock.now().astimezone(clock.SHANGHAI).date()
        rows = [(r, selectors.register_cells(r, today), selectors.register_state(r, today)) for r in found]
        next_before = found[-1].pk if len(found) == 100 else None
    except DomainError as exc:
        error = exc
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("format", None)
    context = {
        "rows": rows,
        "next_before": next_before,
        "query": query.urlencode(),
        "g": request.GET,
        "units": OrgUnit.objects.filter(agency_id__in=scope.visible_agency_ids(user)).order_by(
            "agency_id", "id"
        )
        if user.can(Permission.SUPERVISION_VIEW)
        else [],
        "officers": _officers(user),
        "results": services.VERDICTS,
        "rect_states": selectors.RECT_STATES,
        "error": error,
        "field_errors": _field_errors(error),
        "case_url": case_url,
    }
    return render(request, "web/spotchecks_register.html", context, status=error.status if error else 200)


def _officers(user: User) -> list[User]:
    if not user.can(Permission.SUPERVISION_VIEW):
        return []
    handlers = scope_spotchecks.spot_check_samples(user).values("case__handler_id")
    return list(User.objects.filter(pk__in=handlers).order_by("id")[:500])


@login_required
@require_GET
def register_pdf(request: AuthedRequest) -> HttpResponse:
    try:
        filters = _register_filters(request)
        pdf = exports.register_pdf(user=request.user, filters=filters)
    except DomainError as exc:
        raise Http404(exc.message) from None
    return file_response(pdf, "application/pdf", f"{exports.REGISTER_STEM}.pdf")


@login_required
@require_GET
def assessment(request: AuthedRequest) -> HttpResponseBase:
    user = request.user
    this_year = clock.now().astimezone(clock.SHANGHAI).year
    year = _int(request.GET.get("year")) or this_year
    fmt_raw = request.GET.get("format")
    try:
        found = selectors.assessment(user=user, year=year)
        if fmt_raw == "pdf":
            return file_response(
                exports.assessment_pdf(user=user, found=found),
                "application/pdf",
                f"{year}年{exports.ASSESSMENT_STEM}.pdf",
            )
        fmt = export_format(fmt_raw)
    except DomainError as exc:
        return render(
            request,
            "web/spotchecks_assessment.html",
            {
                "error": exc,
                "field_errors": _field_errors(exc),
                "year": year,
                "years": range(this_year, this_year - 6, -1),
            },
            status=exc.status,
        )
    if fmt is not None:
        return tabular_response(
            fmt,
            stem=f"{year}年{exports.ASSESSMENT_STEM}",
            headers=exports.ASSESSMENT_HEADERS,
            rows=exports.assessment_rows(found),
        )
    context = {
        "found": found,
        "year": year,
        "years": range(this_year, this_year - 6, -1),
        "headers": selectors.ASSESSMENT_HEADERS,
        "units": [list(zip(selectors.ASSESSMENT_HEADERS, t.cells(), strict=True)) for t in found.units],
        "officers": [list(zip(selectors.ASSESSMENT_HEADERS, t.cells(), strict=True)) for t in found.officers],
        "total": list(zip(selectors.ASSESSMENT_HEADERS, found.total.cells(), strict=True)),
    }
    return render(request, "web/spotchecks_assessment.html", context)


# --- rectifications --------------------------------------------------------------------------------


@login_required
@require_GET
def rectification_list(request: AuthedRequest) -> HttpResponse:
    today = clock.now().astimezone(clock.SHANGHAI).date()
    rows = [
        (r, state, selectors.rectification_is_overdue(r, state, today))
        for r, state in selectors.addressed_open(user=request.user)
    ]
    return render(
        request, "web/spotchecks_rectifications.html", {"rows": rows, "labels": services.STATE_LABELS}
    )


@login_required
@require_GET
def rectification_detail(request: AuthedRequest, rectification_id: int) -> HttpResponse:
    return _rectification(request, rectification_id)


def _rectification(
    request: AuthedRequest, rectification_id: int, *, error: DomainError | None = None, form: str = ""
) -> HttpResponse:
    user = request.user
    r = found(selectors.rectification_get, user=user, rectification_id=rectification_id)
    out = rectification_out(r)
    context = {
        "r": r,
        "out": out,
        "is_addressee": scope_spotchecks.rectifications_addressed(user).filter(pk=r.pk).exists(),
        "may_review": scope_spotchecks.spot_checks(user, "change").filter(pk=r.check_ref_id).exists(),
        "check_visible": scope_spotchecks.spot_checks(user).filter(pk=r.check_ref_id).exists(),
        "error": error,
        "error_form": form,
        "field_errors": _field_errors(error),
        "posted": request.POST if error else {},
    }
    return render(
        request, "web/spotchecks_rectification.html", context, status=error.status if error else 200
    )


@login_required
@require_POST
def rectification_respond(request: AuthedRequest, rectification_id: int) -> HttpResponse:
    r = found(selectors.rectification_to_answer, user=request.user, rectification_id=rectification_id)
    try:
        services.rectification_respond(rectification=r, by=request.user, text=request.POST.get("text", ""))
    except DomainError as exc:
        return _rectification(request, rectification_id, error=exc, form="respond")
    messages.success(request, "已报告整改情况，等待复核")
    return redirect("spotchecks:rectification", rectification_id=r.pk)


@login_required
@require_POST
def rectification_review(request: AuthedRequest, rectification_id: int) -> HttpResponse:
    r = found(selectors.rectification_for_change, user=request.user, rectification_id=rectification_id)
    closed = request.POST.get("closed") == "1"
    try:
        services.rectification_review(
            rectification=r, by=request.user, closed=closed, remark=request.POST.get("remark", "")
        )
    except DomainError as exc:
        return _rectification(request, rectification_id, error=exc, form="review")
    messages.success(request, "整改已办结" if closed else "已退回重新整改")
    return redirect("spotchecks:rectification", rectification_id=r.pk)

"""执法公示 (issue #14): the list of decisions with their publication deadlines (Beijing dates, overdue
first and highlighted), the forms to record a publication and to take one down, the list's CSV/XLSX
export and the 双公示 export. Readers: ``supervision.view`` / ``publication.manage`` holders (403 for
everyone else, before anything is read); the forms for ``publication.manage`` holders of the agency.
A bad value is shown at its field, in Chinese, with a 422."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liuhen.access import scope
from liuhen.accounts.roles import Permission
from liuhen.core.errors import DomainError, NotFound, ValidationFailed
from liuhen.core.errors import PermissionDenied as DomainPermissionDenied
from liuhen.core.tabular import export_format, tabular_response
from liuhen.publication import selectors, services, shuanggongshi
from liuhen.publication.clock import STATES, today
from liuhen.publication.models import Channel
from liuhen.publication.policy import agency_policy
from liuhen.web.views.common import AuthedRequest

PER_PAGE = 50
STEM = "执法公示"


def _require_reader(request: AuthedRequest) -> None:
    user = request.user
    if not (user.can(Permission.SUPERVISION_VIEW) or user.can(Permission.PUBLICATION_MANAGE)):
        raise PermissionDenied("您的角色无权查看执法公示")


@login_required
@require_GET
def publication_list(request: AuthedRequest) -> HttpResponseBase:
    _require_reader(request)
    try:
        filters = selectors.parse_filters(request.user, request.GET)
        fmt = export_format(request.GET.get("format"))
    except ValidationFailed as exc:
        return _render(request, selectors.ListFilters(), errors=_errors(exc), status=422)
    if fmt is not None:
        rows = selectors.count(user=request.user, filters=filters)
        services.export_record(user=request.user, what="list", fmt=fmt, filters=filters.as_query(), rows=rows)
        cells = selectors.export_rows(user=request.user, filters=filters)
        return tabular_response(fmt, stem=STEM, headers=selectors.EXPORT_HEADERS, rows=cells)
    return _render(request, filters)


def _errors(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors} or {"general": exc.message}


def _render(
    request: AuthedRequest,
    filters: selectors.ListFilters,
    *,
    errors: dict[str, str] | None = None,
    form_errors: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    cursor = request.GET.get("cursor", "")
    try:
        page = selectors.publication_page(user=user, filters=filters, cursor=cursor, limit=PER_PAGE)
    except ValidationFailed as exc:
        errors = {**(errors or {}), **_errors(exc)}
        page = selectors.publication_page(user=user, filters=filters, limit=PER_PAGE)
        status = 422
    query = filters.as_query()
    policy = (
        agency_policy(user.agency) if user.agency is not None and user.agency.kind == "enforcement" else None
    )
    manages = user.can(Permission.PUBLICATION_MANAGE)
    context = {
        "rows": page.rows,
        "next_query": urlencode({**query, "cursor": page.next_cursor}) if page.next_cursor else "",
        "first_query": urlencode(query),
        "paged": bool(cursor),
        "csv_query": urlencode({**query, "format": "csv"}),
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
        "posted": request.GET if errors else query,
        "errors": errors or {},
        "form_errors": form_errors or {},
        "states": list(STATES.items()),
        "channels": Channel.choices,
        "agencies": list(scope.agencies(user).order_by("name"))
        if len(scope.visible_agency_ids(user)) > 1
        else [],
        "manages": manages,
        "own_agency": user.agency_id,
        "policy": policy,
        "today": today(),
        "overdue": sum(1 for r in page.rows if r.state == "overdue"),
    }
    return render(request, "web/publication_list.html", context, status=status)


def _back(request: AuthedRequest, anchor: str) -> HttpResponse:
    """Back to the list the form was sent from (its filters kept), at the decision's row."""
    sent_from = urlsplit(request.POST.get("next", ""))
    query = f"?{sent_from.query}" if sent_from.path == "/publications/" and sent_from.query else ""
    return redirect(f"/publications/{query}#{anchor}")


@login_required
@require_POST
def publication_record(request: AuthedRequest) -> HttpResponse:
    """Record a publication of the decision named by the form; errors at the row's fields."""
    raw_id = request.POST.get("document_id", "")
    if not raw_id.isdigit() or not 0 < int(raw_id) < 2**63:
        raise Http404("文书不存在")
    document_id = int(raw_id)
    form = {"channel": request.POST.get("channel", ""), "reference": request.POST.get("reference", "")}
    form["published_on"] = request.POST.get("published_on", "")
    errors: dict[str, str] = {}
    published_on = _date(form["published_on"], "published_on", errors)
    try:
        if published_on is None:
            services.visible_clock(request.user, document_id)  # out of scope: 404 before the form
            services.require_manager(request.user)
            raise ValidationFailed("参数有误")
        facts = services.PublicationFacts(document_id, form["channel"], published_on, form["reference"])
        services.publication_record(by=request.user, facts=facts)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        errors.update({e.field: e.message for e in exc.errors})
        if not errors:
            errors["general"] = exc.message
        return _render(
            request,
            selectors.ListFilters(),
            form_errors={"record": document_id, "values": form, "errors": errors},
            status=422,
        )
    return _back(request, f"d{document_id}")


@login_required
@require_POST
def publication_withdraw(request: AuthedRequest, publication_id: int) -> HttpResponse:
    """Take a publication down, with the reason; errors at the row's fields."""
    form = {"reason": request.POST.get("reason", ""), "withdrawn_on": request.POST.get("withdrawn_on", "")}
    errors: dict[str, str] = {}
    withdrawn_on = _date(form["withdrawn_on"], "withdrawn_on", errors)
    try:
        services.require_manager(request.user)
        if withdrawn_on is None:
            raise ValidationFailed("参数有误")
        withdrawal = services.publication_withdraw(
            by=request.user, publication_id=publication_id, withdrawn_on=withdrawn_on, reason=form["reason"]
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        errors.update({e.field: e.message for e in exc.errors})
        if not errors:
            errors["general"] = exc.message
        return _render(
            request,
            selectors.ListFilters(),
            form_errors={"withdraw": publication_id, "values": form, "errors": errors},
            status=422,
        )
    return _back(request, f"d{withdrawal.publication.document_id}")


def _date(raw: str, field: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[field] = "请选择日期"
        return None


@login_required
@require_GET
def shuanggongshi_export(request: AuthedRequest) -> HttpResponseBase:
    """The 双公示 rows of a period as CSV or XLSX (recorded in the ledger); errors at the export form."""
    _require_reader(request)
    if not request.user.can(Permission.PUBLICATION_MANAGE):
        raise PermissionDenied("只有法制审核机构或机关负责人可以导出双公示数据")
    try:
        start, end = shuanggongshi.parse_period(request.GET)
        fmt = export_format(request.GET.get("format")) or "xlsx"
    except ValidationFailed as exc:
        errors = {f"sgs_{k}": v for k, v in _errors(exc).items()}
        return _render(request, selectors.ListFilters(), errors=errors, status=422)
    header = "zh" if request.GET.get("header") == "zh" else "code"
    count = shuanggongshi.selected(request.user, start, end).count()
    services.export_record(
        user=request.user,
        what="shuanggongshi",
        fmt=fmt,
        filters={"from": start.isoformat(), "to": end.isoformat(), "header": header},
        rows=count,
    )
    cells = shuanggongshi.rows(request.user, start, end)
    if header == "zh":
        cells = _with_first(shuanggongshi.LABELS, cells)
    return tabular_response(fmt, stem=shuanggongshi.STEM, headers=shuanggongshi.CODES, rows=cells)


def _with_first(first: tuple[str, ...], rest):  # type: ignore[no-untyped-def]
    yield first
    yield from rest

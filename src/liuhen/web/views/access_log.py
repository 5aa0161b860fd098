"""The access log page (访问日志, issue #13): the filter form, the rows newest first, the anomaly flags
and the CSV/XLSX export links, for ``access_log.view`` holders (403 for everyone else, before anything
is read). A bad filter is shown at its field; an export is recorded in the ledger before it is sent."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liuhen.access import scope
from liuhen.accesslog import export
from liuhen.accesslog.anomaly import access_anomalies, anomaly_period
from liuhen.accesslog.selectors import (
    KIND_LABELS,
    PURPOSE_LABELS,
    LogFilters,
    access_log_page,
    parse_filters,
)
from liuhen.accounts.roles import Permission
from liuhen.core import clock
from liuhen.core.errors import ValidationFailed
from liuhen.core.tabular import tabular_response
from liuhen.web.views.common import AuthedRequest, require_permission

PER_PAGE = 50
_PEOPLE_DAYS = 90  # the person filter offers whoever read something in the last 90 days


@login_required
@require_GET
def page(request: AuthedRequest) -> HttpResponseBase:
    require_permission(request, Permission.ACCESS_LOG_VIEW)
    try:
        filters = parse_filters(request.user, request.GET)
    except ValidationFailed as exc:
        return _render(request, LogFilters(), errors={e.field: e.message for e in exc.errors}, status=422)
    fmt = request.GET.get("format", "")
    if fmt:
        try:
            return _export(request, filters, fmt)
        except ValidationFailed as exc:
            return _render(request, filters, errors={e.field: e.message for e in exc.errors}, status=422)
    return _render(request, filters)


def _export(request: AuthedRequest, filters: LogFilters, fmt: str) -> HttpResponseBase:
    export.access_log_export_record(user=request.user, filters=filters, fmt=fmt)
    rows = export.export_rows(user=request.user, filters=filters)
    return tabular_response(fmt, stem=export.STEM, headers=export.HEADERS, rows=rows)


def _page_number(request: AuthedRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10**9 else 1


def _render(
    request: AuthedRequest, filters: LogFilters, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    number = _page_number(request)
    found = access_log_page(user=user, filters=filters, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    query = filters.as_query()
    start, end = anomaly_period(filters)
    agencies = list(scope.agencies(user).order_by("name"))
    context = {
        "rows": found.rows,
        "total": found.total,
        "number": number,
        "pages": max(1, -(-found.total // PER_PAGE)),
        "query": urlencode(query),
        "posted": request.GET if errors else query,
        "errors": errors or {},
        "people": _people(request),
        "kinds": KIND_LABELS.items(),
        "purposes": PURPOSE_LABELS.items(),
        "agencies": agencies if len(agencies) > 1 else [],
        "anomalies": access_anomalies(user=user, filters=filters) if not errors else [],
        "anomaly_from": start,
        "anomaly_to": end,
        "csv_query": urlencode({**query, "format": "csv"}),
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
    }
    return render(request, "accesslog/page.html", context, status=status)


def _people(request: AuthedRequest) -> list[tuple[int, str]]:
    """Whoever read something lately in the visible log, for the person filter."""
    since = clock.now() - timedelta(days=_PEOPLE_DAYS)
    rows = (
        scope.access_log_entries(request.user)
        .filter(created_at__gte=since, actor__isnull=False)
        .order_by()
        .values_list("actor_id", "actor__full_name", "actor__username")
        .distinct()
    )
    return sorted(((pk, full or username) for pk, full, username in rows), key=lambda p: p[1])

"""The access log (issue #13): ``GET /api/access-log`` (the filtered read entries, newest first, paginated;
``?format=csv|xlsx`` the export, itself recorded in the ledger) and ``GET /api/access-log/anomalies``.
For ``access_log.view`` holders (the legal unit, the head; a justice bureau's supervisor for the agencies
it supervises); a bad filter is a 422 naming it."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema
from pydantic import Field

from liuhen.accesslog import export
from liuhen.accesslog.anomaly import access_anomalies
from liuhen.accesslog.selectors import LogFilters, access_log_page, parse_filters
from liuhen.accounts.roles import Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import MAX_BIGINT, MAX_PAGE
from liuhen.api.schemas import ERRORS_LIST
from liuhen.core.errors import PermissionDenied
from liuhen.core.tabular import tabular_response

router = Router(tags=["access_log 访问日志"])


class LogFilterIn(Schema):
    """The filters (all optional); read from the query as sent, so that every bad one is a 422 naming it."""

    person: str | None = Field(None, description="人员（用户编号）")
    case: str | None = Field(None, description="案件（编号或案件编号）")
    record_kind: str | None = Field(None, description="记录类别：case | document | media | party")
    record_id: str | None = Field(None, description="记录编号（与 record_kind 一起）")
    to: str | None = Field(
        None, description="截止日期（北京时间，含当日），如 2026-03-02；起始日期为参数 from"
    )
    purpose: str | None = Field(
        None, description="用途：viewed listed printed downloaded exported archiving copied released"
    )
    agency: str | None = Field(None, description="机关编号（司法局监督员选择所监督的机关）")


class PageIn(Schema):
    limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"每页条数（1–{MAX_PAGE}）")
    offset: int = Field(0, ge=0, le=MAX_BIGINT, description="跳过的条数")
    format: str | None = Field(None, description="导出格式：csv | xlsx（省略则返回 JSON）")


def _filters(request: AuthedRequest) -> LogFilters:
    if not request.user.can(Permission.ACCESS_LOG_VIEW):
        raise PermissionDenied("您的角色无权查看访问日志")
    return parse_filters(request.user, request.GET)


@router.get("/access-log", response={200: dict, **ERRORS_LIST}, summary="访问日志（查询、导出）")
def access_log(request: AuthedRequest, filters: Query[LogFilterIn], page: Query[PageIn]):
    parsed = _filters(request)
    if page.format is not None:
        return _export(request, parsed, page.format)
    found = access_log_page(user=request.user, filters=parsed, offset=page.offset, limit=page.limit)
    return {
        "count": found.total,
        "limit": found.limit,
        "offset": found.offset,
        "items": [row.as_json() for row in found.rows],
    }


def _export(request: AuthedRequest, filters: LogFilters, fmt: str) -> HttpResponseBase:
    export.access_log_export_record(user=request.user, filters=filters, fmt=fmt)
    rows = export.export_rows(user=request.user, filters=filters)
    return tabular_response(fmt, stem=export.STEM, headers=export.HEADERS, rows=rows)


@router.get("/access-log/anomalies", response={200: dict, **ERRORS_LIST}, summary="访问日志异常提示")
def anomalies(request: AuthedRequest, filters: Query[LogFilterIn]):
    """The flags of the period (``from``/``to``; the last 7 days if neither is given)."""
    found = access_anomalies(user=request.user, filters=_filters(request))
    return {"count": len(found), "items": [a.as_json() for a in found]}

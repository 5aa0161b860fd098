"""API of issue #14: publication deadlines (执法公示) and the 双公示 export.

* ``GET /api/publications`` — the decisions to publish with their deadlines and states, overdue and
  soonest-due first, filtered (``state``, ``agency``, ``from``/``to`` decision dates), in keyset pages
  (``cursor`` from ``next_cursor``); ``?format=csv|xlsx`` exports the whole filtered list (recorded in
  the ledger). For ``supervision.view`` / ``publication.manage`` holders; everyone else a 403.
* ``POST /api/publications`` — record a decision's publication (``publication.manage``, own agency).
* ``POST /api/publications/{id}/withdrawals`` — take a publication down, with the reason.
* ``GET /api/publications/shuanggongshi?from=&to=&format=csv|xlsx`` — the 双公示 administrative-penalty
  rows of the period (column codes; ``header=zh`` adds the Chinese names as a second header row),
  the export recorded in the ledger with its number of rows.

Errors in the one shape; a bad filter or field is a 422 naming it.
"""

from __future__ import annotations

from datetime import date

from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema, Status

from liuhen.accounts.roles import Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_WRITE
from liuhen.core.errors import PermissionDenied
from liuhen.core.tabular import export_format, tabular_response
from liuhen.publication import selectors, services, shuanggongshi

router = Router(tags=["publications 执法公示"])
STEM = "执法公示"


def _reader(request: AuthedRequest) -> None:
    user = request.user
    if not (user.can(Permission.SUPERVISION_VIEW) or user.can(Permission.PUBLICATION_MANAGE)):
        raise PermissionDenied("您的角色无权查看执法公示")


class ListIn(Schema):
    state: str | None = Field(
        None,
        description="pending 待公示 / overdue 逾期未公示 / published 已公示 / "
        "late 逾期公示 / withdrawn 已撤下",
    )
    agency: str | None = Field(None, description="机关编号（司法局监督员选择所监督的机关）")
    to: str | None = Field(None, description="决定日期截止（含），如 2026-03-02；起始为参数 from")
    cursor: str = Field("", description="下一页：上一页返回的 next_cursor")
    limit: int = Field(50, ge=1, le=selectors.MAX_LIMIT, description="每页条数")
    format: str | None = Field(None, description="导出格式：csv | xlsx（省略则返回 JSON）")


@router.get("/publications", response={200: dict, **ERRORS_LIST}, summary="执法公示：决定与公示期限")
def publication_list(request: AuthedRequest, query: Query[ListIn]):
    _reader(request)
    filters = selectors.parse_filters(request.user, request.GET)
    fmt = export_format(query.format)
    if fmt is not None:
        return _export_list(request, filters, fmt)
    page = selectors.publication_page(
        user=request.user, filters=filters, cursor=query.cursor, limit=query.limit
    )
    return {
        "items": [row.as_json() for row in page.rows],
        "next_cursor": page.next_cursor,
        "limit": query.limit,
    }


def _export_list(request: AuthedRequest, filters: selectors.ListFilters, fmt: str) -> HttpResponseBase:
    rows = selectors.count(user=request.user, filters=filters)
    services.export_record(user=request.user, what="list", fmt=fmt, filters=filters.as_query(), rows=rows)
    cells = selectors.export_rows(user=request.user, filters=filters)
    return tabular_response(fmt, stem=STEM, headers=selectors.EXPORT_HEADERS, rows=cells)


class RecordIn(Schema):
    document_id: Id = Field(description="决定书（文书）编号")
    channel: str = Field(description="portal 门户网站 / credit 信用平台 / other 其他")
    published_on: date = Field(description="公示日期（北京时间）")
    reference: str = Field(max_length=500, description="公示网址或文号")
    note: str = Field("", max_length=500)


@router.post("/publications", response={201: dict, **ERRORS_WRITE}, summary="登记决定的公示")
def publication_record(request: AuthedRequest, body: RecordIn):
    facts = services.PublicationFacts(**body.dict())
    services.publication_record(by=request.user, facts=facts)
    row = services.visible_clock(request.user, body.document_id)
    return Status(201, _one(request, row))


def _one(request: AuthedRequest, row: object) -> dict:
    from liuhen.publication.clock import today

    selectors._attach_publications([row])  # type: ignore[list-item]
    return selectors._rows([row], today())[0].as_json()  # type: ignore[list-item]


class WithdrawIn(Schema):
    withdrawn_on: date = Field(description="撤下日期（北京时间）")
    reason: str = Field(max_length=2000, description="理由：决定被撤销、变更、更正等")


@router.post(
    "/publications/{publication_id}/withdrawals",
    response={201: dict, **ERRORS_WRITE},
    summary="撤下公示（新增一条撤下记录）",
)
def publication_withdraw(request: AuthedRequest, publication_id: Id, body: WithdrawIn):
    withdrawal = services.publication_withdraw(
        by=request.user, publication_id=publication_id, withdrawn_on=body.withdrawn_on, reason=body.reason
    )
    row = services.visible_clock(request.user, withdrawal.publication.document_id)
    return Status(201, _one(request, row))


class ExportIn(Schema):
    to: str | None = Field(None, description="决定日期截止（含）；起始为参数 from（必填）")
    format: str | None = Field(None, description="csv | xlsx（必填）")
    header: str = Field("code", description="code：字段代码表头；zh：另加一行中文表头")


@router.get(
    "/publications/shuanggongshi",
    response={200: dict, **ERRORS_LIST},
    summary="双公示行政处罚数据导出（CSV / XLSX）",
)
def shuanggongshi_export(request: AuthedRequest, query: Query[ExportIn]):
    shuanggongshi.require_exporter(request.user)
    return _export_sgs(request, query)


def _export_sgs(request: AuthedRequest, query: ExportIn) -> HttpResponseBase:
    from liuhen.core.errors import invalid

    start, end = shuanggongshi.parse_period(request.GET)
    fmt = export_format(query.format)
    if fmt is None:
        raise invalid("format", "required", "请选择导出格式：csv 或 xlsx")
    if query.header not in ("code", "zh"):
        raise invalid("header", "invalid", "表头须为 code 或 zh")
    count = shuanggongshi.selected(request.user, start, end).count()
    services.export_record(
        user=request.user,
        what="shuanggongshi",
        fmt=fmt,
        filters={"from": start.isoformat(), "to": end.isoformat(), "header": query.header},
        rows=count,
    )
    cells = shuanggongshi.rows(request.user, start, end)
    if query.header == "zh":
        cells = _with_first(shuanggongshi.LABELS, cells)
    return tabular_response(fmt, stem=shuanggongshi.STEM, headers=shuanggongshi.CODES, rows=cells)


def _with_first(first: tuple[str, ...], rest):  # type: ignore[no-untyped-def]
    yield first
    yield from rest

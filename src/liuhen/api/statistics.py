"""API of issue #14: Statistics: the dashboard's figures, the 统计年报 tables, the cases behind any
number (drill-down) and the printable report — for ``supervision.view`` holders (the legal unit, the
head; a justice bureau's supervisor for the agencies it supervises). Every table exports with
``?format=csv|xlsx&table=…``; a bad date or filter is a 422 naming it."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from ninja import Query, Router, Schema
from pydantic import Field

from liuhen.api.auth import AuthedRequest
from liuhen.api.schemas import ERRORS_LIST
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.core.responses import file_response
from liuhen.core.tabular import export_format, tabular_response
from liuhen.stats import drill as drill_rows
from liuhen.stats.annual import annual_report, parse_annual
from liuhen.stats.report import statistics_pdf
from liuhen.stats.selectors import dashboard, drill_page, figure_label, parse_drill, parse_period, value_label
from liuhen.stats.tables import Table, annual_tables, dashboard_tables, pick

router = Router(tags=["statistics 执法统计"])

PDF_RESPONSE = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


class PeriodIn(Schema):
    """Read from the query as sent (``from`` is a Python keyword), so every bad one is a 422 naming it."""

    to: str | None = Field(
        None, description="截止日期（北京时间，含当日），如 2026-11-30；起始日期为参数 from"
    )
    agency: str | None = Field(None, description="机关代码（省略：可查看的全部机关）")
    unit: str | None = Field(None, description="科室编号（0：未分配科室）")


class ExportIn(Schema):
    format: str | None = Field(None, description="导出格式：csv | xlsx（省略则返回 JSON）")
    table: str | None = Field(None, description="导出哪一张表（见各接口说明）")


def _export(fmt: str | None, tables: list[Table], name: str | None) -> HttpResponseBase | None:
    if fmt is None:
        return None
    table = pick(tables, name)
    return tabular_response(fmt, stem=table.title, headers=table.headers, rows=table.rows)


@router.get("/statistics/dashboard", response={200: dict, **ERRORS_LIST}, summary="执法统计总览")
def statistics_dashboard(request: AuthedRequest, period: Query[PeriodIn], export: Query[ExportIn]):
    """Cases by stage, procedure, initiation kind and cause (totals and by month of opening), and
    recording compliance (cases with each problem, by agency, unit, officer and device, by month).
    Tables: stage, procedure, initiation, cause, monthly, compliance, compliance_monthly,
    compliance_by_agency, compliance_by_unit, compliance_by_officer, compliance_by_device."""
    fmt = export_format(export.format)
    data = dashboard(user=request.user, period=parse_period(request.user, request.GET))
    return _export(fmt, dashboard_tables(data), export.table) or data


class YearIn(Schema):
    year: str | None = Field(None, description="年度，如 2026（省略：本年）")
    agency: str | None = Field(None, description="机关代码（省略：可查看的全部机关）")


@router.get("/statistics/annual-report", response={200: dict, **ERRORS_LIST}, summary="统计年报")
def statistics_annual(request: AuthedRequest, year: Query[YearIn], export: Query[ExportIn]):
    """Administrative penalties in the 12 categories (a combined penalty counted once, under its
    heaviest kind), 罚没金额, 许可/强制/检查, 持证率. Tables: penalties, acts, by_agency."""
    fmt = export_format(export.format)
    data = annual_report(user=request.user, ask=parse_annual(request.user, request.GET))
    return _export(fmt, annual_tables(data), export.table) or data


class DrillIn(Schema):
    figure: str = Field(
        description="统计项：stage procedure initiation cause；合规项如 upload_late（按人员 upload_late:officer、按设备 upload_late:device）；年报项 penalty inspection coercive_measure coercive_execution"
    )
    value: str | None = Field(
        None, description="统计值（如 stage 的 investigation，penalty 的 fine；合规项为空）"
    )
    after: str | None = Field(None, description="翻页：上一页返回的 next_after")
    limit: str | None = Field(None, description="每页条数（1–200，默认 50）")
    format: str | None = Field(None, description="导出格式：csv | xlsx")


@router.get("/statistics/cases", response={200: dict, **ERRORS_LIST}, summary="统计数字对应的案件")
def statistics_cases(request: AuthedRequest, period: Query[PeriodIn], ask: Query[DrillIn]):
    """The cases behind one number of the dashboard or the 年报, newest first (keyset pages).
    ``count`` equals the number shown; ``listed`` is how many of them the user may open (a
    confidential case is counted, not listed, for who may not see it)."""
    fmt = export_format(ask.format)
    drill = parse_drill(request.user, request.GET)
    if fmt is not None:
        rows = drill_rows.export_rows(user=request.user, drill=drill)
        return tabular_response(fmt, stem=drill_rows.STEM, headers=drill_rows.HEADERS, rows=rows)
    page = drill_page(user=request.user, drill=drill)
    return {
        "figure": drill.dimension,
        "figure_label": figure_label(drill.dimension),
        "value": drill.value,
        "value_label": value_label(drill.dimension, drill.value),
        "period": {"from": drill.period.start.isoformat(), "to": drill.period.end.isoformat()},
        "count": page.count,
        "listed": page.listed,
        "next_after": page.next_after,
        "items": [drill_rows.case_json(c) for c in page.cases],
    }


@router.get(
    "/statistics/report.pdf",
    response={200: None, **ERRORS_LIST},
    summary="执法统计报告（PDF）",
    openapi_extra={"responses": {200: {"description": "PDF/A-3b", **PDF_RESPONSE}}},
)
def statistics_report(request: AuthedRequest, period: Query[PeriodIn]):
    """The dashboard's tables for the period and the 年报 of its last year, as a printable PDF/A."""
    pdf = statistics_pdf(user=request.user, period=parse_period(request.user, request.GET))
    stamp = clock.now().astimezone(SHANGHAI)
    return file_response(pdf, "application/pdf", f"执法统计报告-{stamp:%Y%m%d-%H%M%S}.pdf")

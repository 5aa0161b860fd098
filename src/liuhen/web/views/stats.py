"""Statistics pages (issue #14): the dashboard (charts and tables, every number a link to its cases),
the 统计年报, the drill-down list and the printable report, for ``supervision.view`` holders (403 for
everyone else, before anything is read). A bad filter is shown at its field; every table exports."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from liuhen.accounts.roles import Permission
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.core.errors import ValidationFailed
from liuhen.core.responses import file_response
from liuhen.core.tabular import export_format, tabular_response
from liuhen.stats import drill as drill_rows
from liuhen.stats.annual import annual_report, parse_annual
from liuhen.stats.figures import COMPLIANCE_FIGURES
from liuhen.stats.report import statistics_pdf
from liuhen.stats.selectors import (
    ALL_CASES,
    dashboard,
    drill_page,
    figure_label,
    parse_drill,
    parse_period,
    value_label,
    visible_agencies,
)
from liuhen.stats.tables import annual_tables, dashboard_tables, period_text, pick
from liuhen.web.views.common import AuthedRequest, require_permission


def _errors(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def _drill(base: Mapping[str, str], figure: str, value: str = "", **extra: str) -> str:
    return reverse("stats:cases") + "?" + urlencode({**base, "figure": figure, "value": value, **extra})


def _exports(request: AuthedRequest) -> tuple[str, str]:
    query = {k: v for k, v in request.GET.items() if k not in ("format", "table")}
    return urlencode({**query, "format": "csv"}), urlencode({**query, "format": "xlsx"})


def _export(request: AuthedRequest, tables) -> HttpResponseBase | None:  # type: ignore[no-untyped-def]
    fmt = export_format(request.GET.get("format"))
    if fmt is None:
        return None
    table = pick(tables, request.GET.get("table"))
    return tabular_response(fmt, stem=table.title, headers=table.headers, rows=table.rows)


@login_required
@require_GET
def dashboard_page(request: AuthedRequest) -> HttpResponseBase:
    require_permission(request, Permission.SUPERVISION_VIEW)
    user = request.user
    try:
        period = parse_period(user, request.GET)
        data = dashboard(user=user, period=period)
        exported = _export(request, dashboard_tables(data))
    except ValidationFailed as exc:
        return _render_error(request, "web/stats_dashboard.html", exc)
    if exported is not None:
        return exported
    base = period.as_query()
    for d in data["dimensions"]:
        for item in d["items"]:
            item["href"] = _drill(base, d["dimension"], item["value"])
    c = data["compliance"]
    for f in c["figures"]:
        f["href"] = _drill(base, f["figure"])
    for row in c["by_agency"]:
        q = {**base, "agency": row["agency"]}
        row["cells"] = [(n, _drill(q, figure)) for figure, n in row["counts"].items()]
        row["href"] = _drill(q, ALL_CASES)
    for row in c["by_unit"]:
        q = {**base, "agency": row["agency"], "unit": str(row["unit"])}
        row["cells"] = [(n, _drill(q, figure)) for figure, n in row["counts"].items()]
        row["href"] = _drill(q, ALL_CASES)
    for by in ("by_officer", "by_device"):
        for block in c[by]:
            for item in block["items"]:
                item["href"] = _drill(base, block["dimension"], item["value"])
    csv_query, xlsx_query = _exports(request)
    chart = {
        "months": data["months"],
        "dimensions": [
            {
                "label": d["label"],
                "dimension": d["dimension"],
                "items": [{k: i[k] for k in ("label", "count", "monthly", "href")} for i in d["items"]],
            }
            for d in data["dimensions"]
        ],
        "compliance": [{k: f[k] for k in ("label", "count", "monthly", "href")} for f in c["figures"]],
    }
    context = {
        "data": data,
        "chart": chart,
        "period": period,
        "period_text": period_text(period.start, period.end),
        "total_href": _drill(base, ALL_CASES),
        "figure_labels": list(COMPLIANCE_FIGURES.values()),
        "agencies": visible_agencies(user),
        "posted": {**base, **request.GET.dict()},
        "csv_query": csv_query,
        "xlsx_query": xlsx_query,
        "pdf_query": urlencode(base),
        "errors": {},
    }
    return render(request, "web/stats_dashboard.html", context)


def _render_error(request: AuthedRequest, template: str, exc: ValidationFailed) -> HttpResponse:
    return render(
        request,
        template,
        {
            "errors": _errors(exc),
            "posted": request.GET,
            "agencies": visible_agencies(request.user),
            "failed": True,
        },
        status=422,
    )


@login_required
@require_GET
def annual_page(request: AuthedRequest) -> HttpResponseBase:
    require_permission(request, Permission.SUPERVISION_VIEW)
    user = request.user
    try:
        ask = parse_annual(user, request.GET)
        data = annual_report(user=user, ask=ask)
        exported = _export(request, annual_tables(data))
    except ValidationFailed as exc:
        return _render_error(request, "web/stats_annual.html", exc)
    if exported is not None:
        return exported
    base = ask.period.as_query()
    groups = {g["group"]: g for g in data["penalties"]}
    rows = []
    seen: set[str] = set()
    for category in data["categories"]:
        group = groups.get(category["group"])
        span = sum(1 for c in data["categories"] if c["group"] == category["group"]) if group else 1
        first = category["group"] not in seen
        seen.add(category["group"])
        rows.append(
            {
                "label": category["label"],
                "group": group,
                "first": first,
                "span": span,
                "note": category["note"],
                "href": _drill(base, "penalty", category["group"]) if group else "",
            }
        )
    for act in data["acts"]:
        act["href"] = _drill(base, act["act"]) if act["recorded"] else ""
    for row in data["by_agency"]:
        q = {**base, "agency": row["agency"]}
        row["links"] = {k: _drill(q, k) for k in ("inspection", "coercive_measure", "coercive_execution")}
        row["links"]["penalty"] = _drill(q, "penalty")
    csv_query, xlsx_query = _exports(request)
    this_year = clock.now().astimezone(SHANGHAI).year
    context = {
        "data": data,
        "rows": rows,
        "year": ask.year,
        "years": list(range(this_year, this_year - 6, -1)),
        "agencies": visible_agencies(user),
        "posted": request.GET,
        "non_penalty_href": _drill(base, "penalty", "non_penalty"),
        "penalty_href": _drill(base, "penalty"),
        "csv_query": csv_query,
        "xlsx_query": xlsx_query,
        "pdf_query": urlencode(
            {
                "from": base["from"],
                "to": base["to"],
                **({"agency": base["agency"]} if "agency" in base else {}),
            }
        ),
        "errors": {},
    }
    return render(request, "web/stats_annual.html", context)


@login_required
@require_GET
def cases_page(request: AuthedRequest) -> HttpResponseBase:
    require_permission(request, Permission.SUPERVISION_VIEW)
    user = request.user
    try:
        drill = parse_drill(user, request.GET)
        fmt = export_format(request.GET.get("format"))
    except ValidationFailed as exc:
        return _render_error(request, "web/stats_cases.html", exc)
    if fmt is not None:
        rows = drill_rows.export_rows(user=user, drill=drill)
        return tabular_response(fmt, stem=drill_rows.STEM, headers=drill_rows.HEADERS, rows=rows)
    page = drill_page(user=user, drill=drill)
    query = {k: v for k, v in request.GET.items() if k not in ("after", "format")}
    csv_query, xlsx_query = _exports(request)
    context = {
        "figure": figure_label(drill.dimension),
        "value": value_label(drill.dimension, drill.value),
        "period_text": period_text(drill.period.start, drill.period.end),
        "agencies": "、".join(a.name for a in drill.period.agencies),
        "page": page,
        "withheld": page.count - page.listed,
        "rows": [(c, drill_rows.case_row(c)) for c in page.cases],
        "next_query": urlencode({**query, "after": page.next_after}) if page.next_after else "",
        "first_query": urlencode(query) if drill.after else "",
        "back": reverse("stats:dashboard") + "?" + urlencode(drill.period.as_query()),
        "csv_query": csv_query,
        "xlsx_query": xlsx_query,
        "errors": {},
    }
    return render(request, "web/stats_cases.html", context)


@login_required
@require_GET
def report_pdf(request: AuthedRequest) -> HttpResponseBase:
    require_permission(request, Permission.SUPERVISION_VIEW)
    try:
        period = parse_period(request.user, request.GET)
    except ValidationFailed as exc:
        return _render_error(request, "web/stats_dashboard.html", exc)
    pdf = statistics_pdf(user=request.user, period=period)
    stamp = clock.now().astimezone(SHANGHAI)
    return file_response(pdf, "application/pdf", f"执法统计报告-{stamp:%Y%m%d-%H%M%S}.pdf")

"""Web pages (Chinese): a case's compliance panel and the per-agency overview. Thin: one selector each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from liuhen.compliance import selectors
from liuhen.core.errors import NotFound
from liuhen.web.views.common import AuthedRequest

SECTIONS = (
    ("overdue", "已逾期"),
    ("missing", "缺失"),
    ("violated", "违规"),
    ("pending", "待完成"),
    ("satisfied", "已满足"),
)


@login_required
def case_compliance(request: AuthedRequest, case_id: int) -> HttpResponse:
    try:
        view = selectors.case_compliance(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    sections = [(code, label, view.findings[code]) for code, label in SECTIONS]
    return render(request, "web/compliance_case.html", {"view": view, "sections": sections})


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    try:
        agencies = selectors.compliance_overview(
            user=request.user,
            agency_code=request.GET.get("agency") or None,
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    for agency in agencies:
        agency["totals_labelled"] = [(c, selectors.STATUS_LABELS[c], n) for c, n in agency["totals"].items()]
    return render(request, "web/compliance_overview.html", {"agencies": agencies})

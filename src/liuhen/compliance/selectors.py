"""Reads of compliance results, scoped to the acting user exactly like the cases they describe."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.cases.selectors import case_get, case_queryset, visible_agency_ids
from liuhen.compliance.models import CaseCompliance, ComplianceDaily, StoredFinding
from liuhen.compliance.services import compliance_evaluate
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.rules.codes import STATUSES

STATUS_LABELS = {
    "satisfied": "已满足",
    "missing": "缺失",
    "overdue": "已逾期",
    "pending": "待完成",
    "violated": "违规",
}
TREND_DAYS = 30
OVERDUE_LIMIT = 100


@dataclass(frozen=True)
class CaseComplianceView:
    """A case's findings grouped by status, with the summary they were computed in."""

    case: Case
    profile_id: str
    computed_at: datetime | None
    live: bool  # True: evaluated for this view because nothing was stored yet
    counts: dict[str, int]
    next_due_at: datetime | None
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _row(f: Any, *, stored: bool) -> dict[str, Any]:
    if stored:
        return {
            "rule_id": f.rule_id,
            "title": f.title,
            "severity": f.severity,
            "status": f.status,
            "citation": f.citation,
            "quote": f.quote,
            "message": f.message,
            "record_ids": list(f.record_ids),
            "due_at": f.due_at,
            "guards": f.guards or None,
        }
    return {
        "rule_id": f.rule_id,
        "title": f.message_zh.split("：", 1)[0],
        "severity": f.severity,
        "status": f.status,
        "citation": f.citation,
        "quote": f.quote,
        "message": f.message_zh,
        "record_ids": list(f.record_ids),
        "due_at": f.due_at,
        "guards": f.guards,
    }


def case_compliance(*, user: User, case_id: int) -> CaseComplianceView:
    """The compliance panel of one case the user may see (404 otherwise)."""
    case = case_get(user=user, case_id=case_id)
    summary = CaseCompliance.objects.filter(case=case).first()
    grouped: dict[str, list[dict[str, Any]]] = {status: [] for status in STATUSES}
    if summary is not None:
        for f in StoredFinding.objects.filter(case=case).order_by("due_at", "rule_id", "id"):
            grouped[f.status].append(_row(f, stored=True))
        counts = {status: getattr(summary, status) for status in STATUSES}
        return CaseComplianceView(
            case, summary.profile_id, summary.computed_at, False, counts, summary.next_due_at, grouped
        )
    result = compliance_evaluate(case=case)
    if result is None:
        return CaseComplianceView(case, "", None, False, {s: 0 for s in STATUSES}, None, grouped)
    profile, findings = result
    for finding in findings:
        grouped[finding.status].append(_row(finding, stored=False))
    due = [f.due_at for f in findings if f.due_at and f.status == "pending"]
    counts = {status: len(grouped[status]) for status in STATUSES}
    return CaseComplianceView(case, profile.id, clock.now(), True, counts, min(due) if due else None, grouped)


def overview_agencies(*, user: User, agency_code: str | None = None) -> list[Agency]:
    """The agencies whose overview the user may see: their own, plus supervised ones for supervisors."""
    if not user.is_authenticated or not user.can(Permission.CASE_VIEW):
        return []
    agencies = Agency.objects.filter(pk__in=visible_agency_ids(user)).exclude(profile_id="").order_by("code")
    if agency_code:
        agencies = agencies.filter(code=agency_code)
        if not agencies.exists():
            raise NotFound(f"机关 {agency_code} 不存在")
    return list(agencies)


def agency_overview(*, user: User, agency: Agency) -> dict[str, Any]:
    """Findings by rule, overdue items, officers and devices with late uploads, and the trend."""
    cases = case_queryset(user=user).filter(agency=agency)
    findings = StoredFinding.objects.filter(case__in=cases)
    return {
        "agency": agency.code,
        "agency_name": agency.name,
        "profile_id": agency.profile_id,
        "cases": CaseCompliance.objects.filter(case__in=cases).count(),
        "totals": _totals(findings),
        "by_rule": _by_rule(findings),
        "overdue": _overdue(findings),
        "late_uploads": _late_uploads(findings),
        "trend": _trend(agency),
    }


def _totals(findings: QuerySet[StoredFinding]) -> dict[str, int]:
    counts = dict(findings.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in STATUSES}


def _by_rule(findings: QuerySet[StoredFinding]) -> list[dict[str, Any]]:
    rows = (
        findings.values("rule_id", "citation", "title", "severity", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    rules: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = rules.setdefault(
            row["rule_id"],
            {
                "rule_id": row["rule_id"],
                "citation": row["citation"],
                "title": row["title"],
                "severity": row["severity"],
                "counts": {status: 0 for status in STATUSES},
            },
        )
        entry["counts"][row["status"]] += row["n"]
    problems = ("overdue", "missing", "violated")
    return sorted(rules.values(), key=lambda r: (-sum(r["counts"][s] for s in problems), r["rule_id"]))


def _overdue(findings: QuerySet[StoredFinding]) -> list[dict[str, Any]]:
    rows = findings.filter(status="overdue").select_related("case").order_by("due_at", "id")[:OVERDUE_LIMIT]
    return [
        {
            "case_id": f.case_id,
            "case_no": f.case.case_no,
            "rule_id": f.rule_id,
            "title": f.title,
            "citation": f.citation,
            "message": f.message,
            "due_at": f.due_at,
        }
        for f in rows
    ]


def _late_uploads(findings: QuerySet[StoredFinding]) -> dict[str, list[dict[str, Any]]]:
    """Upload-deadline findings not met in time (``overdue`` or uploaded late), by officer and device."""
    officers: Counter[str] = Counter()
    devices: Counter[str] = Counter()
    cases: defaultdict[str, set[int]] = defaultdict(set)
    rows = findings.filter(av_upload=True, status__in=("overdue", "violated"))
    for device_no, names, case_id in rows.values_list("device_no", "officers", "case_id"):
        devices[device_no or "（未标注设备）"] += 1
        for name in names or ["（未标注执法人员）"]:
            officers[name] += 1
            cases[name].add(case_id)
    return {
        "officers": [{"name": n, "count": c, "cases": len(cases[n])} for n, c in officers.most_common()],
        "devices": [{"device_no": d, "count": c} for d, c in devices.most_common()],
    }


def _trend(agency: Agency) -> list[dict[str, Any]]:
    since = clock.now().astimezone(clock.SHANGHAI).date() - timedelta(days=TREND_DAYS)
    rows = ComplianceDaily.objects.filter(agency=agency, day__gte=since).order_by("day")
    return [
        {
            "day": r.day,
            "cases": r.cases,
            "cases_with_problems": r.cases_with_problems,
            **{status: getattr(r, status) for status in STATUSES},
        }
        for r in rows
    ]


def compliance_overview(*, user: User, agency_code: str | None = None) -> list[dict[str, Any]]:
    return [
        agency_overview(user=user, agency=a) for a in overview_agencies(user=user, agency_code=agency_code)
    ]

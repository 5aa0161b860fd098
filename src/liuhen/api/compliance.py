"""Compliance endpoints: a case's panel (satisfied / missing / overdue / pending / violated, with
citations and due times) and the per-agency overview."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Query, Router, Schema
from pydantic import Field

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_READ
from liuhen.compliance import selectors

router = Router(tags=["compliance 合规检查"])


class FindingOut(Schema):
    rule_id: str
    title: str
    severity: str = Field(description="error（强制，把关流转）/ warning（提示）")
    status: str
    citation: str = Field(description="profile§article")
    quote: str = Field(description="the regulation's words the rule implements")
    message: str
    record_ids: list[str] = Field(description="document:ID, media:ID, approval:ID, interruption:ID")
    due_at: datetime | None
    guards: str | None = Field(description="the stage this rule must be met before leaving")


class FindingsByStatus(Schema):
    satisfied: list[FindingOut]
    missing: list[FindingOut]
    overdue: list[FindingOut]
    pending: list[FindingOut]
    violated: list[FindingOut]


class CaseComplianceOut(Schema):
    case_id: int
    case_no: str
    stage: str
    profile_id: str = Field(description="empty: the agency has no rule profile")
    computed_at: datetime | None
    live: bool = Field(description="true: evaluated for this response, nothing stored yet")
    counts: dict[str, int]
    next_due_at: datetime | None
    findings: FindingsByStatus


class RuleCountOut(Schema):
    rule_id: str
    citation: str
    title: str
    severity: str
    counts: dict[str, int]


class OverdueOut(Schema):
    case_id: int
    case_no: str
    rule_id: str
    citation: str
    message: str
    due_at: datetime | None


class OfficerUploadsOut(Schema):
    name: str
    count: int
    cases: int


class DeviceUploadsOut(Schema):
    device_no: str
    count: int


class LateUploadsOut(Schema):
    officers: list[OfficerUploadsOut]
    devices: list[DeviceUploadsOut]


class TrendOut(Schema):
    day: date
    cases: int
    cases_with_problems: int
    satisfied: int
    missing: int
    overdue: int
    pending: int
    violated: int


class AgencyOverviewOut(Schema):
    agency: str
    agency_name: str
    profile_id: str
    cases: int
    totals: dict[str, int]
    by_rule: list[RuleCountOut]
    overdue: list[OverdueOut]
    late_uploads: LateUploadsOut
    trend: list[TrendOut]


class OverviewOut(Schema):
    agencies: list[AgencyOverviewOut]


class OverviewFilterIn(Schema):
    agency: str | None = Field(None, max_length=64, description="agency code (supervisors: one of theirs)")


@router.get(
    "/cases/{case_id}/compliance", response={200: CaseComplianceOut, **ERRORS_READ}, summary="案件合规检查"
)
def case_compliance(request: AuthedRequest, case_id: Id):
    view = selectors.case_compliance(user=request.user, case_id=case_id)
    return {
        "case_id": view.case.pk,
        "case_no": view.case.case_no,
        "stage": view.case.stage,
        "profile_id": view.profile_id,
        "computed_at": view.computed_at,
        "live": view.live,
        "counts": view.counts,
        "next_due_at": view.next_due_at,
        "findings": view.findings,
    }


@router.get("/compliance/overview", response={200: OverviewOut, **ERRORS_READ}, summary="机关合规概览")
def overview(request: AuthedRequest, filters: Query[OverviewFilterIn]):
    return {"agencies": selectors.compliance_overview(user=request.user, agency_code=filters.agency)}

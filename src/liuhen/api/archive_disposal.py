"""The 销毁清册 (approved disposal) endpoints: the candidates, the lists with their approvals, proposing,
approving and executing. Every endpoint needs ``archive.disposal`` (403 first); a list of another
agency is 404; a case file inside its period or under a hold is refused (409) naming the hold."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from liuhen.accounts.roles import Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.schemas import ERRORS_LIST, ERRORS_WRITE
from liuhen.archive import disposal
from liuhen.core.errors import PermissionDenied

router = Router(tags=["archive 案卷归档"])


def _may(request: AuthedRequest) -> None:
    if not request.user.can(Permission.ARCHIVE_DISPOSAL):
        raise PermissionDenied("您的角色无权办理档案销毁")


class ContentOut(Schema):
    sha256: str
    size: int


class CandidateOut(Schema):
    case_file_id: int
    case_no: str
    archive_no: str = Field(description="档号")
    retention: str = Field(description="保管期限")
    period_end: date = Field(description="保管期限届满之日")
    contents: list[ContentOut]


class DisposalApprovalOut(Schema):
    role: str
    role_label: str
    opinion: str
    approved_by: str
    approved_at: datetime


class DestructionOut(Schema):
    sha256: str
    size: int
    outcome: str = Field(description="destroyed 已销毁 / kept_shared 保留（其他记录仍在使用）")
    executed_at: datetime


class DisposalOut(Schema):
    id: int
    number: str = Field(description="销毁清册编号")
    status: str = Field(description="待审批 / 已批准，待销毁 / 部分待销毁 / 已销毁")
    reason: str
    entries: list[dict] = Field(description="每份案卷：档号、保管期限、届满日、各件内容（SHA-256、大小）")
    proposed_by: str
    proposed_at: datetime
    approvals: list[DisposalApprovalOut]
    missing_approvals: list[str] = Field(description="尚缺审批的角色")
    destructions: list[DestructionOut]
    pending: list[ContentOut] = Field(description="尚未销毁的内容（存储锁定期未满时待定时任务重试）")


class ProposeIn(Schema):
    reason: str = Field(description="销毁理由（鉴定意见）")
    case_file_ids: list[int] | None = Field(None, description="列入的案卷；不填则列入全部候选")


class ApproveIn(Schema):
    disposal_id: int
    opinion: str


class ExecuteIn(Schema):
    disposal_id: int


def _out(view: disposal.DisposalView) -> dict:
    d = view.disposal
    return {
        "id": d.pk,
        "number": d.number,
        "status": view.status,
        "reason": d.reason,
        "entries": d.entries,
        "proposed_by": d.proposed_by.display_name,
        "proposed_at": d.proposed_at,
        "approvals": [
            {
                "role": a.role,
                "role_label": disposal.role_label(a.role),
                "opinion": a.opinion,
                "approved_by": a.approved_by.display_name,
                "approved_at": a.approved_at,
            }
            for a in view.approvals
        ],
        "missing_approvals": view.missing_labels,
        "destructions": [
            {"sha256": x.sha256, "size": x.size, "outcome": x.outcome, "executed_at": x.executed_at}
            for x in view.destructions
        ],
        "pending": [{"sha256": s, "size": n} for s, n in view.pending],
    }


@router.get(
    "/archive/disposal-candidates",
    response={200: list[CandidateOut], **ERRORS_LIST},
    summary="保管期限已满、无长期保存事由的案卷（可列入销毁清册）",
)
def candidates(request: AuthedRequest):
    _may(request)
    return [
        {
            "case_file_id": c.case_file.pk,
            "case_no": c.case_file.case.case_no,
            "archive_no": c.case_file.archive_no,
            "retention": c.case_file.retention,
            "period_end": disposal.local_day(c.period_end),
            "contents": [{"sha256": s, "size": n} for s, n in c.contents],
        }
        for c in disposal.disposal_candidates(user=request.user)
    ]


@router.get("/archive/disposals", response={200: list[DisposalOut], **ERRORS_LIST}, summary="销毁清册")
def lists(request: AuthedRequest):
    _may(request)
    return [_out(v) for v in disposal.disposal_lists(user=request.user)]


@router.post(
    "/archive/disposals",
    response={201: DisposalOut, **ERRORS_WRITE},
    summary="编制销毁清册（档案管理员；期限未满或有长期保存事由的案卷 409）",
)
def propose(request: AuthedRequest, body: ProposeIn):
    _may(request)
    made = disposal.disposal_propose(by=request.user, reason=body.reason, case_file_ids=body.case_file_ids)
    return Status(201, _out(disposal.disposal_get(user=request.user, disposal_id=made.pk)))


@router.post(
    "/archive/disposals/approvals",
    response={200: DisposalOut, **ERRORS_WRITE},
    summary="审批销毁清册（机关负责人、档案部门，两人）",
)
def approve(request: AuthedRequest, body: ApproveIn):
    _may(request)
    view = disposal.disposal_get(user=request.user, disposal_id=body.disposal_id)
    disposal.disposal_approve(disposal=view.disposal, by=request.user, opinion=body.opinion)
    return _out(disposal.disposal_get(user=request.user, disposal_id=body.disposal_id))


@router.post(
    "/archive/disposals/executions",
    response={200: DisposalOut, **ERRORS_WRITE},
    summary="执行销毁（审批齐全后；存储锁定期未满的内容待定时任务重试）",
)
def execute(request: AuthedRequest, body: ExecuteIn):
    _may(request)
    view = disposal.disposal_get(user=request.user, disposal_id=body.disposal_id)
    disposal.disposal_execute(disposal=view.disposal, by=request.user)
    return _out(disposal.disposal_get(user=request.user, disposal_id=body.disposal_id))

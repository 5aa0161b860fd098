"""The archivist's endpoints (issue #12): the queue, a case file (as assembled, or signed off), the
order inside a stage, and the 立卷人's and the 检查人's signatures. Every endpoint needs ``case.archive``
(403 first) and reads through the access layer's archiving reason (a confidential case's read logged)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from liuhen.accounts.roles import Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, errors
from liuhen.archive import selectors, services
from liuhen.cases.selectors import case_get
from liuhen.core.errors import NotFound, PermissionDenied

router = Router(tags=["archive 案卷归档"])


def _archivist(request: AuthedRequest) -> None:
    if not request.user.can(Permission.CASE_ARCHIVE):
        raise PermissionDenied("您的角色无权整理归档案卷")


def _may_read(request: AuthedRequest) -> None:
    """A case file is read for archiving only: without ``case.archive`` it is not there (404)."""
    if not request.user.can(Permission.CASE_ARCHIVE):
        raise NotFound("案卷不存在")


def _may_write(request: AuthedRequest, case_id: int) -> None:
    """403 for a role that may not archive, or 404 for a case it cannot see at all."""
    if not request.user.can(Permission.CASE_ARCHIVE):
        case_get(user=request.user, case_id=case_id)
        _archivist(request)


class QueueOut(Schema):
    case_id: int
    case_no: str
    cause: str = Field(description="涉密案件对未获授权者显示为「（涉密案件）」")
    procedure: str
    ended_at: datetime = Field(description="执法行为终结之时")
    due_at: datetime = Field(description="归档期限（规则配置的天数）")
    overdue: bool
    closed_early: bool = Field(description="不予立案、撤销等提前结案")
    status: str = Field(description="待整理 / 整理中 / 待检查")


class ItemOut(Schema):
    piece_no: int = Field(description="件号")
    record: str = Field(description="document:ID / media:ID")
    kind: str
    stage: str
    volume: str = Field(description="main 正卷 / auxiliary 副卷")
    title: str
    doc_no: str
    responsible: str
    date: str
    pages: int
    first_page: int
    sha256: str


class HoldOut(Schema):
    code: str
    label: str
    citation: str = Field(description="the rule's citation, e.g. longjiang-cg§19")
    fact: str = Field(description="the recorded fact that gave the hold, in Chinese")
    shown: str = Field(description="the hold with its fact and rule, in Chinese (《…》第19条)")


class CaseFileOut(Schema):
    case_id: int
    case_no: str
    status: str = Field(description="assembling 整理中 / compiled 立卷人已签署 / signed 已签署归档")
    archive_no: str = Field(description="档号（签署归档后）")
    retention: str
    retention_basis: str = Field(description="the rule that gave the 保管期限, in Chinese")
    holds: list[HoldOut]
    items: list[ItemOut]
    notes: str
    compiled_by: str
    checked_by: str
    due_at: datetime | None


class OrderIn(Schema):
    order: list[str] = Field(description="every record of the file, once: only reordered inside a stage")


def _case_file_out(view: selectors.AssemblyView) -> dict:
    cf = view.case_file
    status = "signed" if cf else "compiled" if view.compilation else "assembling"
    compiled_by = cf.compiled_by if cf else view.compilation.compiled_by if view.compilation else None
    return {
        "case_id": view.case.pk,
        "case_no": view.case.case_no,
        "status": status,
        "archive_no": cf.archive_no if cf else "",
        "retention": view.retention,
        "retention_basis": view.retention_basis,
        "holds": [{**h.as_dict(), "shown": h.shown} for h in view.holds],
        "items": [i.as_dict() for i in view.items],
        "notes": view.notes,
        "compiled_by": compiled_by.display_name if compiled_by else "",
        "checked_by": cf.checked_by.display_name if cf else "",
        "due_at": view.due_at,
    }


@router.get("/archive/queue", response={200: list[QueueOut], **ERRORS_LIST}, summary="待归档案件")
def queue(request: AuthedRequest):
    _archivist(request)
    return [
        {
            "case_id": row.case.pk,
            "case_no": row.case.case_no,
            "cause": row.cause,
            "procedure": row.case.procedure,
            "ended_at": row.ended_at,
            "due_at": row.due_at,
            "overdue": row.overdue,
            "closed_early": row.early,
            "status": row.status,
        }
        for row in selectors.archive_queue(user=request.user)
    ]


@router.get(
    "/archive/case-files/{case_id}",
    response={200: CaseFileOut, **ERRORS_READ, **errors(409)},
    summary="案卷（409：涉密文书尚无存档联）",
)
def case_file(request: AuthedRequest, case_id: Id):
    _may_read(request)
    return _case_file_out(selectors.assembly_view(user=request.user, case_id=case_id))


@router.put(
    "/archive/case-files/{case_id}/order",
    response={200: CaseFileOut, **ERRORS_WRITE},
    summary="调整卷内顺序（仅限同一阶段内）",
)
def order(request: AuthedRequest, case_id: Id, body: OrderIn):
    _may_write(request, case_id)
    case = selectors.archiving_case(user=request.user, case_id=case_id)
    services.case_file_draft_save(case=case, by=request.user, order=body.order)
    return _case_file_out(selectors.assembly_view(user=request.user, case_id=case_id))


@router.post(
    "/archive/case-files/{case_id}/compile", response={200: CaseFileOut, **ERRORS_WRITE}, summary="立卷人签署"
)
def compile_sign(request: AuthedRequest, case_id: Id):
    _may_write(request, case_id)
    case = selectors.archiving_case(user=request.user, case_id=case_id)
    services.case_file_compile(case=case, by=request.user)
    return _case_file_out(selectors.assembly_view(user=request.user, case_id=case_id))


@router.post(
    "/archive/case-files/{case_id}/sign",
    response={200: CaseFileOut, **ERRORS_WRITE},
    summary="检查人签署（另一位档案管理员），案件归档并转为只读",
)
def check_sign(request: AuthedRequest, case_id: Id):
    _may_write(request, case_id)
    case = selectors.archiving_case(user=request.user, case_id=case_id)
    services.case_file_sign(case=case, by=request.user)
    return _case_file_out(selectors.assembly_view(user=request.user, case_id=case_id))

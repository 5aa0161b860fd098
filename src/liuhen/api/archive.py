"""The archivist's endpoints (issue #12): the queue, a case file (as assembled, or signed off), the
order inside a stage, the 立卷人's and the 检查人's signatures, and 补充归档. Every archivist's endpoint
needs ``case.archive`` (403 first) and reads through the access layer's archiving reason (a confidential
case's read logged); a 补充归档's approval needs ``approval.record`` and the role the profile names."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from liuhen.accounts.roles import Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, errors
from liuhen.archive import selectors, services, supplements
from liuhen.cases.selectors import case_get
from liuhen.core.errors import Conflict, NotFound, PermissionDenied

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


class SupplementOut(Schema):
    id: int
    status: str = Field(description="pending 待审批 / approved 已审批（计入案卷）")
    piece_no: int | None = Field(description="件号：审批后接续案卷最后一件；待审批时为空")
    first_page: int | None = Field(description="起始页号：审批后接续；待审批时为空")
    title: str
    doc_no: str
    responsible: str
    date: str
    format: str = Field(description="PDF / JPEG / TIFF / MP4 / MP3 / WAV（按文件内容识别）")
    pages: int
    size: int
    sha256: str
    sm3: str
    reason: str
    added_by: str
    added_at: datetime
    approved_by: str
    approved_at: datetime | None
    opinion: str


class SupplementIn(Schema):
    title: str = Field(description="题名", max_length=200)
    responsible: str = Field(description="责任者", max_length=200)
    date: str = Field(description="日期 YYYY-MM-DD")
    reason: str = Field(description="补充理由", max_length=2000)
    doc_no: str = Field("", description="文号", max_length=60)


class SupplementApprovalIn(Schema):
    supplement_id: Id
    opinion: str = Field(max_length=2000)


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
    supplements: list[SupplementOut] = Field(description="补充归档，已审批的在前")


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
        "supplements": [_supplement_out(n) for n in view.supplements],
    }


def _supplement_out(numbered: selectors.NumberedSupplement) -> dict:
    item, supplement, approval = numbered.items[0], numbered.supplement, numbered.approval
    return {
        "id": supplement.pk,
        "status": "approved" if approval else "pending",
        "piece_no": item.piece_no if approval else None,
        "first_page": item.first_page if approval else None,
        "title": item.title,
        "doc_no": item.doc_no,
        "responsible": item.responsible,
        "date": item.date,
        "format": item.file_format,
        "pages": item.pages,
        "size": item.size,
        "sha256": item.sha256,
        "sm3": item.sm3,
        "reason": supplement.reason,
        "added_by": supplement.added_by.display_name,
        "added_at": supplement.added_at,
        "approved_by": approval.approved_by.display_name if approval else "",
        "approved_at": approval.approved_at if approval else None,
        "opinion": approval.opinion if approval else "",
    }


def _numbered(view: selectors.SupplementsView, supplement_id: int) -> dict:
    return _supplement_out(next(n for n in view.supplements if n.supplement.pk == supplement_id))


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


@router.post(
    "/archive/case-files/{case_id}/supplements",
    response={201: SupplementOut, **ERRORS_WRITE},
    summary="补充归档：上传案卷签署后形成的文件（待审批）",
)
def supplement_add(request: AuthedRequest, case_id: Id, data: Form[SupplementIn], file: File[UploadedFile]):
    """The file's kind is sniffed from its bytes (PDF, JPEG, TIFF, MP4, MP3, WAV); 409 while the case
    file is not signed off. It counts, with the next 件号, once the profile's approver approves it."""
    _may_write(request, case_id)
    view = selectors.supplements_view(user=request.user, case_id=case_id)
    if view.case_file is None:
        raise Conflict("案卷尚未签署归档，签署后才能补充归档")
    added = supplements.supplement_add(
        case_file=view.case_file,
        by=request.user,
        chunks=file.chunks(),
        facts=supplements.SupplementFacts(**data.dict()),
    )
    return Status(201, _numbered(selectors.supplements_view(user=request.user, case_id=case_id), added.pk))


@router.post(
    "/archive/case-files/{case_id}/supplement-approvals",
    response={200: SupplementOut, **ERRORS_WRITE},
    summary="补充归档审批（规则配置的审批人，默认机关负责人；提出人不能审批）",
)
def supplement_approve(request: AuthedRequest, case_id: Id, body: SupplementApprovalIn):
    case_get(user=request.user, case_id=case_id)
    if not request.user.can(Permission.APPROVAL_RECORD):
        raise PermissionDenied("您的角色无权审批补充归档")
    view = selectors.supplements_view(user=request.user, case_id=case_id)
    if view.case_file is None:
        raise Conflict("本案尚无已签署的案卷")
    supplement = supplements.supplement_of(view.case_file, body.supplement_id)
    supplements.supplement_approve(supplement=supplement, by=request.user, opinion=body.opinion)
    return _numbered(selectors.supplements_view(user=request.user, case_id=case_id), supplement.pk)

"""Case endpoints: list, open, show, timeline, stage moves, approvals, export."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from liuhen.accounts.models import User
from liuhen.accounts.selectors import colleague_get
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import MAX_BIGINT, MAX_PAGE, Id
from liuhen.api.schemas import (
    ERRORS_LIST,
    ERRORS_READ,
    ERRORS_WRITE,
    ApprovalIn,
    ApprovalOut,
    CaseIn,
    CaseOut,
    TimelineItemOut,
    TransitionIn,
    TransitionOut,
)
from liuhen.cases import selectors, services
from liuhen.cases.export import case_export
from liuhen.core import keyset
from liuhen.core.errors import NotFound, invalid

router = Router(tags=["cases 案件"])
MAX_OFFSET = 10_000  # an offset page walks the rows it skips: deeper pages are read by cursor


class CaseFilterIn(Schema):
    stage: str | None = Field(None, max_length=32, description="阶段")
    procedure: str | None = Field(None, max_length=32)
    year: int | None = Field(None, ge=1, le=9999)
    q: str | None = Field(None, max_length=100, description="案号、案由、当事人姓名或名称、证件号码、文号")
    handler_id: Id | None = None


class CasePageIn(Schema):
    limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"每页条数（1–{MAX_PAGE}）")
    cursor: str | None = Field(
        None, max_length=200, description="翻页标记：上一页响应中的 next 或 prev（不传：第一页）"
    )
    offset: int | None = Field(
        None, ge=0, le=MAX_BIGINT, description=f"跳过的条数（旧式翻页，至多 {MAX_OFFSET}；请改用 cursor）"
    )


class CasePageOut(Schema):
    """A keyset page (``items``, ``next``, ``prev``: as fast deep in the list as at its start) or, when
    asked by ``offset``, the former page (``items``, ``count`` of all rows)."""

    items: list[CaseOut]
    next: str | None = Field(None, description="下一页的翻页标记（无：已是最后一页）")
    prev: str | None = Field(None, description="上一页的翻页标记（无：已是第一页）")
    count: int | None = Field(None, description="按 offset 翻页时：符合条件的案件总数")


@router.get("", response={200: CasePageOut, **ERRORS_LIST}, summary="案件列表", exclude_unset=True)
def list_cases(request: AuthedRequest, filters: Query[CaseFilterIn], paging: Query[CasePageIn]):
    """Newest first. Without ``offset``: a keyset page, with ``next``/``prev`` cursors to pass back as
    ``cursor``. With ``offset``: the former page and ``count``; an offset past the first
    ``MAX_OFFSET`` rows that are there is refused (use the cursor)."""
    cases = selectors.case_list(user=request.user, filters=selectors.CaseFilters(**filters.dict()))
    if paging.offset is None or paging.cursor is not None:
        page = keyset.page(cases, cursor=paging.cursor, size=paging.limit)
        return {"items": page.items, "next": page.next, "prev": page.prev}
    count = cases.count()
    if paging.offset >= count:
        return {"items": [], "count": count}
    if paging.offset > MAX_OFFSET:
        raise invalid("offset", "too_deep", f"跳过的条数至多 {MAX_OFFSET}，更深的页请用 cursor 翻页")
    return {"items": list(cases[paging.offset : paging.offset + paging.limit]), "count": count}


@router.post("", response={201: CaseOut, **ERRORS_WRITE}, summary="立案/启动程序")
def open_case(request: AuthedRequest, payload: CaseIn):
    user: User = request.user
    parties = [_party(user, pid, index) for index, pid in enumerate(payload.party_ids)]
    handler = _colleague(user, payload.handler_id, "handler_id") if payload.handler_id else None
    data = payload.dict(exclude={"party_ids", "handler_id"})
    return Status(201, services.case_open(opened_by=user, parties=parties, handler=handler, **data))


@router.get("/{case_id}", response={200: CaseOut, **ERRORS_READ}, summary="案件详情")
def get_case(request: AuthedRequest, case_id: Id):
    return selectors.case_get(user=request.user, case_id=case_id)


@router.get(
    "/{case_id}/timeline", response={200: list[TimelineItemOut], **ERRORS_READ}, summary="全过程时间轴"
)
def timeline(request: AuthedRequest, case_id: Id):
    case = selectors.case_get(user=request.user, case_id=case_id)
    return [item.as_dict() for item in selectors.case_timeline(user=request.user, case=case)]


@router.post("/{case_id}/transitions", response={201: TransitionOut, **ERRORS_WRITE}, summary="阶段流转")
def transition(request: AuthedRequest, case_id: Id, payload: TransitionIn):
    case = selectors.case_get(user=request.user, case_id=case_id, action="change")
    return Status(201, services.case_transition(case=case, by=request.user, **payload.dict()))


@router.post("/{case_id}/approvals", response={201: ApprovalOut, **ERRORS_WRITE}, summary="填写审批意见")
def approve(request: AuthedRequest, case_id: Id, payload: ApprovalIn):
    case = selectors.case_get(user=request.user, case_id=case_id, action="change")
    document = None
    if payload.document_id is not None:
        document = selectors.document_get(user=request.user, document_id=payload.document_id, action="change")
    data = payload.dict(exclude={"document_id"})
    return Status(201, services.approval_record(case=case, actor=request.user, document=document, **data))


@router.get("/{case_id}/approvals", response={200: list[ApprovalOut], **ERRORS_READ}, summary="审批记录")
def approvals(request: AuthedRequest, case_id: Id):
    case = selectors.case_get(user=request.user, case_id=case_id)
    return selectors.case_approvals(user=request.user, case=case)


@router.get("/{case_id}/export", response={200: dict, **ERRORS_READ}, summary="导出案件（JSON）")
def export(request: AuthedRequest, case_id: Id):
    case = selectors.case_get(user=request.user, case_id=case_id, purpose="exported")
    return case_export(user=request.user, case=case)


def _party(user: User, party_id: int, index: int):
    try:
        return selectors.party_get(user=user, party_id=party_id)
    except NotFound:
        raise invalid(f"party_ids[{index}]", "not_found", f"当事人 {party_id} 不存在") from None


def _colleague(user: User, user_id: int, field: str) -> User:
    try:
        return colleague_get(user=user, user_id=user_id)
    except NotFound:
        raise invalid(field, "not_found", f"用户 {user_id} 不存在") from None

"""Footage not yet tied to a case (待关联音像), linking it to a case, and taking a wrong link back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Router, Schema, Status
from pydantic import Field

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import MAX_PAGE, Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_WRITE, MediaOut
from liuhen.cases import selectors as case_selectors
from liuhen.evidence import selectors
from liuhen.evidence.models import MediaAssignment
from liuhen.evidence.services.assignments import media_assign, media_assignment_withdraw

router = Router(tags=["evidence 音像证据与设备"])


class AssignIn(Schema):
    case_id: Id
    activity: str = Field("", max_length=32, description="所记录的执法环节代码")
    linked_document_ids: list[Id] = Field(default_factory=list, description="同一环节文书的 id")
    reason: str = Field("", max_length=1000)


class WithdrawIn(Schema):
    reason: str = Field(min_length=1, max_length=1000, description="撤回关联的原因（必填）")


class AssignmentOut(Schema):
    id: int
    media_id: int
    case_id: int
    activity: str
    linked_documents: list[int]
    withdraws_id: int | None
    reason: str
    by_id: int
    at: datetime


@router.get("/media/unassigned", response={200: list[MediaOut], **ERRORS_LIST}, summary="待关联案件的音像")
def unassigned(request: AuthedRequest, limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 200):
    return list(selectors.unassigned_media(user=request.user)[:limit])


@router.post(
    "/media/{media_id}/assignments",
    response={201: AssignmentOut, **ERRORS_WRITE},
    summary="将音像记录关联到案件",
)
def assign(request: AuthedRequest, media_id: Id, data: AssignIn):
    media = selectors.media_get(user=request.user, media_id=media_id, action="change")
    case = case_selectors.case_get(user=request.user, case_id=data.case_id, action="change")
    documents = [
        case_selectors.document_get(user=request.user, document_id=i, action="change")
        for i in data.linked_document_ids
    ]
    row = media_assign(
        media=media,
        case=case,
        by=request.user,
        reason=data.reason,
        activity=data.activity,
        linked_documents=documents,
    )
    return Status(201, row)


@router.post(
    "/media/assignments/{assignment_id}/withdraw",
    response={201: AssignmentOut, **ERRORS_WRITE},
    summary="撤回音像记录与案件的关联",
)
def withdraw(request: AuthedRequest, assignment_id: Id, data: WithdrawIn):
    assignment = _assignment(request, assignment_id)
    return Status(201, media_assignment_withdraw(assignment=assignment, by=request.user, reason=data.reason))


def _assignment(request: AuthedRequest, assignment_id: int) -> MediaAssignment:
    return selectors.assignment_get(user=request.user, assignment_id=assignment_id)

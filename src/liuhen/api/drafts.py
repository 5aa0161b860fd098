"""Draft endpoints (草稿): save a document while it is being written, come back to it, finalise it
(定稿) into the record. A draft is not a record: only its author and the case's handler see it, and
nothing of it reaches the ledger until it is finalised (``liuhen.cases.services.drafts``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from liuhen.api.auth import AuthedRequest
from liuhen.api.documents import document_out
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_READ, ERRORS_WRITE, DocumentOut, UserBrief
from liuhen.cases import selectors
from liuhen.cases.draft_selectors import case_drafts, draft_get
from liuhen.cases.models import DocumentDraft
from liuhen.cases.services.drafts import draft_discard, draft_finalise, draft_save
from liuhen.catalogue import get_type

router = Router(tags=["drafts 草稿"])


class DraftContentIn(Schema):
    """What a draft holds: the fields filled so far (each type-checked, none required)."""

    fields: dict[str, Any] = Field(default_factory=dict)
    number: str = Field("", max_length=64, description="文号")
    confidential: bool = False


class DraftCreateIn(DraftContentIn):
    doc_type: str = Field(min_length=1, max_length=48)


class DraftOut(Schema):
    id: int
    case_id: int
    doc_type: str
    title: str
    number: str
    fields: dict[str, Any]
    confidential: bool
    created_by: UserBrief
    created_at: datetime
    updated_at: datetime
    finalised_document_id: int | None
    status: str = Field(description="draft: 草稿（未定稿，不是正式记录）; finalised: 已定稿")


def draft_out(draft: DocumentDraft) -> dict:
    return {
        "id": draft.pk,
        "case_id": draft.case_id,
        "doc_type": draft.doc_type,
        "title": get_type(draft.doc_type).title,
        "number": draft.number,
        "fields": draft.fields,
        "confidential": draft.confidential,
        "created_by": draft.created_by,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
        "finalised_document_id": draft.finalised_document_id,
        "status": "finalised" if draft.finalised else "draft",
    }


@router.get("/cases/{case_id}/drafts", response={200: list[DraftOut], **ERRORS_READ}, summary="案件草稿")
def list_drafts(request: AuthedRequest, case_id: Id):
    """The drafts still being written on the case that the caller wrote or, as handler, may finish."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    return [draft_out(d) for d in case_drafts(user=request.user, case=case)]


@router.post("/cases/{case_id}/drafts", response={201: DraftOut, **ERRORS_WRITE}, summary="保存草稿")
def create_draft(request: AuthedRequest, case_id: Id, payload: DraftCreateIn):
    case = selectors.case_get(user=request.user, case_id=case_id, action="change")
    draft = draft_save(by=request.user, case=case, **payload.dict())
    return Status(201, draft_out(draft))


@router.get("/drafts/{draft_id}", response={200: DraftOut, **ERRORS_READ}, summary="草稿")
def get_draft(request: AuthedRequest, draft_id: Id):
    return draft_out(draft_get(user=request.user, draft_id=draft_id))


@router.put("/drafts/{draft_id}", response={200: DraftOut, **ERRORS_WRITE}, summary="修改草稿")
def update_draft(request: AuthedRequest, draft_id: Id, payload: DraftContentIn):
    """Replaces the draft's content (fields, 文号, confidentiality); its document type stays."""
    draft = draft_get(user=request.user, draft_id=draft_id, action="change")
    return draft_out(draft_save(by=request.user, draft=draft, **payload.dict()))


@router.delete("/drafts/{draft_id}", response={204: None, **ERRORS_WRITE}, summary="删除草稿")
def delete_draft(request: AuthedRequest, draft_id: Id):
    draft = draft_get(user=request.user, draft_id=draft_id, action="change")
    draft_discard(draft=draft, by=request.user)
    return Status(204, None)


@router.post(
    "/drafts/{draft_id}/finalise", response={201: DocumentOut, **ERRORS_WRITE}, summary="定稿（成为正式记录）"
)
def finalise_draft(request: AuthedRequest, draft_id: Id):
    """Validates in full (422 naming each field, ``fields.<name>``) and creates the record."""
    draft = draft_get(user=request.user, draft_id=draft_id, action="change")
    document = draft_finalise(draft=draft, by=request.user)
    return Status(201, document_out(document))

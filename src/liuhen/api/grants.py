"""Staff requests to view (调阅), copy (复制) or release (对外提供) records: file, decide, revoke, use.

A request names records as the requester sees them listed (a whole case, or one document or A/V record
of it); a record the requester cannot name is 404 at its item, whether it exists or not. It is decided
once, by the role the agency's profile names (never by the requester). While approved and unexpired it
is a *grant*: the access layer lets the requester play and read what it covers (each read logged with
its number), and for a copy or release grant build a package of watermarked copies with a signed
manifest. An expired or revoked grant is 403 with the reason."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from liuhen.core.errors import PermissionDenied
from liuhen.core.responses import file_response
from liuhen.grants import delivery as deliveries
from liuhen.grants import selectors, services
from liuhen.grants.models import AccessDelivery, AccessRequest

router = Router(tags=["access requests 调阅复制申请"])


class ItemIn(Schema):
    case_id: int = Field(gt=0)
    document_id: int | None = Field(None, gt=0, description="只申请一份文书时填写")
    media_id: int | None = Field(None, gt=0, description="只申请一条音像记录时填写；都不填：整个案件")


class RequestIn(Schema):
    kind: str = Field(description="view 调阅 / copy 复制 / release 对外提供")
    reason: str = Field(max_length=2000, description="因何工作需要")
    days: int = Field(ge=1, le=366, description="申请使用的天数（不超过规则配置的上限）")
    items: list[ItemIn] = Field(max_length=200)
    recipient: str = Field("", max_length=200, description="对外提供：接收单位或个人")
    recipient_kind: str = Field("", max_length=16, description="对外提供：接收方类别")


class DecisionIn(Schema):
    approved: bool
    opinion: str = Field(max_length=2000, description="审批意见；不予批准时写明理由")
    days: int | None = Field(None, ge=1, le=366, description="批准的天数（默认为申请的天数）")


class RevocationIn(Schema):
    reason: str = Field(max_length=2000)


class DeliveryIn(Schema):
    handed_to: str = Field("", max_length=200, description="对外提供：实际接收人")
    viewing_copies: bool = Field(True, description="为视频另附加水印的观看副本")


class ItemOut(Schema):
    case_id: int
    case_no: str
    document_id: int | None
    media_id: int | None


class DecisionOut(Schema):
    approved: bool
    opinion: str
    expires_at: datetime | None
    decided_by: str
    decided_at: datetime
    basis: str


class DeliveryOut(Schema):
    id: int
    sha256: str
    size: int
    manifest_sha256: str
    files: int
    handed_to: str
    made_by: str
    made_at: datetime


class QueuedOut(Schema):
    queued: bool
    message: str


class JobOut(Schema):
    state: str
    since: datetime
    reason: str


class HistoryOut(Schema):
    at: datetime
    who: str
    what: str


class RequestOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    reason: str
    days: int
    recipient: str
    recipient_kind: str
    requested_by: str
    requested_at: datetime
    items: list[ItemOut]
    decision: DecisionOut | None
    revoked_reason: str
    deliveries: list[DeliveryOut]
    jobs: list[JobOut] = Field(description="后台正在制作或制作失败的复制件")


class RequestDetailOut(RequestOut):
    history: list[HistoryOut]


class RecordOut(Schema):
    kind: str
    id: int
    case_id: int
    title: str
    url: str


def _delivery_out(d: AccessDelivery) -> dict:
    return {
        "id": d.pk,
        "sha256": d.sha256,
        "size": d.size,
        "manifest_sha256": d.manifest_sha256,
        "files": d.files,
        "handed_to": d.handed_to,
        "made_by": d.made_by.display_name,
        "made_at": d.made_at,
    }


def _out(request: AccessRequest, *, history: bool = False) -> dict:
    state = services.grant_state(request)
    decision = getattr(request, "decision", None) if state != "pending" else None
    revocation = getattr(request, "revocation", None) if state == "revoked" else None
    out = {
        "id": request.pk,
        "number": request.number,
        "kind": request.kind,
        "kind_label": request.get_kind_display(),
        "state": state,
        "state_label": services.STATE_LABELS[state],
        "reason": request.reason,
        "days": request.days,
        "recipient": request.recipient,
        "recipient_kind": request.recipient_kind,
        "requested_by": request.requested_by.display_name,
        "requested_at": request.requested_at,
        "items": [
            {
                "case_id": i.case_id,
                "case_no": i.case.case_no,
                "document_id": i.document_id,
                "media_id": i.media_id,
            }
            for i in request.items.select_related("case")
        ],
        "decision": None
        if decision is None
        else {
            "approved": decision.approved,
            "opinion": decision.opinion,
            "expires_at": decision.expires_at,
            "decided_by": decision.decided_by.display_name,
            "decided_at": decision.decided_at,
            "basis": decision.basis,
        },
        "revoked_reason": revocation.reason if revocation is not None else "",
        "deliveries": [_delivery_out(d) for d in request.deliveries.select_related("made_by")],
        "jobs": [vars(job) for job in deliveries.package_jobs(request)],
    }
    if history:
        out["history"] = [vars(line) for line in selectors.request_history(request)]
    return out


@router.get("/access-requests", response={200: list[RequestOut], **ERRORS_LIST}, summary="调阅复制申请列表")
def request_list(request: AuthedRequest, state: str = ""):
    """Mine; those of my agency for the roles that decide them and for the legal unit and the head; a
    justice bureau's supervisor: those of the agencies it supervises. ``state``: pending / live."""
    return [_out(r) for r in selectors.request_list(user=request.user, state=state)[:500]]


@router.post(
    "/access-requests",
    response={201: RequestDetailOut, **ERRORS_WRITE},
    summary="提出调阅、复制或对外提供申请",
)
def request_file(request: AuthedRequest, body: RequestIn):
    filed = services.access_request_file(
        by=request.user,
        kind=body.kind,
        reason=body.reason,
        days=body.days,
        items=[services.ItemSpec(i.case_id, i.document_id, i.media_id) for i in body.items],
        recipient=body.recipient,
        recipient_kind=body.recipient_kind,
    )
    return Status(201, _out(filed, history=True))


@router.get(
    "/access-requests/{request_id}",
    response={200: RequestDetailOut, **ERRORS_READ},
    summary="申请详情与全部经过",
)
def request_detail(request: AuthedRequest, request_id: Id):
    return _out(selectors.request_get(user=request.user, request_id=request_id), history=True)


@router.post(
    "/access-requests/{request_id}/decision",
    response={200: RequestDetailOut, **ERRORS_WRITE},
    summary="审批（规则配置的审批人；申请人不能审批本人的申请）",
)
def request_decide(request: AuthedRequest, request_id: Id, body: DecisionIn):
    found = selectors.request_get(user=request.user, request_id=request_id)
    services.access_request_decide(
        request=found, by=request.user, approved=body.approved, opinion=body.opinion, days=body.days
    )
    return _out(selectors.request_get(user=request.user, request_id=request_id), history=True)


@router.post(
    "/access-requests/{request_id}/revocation",
    response={200: RequestDetailOut, **ERRORS_WRITE},
    summary="撤销授权（审批人，或申请人交回），立即失效",
)
def request_revoke(request: AuthedRequest, request_id: Id, body: RevocationIn):
    found = selectors.request_get(user=request.user, request_id=request_id)
    services.access_request_revoke(request=found, by=request.user, reason=body.reason)
    return _out(selectors.request_get(user=request.user, request_id=request_id), history=True)


@router.get(
    "/access-requests/{request_id}/records",
    response={200: list[RecordOut], **ERRORS_READ},
    summary="依授权可查看的记录（仅申请人，授权有效期内）",
)
def request_records(request: AuthedRequest, request_id: Id):
    found = selectors.request_get(user=request.user, request_id=request_id)
    if found.requested_by_id != request.user.pk:
        raise PermissionDenied("只有申请人本人可以依授权查看记录")
    state = services.grant_state(found)
    if state != "live":
        raise PermissionDenied(deliveries.not_live(found, state))
    return [
        {
            "kind": r.kind,
            "id": r.obj.pk,
            "case_id": r.case.pk,
            "title": selectors.record_title(r),
            "url": f"/api/media/{r.obj.pk}/content" if r.kind == "media" else f"/api/documents/{r.obj.pk}",
        }
        for r in selectors.covered_records(user=request.user, request=found)
    ]


@router.post(
    "/access-requests/{request_id}/deliveries",
    response={201: DeliveryOut, 202: QueuedOut, **ERRORS_WRITE},
    summary="制作复制件（加水印的文书与照片、音像原件及观看副本、签名清单）",
)
def delivery_make(request: AuthedRequest, request_id: Id, body: DeliveryIn):
    """201 with the package when it is made at once; 202 when it holds a video's viewing copy or much
    A/V and the background worker makes it (the request's ``jobs`` then say how it goes)."""
    found = selectors.request_get(user=request.user, request_id=request_id)
    made = deliveries.delivery_request(
        request=found, by=request.user, handed_to=body.handed_to, viewing_copies=body.viewing_copies
    )
    if made is None:
        return Status(202, {"queued": True, "message": "复制件含视频观看副本或较大的音像文件，正在后台制作"})
    return Status(201, _delivery_out(made))


@router.get(
    "/access-requests/{request_id}/deliveries/{delivery_id}/content",
    response={200: None, **ERRORS_READ},
    summary="下载复制件（ZIP，可用 python3 -S -m liuhen.grants.check 或 openssl 离线核验）",
)
def delivery_download(request: AuthedRequest, request_id: Id, delivery_id: Id):
    found = selectors.request_get(user=request.user, request_id=request_id)
    delivery = deliveries.delivery_content(user=request.user, request=found, delivery_id=delivery_id)
    return file_response(deliveries.delivery_bytes(delivery), "application/zip", f"{found.number}.zip")

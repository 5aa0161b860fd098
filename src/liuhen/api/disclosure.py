"""A party's or an agent's requests (依申请公开, issue #13, R6.2): register, extend once, decide,
approve, redact, deliver, download the package.

The desk is whoever holds ``disclosure.handle`` (the legal unit, the head): anyone else gets 403 on the
list and on registering, and 404 for any one request. The approval is by the role the agency's profile
names (gaochang-sthj§31: the head), never by the person who decided. A redaction region outside the
frame or the recording is a 422 naming it (``regions[1]``, ``mute[0]``, ``rects[0]``). A video is
rendered inline, within the request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from liuhen.access import scope
from liuhen.accounts.roles import Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from liuhen.core.errors import NotFound, PermissionDenied, invalid
from liuhen.core.responses import file_response
from liuhen.disclosure import delivery as deliveries
from liuhen.disclosure import redaction, selectors, services
from liuhen.disclosure.models import DisclosureRequest
from liuhen.disclosure.state import standing
from liuhen.media.redact import Rect, TimeRange, VideoRegion

router = Router(tags=["disclosure 依申请公开"])


def _desk(request: AuthedRequest) -> None:
    if not request.user.can(Permission.DISCLOSURE_HANDLE):
        raise PermissionDenied("只有依申请公开受理人员（法制审核、机关负责人）可以办理")


class ItemOut(Schema):
    kind: str = Field(description="document / media")
    id: int
    outcome: str = Field("", description="given 公开 / redacted 遮蔽后公开 / withheld 不予公开；未决定时为空")


class AttachmentOut(Schema):
    id: int
    kind: str = Field(description="identity 身份证明 / authorisation 授权委托书 / other")
    media_type: str
    size: int
    sha256: str


class JobOut(Schema):
    state: str
    since: datetime
    reason: str


class RedactionOut(Schema):
    id: int
    kind: str = Field(description="document / media")
    record_id: int
    original_sha256: str
    sha256: str
    size: int
    made_at: datetime


class RequestOut(Schema):
    id: int
    number: str = Field(description="如 依申请〔2026〕3号")
    status: str = Field(description="待答复 / 待遮蔽 / 待审批 / 审批未同意 / 待送达 / 已送达")
    next_step: str = Field(description="decide / redact / approve / deliver / 空")
    overdue: bool = Field(description="未送达且已过答复期限")
    received_on: date
    due_on: date = Field(description="答复期限（延期后为延长后的期限）")
    due_provisional: bool = Field(description="期限按未公布调休安排的节假日计算，仅供参考")
    extended: bool
    requester_kind: str = Field(description="party 当事人本人 / agent 委托代理人")
    requester_name: str
    requester_id_type: str
    requester_id_number: str = Field(description="无 personal.view 权限时打码")
    requester_phone: str
    requester_address: str
    case_id: int | None
    party_id: int | None
    asked_for: str
    items: list[ItemOut]
    outcome: str = Field(description="grant / partial / refuse；未决定时为空")
    reason: str = Field(description="法定理由（引用《政府信息公开条例》条款）")
    approved: bool | None = Field(description="审批结果；无需审批或未审批时为空")
    attachments: list[AttachmentOut]
    redactions: list[RedactionOut]
    jobs: list[JobOut] = Field(description="后台正在生成或生成失败的录音录像遮蔽件")
    delivered_method: str
    delivered_to: str
    package_sha256: str


def _out(request: DisclosureRequest) -> dict:
    st = standing(request)
    decision = st.decision
    approval = (
        getattr(decision, "approval", None) if decision is not None and _has_approval(decision) else None
    )
    outcomes = {(i["kind"], i["id"]): i["outcome"] for i in decision.items} if decision else {}
    delivered = request.delivery if st.delivered else None
    return {
        "id": request.pk,
        "number": request.number,
        "status": st.label,
        "next_step": st.next_step,
        "overdue": st.overdue,
        "received_on": request.received_on,
        "due_on": st.due_on,
        "due_provisional": st.provisional,
        "extended": st.extended,
        "requester_kind": request.requester_kind,
        "requester_name": request.requester_name,
        "requester_id_type": request.requester_id_type,
        "requester_id_number": request.requester_id_number,
        "requester_phone": request.requester_phone,
        "requester_address": request.requester_address,
        "case_id": request.case_id,
        "party_id": request.party_id,
        "asked_for": request.asked_for,
        "items": [{**i, "outcome": outcomes.get((i["kind"], i["id"]), "")} for i in request.items],
        "outcome": decision.outcome if decision else "",
        "reason": services.REASONS.get(decision.reason, "") if decision else "",
        "approved": approval.approved if approval else None,
        "attachments": [
            {"id": a.pk, "kind": a.kind, "media_type": a.media_type, "size": a.size, "sha256": a.sha256}
            for a in request.attachments.all()
        ],
        "redactions": [
            {
                "id": r.pk,
                "kind": r.source_kind,
                "record_id": r.source_id,
                "original_sha256": r.original_sha256,
                "sha256": r.sha256,
                "size": r.size,
                "made_at": r.made_at,
            }
            for r in request.redactions.all()
        ],
        "jobs": [vars(job) for job in redaction.redaction_jobs(request)],
        "delivered_method": delivered.method if delivered else "",
        "delivered_to": delivered.recipient if delivered else "",
        "package_sha256": delivered.sha256 if delivered else "",
    }


def _has_approval(decision: object) -> bool:
    try:
        decision.approval  # type: ignore[attr-defined]  # noqa: B018
    except Exception:  # no approval row
        return False
    return True


def _get(request: AuthedRequest, request_id: int) -> DisclosureRequest:
    return selectors.request_get(user=request.user, request_id=request_id)


@router.get("/disclosure-requests", response={200: list[RequestOut], **ERRORS_LIST}, summary="依申请公开列表")
def request_list(request: AuthedRequest, open_only: bool = False):
    """The desk's requests, newest first; overdue ones flagged (``overdue``), never dropped."""
    _desk(request)
    return [_out(item.request) for item in selectors.request_list(user=request.user, open_only=open_only)]


class RegisterIn(Schema):
    requester_kind: Literal["party", "agent"]
    requester_name: str = Field(max_length=200)
    requester_id_type: str = Field("", max_length=32)
    requester_id_number: str = Field("", max_length=64)
    requester_phone: str = Field("", max_length=32)
    requester_address: str = Field("", max_length=300)
    asked_for: str = Field(max_length=2000, description="申请公开的内容")
    received_on: date
    case_id: int | None = None
    party_id: int | None = None
    items: str = Field("", description="申请公开的记录，逗号分隔：document:12,media:5")


def parse_items(text: str) -> list[tuple[str, int]]:
    """``document:12,media:5`` → [("document", 12), ("media", 5)]; 422 at ``items`` otherwise."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, _, pk = part.partition(":")
        if kind not in services.ITEM_KINDS or not pk.isdigit():
            raise invalid("items", "invalid", "记录应写作 document:编号 或 media:编号，以逗号分隔")
        out.append((kind, int(pk)))
    return out


@router.post(
    "/disclosure-requests",
    response={201: RequestOut, **ERRORS_WRITE},
    summary="登记依申请公开（multipart：身份证明、授权委托书作为附件）",
)
def request_register(
    request: AuthedRequest,
    data: Form[RegisterIn],
    identity: File[UploadedFile | None] = None,
    authorisation: File[UploadedFile | None] = None,
):
    """The deadline is computed on working days (the holiday calendar); a case or record the desk cannot
    see is 404. Attachments are sniffed from their bytes: PDF, JPEG or PNG."""
    if data.case_id is not None and not scope.cases(request.user).filter(pk=data.case_id).exists():
        raise NotFound(f"案件 {data.case_id} 不存在")  # before the role: what is out of scope is not there
    _desk(request)
    uploads = [
        services.Upload(kind, upload.name or kind, upload.chunks())
        for kind, upload in (("identity", identity), ("authorisation", authorisation))
        if upload is not None
    ]
    facts = services.RequestFacts(**{**data.dict(), "items": parse_items(data.items)})
    created = services.request_register(by=request.user, facts=facts, uploads=uploads)
    return Status(201, _out(_get(request, created.pk)))


@router.get(
    "/disclosure-requests/{request_id}", response={200: RequestOut, **ERRORS_READ}, summary="依申请公开详情"
)
def request_detail(request: AuthedRequest, request_id: Id):
    return _out(_get(request, request_id))


class ExtendIn(Schema):
    reason: str = Field(max_length=2000)


@router.post(
    "/disclosure-requests/{request_id}/extension",
    response={200: RequestOut, **ERRORS_WRITE},
    summary="延长答复期限（一次，机关负责人同意）",
)
def request_extend(request: AuthedRequest, request_id: Id, body: ExtendIn):
    target = selectors.request_for_change(user=request.user, request_id=request_id)
    services.request_extend(request=target, by=request.user, reason=body.reason)
    return _out(_get(request, request_id))


class ItemDecisionIn(Schema):
    kind: Literal["document", "media"]
    id: int
    outcome: Literal["given", "redacted", "withheld"]


class DecideIn(Schema):
    outcome: Literal["grant", "partial", "refuse"]
    reason: str = Field("", description="法定理由代码：" + "、".join(services.REASONS))
    note: str = Field("", max_length=2000)
    items: list[ItemDecisionIn]


@router.post(
    "/disclosure-requests/{request_id}/decision",
    response={200: RequestOut, **ERRORS_WRITE},
    summary="答复决定：予以公开、部分公开或不予公开",
)
def request_decide(request: AuthedRequest, request_id: Id, body: DecideIn):
    target = selectors.request_for_change(user=request.user, request_id=request_id)
    services.request_decide(
        request=target,
        by=request.user,
        outcome=body.outcome,
        reason=body.reason,
        note=body.note,
        item_outcomes={(i.kind, i.id): i.outcome for i in body.items},
    )
    return _out(_get(request, request_id))


class ApproveIn(Schema):
    approved: bool
    note: str = Field("", max_length=2000)


@router.post(
    "/disclosure-requests/{request_id}/approval",
    response={200: RequestOut, **ERRORS_WRITE},
    summary="审批答复决定（规则配置的审批人；作出决定者不能审批）",
)
def request_approve(request: AuthedRequest, request_id: Id, body: ApproveIn):
    target = selectors.request_for_change(user=request.user, request_id=request_id)
    services.decision_approve(request=target, by=request.user, approved=body.approved, note=body.note)
    return _out(_get(request, request_id))


class RectIn(Schema):
    x: int
    y: int
    w: int
    h: int


class RegionIn(RectIn):
    start: float = Field(description="起（秒）")
    end: float = Field(description="止（秒）")


class SpanIn(Schema):
    start: float
    end: float


class RedactIn(Schema):
    kind: Literal["document", "media"]
    id: int
    fields: list[str] = Field(default_factory=list, description="文书：需遮蔽的栏目名")
    rects: list[RectIn] = Field(default_factory=list, description="照片：遮蔽矩形（像素）")
    regions: list[RegionIn] = Field(default_factory=list, description="录像：遮蔽区域及时段")
    mute: list[SpanIn] = Field(default_factory=list, description="录音录像：静音时段")


class RedactionQueuedOut(Schema):
    queued: bool
    message: str


@router.post(
    "/disclosure-requests/{request_id}/redactions",
    response={201: RedactionOut, 202: RedactionQueuedOut, **ERRORS_WRITE},
    summary="遮蔽：生成遮蔽件（原件不变）",
)
def request_redact(request: AuthedRequest, request_id: Id, body: RedactIn):
    """201 with the derivative of a document or photo; 202 for a recording, checked at once (a region
    outside the frame or a range outside the recording is 422 naming it) and rendered by the
    background worker (the request's ``jobs`` then say how it goes)."""
    target = selectors.request_for_change(user=request.user, request_id=request_id)
    made: Any
    if body.kind == "document":
        made = redaction.redact_document(
            request=target, by=request.user, document_id=body.id, fields=body.fields
        )
    else:
        made = redaction.redact_media_request(
            request=target,
            by=request.user,
            media_id=body.id,
            rects=[Rect(r.x, r.y, r.w, r.h) for r in body.rects],
            regions=[VideoRegion(Rect(r.x, r.y, r.w, r.h), r.start, r.end) for r in body.regions],
            mute=[TimeRange(m.start, m.end) for m in body.mute],
        )
    if made is None:
        return Status(202, {"queued": True, "message": "录音录像的遮蔽件正在后台生成"})
    return Status(
        201,
        {
            "id": made.pk,
            "kind": made.source_kind,
            "record_id": made.source_id,
            "original_sha256": made.original_sha256,
            "sha256": made.sha256,
            "size": made.size,
            "made_at": made.made_at,
        },
    )


class DeliverIn(Schema):
    method: Literal["in_person", "mail", "electronic"]
    recipient: str = Field(max_length=200)


@router.post(
    "/disclosure-requests/{request_id}/delivery",
    response={200: RequestOut, **ERRORS_WRITE},
    summary="送达（公开或部分公开时生成签名交付包）",
)
def request_deliver(request: AuthedRequest, request_id: Id, body: DeliverIn):
    target = selectors.request_for_change(user=request.user, request_id=request_id)
    deliveries.request_deliver(request=target, by=request.user, method=body.method, recipient=body.recipient)
    return _out(_get(request, request_id))


@router.get(
    "/disclosure-requests/{request_id}/package",
    response={200: None, **ERRORS_READ},
    summary="下载交付包（zip：文件、签名清单、核验二维码）",
)
def request_package(request: AuthedRequest, request_id: Id):
    target = _get(request, request_id)
    delivered = getattr(target, "delivery", None) if standing(target).delivered else None
    if delivered is None:
        raise NotFound("该申请尚未送达，没有交付包")
    return file_response(deliveries.package_bytes(delivered), "application/zip", f"{target.number}.zip")

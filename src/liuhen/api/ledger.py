"""Ledger endpoints: checkpoint, entries, inclusion and consistency proofs, receipts, integrity alerts.

Proofs and checkpoints hold only hashes and signatures; entries name people, so they are scoped like
the records they describe (:func:`liuhen.ledger.selectors.entry_visible_get`). A receipt is a
c2sp.org/tlog-proof@v1 text with the entry's bytes in its ``extra`` line: its holder checks it with
``python -m liuhen.tlog.receipt RECEIPT --key <verifier key>`` and nothing else.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id, Index
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, errors
from liuhen.archive import alerts as alerts_service
from liuhen.cases import selectors as case_selectors
from liuhen.evidence import selectors as evidence_selectors
from liuhen.ledger import keys, proofs
from liuhen.ledger import selectors as ledger_selectors
from liuhen.ledger.checkpoints import checkpoint_issue

router = Router(tags=["ledger 防篡改日志"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class CheckpointOut(Schema):
    size: int
    root_hash: str
    note: str
    verifier_keys: list[str]


class EntryOut(Schema):
    index: int
    entry: str  # base64 of the canonical bytes
    leaf_hash: str
    body: dict[str, Any]


class InclusionOut(Schema):
    index: int
    proof: str  # c2sp.org/tlog-proof@v1
    verifier_key: str


class ConsistencyOut(Schema):
    old: int
    new: int
    hashes: list[str]


class ReceiptOut(Schema):
    record: str
    index: int
    proof: str
    verifier_key: str
    entry: str
    qr_svg: str
    verify_command: str


class AckOut(Schema):
    by_id: int | None = Field(description="空：系统（原因已消除）")
    note: str
    at: datetime
    ledger_index: int


class AlertOut(Schema):
    id: int
    kind: str
    subject: str
    detail: str
    ledger_index: int | None
    created_at: datetime
    acknowledgement: AckOut | None = None

    @staticmethod
    def resolve_acknowledgement(obj):
        return getattr(obj, "acknowledgement", None)


class AckIn(Schema):
    note: str = Field(min_length=1, max_length=2000, description="处理情况（必填）")


@router.get(
    "/ledger/verifier-keys", response={200: list[str]}, auth=None, summary="日志验证公钥（含已轮换的旧公钥）"
)
def verifier_keys(request):
    return keys.verifier_keys()


LeafHash = Annotated[str, Field(description="叶哈希：64 位十六进制（大小写均可）")]


class LeafCheckpointOut(Schema):
    size: int
    root_hash: str = Field(description="base64")
    note: str = Field(description="签名检查点全文（C2SP signed note）")
    signed_at: datetime


class LeafOut(Schema):
    found: bool
    leaf_hash: str = Field(description="64 位小写十六进制")
    index: int
    checkpoint: LeafCheckpointOut
    proof: str = Field(description="c2sp.org/tlog-proof@v1 包含性证明（不含条目内容）")
    verifier_keys: list[str]


@router.get(
    "/ledger/leaves/{leaf_hash}",
    response={200: LeafOut, **errors(404, 422)},
    auth=None,
    summary="按叶哈希核验记录是否在日志中（公开，二维码核验页的 JSON）",
)
def leaf(request, leaf_hash: LeafHash):
    found = proofs.leaf_inclusion(proofs.leaf_hash_parse(leaf_hash))
    checkpoint = found.checkpoint
    return {
        "found": True,
        "leaf_hash": leaf_hash.lower(),
        "index": found.index,
        "checkpoint": {
            "size": checkpoint.size,
            "root_hash": _b64(bytes(checkpoint.root_hash)),
            "note": checkpoint.note,
            "signed_at": checkpoint.created_at,
        },
        "proof": found.proof,
        "verifier_keys": found.verifier_keys,
    }


@router.get(
    "/ledger/checkpoint",
    response={200: CheckpointOut, **errors(401)},
    summary="最新签名检查点（日志增长时即时签发）",
)
def checkpoint(request: AuthedRequest):
    latest = checkpoint_issue()
    return {
        "size": latest.size,
        "root_hash": _b64(bytes(latest.root_hash)),
        "note": latest.note,
        "verifier_keys": keys.verifier_keys(),
    }


@router.get("/ledger/entries/{index}", response={200: EntryOut, **ERRORS_READ}, summary="日志条目")
def entry(request: AuthedRequest, index: Index):
    found = ledger_selectors.entry_visible_get(user=request.user, index=index)
    body = bytes(found.body)
    return {
        "index": found.index,
        "entry": _b64(body),
        "leaf_hash": _b64(bytes(found.leaf_hash)),
        "body": json.loads(body),
    }


@router.get("/ledger/proofs/inclusion", response={200: InclusionOut, **ERRORS_READ}, summary="包含性证明")
def inclusion(request: AuthedRequest, index: Index):
    return {
        "index": index,
        "proof": proofs.inclusion_proof_text(index),
        "verifier_key": keys.current_verifier_key(),
    }


class ConsistencyQuery(Schema):
    old: Index
    new: Index | None = None


@router.get("/ledger/proofs/consistency", response={200: ConsistencyOut, **ERRORS_READ}, summary="一致性证明")
def consistency(request: AuthedRequest, q: Query[ConsistencyQuery]):
    new = q.new if q.new is not None else checkpoint_issue().size
    return {"old": q.old, "new": new, "hashes": [_b64(h) for h in proofs.consistency_hashes(q.old, new)]}


@router.get("/ledger/alerts", response={200: list[AlertOut], **ERRORS_LIST}, summary="完整性告警（管理员）")
def alerts(request: AuthedRequest, open: bool = False):  # noqa: A002 - the query parameter's name
    select = alerts_service.open_alerts if open else alerts_service.alert_list
    return list(select(user=request.user)[:500])


@router.post(
    "/ledger/alerts/{alert_id}/acknowledge",
    response={201: AckOut, **ERRORS_WRITE},
    summary="登记告警处理情况（管理员）",
)
def alert_acknowledge(request: AuthedRequest, alert_id: Id, data: AckIn):
    alert = alerts_service.alert_get(user=request.user, alert_id=alert_id)
    return Status(201, alerts_service.alert_acknowledge(alert=alert, by=request.user, note=data.note))


def _receipt(record: str, action: str, object_type: str, object_id: int, fmt: str):
    receipt = proofs.receipt_for(
        proofs.record_entry(action=action, object_type=object_type, object_id=object_id)
    )
    if fmt == "text":
        return HttpResponse(receipt.proof, content_type="text/plain; charset=utf-8")
    if fmt == "svg":
        return HttpResponse(receipt.qr_svg(), content_type="image/svg+xml")
    return {
        "record": record,
        "index": receipt.index,
        "proof": receipt.proof,
        "verifier_key": receipt.verifier_key,
        "entry": _b64(receipt.entry),
        "qr_svg": receipt.qr_svg(),
        "verify_command": "python -m liuhen.tlog.receipt RECEIPT.txt --key '<verifier key>'",
    }


ReceiptFormat = Literal["json", "text", "svg"]
# format=text is the bare c2sp.org/tlog-proof@v1 text, format=svg the QR code alone
_RECEIPT_FORMATS = {
    "responses": {
        200: {
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "image/svg+xml": {"schema": {"type": "string"}},
            }
        }
    }
}


@router.get(
    "/documents/{document_id}/receipt",
    response={200: ReceiptOut, **ERRORS_READ},
    openapi_extra=_RECEIPT_FORMATS,
    summary="文书存证回执",
)
def document_receipt(request: AuthedRequest, document_id: Id, format: ReceiptFormat = "json"):
    document = case_selectors.document_get(user=request.user, document_id=document_id)
    return _receipt(f"document {document.pk}", "document.created", "document", document.pk, format)


@router.get(
    "/media/{media_id}/receipt",
    response={200: ReceiptOut, **ERRORS_READ},
    openapi_extra=_RECEIPT_FORMATS,
    summary="音像记录存证回执",
)
def media_receipt(request: AuthedRequest, media_id: Id, format: ReceiptFormat = "json"):
    record = evidence_selectors.media_get(user=request.user, media_id=media_id)
    return _receipt(f"media {record.pk}", "media.uploaded", "media", record.pk, format)

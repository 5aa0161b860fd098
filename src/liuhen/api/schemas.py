"""Input and output schemas of the API (nested, thin — the services do the real validation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from liuhen.api.inputs import Id

ErrorItem = dict[str, str]


class ErrorOut(Schema):
    error: str = Field(description="machine-readable error code")
    message: str = Field(description="human-readable message (Chinese)")
    errors: list[dict[str, str]] = Field(description="per-field problems: field, reason, message")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Declared error responses, all of one shape: ``response={200: X, **errors(404, 422)}``."""
    return dict.fromkeys(statuses, ErrorOut)


# 401 no or a bad token; 403 the role lacks the right; 404 not found or out of scope; 422 a parameter
# that does not parse (an id beyond 64 bits, a NUL character, a datetime without a time zone …).
ERRORS_READ = errors(401, 403, 404, 422)
# … and 400 a body that does not parse; 409 not allowed in the case's state; 413 too large;
# 507 the disk or the blob store is full (nothing was saved).
ERRORS_WRITE = errors(400, 401, 403, 404, 409, 413, 422, 507)
# a list: nothing to find, only the role and the parameters can be refused
ERRORS_LIST = errors(401, 403, 422)


class UserBrief(Schema):
    id: int
    username: str
    name: str = Field(alias="display_name")


class MeOut(Schema):
    id: int
    username: str
    name: str
    agency: str | None
    agency_name: str | None
    roles: list[str]
    certificate_no: str


class PartyIn(Schema):
    kind: Literal["person", "organisation"]
    name: str = Field(min_length=1, max_length=200)
    id_type: str = Field("", max_length=32)
    id_number: str = Field("", max_length=64)
    legal_representative: str = Field("", max_length=64)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=32)


class PartyOut(Schema):
    id: int
    kind: str
    name: str
    id_type: str
    id_number_masked: str
    legal_representative: str
    address: str


class CaseIn(Schema):
    procedure: Literal["general", "summary"]
    initiation_kind: Literal["ex_officio", "application", "complaint", "transferred"]
    cause: str = Field(min_length=1, max_length=200, description="案由")
    summary: str = Field("", max_length=5000, description="基本案情")
    source: str = Field("", max_length=200, description="案件来源")
    party_ids: list[Id] = Field(default_factory=list)
    handler_id: Id | None = None
    emergency_start: bool = False
    is_real_name_complaint: bool = False
    confidential: bool = False
    flags: list[str] = Field(default_factory=list)


class CaseOut(Schema):
    id: int
    case_no: str
    agency: str = Field(alias="agency.code")
    procedure: str
    initiation_kind: str
    cause: str
    summary: str
    source: str
    stage: str
    stage_label: str
    emergency_start: bool
    emergency_started_at: datetime | None
    confidential: bool
    flags: list[str]
    handler: UserBrief
    opened_at: datetime
    enforcement_ended_at: datetime | None
    archived_at: datetime | None


class TransitionIn(Schema):
    to_stage: Literal["initiation", "investigation", "decision", "service_enforcement", "closed", "archived"]
    reason: str = Field("", max_length=2000)
    override: bool = False


class TransitionOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    at: datetime
    by: UserBrief
    reason: str
    override: bool


class TimelineItemOut(Schema):
    at: datetime
    kind: str
    title: str
    actor: str
    detail: str
    ids: dict[str, int]
    flag: str


class SignatureIn(Schema):
    signer_role: str = Field(max_length=32)
    signer_name: str = Field(min_length=1, max_length=64)
    method: Literal["handwritten_scan", "electronic", "seal", "fingerprint"]
    signed_at: datetime | None = None
    cross_page_seal: bool = False


class SignatureOut(Schema):
    id: int
    signer_role: str
    signer_name: str
    method: str
    cross_page_seal: bool
    signed_at: datetime


class RefusalIn(Schema):
    refuser_role: str = Field(max_length=32)
    refuser_name: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    second_officer_username: str = Field(
        min_length=1, max_length=150, description="第二名执法人员的用户名（第一名为当前登录人）"
    )
    second_officer_password: str = Field(
        min_length=1, max_length=256, description="第二名执法人员本人的密码，在同一设备上输入"
    )


class RefusalOut(Schema):
    id: int
    refuser_role: str
    refuser_name: str
    reason: str
    noted_at: datetime


class MarkIn(Schema):
    kind: Literal["stroke", "fingerprint", "seal"] = Field(description="手写签名 / 手印 / 印章")
    signature_id: Id | None = Field(None, description="所证明的签名（同一文书）")
    amendment_id: Id | None = Field(None, description="所确认的更正（更改处捺手印或盖章）")
    strokes: str = Field(
        "", max_length=1_500_000, description="kind stroke: JSON [[[x, y, t_ms, pressure], …], …]"
    )
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0)


class MarkOut(Schema):
    id: int
    document_id: int
    signature_id: int | None
    amendment_id: int | None
    kind: str
    sha256: str
    size: int
    content_type: str
    width: int
    height: int
    strokes: list[Any]
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    created_at: datetime


class SignedCopyIn(Schema):
    version: int | None = Field(None, ge=0, le=32767, description="所签文本的版本（0 为原始文本；默认当前）")
    note: str = Field("", max_length=500)


class SignedCopyOut(Schema):
    id: int
    document_id: int
    version: int
    sha256: str
    size: int
    content_type: str
    page_count: int | None
    note: str
    created_at: datetime
    created_by: UserBrief


class AmendmentIn(Schema):
    changes: dict[str, Any] = Field(description="field name → corrected value")
    reason: str = Field(min_length=1, max_length=2000)
    party_ack_method: Literal["", "fingerprint", "seal", "handwritten_scan", "electronic"] = ""
    party_ack_name: str = Field("", max_length=64)


class AmendmentOut(Schema):
    id: int
    changes: dict[str, Any]
    reason: str
    amended_at: datetime
    party_ack_method: str
    party_ack_name: str
    body_sha256: str


class DocumentOut(Schema):
    id: int
    case_id: int
    doc_type: str
    title: str
    number: str
    fields: dict[str, Any]
    current_fields: dict[str, Any]
    body_sha256: str
    stage: str
    confidential: bool
    created_at: datetime
    created_by: UserBrief
    signatures: list[SignatureOut]
    refusals: list[RefusalOut]
    amendments: list[AmendmentOut]
    marks: list[MarkOut]
    signed_copies: list[SignedCopyOut]


class ApprovalIn(Schema):
    kind: Literal[
        "handler_proposal",
        "review",
        "approval",
        "legal_review",
        "collective_discussion",
        "head_approval",
        "late_approval",
    ]
    decision: Literal["approve", "reject", "noted"]
    opinion: str = Field(min_length=1, max_length=5000)
    document_id: Id | None = None


class ApprovalOut(Schema):
    id: int
    kind: str
    decision: str
    opinion: str
    decided_at: datetime
    actor: UserBrief
    actor_role: str
    document_id: int | None


class MediaOut(Schema):
    id: int
    case_id: int | None
    kind: str
    activity: str
    title: str
    sha256: str
    size: int
    content_type: str
    original_filename: str
    device_no: str
    officers: list[str]
    location: str
    captured_start: datetime | None
    captured_end: datetime | None
    remote_work: bool
    returned_at: datetime | None
    linked_documents: list[int]
    uploaded_at: datetime
    uploaded_by: UserBrief


class FieldSpecOut(Schema):
    name: str
    label: str
    kind: str
    required: bool
    help: str
    choices: list[list[str]]


class DocumentTypeOut(Schema):
    code: str
    title: str
    stages: list[str]
    fields: list[FieldSpecOut]
    variant_field: str | None
    variants: dict[str, list[FieldSpecOut]]

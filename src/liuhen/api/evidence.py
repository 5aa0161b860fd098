"""A/V evidence endpoints: content lookup by hash, intake details, the 24-hour rule, devices, interruptions.

Resumable uploads themselves are served by tus at ``/api/uploads/`` (``liuhen.evidence.tus_view``).
"""

from __future__ import annotations

import re
from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from liuhen.accounts.selectors import colleague_get
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from liuhen.cases import selectors as case_selectors
from liuhen.core.errors import invalid
from liuhen.evidence import selectors
from liuhen.evidence.services import devices, interruptions
from liuhen.evidence.timeliness import TimelinessFigures

router = Router(tags=["evidence 音像证据与设备"])
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}\Z")


class StoredCopy(Schema):
    id: int
    case_id: int | None
    size: int
    uploaded_at: datetime


class ExistsOut(Schema):
    sha256: str
    exists: bool
    media: list[StoredCopy]


@router.get("/media/exists", response={200: ExistsOut, **ERRORS_LIST}, summary="按 SHA-256 查询是否已入库")
def media_exists(request: AuthedRequest, sha256: str):
    if not _HEX64.match(sha256):
        raise invalid("sha256", "invalid", "sha256 须为 64 位十六进制")
    found = selectors.media_with_hash(user=request.user, sha256=sha256)
    return {"sha256": sha256.lower(), "exists": bool(found), "media": found}


class TimelinessOut(Schema):
    status: str
    deadline: datetime | None
    counted_from: str
    overdue_seconds: int
    reason: str


class IntakeOut(Schema):
    media_id: int
    probe: dict
    format_flagged: bool
    poster_sha256: str
    device_flag: str
    late_cause: str
    received_at: datetime
    timeliness: TimelinessOut


@router.get(
    "/media/{media_id}/intake", response={200: IntakeOut, **ERRORS_READ}, summary="入库信息：探测结果与标记"
)
def media_intake(request: AuthedRequest, media_id: Id):
    intake = selectors.intake_get(user=request.user, media_id=media_id)
    timeliness = selectors.media_timeliness(intake.media)
    return {
        **{f: getattr(intake, f) for f in IntakeOut.model_fields if f != "timeliness"},
        "timeliness": timeliness,
    }


class FiguresOut(Schema):
    key: str
    total: int
    on_time: int
    late: int
    late_with_cause: int
    unknown: int
    on_time_percent: int | None


class LateOut(Schema):
    media_id: int
    case_id: int | None
    officers: list[str]
    device_no: str
    deadline: datetime | None
    overdue_seconds: int
    late_cause: str


class TimelinessReportOut(Schema):
    by_officer: list[FiguresOut]
    by_device: list[FiguresOut]
    late: list[LateOut]


def _figures(f: TimelinessFigures) -> dict:
    return {**vars(f), "on_time_percent": f.on_time_percent}


@router.get(
    "/evidence/timeliness", response={200: TimelinessReportOut, **ERRORS_LIST}, summary="24小时上传统计"
)
def timeliness(request: AuthedRequest, since: datetime | None = None, until: datetime | None = None):
    report = selectors.timeliness_report(user=request.user, since=since, until=until)
    late = [
        {
            "media_id": m.pk,
            "case_id": m.case_id,
            "officers": m.officers,
            "device_no": m.device_no,
            "deadline": t.deadline,
            "overdue_seconds": t.overdue_seconds,
            "late_cause": cause,
        }
        for m, t, cause in report.late
    ]
    return {
        "by_officer": [_figures(f) for f in report.by_officer],
        "by_device": [_figures(f) for f in report.by_device],
        "late": late,
    }


class DeviceOut(Schema):
    id: int
    number: str
    kind: str
    model_name: str
    unit_id: int | None
    custodian_id: int | None
    holder_id: int | None
    holder_name: str = ""
    status: str

    @staticmethod
    def resolve_holder_name(obj) -> str:
        return obj.holder.display_name if obj.holder_id else ""


class DeviceIn(Schema):
    number: str = Field(min_length=1, max_length=64)
    kind: str = Field("body_camera", max_length=16)
    model_name: str = Field("", max_length=100)


class DeviceEventIn(Schema):
    kind: str = Field(
        max_length=16, description="handed_out / returned / checked / fault / repaired / retired"
    )
    holder_id: Id | None = None
    battery_percent: int | None = Field(None, ge=0, le=100)
    free_storage_mb: int | None = Field(None, ge=0, le=2**31 - 1)
    functions_ok: bool = Field(True, description="使用前检查：镜头、时钟、录音录像等功能正常；否则检查不合格")
    note: str = Field("", max_length=1000)


class DeviceEventOut(Schema):
    id: int
    kind: str
    status_after: str
    at: datetime
    by_id: int
    holder_id: int | None
    battery_percent: int | None
    free_storage_mb: int | None
    check_passed: bool | None
    note: str


@router.get("/devices", response={200: list[DeviceOut], **ERRORS_LIST}, summary="设备登记簿")
def device_list(request: AuthedRequest, number: str | None = None):
    qs = selectors.device_list(user=request.user)
    return qs.filter(number=number) if number else qs


@router.post("/devices", response={201: DeviceOut, **ERRORS_WRITE}, summary="登记设备")
def device_register(request: AuthedRequest, data: DeviceIn):
    return Status(
        201,
        devices.device_register(
            by=request.user, number=data.number, kind=data.kind, model_name=data.model_name
        ),
    )


@router.get(
    "/devices/{device_id}/events", response={200: list[DeviceEventOut], **ERRORS_READ}, summary="设备履历"
)
def device_events(request: AuthedRequest, device_id: Id):
    return selectors.device_get(user=request.user, device_id=device_id).events.all()


@router.post(
    "/devices/{device_id}/events",
    response={201: DeviceEventOut, **ERRORS_WRITE},
    summary="设备领用/归还/检查/故障/维修/报废",
)
def device_event(request: AuthedRequest, device_id: Id, data: DeviceEventIn):
    device = selectors.device_get(user=request.user, device_id=device_id, action="change")
    holder = None if data.holder_id is None else colleague_get(user=request.user, user_id=data.holder_id)
    fields = data.dict(exclude={"holder_id"})
    return Status(201, devices.device_event(device=device, by=request.user, holder=holder, **fields))


class InterruptionIn(Schema):
    reason: str = Field(max_length=16)
    interrupted_at: datetime
    resumed_at: datetime | None = None
    detail: str = Field("", max_length=2000)
    device_no: str = Field("", max_length=64)
    explanation_media_id: Id | None = None
    statement_id: Id | None = None


class InterruptionOut(Schema):
    id: int
    case_id: int
    reason: str
    detail: str
    device_no: str
    interrupted_at: datetime
    resumed_at: datetime | None
    explanation_media_id: int | None
    statement_id: int | None
    recorded_by_id: int
    recorded_at: datetime


@router.get(
    "/cases/{case_id}/interruptions",
    response={200: list[InterruptionOut], **ERRORS_READ},
    summary="音像记录中断",
)
def interruption_list(request: AuthedRequest, case_id: Id):
    return selectors.interruption_list(user=request.user, case_id=case_id)


@router.post(
    "/cases/{case_id}/interruptions",
    response={201: InterruptionOut, **ERRORS_WRITE},
    summary="登记音像记录中断",
)
def interruption_add(request: AuthedRequest, case_id: Id, data: InterruptionIn):
    case = case_selectors.case_get(user=request.user, case_id=case_id, action="change")
    clip = statement = None
    if data.explanation_media_id is not None:
        clip = selectors.media_get(user=request.user, media_id=data.explanation_media_id, action="change")
    if data.statement_id is not None:
        statement = case_selectors.document_get(
            user=request.user, document_id=data.statement_id, action="change"
        )
    fields = data.dict(exclude={"explanation_media_id", "statement_id"})
    return Status(
        201,
        interruptions.interruption_record(
            case=case, recorded_by=request.user, explanation_media=clip, statement=statement, **fields
        ),
    )

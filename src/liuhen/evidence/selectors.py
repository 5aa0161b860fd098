"""Reads of the evidence app, through the one access layer (:mod:`liuhen.access.scope`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from liuhen.access import Read, log_reads, scope
from liuhen.access.scope import Action
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.cases.selectors import active_assignments, case_queryset, visible_agency_ids
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.evidence.device_states import DEVICE_STATUS_LABELS
from liuhen.evidence.models import (
    Device,
    DeviceEvent,
    Interruption,
    MediaAssignment,
    MediaDocumentLink,
    MediaIntake,
    MediaRecord,
)
from liuhen.evidence.timeliness import Timeliness, TimelinessFigures, assess_upload
from liuhen.rules.upload import UploadDeadline, upload_deadline

# --- A/V records of a case, and one record (read from the access layer) ---------------------------


def case_media(*, user: User, case: Case) -> list[MediaRecord]:
    """A/V of ``case`` the user may see (``media.view``); listing a confidential one is a logged read."""
    records = list(scope.media_of_case(scope.media(user), case.pk).select_related("uploaded_by"))
    log_reads(user=user, reads=[Read(m, ("confidential",), case=case) for m in records if m.confidential])
    return records


def assignment_get(*, user: User, assignment_id: int) -> MediaAssignment:
    """A link (footage → case) whose footage and case the user may see and change; else not found."""
    row = scope.assignments(user, "change").select_related("case", "media").filter(pk=assignment_id).first()
    if row is None:
        raise NotFound(f"关联 {assignment_id} 不存在")
    return row


def case_media_all(case_id: int) -> QuerySet[MediaRecord]:
    """Every A/V record of a case, for the compliance engine and the integrity checks — never for a
    request (they reach footage through :func:`case_media`)."""
    return scope.media_of_case(MediaRecord.objects.all(), case_id)


def media_case_ids(media: MediaRecord) -> list[int]:
    """Every case the record belongs to: the one it was uploaded to and those it was assigned to."""
    assigned = active_assignments().filter(media=media).values_list("case_id", flat=True)
    return sorted({*([media.case_id] if media.case_id else []), *assigned})


def media_get(*, user: User, media_id: int, action: Action = "view", purpose: str = "viewed") -> MediaRecord:
    """A record the user may see (``media.view``); viewing a confidential one's record is logged."""
    record = scope.media(user, action).select_related("case", "agency").filter(pk=media_id).first()
    if record is None:
        raise NotFound(f"音像记录 {media_id} 不存在")
    if action == "view" and record.confidential:
        log_reads(
            user=user, reads=[Read(record, ("confidential",), case=_media_case(record))], purpose=purpose
        )
    return record


def media_open(*, user: User, media_id: int, purpose: str = "viewed") -> MediaRecord:
    """A record whose content is about to be played (``viewed``) or downloaded bit for bit
    (``downloaded``, a copy: 复制). The access layer says whether the user may, by standing right or
    under a live grant (:func:`liuhen.access.scope.content_grant`); a refusal says why (403). The A/V
    read is logged here, naming the grant it was made under."""
    from liuhen.grants.selectors import content_refusal  # grants builds on evidence

    record = scope.media(user).select_related("case", "agency").filter(pk=media_id).first()
    if record is None:
        raise NotFound(f"音像记录 {media_id} 不存在")
    copy = purpose == "downloaded"
    case_ids = media_case_ids(record)
    grant = scope.content_grant(user, record, case_ids, copy=copy)
    if grant is None:
        raise content_refusal(user, record, case_ids, copy=copy)
    reasons = ("av", "confidential") if record.confidential else ("av",)
    log_reads(
        user=user, reads=[Read(record, reasons, case=_media_case(record))], purpose=purpose, grant=grant
    )
    return record


def media_content_ids(*, user: User, media_ids: Iterable[int], copy: bool = False) -> set[int]:
    """Of ``media_ids``, those whose content ``user`` may play (or, ``copy``, download as originals)."""
    ids = list(media_ids)
    if not ids:
        return set()
    return set(scope.media_content(user, copy=copy).filter(pk__in=ids).values_list("pk", flat=True))


def _media_case(record: MediaRecord) -> Case | None:
    if record.case is not None:
        return record.case
    linked = media_case_ids(record)
    return Case.objects.select_related("agency").get(pk=linked[0]) if linked else None


def media_queryset(*, user: User) -> QuerySet[MediaRecord]:
    """A/V the user may see (:func:`liuhen.access.scope.media`)."""
    return scope.media(user)


def unassigned_media(*, user: User) -> QuerySet[MediaRecord]:
    """Footage of the user's own agency not tied to any case yet (待关联音像), newest first."""
    if user.agency_id is None:
        return MediaRecord.objects.none()
    qs = scope.media(user).filter(pk__in=scope.unassigned_media([user.agency_id]).values("pk"))
    return qs.select_related("uploaded_by").order_by("-uploaded_at", "-id")


def recent_assignments(*, user: User, days: int = 30) -> QuerySet[MediaAssignment]:
    """Links (not withdrawn) made in the user's agency in the last ``days`` days, newest first, on
    cases the user may see: what the 待关联音像 page offers to take back."""
    if not user.can(Permission.MEDIA_UPLOAD) or user.agency_id is None:
        return MediaAssignment.objects.none()
    since = clock.now() - timedelta(days=days)
    return (
        active_assignments()
        .filter(case__in=case_queryset(user=user), case__agency_id=user.agency_id, at__gte=since)
        .select_related("media", "case", "by")
        .order_by("-at", "-id")
    )


def active_document_links(*, case_id: int) -> QuerySet[MediaDocumentLink]:
    """Media→document links of a case that no later row has withdrawn — for the compliance engine and
    the services; a request reaches them through the footage it may see."""
    return MediaDocumentLink.objects.filter(
        case_id=case_id, withdraws__isnull=True, withdrawn_by__isnull=True
    )


def media_with_hash(*, user: User, sha256: str) -> list[MediaRecord]:
    """Records of this content in the user's scope (the ingest station's "already stored?")."""
    return list(media_queryset(user=user).filter(sha256=sha256.lower()).order_by("id"))


def intake_get(*, user: User, media_id: int) -> MediaIntake:
    try:
        return MediaIntake.objects.select_related("media").get(
            media__in=media_queryset(user=user), media_id=media_id
        )
    except MediaIntake.DoesNotExist:
        raise NotFound(f"音像记录 {media_id} 无入库信息") from None


def agency_upload_deadline(agency: Agency) -> UploadDeadline | None:
    """The agency's A/V upload rule, from its profile alone (``None``: its regulation sets none)."""
    return upload_deadline(agency_profile(agency))


def media_upload_due(record: MediaRecord, rule: UploadDeadline | None) -> datetime | None:
    """When ``record`` is due in the system under ``rule`` (its agency's, read once by the caller for
    many records: :func:`agency_upload_deadline`); ``None`` when no rule applies or it has no recording
    time."""
    return _assessed(record, rule).deadline


def media_timeliness(record: MediaRecord) -> Timeliness:
    """``record`` against its agency's upload rule."""
    return _assessed(record, agency_upload_deadline(record.agency))


def _assessed(record: MediaRecord, rule: UploadDeadline | None) -> Timeliness:
    return assess_upload(
        rule=rule,
        uploaded_at=record.uploaded_at,
        captured_start=record.captured_start,
        captured_end=record.captured_end,
        remote_work=record.remote_work,
        returned_at=record.returned_at,
    )


@dataclass(frozen=True)
class TimelinessReport:
    by_officer: list[TimelinessFigures]
    by_device: list[TimelinessFigures]
    late: list[tuple[MediaRecord, Timeliness, str]]


def timeliness_report(
    *, user: User, since: datetime | None = None, until: datetime | None = None
) -> TimelinessReport:
    """The upload rule per officer and per device over the user's visible A/V (R3.5); footage of an
    agency whose profile sets no upload deadline is not counted."""
    qs = media_queryset(user=user).select_related("intake").order_by("uploaded_at", "id")
    if since:
        qs = qs.filter(uploaded_at__gte=since)
    if until:
        qs = qs.filter(uploaded_at__lt=until)
    officers: dict[str, TimelinessFigures] = {}
    devices: dict[str, TimelinessFigures] = {}
    late = []
    agencies = Agency.objects.filter(pk__in=visible_agency_ids(user))
    rules = {agency.pk: agency_upload_deadline(agency) for agency in agencies}
    for record in qs:
        if rules.get(record.agency_id) is None:
            continue  # the agency's regulation sets no upload deadline: nothing to count
        result = _assessed(record, rules[record.agency_id])
        cause = getattr(getattr(record, "intake", None), "late_cause", "")
        for name in record.officers or ["（未标注）"]:
            officers.setdefault(name, TimelinessFigures(name)).add(result, has_cause=bool(cause))
        key = record.device_no or "（未标注）"
        devices.setdefault(key, TimelinessFigures(key)).add(result, has_cause=bool(cause))
        if result.status == "late":
            late.append((record, result, cause))
    return TimelinessReport(
        sorted(officers.values(), key=lambda f: f.key), sorted(devices.values(), key=lambda f: f.key), late
    )


def device_list(*, user: User, status: str = "") -> QuerySet[Device]:
    """The registry the user may see; only devices with ``status`` when one is given."""
    qs = scope.devices(user).select_related("holder", "custodian", "unit")
    return qs.filter(status=status) if status else qs


def device_last_checks(devices: Iterable[Device]) -> dict[int, DeviceEvent]:
    """The latest pre-duty check of each of ``devices`` (already scoped), by device id."""
    latest: dict[int, DeviceEvent] = {}
    checks = DeviceEvent.objects.filter(device__in=list(devices), kind="checked").order_by("at", "id")
    for event in checks:
        latest[event.device_id] = event
    return latest


def device_history(device: Device) -> list[DeviceEvent]:
    """Every event of ``device`` (already scoped), oldest first, with who and to whom."""
    return list(device.events.select_related("by", "holder").order_by("at", "id"))


def device_units(*, user: User) -> QuerySet[OrgUnit]:
    """The units of the user's own agency, where a device it registers may be kept."""
    if user.agency_id is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(agency_id=user.agency_id).order_by("name")


@dataclass(frozen=True)
class DeviceWarning:
    """Why footage is suspect because of the device that recorded it (R4): shown beside the footage."""

    badge: str  # 设备异常 / 未登记设备
    reason: str


_OUT_OF_USE = {"faulty", "retired"}


def media_device_warnings(*, user: User, media_ids: Iterable[int]) -> dict[int, DeviceWarning]:
    """For each visible record of ``media_ids`` whose device number names no registered device, or a
    device that was faulty or retired when the footage was uploaded, the warning to show, by media id.
    Footage without a device number has none (there is nothing to check)."""
    records = [m for m in scope.media(user).filter(pk__in=list(media_ids)) if m.device_no.strip()]
    devices = {
        (d.agency_id, d.number): d
        for d in Device.objects.filter(
            agency_id__in={m.agency_id for m in records}, number__in={m.device_no.strip() for m in records}
        )
    }
    events: dict[int, list[DeviceEvent]] = {}
    for event in DeviceEvent.objects.filter(device__in=list(devices.values())).order_by("at", "id"):
        events.setdefault(event.device_id, []).append(event)
    warnings = {}
    for m in records:
        device = devices.get((m.agency_id, m.device_no.strip()))
        warning = _device_warning(m, device, events.get(device.pk, []) if device else [])
        if warning is not None:
            warnings[m.pk] = warning
    return warnings


def _device_warning(m: MediaRecord, device: Device | None, events: list[DeviceEvent]) -> DeviceWarning | None:
    number = m.device_no.strip()
    before = [e for e in events if e.at <= m.uploaded_at]
    if device is None or not before:
        return DeviceWarning("未登记设备", f"设备编号 {number} 上传时未在本机关设备登记簿中登记")
    status = before[-1].status_after
    if status in _OUT_OF_USE:
        label = DEVICE_STATUS_LABELS[status]
        return DeviceWarning("设备异常", f"上传时设备 {number} 为「{label}」状态，不应在用")
    return None


def device_get(
    *, user: User, device_id: int | None = None, number: str | None = None, action: scope.Action = "view"
) -> Device:
    qs = scope.devices(user, action).select_related("holder", "custodian", "unit")
    if device_id is not None:
        qs = qs.filter(pk=device_id)
    elif user.agency_id is not None:
        qs = qs.filter(number=number, agency_id=user.agency_id)
    else:  # numbers are per agency: a user of no agency has no device by number
        qs = qs.none()
    try:
        return qs.get()
    except Device.DoesNotExist:
        raise NotFound(f"设备 {device_id or number} 不存在") from None


def interruption_list(*, user: User, case_id: int) -> QuerySet[Interruption]:
    if not case_queryset(user=user).filter(pk=case_id).exists():
        raise NotFound(f"案件 {case_id} 不存在")
    return scope.interruptions(user).filter(case_id=case_id).select_related("recorded_by")

"""From a finished upload to a media record: authorise, probe, store write-once, record (R3.5, R3.6, R5.1)."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Permission
from liuhen.archive.alerts import alerts_resolve
from liuhen.cases import selectors
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case, Document
from liuhen.cases.services.common import require, require_open, require_same_agency
from liuhen.compliance.services import agency_profile
from liuhen.core import clock
from liuhen.core.errors import DomainError, PermissionDenied, invalid
from liuhen.evidence.labels import UploadLabels
from liuhen.evidence.models import AgencyMediaSettings, Device, MediaIntake, MediaRecord
from liuhen.evidence.services.media import media_record_create
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append
from liuhen.media import MediaError, MediaInfo, poster_frame, preview, probe
from liuhen.rules.retention import lock_until, minimum_retention
from liuhen.storage import BlobRef
from liuhen.storage.base import blob_key

_KIND = {"photo": "photo", "audio": "audio", "video": "video", "unknown": "other"}


class WholeFileMismatch(DomainError):
    """The SHA-256 the client declared for the whole file is not what arrived."""

    status = 460
    code = "checksum_mismatch"


def held_subject(upload_id: str) -> str:
    """The subject of the integrity alert raised when this upload's hand-off is held for a person."""
    return f"upload {upload_id}"


def upload_limit_bytes(agency: Agency | None) -> int:
    """The largest file this agency accepts (its own setting, else ``LIUHEN_MAX_MEDIA_BYTES``)."""
    site = int(settings.LIUHEN_MAX_MEDIA_BYTES)
    row = AgencyMediaSettings.objects.filter(agency=agency).first() if agency else None
    return min(row.max_upload_bytes, site) if row else site


def upload_authorize(*, user: User, labels: UploadLabels) -> tuple[Case | None, list[Document]]:
    """May ``user`` add A/V to the labelled case (or, with no case, to the agency's unassigned A/V)?
    403 without the right or without an agency, 404 for a case out of scope."""
    # the case first: one out of scope is 404 whatever the role (its existence does not leak)
    case = (
        None
        if labels.case_id is None
        else selectors.case_get(user=user, case_id=labels.case_id, action="change")
    )
    require(user, Permission.MEDIA_UPLOAD)
    if case is None:
        if user.agency_id is None:
            raise PermissionDenied("未隶属执法机关的账号上传音像须指明案件")
        return None, []
    require_same_agency(user, case)
    require_open(case)
    linked = [
        selectors.document_get(user=user, document_id=i, action="change") for i in labels.linked_document_ids
    ]
    return case, linked


def upload_finalize(
    *, upload_id: str, path: Path, sha256: str, user: User, labels: UploadLabels
) -> MediaRecord:
    """Record a completely received file. Idempotent per ``upload_id`` (a retried hand-off)."""
    done = MediaIntake.objects.filter(upload_id=upload_id).select_related("media").first()
    if done is not None:
        return done.media
    if labels.sha256 and labels.sha256 != sha256:
        raise WholeFileMismatch(f"声明的 SHA-256 {labels.sha256} 与收到的文件 {sha256} 不一致")
    case, linked = upload_authorize(user=user, labels=labels)
    return media_intake(
        upload_id=upload_id, path=path, sha256=sha256, user=user, case=case, linked=linked, labels=labels
    )


def media_intake(
    *,
    upload_id: str,
    path: Path,
    sha256: str,
    user: User,
    case: Case | None,
    linked: list[Document],
    labels: UploadLabels,
    declared_kind: str = "",
) -> MediaRecord:
    """The one way a received file becomes a record, for tus and for the plain multipart form alike:
    probe, poster, write-once store locked until the retention minimum, record, intake row and its
    ``media.intake`` entry. The caller has authorised ``user`` for ``case`` and ``linked``.

    ``declared_kind`` (the multipart form's 类型) is checked against the bytes — a video declared as a
    photo is 422 naming what it is — and kept where the probe does not recognise them. A multipart
    upload has no tus id: ``upload_id`` is '' (blank ids are outside the intake table's unique rule)."""
    info = probe(path)
    kind = _kind(info, declared_kind)
    poster = _poster_blob(path, info)
    captured = labels.captured_end or _captured_start(labels, info) or clock.now()
    lock = retain_until(case=case, agency=user.agency, captured_at=captured)
    blob = _store(path, sha256, retain_until=lock)
    return _record(
        upload_id=upload_id,
        case=case,
        linked=linked,
        user=user,
        labels=labels,
        info=info,
        kind=kind,
        blob=blob,
        poster=poster,
    )


_KIND_LABELS = dict(MediaRecord.Kind.choices)


def _kind(info: MediaInfo, declared: str) -> str:
    """The record's kind: what the bytes are; the declared kind only where nothing recognises them."""
    detected = _KIND[info.kind]
    if not declared:
        return detected
    if detected != "other" and detected != declared:
        raise invalid(
            "kind",
            "mismatch",
            f"文件内容是{_KIND_LABELS[detected]}，与所选类型「{_KIND_LABELS.get(declared, declared)}」不符，"
            f"请改选「{_KIND_LABELS[detected]}」",
        )
    return declared


def retain_until(*, case: Case | None, captured_at: datetime, agency: Agency | None = None) -> datetime:
    """Until when the write-once copy is locked: the later of the agency profile's minimum (R5.1;
    long-term cases: :data:`liuhen.rules.retention.LONG_TERM_YEARS` years) and
    ``LIUHEN_MEDIA_MIN_RETAIN_DAYS``. An agency without a rule profile gets the settings floor.
    Footage not yet tied to a case (``case=None``) gets ``agency``'s minimum for a case without flags;
    linking it to a case later lengthens the lock when that case needs more."""
    now = clock.now()
    floor_days = int(settings.LIUHEN_MEDIA_MIN_RETAIN_DAYS)
    owner = case.agency if case is not None else agency
    profile = agency_profile(owner) if owner is not None else None
    if profile is None:
        return now + timedelta(days=floor_days)
    flags = (case.flags or ()) if case is not None else ()
    minimum = minimum_retention(profile, case_flags=flags, captured_at=captured_at)
    return lock_until(minimum, now=now, floor_days=floor_days)


def _store(path: Path, sha256: str, *, retain_until: datetime) -> BlobRef:
    store = blob_store()
    if store.exists(sha256):  # same content already kept: one blob, another record
        store.extend_retention(sha256, retain_until)  # only ever lengthened (S3 COMPLIANCE mode)
        key = getattr(store, "key_for", blob_key)(sha256)
        return BlobRef(sha256, store.size(sha256), store.backend, key)
    adopt = getattr(store, "adopt_file", None)  # local disk: link the fsynced upload in, no second copy
    if adopt is not None:
        return adopt(path, sha256_hex=sha256, retain_until=retain_until)
    return store.put_file(path, sha256_hex=sha256, retain_until=retain_until)


def _poster_blob(path: Path, info: MediaInfo) -> str:
    """A poster frame (video) or preview (photo) stored as its own blob; '' when there is none."""
    make = {"video": poster_frame, "photo": preview}.get(info.kind)
    if make is None:
        return ""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "still.jpg"
        try:
            make(path, out)
        except MediaError:
            return ""
        return blob_store().put_file(out).sha256


def _captured_start(labels: UploadLabels, info: MediaInfo) -> datetime | None:
    """The uploader's label wins; else the camera's own timestamp, if it is not in the future. A camera
    time without a zone (EXIF without ``OffsetTimeOriginal``) is the camera's local time: Asia/Shanghai."""
    if labels.captured_start or not info.captured_at:
        return labels.captured_start
    try:
        embedded = datetime.fromisoformat(info.captured_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if embedded.tzinfo is None:
        embedded = embedded.replace(tzinfo=clock.SHANGHAI)
    return embedded if embedded <= clock.now() else None


def device_flag(agency: Agency, device_no: str) -> str:
    """'' for a registered device in service; otherwise why the upload is flagged (R4)."""
    if not device_no:
        return MediaIntake.DeviceFlag.NONE
    device = Device.objects.filter(agency=agency, number=device_no).first()
    if device is None:
        return MediaIntake.DeviceFlag.UNKNOWN
    return MediaIntake.DeviceFlag.RETIRED if device.status == "retired" else MediaIntake.DeviceFlag.OK


@transaction.atomic
def _record(*, upload_id, case, linked, user, labels, info, kind, blob, poster) -> MediaRecord:
    record = media_record_create(
        case=case,
        uploaded_by=user,
        sha256=blob.sha256,
        size=blob.size,
        storage_key=blob.key,
        kind=kind,
        title=labels.title or labels.filename or f"{info.kind} {blob.sha256[:12]}",
        activity=labels.activity,
        content_type=labels.filetype,
        original_filename=labels.filename,
        device_no=labels.device_no,
        officers=labels.officers,
        location=labels.location,
        captured_start=_captured_start(labels, info),
        captured_end=labels.captured_end,
        remote_work=labels.remote_work,
        returned_at=labels.returned_at,
        linked_documents=linked,
        confidential=labels.confidential,
    )
    intake = MediaIntake.objects.create(
        media=record,
        upload_id=upload_id,
        probe=info.to_dict(),
        format_flagged=info.flagged,
        poster_sha256=poster,
        device_flag=device_flag(record.agency, labels.device_no),
        late_cause=labels.late_cause,
        received_at=record.uploaded_at,
    )
    ledger_append(
        action="media.intake",
        actor=user,
        agency=record.agency,
        case=case,
        objects={"media": record.pk, "intake": intake.pk},
        details={
            "format_flagged": intake.format_flagged,
            "device_flag": intake.device_flag,
            "probe_kind": info.kind,
            "poster_sha256": poster,
            "late_cause": labels.late_cause,
            STATE_KEY: row_states(intake=intake.pk),
        },
        at=record.uploaded_at,
    )
    if upload_id:  # a held tus upload recorded at last: its alert is dealt with, in this transaction
        alerts_resolve(
            subject=held_subject(upload_id),
            note=f"上传已入库为音像记录 {record.pk}（SHA-256 {record.sha256}）",
        )
    return record

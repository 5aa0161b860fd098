"""Audio/video records (音像记录): metadata and the stored file's hash; the bytes live in the blob store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case, Document
from liuhen.cases.selectors import active_assignments
from liuhen.cases.services.common import refresh_compliance, require, require_open, require_same_agency
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, invalid
from liuhen.evidence.models import MediaRecord
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ContentRef, ledger_append


@transaction.atomic
def media_record_create(
    *,
    case: Case | None,
    uploaded_by: User,
    sha256: str,
    size: int,
    storage_key: str,
    kind: str,
    title: str,
    activity: str = "",
    content_type: str = "",
    original_filename: str = "",
    device_no: str = "",
    officers: Sequence[str] = (),
    location: str = "",
    captured_start: datetime | None = None,
    captured_end: datetime | None = None,
    remote_work: bool = False,
    returned_at: datetime | None = None,
    linked_documents: Sequence[Document] = (),
    confidential: bool = False,
) -> MediaRecord:
    """Record a stored A/V file. ``case`` may be ``None`` for footage not yet tied to a case (kept
    under the uploader's agency; linked later with :func:`liuhen.evidence.services.assignments.media_assign`)."""
    require(uploaded_by, Permission.MEDIA_UPLOAD)
    if case is not None:
        require_same_agency(uploaded_by, case)
        require_open(case)
    agency = case.agency if case is not None else uploaded_by.agency
    if agency is None:
        raise invalid("case_id", "required", "未隶属执法机关的账号上传音像须指明案件")
    if kind not in MediaRecord.Kind.values:
        raise invalid("kind", "invalid", f"音像类型须为 {'/'.join(MediaRecord.Kind.values)}")
    if not title.strip():
        raise invalid("title", "required", "音像记录名称为必填项")
    now = clock.now()
    if captured_start and captured_end and captured_end < captured_start:
        raise invalid("captured_end", "before_start", "拍摄结束时间早于开始时间")
    if captured_start and captured_start > now:
        raise invalid("captured_start", "in_future", "拍摄时间不能晚于上传时间")
    for doc in linked_documents:
        if case is None or doc.case_id != case.pk:
            raise invalid("linked_document_ids", "not_found", f"文书 {doc.pk} 不属于本案件")
    if case is not None:
        _refuse_duplicate(case, sha256)
    record = MediaRecord.objects.create(
        case=case,
        agency=agency,
        kind=kind,
        activity=activity,
        title=title.strip(),
        sha256=sha256,
        size=size,
        content_type=content_type,
        original_filename=original_filename,
        storage_key=storage_key,
        device_no=device_no,
        officers=list(officers),
        location=location,
        captured_start=captured_start,
        captured_end=captured_end,
        remote_work=remote_work,
        returned_at=returned_at,
        linked_documents=[d.pk for d in linked_documents],
        confidential=confidential,
        uploaded_at=now,
        uploaded_by=uploaded_by,
    )
    ledger_append(
        action="media.uploaded",
        actor=uploaded_by,
        agency=agency,
        case=case,
        objects={"media": record.pk, "case": case.pk} if case is not None else {"media": record.pk},
        contents=[ContentRef("media", sha256, size)],
        details={
            "kind": kind,
            "activity": activity,
            "device_no": device_no,
            "filename": original_filename,
            STATE_KEY: row_states(media=record.pk),
        },
        at=now,
    )
    if case is not None:
        refresh_compliance(case)
    return record


@dataclass(frozen=True)
class DuplicateFile(FieldError):
    """The error at ``file`` for bytes the case already holds; it names the existing record's id as
    ``media_id`` (a string, as every value of an error item) so that a client can link that record."""

    media_id: int = 0

    def as_dict(self) -> dict[str, str]:
        return {**super().as_dict(), "media_id": str(self.media_id)}


class DuplicateMedia(Conflict):
    """The same bytes are already a record of this case: the file is kept once, and the officer links
    the existing record to its documents instead (关联文书) of recording it a second time.

    In the API's error shape: ``{"error": "duplicate_media", "message": …, "errors": [{"field": "file",
    "reason": "duplicate", "message": …, "media_id": "<existing record's id>"}]}``."""

    code = "duplicate_media"

    def __init__(self, existing: MediaRecord) -> None:
        message = (
            f"该文件已作为本案音像记录「{existing.title}」（第 {existing.pk} 号）保存，无需重复上传；"
            "如需关联文书，请将该记录关联到文书"
        )
        super().__init__(message, errors=[DuplicateFile("file", "duplicate", message, media_id=existing.pk)])
        self.existing = existing


def _refuse_duplicate(case: Case, sha256: str) -> None:
    """Another record of ``case`` with the same SHA-256 (uploaded to it or linked to it) is refused;
    the same file on another case is allowed (one recording may cover two matters)."""
    linked = active_assignments(case_id=case.pk).values("media_id")
    existing = (
        MediaRecord.objects.filter(sha256=sha256.lower())
        .filter(models.Q(case=case) | models.Q(pk__in=linked))
        .order_by("id")
        .first()
    )
    if existing is not None:
        raise DuplicateMedia(existing)

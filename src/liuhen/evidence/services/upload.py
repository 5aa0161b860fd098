"""The plain multipart upload (the case page's form, ``POST /api/cases/{id}/media``): the file is spooled
and handed to the same intake as a finished tus upload, so both get the probe, the poster, the intake
row with its device flag and late-upload reason, the ``media.intake`` entry and the retention lock."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case, Document
from liuhen.cases.services.common import require, require_open, require_same_agency
from liuhen.evidence.labels import UploadLabels
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.services.intake import media_intake


def media_upload(
    *,
    case: Case,
    uploaded_by: User,
    chunks: Iterable[bytes],
    kind: str,
    title: str,
    content_type: str = "",
    original_filename: str = "",
    activity: str = "",
    device_no: str = "",
    officers: Sequence[str] = (),
    location: str = "",
    captured_start: datetime | None = None,
    captured_end: datetime | None = None,
    remote_work: bool = False,
    returned_at: datetime | None = None,
    linked_documents: Sequence[Document] = (),
    confidential: bool = False,
    late_cause: str = "",
) -> MediaRecord:
    """Store a plainly uploaded file write-once and record it; ``linked_documents`` are already read
    through the access layer by the adapter.

    Who may upload is checked before a byte is stored; the bytes are spooled to a temporary file in
    chunks (never held in memory), hashed on the way and fsynced. Raises :class:`liuhen.storage.StorageFull` when the
    store has no room, :class:`liuhen.evidence.services.media.DuplicateMedia` when the case already has
    these bytes (nothing is recorded then)."""
    require(uploaded_by, Permission.MEDIA_UPLOAD)
    require_same_agency(uploaded_by, case)
    require_open(case)
    labels = UploadLabels(
        case_id=case.pk,
        title=title,
        activity=activity,
        device_no=device_no,
        officers=tuple(officers),
        location=location,
        captured_start=captured_start,
        captured_end=captured_end,
        remote_work=remote_work,
        returned_at=returned_at,
        linked_document_ids=tuple(d.pk for d in linked_documents),
        confidential=confidential,
        late_cause=late_cause,
        filename=original_filename,
        filetype=content_type,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        digest = hashlib.sha256()
        with path.open("wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())  # the store may hard-link this file in as the record's copy
        return media_intake(
            upload_id="",
            path=path,
            sha256=digest.hexdigest(),
            user=uploaded_by,
            case=case,
            linked=list(linked_documents),
            labels=labels,
            declared_kind=kind,
        )

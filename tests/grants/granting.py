"""Test helper: a grant filed and approved through the real services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from liuhen.accounts.models import User
from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.services.media import media_record_create
from liuhen.grants.models import AccessRequest
from liuhen.grants.services import ItemSpec, access_request_decide, access_request_file
from tests.factories import make_user


def granted(
    requester: User,
    *,
    case_id: int,
    kind: str = "copy",
    media_id: int | None = None,
    document_id: int | None = None,
    approver: User | None = None,
    days: int = 7,
    **extra: str,
) -> AccessRequest:
    """``requester``'s request for one record (or the whole case), approved by ``approver`` (a new head
    of the requester's agency if none is given)."""
    assert requester.agency is not None
    request = access_request_file(
        by=requester,
        kind=kind,
        reason="办案需要",
        days=days,
        items=[ItemSpec(case_id=case_id, document_id=document_id, media_id=media_id)],
        **extra,
    )
    approver = approver or make_user(requester.agency, ["head"])
    access_request_decide(request=request, by=approver, approved=True, opinion="同意")
    return request


def recorded(case, officer: User, path: Path, kind: str, content_type: str, **extra: object) -> MediaRecord:
    """The file at ``path`` stored write-once and recorded on ``case`` as a minute of ``kind``."""
    blob = blob_store().put_file(path)
    at = clock.now() - timedelta(minutes=5)
    return media_record_create(
        case=case,
        uploaded_by=officer,
        sha256=blob.sha256,
        size=blob.size,
        storage_key=blob.key,
        kind=kind,
        title=str(extra.pop("title", f"现场{kind}")),
        content_type=content_type,
        original_filename=path.name,
        captured_start=at,
        captured_end=at + timedelta(minutes=1),
        **extra,
    )

"""Uploads whose hand-off keeps failing end *held* for a person: one integrity alert each, logged.

(:class:`liuhen.uploads.state.HandoffPolicy` decides when.) The alert is written with its
``upload.held`` ledger entry in one transaction; ``liuhen uploads`` lists such uploads and retries them.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.archive.models import IntegrityAlert
from liuhen.core import clock
from liuhen.evidence.services.intake import held_subject
from liuhen.evidence.tus_view import OWNER_KEY
from liuhen.ledger.services import ledger_append
from liuhen.uploads.state import UploadInfo

HELD_ALERT_KIND = "upload held"


def upload_uploader(info: UploadInfo) -> User | None:
    """Who uploaded it (the view stores the user's id in the metadata); ``None`` if unknown."""
    owner = info.metadata.get(OWNER_KEY, "")
    return User.objects.select_related("agency").filter(pk=int(owner)).first() if owner.isdigit() else None


def upload_filename(info: UploadInfo) -> str:
    return info.metadata.get("filename") or info.metadata.get("name") or ""


@transaction.atomic
def upload_held_alert_raise(*, info: UploadInfo) -> IntegrityAlert | None:
    """Raise the integrity alert for a held upload, once: ``None`` when it already has one.

    The alert points at an ``upload.held`` ledger entry appended in the same transaction."""
    subject = held_subject(info.id)
    if IntegrityAlert.objects.filter(kind=HELD_ALERT_KIND, subject=subject).exists():
        return None
    uploader = upload_uploader(info)
    entry = ledger_append(
        action="upload.held",
        agency=uploader.agency if uploader is not None else None,
        objects={"upload": info.id},
        details={
            "upload_id": info.id,
            "uploader": uploader.username if uploader is not None else None,
            "filename": upload_filename(info),
            "size": info.length,
            "sha256": info.sha256 or "",
            "case_id": info.metadata.get("case_id", ""),
            "attempts": info.handoff_attempts,
            "last_attempt_at": info.last_attempt_at,
            "last_error": info.last_error,
        },
    )
    return IntegrityAlert.objects.create(
        kind=HELD_ALERT_KIND,
        agency=uploader.agency if uploader is not None else None,
        subject=subject,
        detail=held_alert_detail(info, uploader),
        ledger_index=entry.index,
        created_at=clock.now(),
    )


def local_minute(iso: str, *, missing: str = "-") -> str:
    """An ISO 8601 time of an upload's record as Beijing time to the minute; ``missing`` for ""."""
    return f"{datetime.fromisoformat(iso).astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}" if iso else missing


def held_alert_detail(info: UploadInfo, uploader: User | None) -> str:
    """The alert's text for administrators (Chinese, one paragraph)."""
    who = f"{uploader.display_name}（{uploader.username}）" if uploader is not None else "未知"
    when = local_minute(info.last_attempt_at, missing="—")
    return (
        f"上传的文件已完整收到，但入库交接已连续失败 {info.handoff_attempts} 次，系统停止自动重试，"
        f"须人工处理（文件保留，不会过期删除）。上传编号：{info.id}；上传人：{who}；"
        f"文件：{upload_filename(info) or '（未命名）'}，{info.length} 字节，SHA-256 {info.sha256 or '—'}；"
        f"最后一次尝试：{when}；最后错误：{info.last_error or '—'}。"
        f"查明并排除原因后，运行 liuhen uploads retry {info.id} 重新入库。"
    )

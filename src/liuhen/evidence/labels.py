"""Labels an uploader sends in tus ``Upload-Metadata`` (R3.6), parsed into typed values. No Django.

Keys (all UTF-8 strings): ``case_id`` (absent or empty: footage not yet tied to a case, kept under the
uploader's agency and linked later), ``title``, ``activity``, ``device_no``,
``officers`` (comma-separated), ``location``, ``captured_start``/``captured_end``/``returned_at``
(ISO 8601 with a zone), ``remote_work`` and ``confidential`` (``1``/``true``),
``linked_document_ids`` (comma-separated), ``late_cause``, ``filename`` (or ``name``),
``filetype`` (or ``type``), ``sha256`` (the whole file's hash, checked on completion).
Keys starting with ``liuhen-`` are reserved for the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from liuhen.catalogue.codes import AV_ACTIVITIES
from liuhen.core.ids import parse_id

ACTIVITY_CODES = frozenset(code for code, _ in AV_ACTIVITIES)
RESERVED_PREFIX = "liuhen-"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


class LabelError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True, slots=True)
class UploadLabels:
    case_id: int | None = None
    title: str = ""
    activity: str = ""
    device_no: str = ""
    officers: tuple[str, ...] = ()
    location: str = ""
    captured_start: datetime | None = None
    captured_end: datetime | None = None
    remote_work: bool = False
    returned_at: datetime | None = None
    linked_document_ids: tuple[int, ...] = ()
    confidential: bool = False
    late_cause: str = ""
    filename: str = ""
    filetype: str = ""
    sha256: str = ""


_LIMITS = {
    "title": 200,
    "device_no": 64,
    "location": 200,
    "late_cause": 1000,
    "filename": 255,
    "filetype": 100,
}


def parse_labels(metadata: dict[str, str]) -> UploadLabels:
    """Validate and convert; raises :class:`LabelError` naming the first bad field."""
    m = {k: v.strip() for k, v in metadata.items() if not k.startswith(RESERVED_PREFIX)}
    case_id = m.get("case_id", "")
    if case_id and parse_id(case_id) is None:
        raise LabelError("case_id", "须为案件编号（数字 id），或留空：暂不关联案件")
    activity = m.get("activity", "")
    if activity and activity not in ACTIVITY_CODES:
        raise LabelError("activity", f"未知的执法环节代码 {activity!r}")
    sha256 = m.get("sha256", "").lower()
    if sha256 and not _HEX64.match(sha256):
        raise LabelError("sha256", "须为 64 位十六进制 SHA-256")
    texts = {key: _text(m, key, limit) for key, limit in _LIMITS.items()}
    texts["filename"] = texts["filename"] or _text(m, "name", 255)
    texts["filetype"] = texts["filetype"] or _text(m, "type", 100)
    labels = UploadLabels(
        case_id=int(case_id) if case_id else None,
        activity=activity,
        officers=tuple(_split(m.get("officers", ""))),
        captured_start=_time(m, "captured_start"),
        captured_end=_time(m, "captured_end"),
        remote_work=_flag(m, "remote_work"),
        returned_at=_time(m, "returned_at"),
        linked_document_ids=tuple(_ids(m, "linked_document_ids")),
        confidential=_flag(m, "confidential"),
        sha256=sha256,
        **texts,
    )
    if labels.linked_document_ids and labels.case_id is None:
        raise LabelError("linked_document_ids", "关联文书须同时指明案件 case_id")
    if labels.captured_start and labels.captured_end and labels.captured_end < labels.captured_start:
        raise LabelError("captured_end", "拍摄结束时间早于开始时间")
    return labels


def _text(m: dict[str, str], key: str, limit: int) -> str:
    value = m.get(key, "")
    if len(value) > limit:
        raise LabelError(key, f"不能超过 {limit} 个字符")
    return value


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]


def _ids(m: dict[str, str], key: str) -> list[int]:
    parts = _split(m.get(key, ""))
    ids = [parse_id(p) for p in parts]
    if any(i is None for i in ids):
        raise LabelError(key, "须为逗号分隔的数字 id")
    return [i for i in ids if i is not None]


def _flag(m: dict[str, str], key: str) -> bool:
    value = m.get(key, "").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise LabelError(key, "须为 1/0 或 true/false")


def _time(m: dict[str, str], key: str) -> datetime | None:
    raw = m.get(key, "")
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise LabelError(key, "须为 ISO 8601 时间，如 2026-03-01T09:30:00+08:00") from None
    if value.tzinfo is None:
        raise LabelError(key, "须带时区，如 +08:00")
    return value

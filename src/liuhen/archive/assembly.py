"""The items of a case file (件) in their order, with page numbers: what the archivist assembles.

Default order (DA/T 22, and the regulations' "按执法程序"): 正卷 before 副卷 (the profile names the
internal document types that go to the 副卷); in each volume by regulatory stage (立案 → 调查取证 →
审查决定 → 送达执行 → 结案), then by date. A document belongs to the stage it was made in when its form
belongs there, else to its form's stage; a recording to the stage the case was in when it was made.
The archivist may reorder inside a (volume, stage) group only: :func:`apply_order` refuses anything
else with a Chinese message at the field ``order``.

Pages come from each document's issued PDF (the sealed 存档联, issued for archiving if it was never
issued) counted with pikepdf; page numbers run on across the whole file.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import pikepdf

from liuhen.accounts.models import User
from liuhen.archive.retention import ArchiveSettings
from liuhen.cases.models import Case, Document
from liuhen.catalogue import get_type
from liuhen.core import clock
from liuhen.core.codes import AV_ACTIVITIES
from liuhen.core.errors import ValidationFailed, invalid
from liuhen.core.stages import STAGE_LABELS, Stage
from liuhen.evidence.models import MediaRecord
from liuhen.issuing.models import IssuedDocument

STAGE_ORDER = (Stage.INITIATION, Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE_ENFORCEMENT, Stage.CLOSED)
VOLUME_LABELS = {"main": "正卷", "auxiliary": "副卷"}
_ACTIVITY_LABELS = dict(AV_ACTIVITIES)


@dataclass(frozen=True)
class Item:
    """One 件 as assembled. ``record`` is "document:ID" or "media:ID"."""

    piece_no: int
    record: str
    kind: str  # document | media
    stage: str
    volume: str  # main | auxiliary
    title: str
    doc_no: str
    responsible: str
    date: str  # YYYY-MM-DD, Beijing
    pages: int
    first_page: int
    sha256: str
    sm3: str
    size: int
    version: int = 0  # documents: the amendments applied
    issued_id: int | None = None  # documents: the issued 存档联
    security: str = "公开"
    media_type: str = ""  # a 补充归档 file: the type sniffed from its bytes
    file_format: str = ""  # a 补充归档 file: 格式信息 (PDF, JPEG, TIFF, MP4, MP3, WAV)
    av: dict | None = None  # a 补充归档 recording: duration_s, codec, resolution from its probe
    # a recording, for the A/V list (xinle-fg§28: 事项, 时间, 地点, 方式, 执法人员, device number)
    captured: str = ""  # when, Beijing time: "2026-11-03 09:10" or "2026-11-03 09:10–09:25"
    location: str = ""
    method: str = ""  # 方式: 录像 / 录音 / 照片
    device_no: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> Item:
        return cls(**data)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def volume_label(self) -> str:
        return VOLUME_LABELS[self.volume]

    @property
    def group(self) -> tuple[str, str]:
        return (self.volume, self.stage)

    @property
    def last_page(self) -> int:
        return self.first_page + self.pages - 1 if self.pages else self.first_page


def archival_pdf(document: Document, *, user: User) -> tuple[IssuedDocument, bytes]:
    """The document's sealed 存档联 (latest version) and its bytes, as issuing hands it out for
    archiving (:func:`liuhen.issuing.services.archival_copy`: the copy issued, or issued now)."""
    from liuhen.issuing.services import archival_copy

    copy = archival_copy(document, for_user=user)
    assert copy.issued is not None  # a 存档联, never a viewing copy
    return copy.issued, copy.content


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)


def items_of(case: Case, *, settings: ArchiveSettings, user: User, order: Sequence[str] | None) -> list[Item]:
    """The case's items in the default order, then in the archivist's ``order`` when one is kept (an
    order that no longer fits, e.g. a record added since, falls back to the default)."""
    from liuhen.access import scope

    documents = (
        scope.archiving_documents(user, case).select_related("case__agency").order_by("created_at", "id")
    )
    media = scope.archiving_media(user, case).order_by("captured_start", "uploaded_at", "id")
    transitions = list(case.transitions.order_by("at", "id"))
    raw = [_document_item(d, settings, user) for d in documents]
    raw += [_media_item(m, _stage_at(transitions, m.captured_start or m.uploaded_at)) for m in media]
    default = sorted(raw, key=_default_key)
    if order:
        try:
            return number(apply_order(default, order))
        except ValidationFailed:  # a record added since the order was kept: the default order stands
            pass
    return number(default)


def _default_key(item: Item) -> tuple:
    volume = 0 if item.volume == "main" else 1
    return (volume, STAGE_ORDER.index(Stage(item.stage)), item.date, item.kind != "document", item.record)


def _stage_at(transitions: list, at: datetime) -> str:
    stage = Stage.INITIATION.value
    for transition in transitions:
        if transition.at <= at:
            stage = transition.to_stage
    return Stage.CLOSED.value if stage == Stage.ARCHIVED else stage


def _document_stage(document: Document) -> str:
    """Where a document belongs in the regulatory order: the stage the case was in when it was made, if
    its form belongs to that stage; otherwise its form's own (first) stage — a 询问笔录 written while the
    case still stood at 程序启动 is filed under 调查取证, a 送达回证 under its form's stage."""
    stages = get_type(document.doc_type).stages
    made_in = Stage.CLOSED.value if document.stage == Stage.ARCHIVED else document.stage
    return made_in if made_in in stages else stages[0]


def _document_item(document: Document, settings: ArchiveSettings, user: User) -> Item:
    issued, pdf = archival_pdf(document, user=user)
    volume = "auxiliary" if document.doc_type in settings.auxiliary_types else "main"
    return Item(
        piece_no=0,
        record=f"document:{document.pk}",
        kind="document",
        stage=_document_stage(document),
        volume=volume,
        title=get_type(document.doc_type).title,
        doc_no=document.number,
        responsible=document.case.agency.name,
        date=document.created_at.astimezone(clock.SHANGHAI).date().isoformat(),
        pages=page_count(pdf),
        first_page=0,
        sha256=issued.sha256,
        sm3=issued.sm3,
        size=issued.size,
        version=issued.version,
        issued_id=issued.pk,
        security="内部" if document.confidential else "公开",
    )


def _media_item(media: MediaRecord, stage: str) -> Item:
    at = media.captured_start or media.uploaded_at
    activity = _ACTIVITY_LABELS.get(media.activity, "")
    return Item(
        piece_no=0,
        record=f"media:{media.pk}",
        kind="media",
        stage=stage,
        volume="main",
        title=f"{activity}{media.get_kind_display()}",
        doc_no="",
        responsible="、".join(str(o) for o in media.officers) if isinstance(media.officers, list) else "",
        date=at.astimezone(clock.SHANGHAI).date().isoformat(),
        pages=0,
        first_page=0,
        sha256=media.sha256,
        sm3="",
        size=media.size,
        security="内部" if media.confidential else "公开",
        captured=_captured(media),
        location=media.location,
        method=media.get_kind_display(),
        device_no=media.device_no,
    )


def _captured(media: MediaRecord) -> str:
    """When the recording was made, in Beijing time ("—" when the uploader gave no time)."""
    if media.captured_start is None:
        return "—"
    start = media.captured_start.astimezone(clock.SHANGHAI)
    if media.captured_end is None:
        return f"{start:%Y-%m-%d %H:%M}"
    end = media.captured_end.astimezone(clock.SHANGHAI)
    return (
        f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
        if end.date() == start.date()
        else f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
    )


def number(items: Sequence[Item]) -> list[Item]:
    """件号 1.. and continuous page numbers over the whole file."""
    out, page = [], 1
    for index, item in enumerate(items, start=1):
        out.append(replace(item, piece_no=index, first_page=page))
        page += item.pages
    return out


def apply_order(default: Sequence[Item], order: Sequence[str]) -> list[Item]:
    """``default`` put in ``order``; every record once, and each position in the same (volume, stage)
    group as before, or a Chinese error at ``order``."""
    by_record = {item.record: item for item in default}
    if sorted(order) != sorted(by_record):
        raise invalid("order", "not_a_permutation", "卷内顺序：须列出本案卷的每一件且只列一次")
    arranged = [by_record[record] for record in order]
    for before, after in zip(default, arranged, strict=True):
        if before.group != after.group:
            raise invalid(
                "order",
                "not_within_stage",
                f"卷内顺序：「{after.title}」属于{after.volume_label}「{after.stage_label}」阶段，"
                "只能在本卷本阶段内调整顺序",
            )
    return arranged


def digest_of(items: Sequence[Item], notes: str) -> str:
    """SHA-256 of the assembly (the items as numbered and the 备考表 text): what a signature covers."""
    body = {"items": [i.as_dict() for i in items], "notes": notes}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

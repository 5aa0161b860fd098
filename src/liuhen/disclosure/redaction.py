"""Redacted derivatives of what a decision gives in part (R6.2): document fields, photo rectangles, video
regions over time ranges and muted sound ranges.

Each derivative is written to a new file, stored in the blob store under its SHA-256 and recorded as a
:class:`DisclosureRedaction` row linked to the original (its ``original_sha256``), with its own ledger
entry naming both contents. The original's stored bytes are only read. A bad region or range is a 422
naming it (``regions[1]``, ``mute[0]``, ``rects[0]``) from :class:`liuhen.media.redact.RegionError`.

Rendering runs inline, in the request: the desk redacts short clips and single photos; a long video
takes as long as :func:`liuhen.media.redact.redact_video` takes (see docs/benchmarks for its rate).

A document's derivative is its PDF re-rendered from the record's sheet (the same template and data as
the issued copy) with the chosen fields' values replaced by "（依法不予公开）" and their correction
notes dropped; the attached ``record.json`` says what was redacted and names the original version's
log leaf (the QR code still verifies the original record) instead of carrying the full body.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction

from liuhen.access import Read, log_reads, scope
from liuhen.accounts.models import User
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Document
from liuhen.catalogue import get_type
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound, invalid
from liuhen.disclosure.models import DisclosureRedaction, DisclosureRequest
from liuhen.disclosure.services import require_desk
from liuhen.disclosure.state import decision_in_force, entry_state
from liuhen.evidence.models import MediaRecord
from liuhen.grants.jobs import Job, pending_jobs
from liuhen.issuing import render
from liuhen.issuing.services import Wanted, copies_of, sheet_for
from liuhen.ledger.services import ContentRef, ledger_append
from liuhen.media.redact import (
    Rect,
    RegionError,
    TimeRange,
    VideoRegion,
    check_video,
    redact_photo,
    redact_video,
)

WITHHELD = "（依法不予公开）"
REDACTED_FORMAT = "liuhen-disclosure-redacted/1"


def _redactable(request: DisclosureRequest, by: User, kind: str, pk: int) -> None:
    """The decision in force says to redact this item, and it is not approved or delivered yet."""
    require_desk(by)
    if hasattr(request, "delivery"):
        raise Conflict("该申请已答复送达，不能再遮蔽")
    decision = decision_in_force(request)
    if decision is None:
        raise Conflict("请先作出答复决定，再遮蔽")
    if hasattr(decision, "approval"):
        raise Conflict("答复决定已审批，不能再改动遮蔽件")
    if not any(i["kind"] == kind and i["id"] == pk and i["outcome"] == "redacted" for i in decision.items):
        raise NotFound(f"答复决定中没有需要遮蔽的记录 {kind}:{pk}")


# -- photos and A/V ----------------------------------------------------------------------------------


def redact_media(
    *,
    request: DisclosureRequest,
    by: User,
    media_id: int,
    rects: Sequence[Rect] = (),
    regions: Sequence[VideoRegion] = (),
    mute: Sequence[TimeRange] = (),
) -> DisclosureRedaction:
    """A photo with ``rects`` blacked out, or a recording with ``regions`` blacked out over their time
    ranges and the sound silent during ``mute``."""
    _redactable(request, by, "media", media_id)
    return _redact_media(request, by, _media(by, request, media_id), rects=rects, regions=regions, mute=mute)


def _redact_media(
    request: DisclosureRequest,
    by: User,
    record: MediaRecord,
    *,
    rects: Sequence[Rect],
    regions: Sequence[VideoRegion],
    mute: Sequence[TimeRange],
) -> DisclosureRedaction:
    """:func:`redact_media` for a record already checked to be redactable on ``request``."""
    if record.kind == MediaRecord.Kind.PHOTO:
        if not rects:
            raise invalid("rects", "required", "请至少框选一个遮蔽区域")
        spec: dict[str, Any] = {"rects": [_rect(r) for r in rects]}
    elif record.kind in (MediaRecord.Kind.VIDEO, MediaRecord.Kind.AUDIO):
        if not regions and not mute:
            raise invalid("regions", "required", "请至少指定一个遮蔽区域或静音时段")
        spec = {
            "regions": [{**_rect(r.rect), "start": r.start, "end": r.end} for r in regions],
            "mute": [{"start": m.start, "end": m.end} for m in mute],
        }
    else:
        raise invalid("media", "unsupported", "该类音像记录不能遮蔽，只能公开或不予公开")
    log_reads(user=by, reads=[Read(record, ("av",), case=request.case)], purpose="copied")
    with tempfile.TemporaryDirectory(prefix="liuhen-redact-") as folder:
        src = _original(record, Path(folder))
        try:
            if record.kind == MediaRecord.Kind.PHOTO:
                dst = Path(folder) / f"redacted{_suffix(record)}"
                redact_photo(src, dst, rects)
                media_type = record.content_type or "image/jpeg"
            else:
                dst = Path(folder) / "redacted.mp4"
                redact_video(src, dst, regions=regions, mute=mute)
                media_type = "video/mp4" if record.kind == MediaRecord.Kind.VIDEO else "audio/mp4"
        except RegionError as exc:
            raise invalid(exc.field, exc.reason, exc.message) from None
        return _record(request, by, "media", record.pk, record.sha256, spec, dst, media_type)


def _original(record: MediaRecord, folder: Path) -> Path:
    """The stored original of ``record``, copied into ``folder`` (FFmpeg reads a file)."""
    src = folder / "original"
    with src.open("wb") as out:
        for chunk in blob_store().open_range(record.sha256):
            out.write(chunk)
    return src


TASK_PATH = "liuhen.disclosure.tasks.redaction_task"


def redact_media_request(
    *,
    request: DisclosureRequest,
    by: User,
    media_id: int,
    rects: Sequence[Rect] = (),
    regions: Sequence[VideoRegion] = (),
    mute: Sequence[TimeRange] = (),
) -> DisclosureRedaction | None:
    """A photo is redacted at once; a recording (rendered at about real time) is checked at once — a
    region outside the frame or a range outside the recording is refused here, naming it — and then
    rendered by the background worker (``None``; :func:`redaction_jobs` says how it goes)."""
    _redactable(request, by, "media", media_id)
    record = _media(by, request, media_id)
    if record.kind not in (MediaRecord.Kind.VIDEO, MediaRecord.Kind.AUDIO):
        return redact_media(
            request=request, by=by, media_id=media_id, rects=rects, regions=regions, mute=mute
        )
    if not regions and not mute:
        raise invalid("regions", "required", "请至少指定一个遮蔽区域或静音时段")
    with tempfile.TemporaryDirectory(prefix="liuhen-redact-check-") as folder:
        try:
            check_video(_original(record, Path(folder)), regions=regions, mute=mute)
        except RegionError as exc:
            raise invalid(exc.field, exc.reason, exc.message) from None
    from liuhen.disclosure.tasks import redaction_task  # tasks build on this module

    redaction_task.enqueue(
        request_id=request.pk,
        user_id=by.pk,
        media_id=record.pk,
        regions=[{**_rect(r.rect), "start": r.start, "end": r.end} for r in regions],
        mute=[{"start": m.start, "end": m.end} for m in mute],
    )
    return None


def redaction_jobs(request: DisclosureRequest) -> list[Job]:
    """Recordings of ``request`` waiting to be rendered, or whose rendering failed, since the last
    redaction was made."""
    last = request.redactions.order_by("-made_at").values_list("made_at", flat=True).first()
    return pending_jobs(TASK_PATH, since=last, request_id=request.pk)


def _media(by: User, request: DisclosureRequest, media_id: int) -> MediaRecord:
    if request.case_id is None:
        raise NotFound(f"音像记录 {media_id} 不存在")
    found = scope.media_of_case(scope.media(by), request.case_id).filter(pk=media_id).first()
    if found is None:
        raise NotFound(f"音像记录 {media_id} 不存在")
    return found


def _suffix(record: MediaRecord) -> str:
    return ".png" if record.content_type == "image/png" else ".jpg"


def _rect(rect: Rect) -> dict[str, int]:
    return {"x": rect.x, "y": rect.y, "w": rect.w, "h": rect.h}


# -- documents -------------------------------------------------------------------------------------


def redact_document(
    *, request: DisclosureRequest, by: User, document_id: int, fields: Sequence[str]
) -> DisclosureRedaction:
    """The document's PDF (latest version) with the values of ``fields`` withheld."""
    _redactable(request, by, "document", document_id)
    if request.case_id is None:
        raise NotFound(f"文书 {document_id} 不存在")
    document = scope.documents(by, case_id=request.case_id).filter(pk=document_id).first()
    if document is None:
        raise NotFound(f"文书 {document_id} 不存在")
    spec = get_type(document.doc_type)
    known = spec.all_fields()
    if not fields:
        raise invalid("fields", "required", "请至少选择一个需遮蔽的栏目")
    for index, name in enumerate(fields):
        if name not in known:
            raise invalid(f"fields[{index}]", "unknown", "该文书没有这个栏目")
    labels = {known[name].label for name in fields}
    log_reads(user=by, reads=[Read(document, ("personal",), case=document.case)], purpose="copied")
    pdf, leaf = _render_withheld(by, document, labels)
    spec_json = {"fields": list(dict.fromkeys(fields)), "labels": sorted(labels), "record_leaf": leaf}
    with tempfile.TemporaryDirectory(prefix="liuhen-redact-") as folder:
        dst = Path(folder) / "redacted.pdf"
        dst.write_bytes(pdf)
        return _record(
            request, by, "document", document.pk, document.body_sha256, spec_json, dst, "application/pdf"
        )


def _render_withheld(by: User, document: Document, labels: set[str]) -> tuple[bytes, str]:
    spec = get_type(document.doc_type)
    amendments = list(document.amendments.all())
    copy = "party" if "party" in copies_of(spec) else "file"
    wanted = Wanted(by, document, spec, amendments, len(amendments), copy)
    data, images = sheet_for(wanted)
    for row in data["rows"]:
        if row["label"] in labels:
            row["value"], row["amendments"] = WITHHELD, []
    leaf = data["verify"]["leaf_hash"]
    record = {
        "format": REDACTED_FORMAT,
        "document": {
            "id": document.pk,
            "type": spec.code,
            "title": spec.title,
            "case": document.case.case_no,
        },
        "version": len(amendments),
        "withheld": sorted(labels),
        "record_leaf": leaf,
        "verify_url": data["verify"]["url"],
    }
    pdf = render.render_pdf(
        sheet=data,
        record=record,
        doc_type=spec.code,
        agency_code=document.case.agency.code,
        images=images,
        timestamp=document.created_at,
    )
    # sealed by the agency like any copy it issues: the party checks the seal with any PDF reader
    from liuhen.signing.pades import seal_pdf  # the signing layer loads keys on first use

    return seal_pdf(pdf, agency=document.case.agency, reason="依申请公开 遮蔽件"), leaf


# -- the record ----------------------------------------------------------------------------------------


@transaction.atomic
def _record(
    request: DisclosureRequest,
    by: User,
    kind: str,
    source_id: int,
    original_sha256: str,
    spec: dict[str, Any],
    path: Path,
    media_type: str,
) -> DisclosureRedaction:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    size = path.stat().st_size
    blob_store().put_file(path, sha256_hex=digest)
    now = clock.now()
    redaction = DisclosureRedaction.objects.create(
        request=request,
        source_kind=kind,
        source_id=source_id,
        original_sha256=original_sha256,
        spec=spec,
        sha256=digest,
        size=size,
        media_type=media_type,
        made_at=now,
        made_by=by,
    )
    ledger_append(
        action="disclosure.redacted",
        actor=by,
        agency=request.agency,
        case=request.case,
        objects={"disclosure_request": request.pk, "disclosure_redaction": redaction.pk, kind: source_id},
        contents=[ContentRef("redacted", digest, size)],
        details={
            "number": request.number,
            "original_sha256": original_sha256,
            "redacted_sha256": digest,
            "spec": _json_spec(spec),
            **entry_state(disclosure_redaction=redaction.pk),
        },
        at=now,
    )
    return redaction


def _json_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Canonical JSON carries no floats: times as strings of seconds."""
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if isinstance(value, list):
            out[key] = [
                {k: (repr(v) if isinstance(v, float) else v) for k, v in item.items()}
                if isinstance(item, dict)
                else item
                for item in value
            ]
        else:
            out[key] = value
    return out

"""The :class:`~liuhen.archive.plan.PackagePlan` of a signed-off case file, built from the database.

The package writer and the renderer read the plan alone (:mod:`liuhen.archive.plan`); this is the one
place that turns the case file record into it:

* items in the file's order (approved 补充归档 after them), each with its files: a document's sealed
  存档联 as ``content`` (the bytes the case file recorded, checked against its SHA-256), a recording by
  its ``blob`` (streamed by the writer);
* each item's business actions (业务行为) from the ledger entries that name the record, in Chinese,
  with the rule citation (行为依据) where a rule of the agency's profile names that record's kind;
* a recording's A/V facts from its intake probe (duration, codec, resolution) and its record (device,
  capture times, place, officers, activity).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.db.models import Q

from liuhen.archive.models import CaseFile, ContentDigest
from liuhen.archive.plan import AvFacts, PackagePlan, PlanAction, PlanFile, PlanItem
from liuhen.archive.retention import Hold
from liuhen.archive.selectors import approved_items, numbered_supplements
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Document
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.core.codes import AV_ACTIVITIES
from liuhen.core.errors import Conflict
from liuhen.evidence.models import MediaIntake, MediaRecord
from liuhen.ledger.models import LedgerEntry
from liuhen.rules.profile import Profile

ACTION_LABELS = {
    "document.created": "制作",
    "document.signed": "签名",
    "document.signature_refused": "拒绝签名记录",
    "document.amended": "更正",
    "document.mark_added": "签名图像",
    "document.signed_copy_added": "签字页扫描件",
    "document.issued": "出具",
    "approval.recorded": "审批",
    "media.uploaded": "上传",
    "media.intake": "入库检测",
    "media.assigned": "关联案件",
    "media.assignment_withdrawn": "撤销关联",
    "media.documents_linked": "关联文书",
    "media.document_link_withdrawn": "撤销关联文书",
    "archive.supplement_added": "补充归档",
    "archive.supplement_approved": "补充归档审批",
}
_MEDIA_FORMATS = {
    "video/mp4": "MP4",
    "video/mpeg": "MPEG",
    "video/quicktime": "MOV",
    "audio/wav": "WAV",
    "audio/x-wav": "WAV",
    "audio/mpeg": "MP3",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
}
_ACTIVITIES = dict(AV_ACTIVITIES)


def case_file_plan(case_file: CaseFile) -> PackagePlan:
    """The plan of ``case_file`` (signed off) and of its approved supplements."""
    case_file = CaseFile.objects.select_related("case__agency", "compiled_by", "checked_by").get(
        pk=case_file.pk
    )
    case, cover = case_file.case, case_file.cover
    supplements = {
        item.record: n.supplement.pk
        for n in numbered_supplements(case_file)
        if n.approval is not None
        for item in n.items
    }
    rows = list(case_file.items) + [item.as_dict() for item in approved_items(case_file)]
    profile = agency_profile(case.agency)
    actions = _actions(case.pk, rows, profile, supplements)
    media = {m.pk: m for m in MediaRecord.objects.filter(pk__in=_ids(rows, "media"))}
    intakes = {i.media_id: i for i in MediaIntake.objects.filter(media_id__in=media)}
    items = tuple(
        _item(row, case_file.archive_no, actions[row["record"]], media, intakes, case.confidential)
        for row in rows
    )
    return PackagePlan(
        case_id=case.pk,
        case_no=case.case_no,
        archive_no=case_file.archive_no,
        fonds_no=case_file.archive_no.split("-", 1)[0],
        fonds_name=case.agency.name,
        agency_code=case.agency.code,
        year=case_file.year,
        retention=case_file.retention,
        holds=tuple(Hold.from_dict(h).shown for h in case_file.holds),
        title=cover["title"],
        parties=tuple(cover["parties"]),
        decision_no=cover["decision_no"],
        unit=cover["unit"],
        handlers=tuple(cover["handlers"]),
        opened_on=date.fromisoformat(cover["opened_on"]),
        closed_on=date.fromisoformat(cover["closed_on"]) if cover["closed_on"] else None,
        compiled_by=case_file.compiled_by.display_name,
        checked_by=case_file.checked_by.display_name,
        compiled_on=case_file.compiled_at.astimezone(clock.SHANGHAI).date(),
        notes=case_file.notes,
        items=items,
    )


def _ids(rows: Iterable[dict], kind: str) -> list[int]:
    return [int(r["record"].split(":", 1)[1]) for r in rows if r["record"].startswith(f"{kind}:")]


def _item(
    row: dict,
    archive_no: str,
    actions: tuple[PlanAction, ...],
    media: dict[int, MediaRecord],
    intakes: dict[int, MediaIntake],
    confidential_case: bool,
) -> PlanItem:
    kind, pk = row["record"].split(":", 1)
    files: tuple[PlanFile, ...]
    av = None
    if kind == "supplement":
        files = (_supplement_file(row),)
        av = _supplement_av(row) if row["kind"] == "media" else None
    elif kind == "document":
        files = (_document_file(row, int(pk)),)
    else:
        record = media[int(pk)]
        files = (_media_file(record),)
        av = _av(record, intakes.get(record.pk))
    return PlanItem(
        piece_no=row["piece_no"],
        archive_no=f"{archive_no}-{row['piece_no']:03d}",
        kind="media" if row["kind"] == "media" else "document",
        record=row["record"],
        volume="auxiliary" if row["volume"] == "auxiliary" else "main",
        title=row["title"],
        doc_no=row["doc_no"],
        responsible=row["responsible"],
        date=date.fromisoformat(row["date"]),
        security="内部" if confidential_case else row.get("security", "公开"),
        pages=row["pages"],
        first_page=row["first_page"],
        files=files,
        actions=actions,
        av=av,
    )


def _document_file(row: dict, pk: int) -> PlanFile:
    """The 存档联 the case file recorded, read back and checked: never a copy issued since."""
    content = b"".join(blob_store().open_range(row["sha256"]))
    if hashlib.sha256(content).hexdigest() != row["sha256"]:
        raise Conflict(f"件{row['piece_no']}（{row['title']}）的存档联与案卷记录不符，请联系管理员")
    return PlanFile(
        name=f"document-{pk}-v{row['version']}.pdf",
        sha256=row["sha256"],
        sm3=row["sm3"],
        size=len(content),
        format="PDF/A-3b",
        media_type="application/pdf",
        content=content,
    )


def _supplement_file(row: dict) -> PlanFile:
    """A 补充归档 file as uploaded, streamed from the blob store by the writer."""
    suffix = {"PDF": ".pdf", "JPEG": ".jpg", "TIFF": ".tif", "MP4": ".mp4", "MP3": ".mp3", "WAV": ".wav"}
    return PlanFile(
        name=f"supplement-{row['piece_no']:03d}{suffix.get(row['file_format'], '')}",
        sha256=row["sha256"],
        sm3=row["sm3"],
        size=row["size"],
        format=row["file_format"],
        media_type=row["media_type"],
        blob=row["sha256"],
    )


def _supplement_av(row: dict) -> AvFacts:
    """A supplemented recording's facts: what its probe said; the rest was not recorded with it."""
    av = row.get("av") or {}
    return AvFacts(
        duration_s=_seconds(_fraction(av.get("duration_s"))),
        codec=str(av.get("codec") or ""),
        resolution=str(av.get("resolution") or ""),
        device_no="",
        captured_start=None,
        captured_end=None,
        location="",
        officers=(),
        activity=row["title"],
    )


def _fraction(value: object) -> object:
    """A probe's exact duration ("num/den") as a decimal string."""
    if isinstance(value, str) and "/" in value:
        num, den = value.split("/", 1)
        return str(Decimal(num) / Decimal(den))
    return value


def _media_file(record: MediaRecord) -> PlanFile:
    suffix = PurePosixPath(record.original_filename).suffix.lower()
    if not suffix.isascii() or len(suffix) > 6:
        suffix = ""
    return PlanFile(
        name=f"media-{record.pk}{suffix}",
        sha256=record.sha256,
        sm3=_sm3_of_blob(record.sha256),
        size=record.size,
        format=_MEDIA_FORMATS.get(record.content_type, record.content_type.rsplit("/", 1)[-1].upper()),
        media_type=record.content_type or "application/octet-stream",
        blob=record.sha256,
    )


def _sm3_of_blob(sha256: str) -> str:
    """The SM3 recorded beside the SHA-256 at intake or fixity, else computed from the stored bytes."""
    known = ContentDigest.objects.filter(sha256=sha256).values_list("sm3", flat=True).first()
    if known:
        return known
    digest = hashlib.new("sm3")
    for chunk in blob_store().open_range(sha256):
        digest.update(chunk)
    return digest.hexdigest()


def _av(record: MediaRecord, intake: MediaIntake | None) -> AvFacts:
    probe = intake.probe if intake is not None else {}
    width, height = probe.get("width"), probe.get("height")
    return AvFacts(
        duration_s=_seconds(probe.get("duration")),
        codec=str(probe.get("video_codec") or probe.get("audio_codec") or ""),
        resolution=f"{width}×{height}" if width and height else "",
        device_no=record.device_no,
        captured_start=record.captured_start,
        captured_end=record.captured_end,
        location=record.location,
        officers=tuple(str(o) for o in (record.officers or [])),
        activity=_ACTIVITIES.get(record.activity, record.activity),
    )


def _seconds(value: object) -> float | None:
    try:
        return float(Decimal(str(value))) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _actions(
    case_id: int, rows: list[dict], profile: Profile | None, supplements: dict[str, int]
) -> dict[str, tuple[PlanAction, ...]]:
    """The business actions of each record, from the entries of the case (and of its footage, which may
    have been uploaded before it was linked) whose objects name the record; a 补充归档 item's are its
    supplement's (``supplements``: record → supplement id)."""
    wanted = {r["record"] for r in rows}
    by_supplement = {pk: record for record, pk in supplements.items()}
    media_ids = _ids(rows, "media")
    entries = LedgerEntry.objects.filter(
        Q(case_id=case_id) | Q(object_type="media", object_id__in=media_ids)
    ).order_by("index")
    basis = _basis(rows, profile)
    found: dict[str, list[PlanAction]] = defaultdict(list)
    for entry in entries.filter(action__in=ACTION_LABELS).select_related("actor"):
        body = json.loads(bytes(entry.body))
        objects = body.get("objects", {})
        for kind in ("document", "media"):
            record = f"{kind}:{objects.get(kind)}"
            if record in wanted:
                found[record].append(_action(entry, body, basis.get(record, "")))
        if objects.get("supplement") in by_supplement:
            found[by_supplement[objects["supplement"]]].append(_action(entry, body, ""))
    return {record: tuple(found.get(record, ())) for record in wanted}


def _action(entry: LedgerEntry, body: dict, basis: str) -> PlanAction:
    actor = body.get("actor") or {}
    label = ACTION_LABELS[entry.action]
    return PlanAction(
        action=label,
        at=datetime.fromisoformat(body["time"].replace("Z", "+00:00")),
        agent=str(actor.get("name") or "系统"),
        basis=basis,
        description=f"{label}（日志第 {entry.index} 条）",
        ledger_index=entry.index,
    )


def _basis(rows: list[dict], profile: Profile | None) -> dict[str, str]:
    """The citation of the first rule of the profile that names each record's kind (a document type in
    ``document_types`` or ``applies_to.document_type``; a recording's activity), else none."""
    doc_types = dict(
        (f"document:{pk}", t)
        for pk, t in Document.objects.filter(pk__in=_ids(rows, "document")).values_list("pk", "doc_type")
    )
    activities = dict(
        (f"media:{pk}", a)
        for pk, a in MediaRecord.objects.filter(pk__in=_ids(rows, "media")).values_list("pk", "activity")
    )
    out: dict[str, str] = {}
    for rule in profile.rules if profile else ():
        named = set(rule.params.get("document_types", ())) | set(rule.applies_to.get("document_type", ()))
        for record, doc_type in doc_types.items():
            if doc_type in named:
                out.setdefault(record, rule.citation)
        activity = rule.params.get("activity")
        for record, act in activities.items():
            if act and act == activity:
                out.setdefault(record, rule.citation)
    return out

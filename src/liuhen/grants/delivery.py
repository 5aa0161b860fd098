"""Copies that say who made them (复制, 对外提供): the delivery package of a live copy or release grant.

What goes in, for each record the grant covers (read through the access layer as the requester):

* a document: its issued PDF (the 存档联 as sealed) with a visible watermark naming the requester, the
  time and the grant's number on every page (:func:`liuhen.media.watermark.watermark_pdf`), and the
  leaf hash of its ledger entry, by which its verification address checks it;
* a photo: watermarked likewise (:func:`~liuhen.media.watermark.watermark_photo`);
* audio and video: the original, bit for bit (its SHA-256 equal to the record's), and for video, when
  asked, a watermarked viewing copy (:func:`~liuhen.media.watermark.watermark_video`).

The manifest (who, when, under which approval, the SHA-256 of each file) is signed with the agency's key
(:func:`liuhen.grants.package.write_package`); the package is stored in the blob store, recorded as an
:class:`~liuhen.grants.models.AccessDelivery` with its ledger entry, and each record's read is logged
with the purpose "copied" (or "released") naming the grant."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.db import transaction

from liuhen.access import Read, log_reads
from liuhen.access.masking import holds_personal, personal_blanks
from liuhen.accounts.models import User
from liuhen.cases.blobs import blob_store, verified_content
from liuhen.cases.models import Document
from liuhen.catalogue import get_type
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, invalid
from liuhen.evidence.models import MediaRecord
from liuhen.grants.jobs import Job, pending_jobs
from liuhen.grants.models import AccessDecision, AccessDelivery, AccessRequest
from liuhen.grants.package import PackageFile, PackageMeta, write_package
from liuhen.grants.policy import agency_policy
from liuhen.grants.selectors import CoveredRecord, covered_records
from liuhen.grants.services import approver_basis, grant_state
from liuhen.issuing.services import document_pdf, record_entry_of
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ContentRef, ledger_append
from liuhen.media import watermark
from liuhen.media.thumbnails import MediaError
from liuhen.signing.pades import seal_pdf

_PHOTO_SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png"}


def watermark_text(request: AccessRequest, by: User) -> str:
    """What every page and picture of the copy says: who, when, under which approval."""
    return f"{by.display_name} {clock.local_text(clock.now())} {request.number} 仅供{request.get_kind_display()}使用"


# A package holding a video's viewing copy, or this many bytes of A/V, is made by the background worker
# (``liuhen serve`` runs it): transcoding runs at about real time, longer than a page should wait.
QUEUE_BYTES = 64 * 1024 * 1024
TASK_PATH = "liuhen.grants.tasks.access_package_task"


def _checked(request: AccessRequest, by: User, handed_to: str) -> list[CoveredRecord]:
    """The records a package of ``request`` made by ``by`` would hold, or the refusal."""
    if request.requested_by_id != by.pk:
        raise PermissionDenied("复制件只能由申请人本人在授权期限内制作")
    if request.kind == AccessRequest.Kind.VIEW:
        raise Conflict(f"{request.number}是调阅申请，只能在线查看，不能制作复制件；复制请提出复制申请")
    state = grant_state(request)
    if state != "live":
        raise PermissionDenied(not_live(request, state))
    if request.kind == AccessRequest.Kind.RELEASE and not handed_to.strip():
        raise invalid("handed_to", "required", "对外提供须写明实际接收人")
    records = covered_records(user=by, request=request)
    if not records:
        raise NotFound(f"{request.number}所列记录均已无法查看")
    return records


def delivery_request(
    *, request: AccessRequest, by: User, handed_to: str = "", viewing_copies: bool = True
) -> AccessDelivery | None:
    """Make the package now, or — when it holds a video's viewing copy or much A/V — queue it for the
    background worker and return ``None`` (:func:`package_jobs` then says how it goes). Either way the
    refusals come at once."""
    records = _checked(request, by, handed_to)
    media = [r.obj for r in records if isinstance(r.obj, MediaRecord)]
    heavy = sum(m.size for m in media) > QUEUE_BYTES or (
        viewing_copies and any(m.kind == MediaRecord.Kind.VIDEO for m in media)
    )
    if not heavy:
        return _make(request, by, records, handed_to=handed_to, viewing_copies=viewing_copies)
    from liuhen.grants.tasks import access_package_task  # tasks build on this module

    access_package_task.enqueue(
        request_id=request.pk, user_id=by.pk, handed_to=handed_to, viewing_copies=viewing_copies
    )
    return None


def package_jobs(request: AccessRequest) -> list[Job]:
    """The background makings of ``request``'s packages that have not produced one since the last."""
    last = request.deliveries.order_by("-made_at").values_list("made_at", flat=True).first()
    return pending_jobs(TASK_PATH, since=last, request_id=request.pk)


def delivery_make(
    *, request: AccessRequest, by: User, handed_to: str = "", viewing_copies: bool = True
) -> AccessDelivery:
    """Build, store and record the package of ``request`` (a live copy or release grant of ``by``)."""
    records = _checked(request, by, handed_to)
    return _make(request, by, records, handed_to=handed_to, viewing_copies=viewing_copies)


def _make(
    request: AccessRequest, by: User, records: list[CoveredRecord], *, handed_to: str, viewing_copies: bool
) -> AccessDelivery:
    """The package of ``records`` (what :func:`_checked` allowed), stored and recorded."""
    decision = AccessDecision.objects.select_related("decided_by").get(request=request)
    text = watermark_text(request, by)
    with tempfile.TemporaryDirectory(prefix="liuhen-copy-") as folder:
        files: list[PackageFile] = []
        reads: list[Read] = []
        for number, covered in enumerate(records, start=1):
            if isinstance(covered.obj, Document):
                files.append(_document_file(by, covered.obj, number, text))
                reads.append(Read(covered.obj, _document_reasons(covered.obj), case=covered.case))
            else:
                files += _media_files(covered.obj, number, text, Path(folder), viewing_copies=viewing_copies)
                reasons = ("av", "confidential") if covered.obj.confidential else ("av",)
                reads.append(Read(covered.obj, reasons, case=covered.case))
        meta = PackageMeta(
            number=request.number,
            kind="release" if request.kind == AccessRequest.Kind.RELEASE else "copy",
            agency_code=request.agency.code,
            agency_name=request.agency.name,
            made_by=by.display_name,
            made_at=clock.now(),
            approved_by=decision.decided_by.display_name,
            approved_at=decision.decided_at,
            recipient=handed_to.strip() or request.recipient or by.display_name,
            purpose=request.reason,
            basis=approver_basis(agency_policy(request.agency), request.kind),
        )
        zip_path = Path(folder) / "package.zip"
        summary = write_package(zip_path, files, meta, agency=request.agency)
        blob_store().put_file(zip_path, sha256_hex=summary.sha256)
    purpose = "released" if request.kind == AccessRequest.Kind.RELEASE else "copied"
    now = clock.now()
    with transaction.atomic():
        delivery = AccessDelivery.objects.create(
            request=request,
            sha256=summary.sha256,
            size=summary.size,
            manifest_sha256=summary.manifest_sha256,
            files=summary.files,
            handed_to=handed_to.strip(),
            made_by=by,
            made_at=now,
        )
        ledger_append(
            action="access.delivered",
            actor=by,
            agency=request.agency,
            objects={"access_request": request.pk, "access_delivery": delivery.pk},
            contents=[ContentRef("access_package", summary.sha256, summary.size)],
            details={
                "number": request.number,
                "handed_to": delivery.handed_to,
                "manifest_sha256": summary.manifest_sha256,
                STATE_KEY: row_states(access_delivery=delivery.pk),
            },
            at=now,
        )
        log_reads(user=by, reads=reads, purpose=purpose, grant=request.number)
    return delivery


def not_live(request: AccessRequest, state: str) -> str:
    if state == "expired":
        return f"{request.number}已于{clock.local_text(request.decision.expires_at or clock.now())}到期"
    if state == "revoked":
        return f"{request.number}已被撤销"
    return f"{request.number}尚未批准" if state == "pending" else f"{request.number}未获批准"


def _document_reasons(document: Document) -> tuple[str, ...]:
    spec = get_type(document.doc_type)
    personal = bool(personal_blanks(spec)) and holds_personal(spec, document.fields)
    return (("confidential",) if document.confidential else ()) + (("personal",) if personal else ())


def _document_file(by: User, document: Document, number: int, text: str) -> PackageFile:
    spec = get_type(document.doc_type)
    amendments = list(document.amendments.all())
    leaf = bytes(record_entry_of(document, amendments, len(amendments)).leaf_hash).hex()
    issued = document_pdf(user=by, document_id=document.pk, copy="file")
    record = {
        "kind": "document",
        "id": document.pk,
        "title": spec.title,
        "issued_sha256": hashlib.sha256(issued.content).hexdigest(),
        "ledger_leaf": leaf,
    }
    # the watermark rewrites the PDF, which voids the issued copy's seal: the copy is sealed anew by the
    # agency, so its receiver checks it with any PDF reader (the original's hash stays in the manifest)
    marked = seal_pdf(
        watermark.watermark_pdf(issued.content, text), agency=document.case.agency, reason=f"复制件 {text}"
    )
    return PackageFile(f"文书/{number:02d}-{spec.title}（复制件）.pdf", marked, "watermarked", record)


def _media_files(
    record: MediaRecord, number: int, text: str, folder: Path, *, viewing_copies: bool
) -> list[PackageFile]:
    kind = MediaRecord.Kind(record.kind).label
    title = (record.title or kind).replace("/", "／")[:60]
    info = {"kind": "media", "id": record.pk, "title": record.title, "original_sha256": record.sha256}
    source = folder / f"media-{number}"
    with source.open("wb") as out:
        for chunk in blob_store().open_range(record.sha256):
            out.write(chunk)
    stem = f"音像/{number:02d}-{kind}-{title}"
    suffix = Path(record.original_filename).suffix.lower() or _PHOTO_SUFFIX.get(record.content_type, ".bin")
    if record.kind == MediaRecord.Kind.PHOTO and record.content_type in _PHOTO_SUFFIX:
        marked = folder / f"media-{number}-marked{_PHOTO_SUFFIX[record.content_type]}"
        try:
            watermark.watermark_photo(source, marked, text)
        except MediaError:  # a photo Pillow cannot read goes as it is, bit for bit
            return [PackageFile(f"{stem}（原件）{suffix}", source, "original", info)]
        return [PackageFile(f"{stem}（复制件）{marked.suffix}", marked, "watermarked", info)]
    files = [PackageFile(f"{stem}（原件）{suffix}", source, "original", info)]
    if viewing_copies and record.kind == MediaRecord.Kind.VIDEO:
        viewing = folder / f"media-{number}-viewing.mp4"
        watermark.watermark_video(source, viewing, text)
        files.append(PackageFile(f"{stem}（观看副本）.mp4", viewing, "viewing_copy", info))
    return files


def delivery_content(*, user: User, request: AccessRequest, delivery_id: int) -> AccessDelivery:
    """A stored package of ``request`` (read by the caller through the access layer), for its requester
    only: the copies carry their name (checked against its recorded hash)."""
    if request.requested_by_id != user.pk:
        raise PermissionDenied("复制件只能由申请人本人下载")
    delivery = AccessDelivery.objects.filter(request=request, pk=delivery_id).first()
    if delivery is None:
        raise NotFound(f"复制件 {delivery_id} 不存在")
    return delivery


def delivery_bytes(delivery: AccessDelivery) -> bytes:
    content = verified_content(delivery.sha256)
    if content is None:
        raise Conflict("复制件的存储文件已损坏，请联系管理员")
    return content

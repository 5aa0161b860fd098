"""Delivery of the answer (送达): how and to whom, and for a grant or partial grant the signed package.

The package (:func:`liuhen.grants.package.write_package`, kind ``disclosure``) holds each item the
decision gives: a document as its issued PDF (the party's copy where the type has one) or its redacted
derivative, a photo or recording bit for bit as stored or its redacted derivative; and for each document
the QR code of its verification address (``/verify/<leaf>``, the same the printed copy carries) as SVG.
The manifest is signed with the agency's key. Reading the records into the package is logged with the
purpose "copied". A refusal is delivered without a package.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from liuhen.access import Read, log_reads, scope
from liuhen.access.masking import holds_personal, personal_blanks
from liuhen.accounts.models import User
from liuhen.cases.blobs import blob_store, verified_content
from liuhen.cases.models import Document
from liuhen.catalogue import get_type
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound, invalid
from liuhen.disclosure.models import DisclosureDelivery, DisclosureRedaction, DisclosureRequest
from liuhen.disclosure.services import REASONS, require_desk
from liuhen.disclosure.state import decision_in_force, entry_state, missing_redactions
from liuhen.evidence.models import MediaRecord
from liuhen.grants.package import PackageFile, PackageMeta, write_package
from liuhen.grants.policy import agency_policy
from liuhen.issuing.render import qr_svg
from liuhen.issuing.services import copies_of, document_pdf, record_entry_of
from liuhen.ledger.services import ContentRef, ledger_append

MEDIA_SUFFIX = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "video/mp4": ".mp4",
    "audio/mp4": ".m4a",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
}


def request_deliver(
    *, request: DisclosureRequest, by: User, method: str, recipient: str
) -> DisclosureDelivery:
    """Record the delivery; for a grant or partial grant, build and store the package first."""
    require_desk(by)
    if method not in DisclosureDelivery.Method.values:
        raise invalid("method", "invalid", "请选择送达方式")
    recipient = recipient.strip()
    if not recipient:
        raise invalid("recipient", "required", "请填写签收人或收件人")
    decision = decision_in_force(request)
    if decision is None:
        raise Conflict("该申请尚未作出答复决定")
    if hasattr(request, "delivery"):
        raise Conflict("该申请已送达")
    role = agency_policy(request.agency).disclosure_approver_role
    approval = getattr(decision, "approval", None) if _approved_row(decision) else None
    if role and (approval is None or not approval.approved):
        raise Conflict("答复决定须经审批同意后才能送达")
    if missing_redactions(request, decision):
        raise Conflict("答复决定中需遮蔽的记录尚未全部遮蔽")
    if decision.outcome == "refuse":
        return _recorded(request, by, method, recipient, None)
    with tempfile.TemporaryDirectory(prefix="liuhen-disclosure-pkg-") as folder:
        files, reads = _files(request, by, decision.items, Path(folder))
        meta = PackageMeta(
            number=request.number,
            kind="disclosure",
            agency_code=request.agency.code,
            agency_name=request.agency.name,
            made_by=by.display_name,
            made_at=clock.now(),
            approved_by=(approval.by.display_name if approval else decision.decided_by.display_name),
            approved_at=(approval.at if approval else decision.decided_at),
            recipient=recipient,
            purpose=f"依申请公开：{request.asked_for[:200]}",
            basis=agency_policy(request.agency).disclosure_basis
            + (f"；{REASONS[decision.reason]}" if decision.reason in REASONS else ""),
        )
        zip_path = Path(folder) / f"{request.number}.zip"
        summary = write_package(zip_path, files, meta, agency=request.agency)
        blob_store().put_file(zip_path, sha256_hex=summary.sha256)
        log_reads(user=by, reads=reads, purpose="copied")
        return _recorded(request, by, method, recipient, summary)


def _approved_row(decision: Any) -> bool:
    try:
        decision.approval  # noqa: B018
    except Exception:  # no approval row
        return False
    return True


@transaction.atomic
def _recorded(
    request: DisclosureRequest, by: User, method: str, recipient: str, summary: Any
) -> DisclosureDelivery:
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    if DisclosureDelivery.objects.filter(request=request).exists():
        raise Conflict("该申请已送达")
    now = clock.now()
    delivery = DisclosureDelivery.objects.create(
        request=request,
        method=method,
        recipient=recipient[:200],
        sha256=summary.sha256 if summary else "",
        size=summary.size if summary else 0,
        manifest_sha256=summary.manifest_sha256 if summary else "",
        files=summary.files if summary else 0,
        delivered_at=now,
        delivered_by=by,
    )
    ledger_append(
        action="disclosure.delivered",
        actor=by,
        agency=request.agency,
        case=request.case,
        objects={"disclosure_request": request.pk, "disclosure_delivery": delivery.pk},
        contents=[ContentRef("disclosure_package", summary.sha256, summary.size)] if summary else [],
        details={
            "number": request.number,
            "method": method,
            "recipient": delivery.recipient,
            "manifest_sha256": delivery.manifest_sha256,
            **entry_state(disclosure_delivery=delivery.pk),
        },
        at=now,
    )
    return delivery


def _files(
    request: DisclosureRequest, by: User, items: list[dict[str, Any]], folder: Path
) -> tuple[list[PackageFile], list[Read]]:
    redactions = {(r.source_kind, r.source_id): r for r in request.redactions.order_by("id")}  # latest wins
    files: list[PackageFile] = []
    reads: list[Read] = []
    for number, item in enumerate((i for i in items if i["outcome"] != "withheld"), start=1):
        redaction = redactions.get((item["kind"], item["id"])) if item["outcome"] == "redacted" else None
        if item["kind"] == "document":
            document = _document(by, request, item["id"])
            files += _document_files(by, document, redaction, number)
            spec = get_type(document.doc_type)
            personal = bool(personal_blanks(spec)) and holds_personal(spec, document.fields)
            reasons = (("confidential",) if document.confidential else ()) + (
                ("personal",) if personal else ()
            )
            reads.append(Read(document, reasons, case=request.case))
        else:
            record = _media(by, request, item["id"])
            files.append(_media_file(record, redaction, number, folder))
            reasons = ("av", "confidential") if record.confidential else ("av",)
            reads.append(Read(record, reasons, case=request.case))
    return files, reads


def _document(by: User, request: DisclosureRequest, pk: int) -> Document:
    found = scope.documents(by, case_id=request.case_id).filter(pk=pk).first() if request.case_id else None
    if found is None:
        raise NotFound(f"文书 {pk} 不存在")
    return found


def _media(by: User, request: DisclosureRequest, pk: int) -> MediaRecord:
    found = (
        scope.media_of_case(scope.media(by), request.case_id).filter(pk=pk).first()
        if request.case_id
        else None
    )
    if found is None:
        raise NotFound(f"音像记录 {pk} 不存在")
    return found


def _document_files(
    by: User, document: Document, redaction: DisclosureRedaction | None, number: int
) -> list[PackageFile]:
    spec = get_type(document.doc_type)
    amendments = list(document.amendments.all())
    leaf = bytes(record_entry_of(document, amendments, len(amendments)).leaf_hash).hex()
    stem = f"文书/{number:02d}-{spec.title}"
    record: dict[str, Any] = {"kind": "document", "id": document.pk, "title": spec.title, "ledger_leaf": leaf}
    if redaction is not None:
        content = b"".join(blob_store().open_range(redaction.sha256))
        pdf = PackageFile(
            f"{stem}（遮蔽件）.pdf",
            content,
            "redacted",
            {**record, "original_sha256": redaction.original_sha256, "redaction": redaction.pk},
        )
    else:
        copy = "party" if "party" in copies_of(spec) else "file"
        issued = document_pdf(user=by, document_id=document.pk, copy=copy)
        sha = hashlib.sha256(issued.content).hexdigest()
        pdf = PackageFile(f"{stem}.pdf", issued.content, "original", {**record, "original_sha256": sha})
    url = f"{settings.LIUHEN_PUBLIC_URL}/verify/{leaf}"
    qr = PackageFile(f"{stem}-核验二维码.svg", qr_svg(url), "verification", {**record, "verify_url": url})
    return [pdf, qr]


def _media_file(
    record: MediaRecord, redaction: DisclosureRedaction | None, number: int, folder: Path
) -> PackageFile:
    kind = MediaRecord.Kind(record.kind).label
    title = (record.title or kind).replace("/", "／")[:60]
    info = {"kind": "media", "id": record.pk, "title": record.title, "original_sha256": record.sha256}
    sha, role, media_type = record.sha256, "original", record.content_type
    if redaction is not None:
        sha, role, media_type = redaction.sha256, "redacted", redaction.media_type
        info["redaction"] = redaction.pk
    path = folder / f"media-{number}"
    with path.open("wb") as out:
        for chunk in blob_store().open_range(sha):
            out.write(chunk)
    suffix = MEDIA_SUFFIX.get(media_type) or Path(record.original_filename).suffix.lower() or ".bin"
    label = "（遮蔽件）" if redaction is not None else ""
    return PackageFile(f"音像/{number:02d}-{kind}-{title}{label}{suffix}", path, role, info)


def package_bytes(delivery: DisclosureDelivery) -> bytes:
    """The stored package (checked against its recorded hash)."""
    if not delivery.sha256:
        raise NotFound("不予公开的答复没有交付包")
    content = verified_content(delivery.sha256)
    if content is None:
        raise NotFound("交付包的存储文件已损坏，请联系管理员")
    return content

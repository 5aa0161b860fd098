"""Issuing a document as a sealed PDF/A: render, seal, store once, record in the ledger.

A request for a document version's PDF (API, web, console) comes here. The document is read through the
access layer (:func:`liuhen.cases.selectors.document_get`), so the read of a confidential document or of
personal data is logged like any other read of it, and a reader not cleared for personal data gets a
**viewing copy** (阅览件) with those blanks masked: rendered, never sealed or stored, since it is not
the document the agency issued.

For everyone else the first request of a version and copy renders and seals it, stores the PDF in the
blob store (named by its SHA-256) and appends ``document.issued`` with its SHA-256 and SM3 in the same
transaction; every later request gets the stored bytes, so a printed or e-mailed copy matches exactly one
issued row. Rendering never changes a record, and works on archived cases too.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from django.conf import settings
from django.db import IntegrityError, transaction

from liuhen.accounts.models import User
from liuhen.archive.fixity import digest_record
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Document
from liuhen.cases.selectors import document_get, document_marks, document_signoffs, mark_bytes
from liuhen.catalogue import DocumentType, get_type
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound
from liuhen.issuing import render
from liuhen.issuing.models import IssuedDocument
from liuhen.issuing.sheet import Mark, sheet
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.services import ContentRef, ledger_append

RECORD_FORMAT = "liuhen-issued-document/1"
COPIES = ("file", "party")


@dataclass(frozen=True)
class IssuedPdf:
    """What the caller hands out: the bytes, a file name, and the issued row (none for a viewing copy)."""

    content: bytes
    filename: str
    issued: IssuedDocument | None

    @property
    def viewing_copy(self) -> bool:
        return self.issued is None


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905) through OpenSSL, as the rest of Liuhen records it beside SHA-256."""
    return hashlib.new("sm3", data).hexdigest()


def copies_of(spec: DocumentType) -> tuple[str, ...]:
    """The copies a type is printed as: a party's copy only where the party gets or signs it."""
    return COPIES if spec.issued_to_party or spec.party_signs else ("file",)


@dataclass(frozen=True)
class Wanted:
    """One PDF asked for: a document (as read through the access layer), its amendments, which version
    and which copy."""

    user: User
    document: Document
    spec: DocumentType
    amendments: Sequence[Any]
    version: int
    copy: str


def wanted_for(*, user: User, document_id: int, version: int | None, copy: str) -> Wanted:
    """Read the document through the access layer (the read logged, personal data masked unless the
    user is cleared) and check the version and copy asked for; a masked read is a viewing copy."""
    document = document_get(user=user, document_id=document_id, purpose="printed")
    spec = get_type(document.doc_type)
    amendments = list(document.amendments.all())
    latest = len(amendments)
    version = latest if version is None else version
    if not 0 <= version <= latest:
        raise NotFound(f"文书 {document_id} 没有第 {version} 版（共 {latest + 1} 版，0 为原始版本）")
    if copy not in copies_of(spec):
        raise NotFound(f"{spec.title}没有{dict(IssuedDocument.Copy.choices).get(copy, copy)}")
    if getattr(document, "_liuhen_masked", False):
        copy = "viewing"
    return Wanted(user, document, spec, amendments, version, copy)


def document_pdf(
    *, user: User, document_id: int, version: int | None = None, copy: str = "file"
) -> IssuedPdf:
    """The PDF of ``document_id`` after ``version`` amendments (default: all) as ``copy``."""
    wanted = wanted_for(user=user, document_id=document_id, version=version, copy=copy)
    if wanted.copy == "viewing":
        return IssuedPdf(render_document(wanted)[0], filename(wanted, "pdf"), None)
    attestations = attestations_of(wanted.document)
    stored = _stored(wanted, attestations) or _issue(wanted, attestations)
    return IssuedPdf(_read(stored), filename(wanted, "pdf"), stored)


def archival_copy(document: Document, *, for_user: User) -> IssuedPdf:
    """The 存档联 of ``document`` (its latest version) as issued, for the access layer's "archiving"
    reason: what the archivist files in the case file.

    Not :func:`document_pdf`, which reads through the user's own scope and would hand an archivist not
    cleared for personal data a masked viewing copy: the case file holds the sealed copy the agency
    issued. The copy already issued is returned as stored; one never issued is issued now (recorded as
    ``document.issued`` by ``for_user``), but only by someone who may read the document — a
    confidential one is printed first by a person cleared for it. The read of a confidential document,
    or of one holding personal data, is logged with the purpose "archiving"."""
    from liuhen.access import Read, log_reads, scope
    from liuhen.access.masking import holds_personal, personal_blanks

    case = document.case
    if not scope.archiving_documents(for_user, case).filter(pk=document.pk).exists():
        raise NotFound(f"文书 {document.pk} 不存在")
    amendments = list(document.amendments.all())
    spec = get_type(document.doc_type)
    wanted = Wanted(for_user, document, spec, amendments, len(amendments), "file")
    attestations = attestations_of(document)
    issued = _stored(wanted, attestations)
    if issued is None:
        if not scope.documents(for_user, case_id=case.pk).filter(pk=document.pk).exists():
            raise Conflict(
                f"{spec.title}（{document.created_at.astimezone(clock.SHANGHAI):%Y-%m-%d}）尚无存档联："
                "涉密文书须由有权查看的人员先打印（出具）存档联，再整理案卷"
            )
        issued = _issue(wanted, attestations)
    content = _read(issued)
    personal = bool(personal_blanks(spec)) and holds_personal(spec, document.fields)
    reasons = (("confidential",) if document.confidential else ()) + (("personal",) if personal else ())
    if reasons:
        log_reads(user=for_user, reads=[Read(document, reasons, case=case)], purpose="archiving")
    return IssuedPdf(content, filename(wanted, "pdf"), issued)


def _stored(wanted: Wanted, attestations: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        document_id=wanted.document.pk, version=wanted.version, copy=wanted.copy, attestations=attestations
    ).first()


def _read(issued: IssuedDocument) -> bytes:
    content = b"".join(blob_store().open_range(issued.sha256))
    if hashlib.sha256(content).hexdigest() != issued.sha256:  # never hand out bytes that are not the record
        raise NotFound(f"出具文书 {issued.pk} 的存储文件已损坏，请联系管理员")
    return content


def filename(wanted: Wanted, suffix: str) -> str:
    label = {"file": "存档联", "party": "当事人联", "viewing": "阅览件"}[wanted.copy]
    document = wanted.document
    return f"{document.case.case_no}-{wanted.spec.title}-{document.pk}-v{wanted.version}-{label}.{suffix}"


def _issue(wanted: Wanted, attestations: str) -> IssuedDocument:
    """Render, seal and store the PDF, then record it; a concurrent request that won keeps its copy."""
    from liuhen.signing.pades import seal_pdf  # the signing layer loads keys on first use

    pdf, leaf = render_document(wanted)
    case = wanted.document.case
    reason = f"{wanted.spec.title} {case.case_no}"
    for officer in personal_signers(wanted.document):  # officers first; the agency's seal covers all
        pdf = seal_pdf(pdf, agency=case.agency, reason=f"执法人员签名 {reason}", signer_user=officer)
    sealed = seal_pdf(pdf, agency=case.agency, reason=reason)
    with tempfile.TemporaryDirectory(prefix="liuhen-issue-") as folder:
        path = Path(folder) / "issued.pdf"
        path.write_bytes(sealed)
        blob = blob_store().put_file(path, sha256_hex=hashlib.sha256(sealed).hexdigest())
    try:
        with transaction.atomic():
            return _record(wanted, attestations, sealed, blob.key, leaf)
    except IntegrityError:
        existing = _stored(wanted, attestations)
        if existing is None:
            raise
        return existing


def _record(wanted: Wanted, attestations: str, pdf: bytes, key: str, leaf: str) -> IssuedDocument:
    now = clock.now()
    document = wanted.document
    sha256, sm3 = hashlib.sha256(pdf).hexdigest(), sm3_hex(pdf)
    issued = IssuedDocument.objects.create(
        document=document,
        version=wanted.version,
        copy=wanted.copy,
        attestations=attestations,
        sha256=sha256,
        sm3=sm3,
        size=len(pdf),
        storage_key=key,
        record_leaf=leaf,
        sealed_by=document.case.agency.name,
        issued_at=now,
        issued_by=wanted.user,
    )
    digest_record(sha256=sha256, sm3=sm3, size=len(pdf), kind="pdf")
    ledger_append(
        action="document.issued",
        actor=wanted.user,
        agency=document.case.agency,
        case=document.case,
        objects={"issued": issued.pk, "document": document.pk},
        contents=[ContentRef("pdf", sha256, len(pdf))],
        details={
            "version": wanted.version,
            "copy": wanted.copy,
            "sm3": sm3,
            "record_leaf": leaf,
            STATE_KEY: row_states(issued=issued.pk),
        },
        at=now,
    )
    return issued


def record_entry_of(document: Document, amendments: Sequence[Any], version: int) -> LedgerEntry:
    """The ledger entry that recorded this version: the document's creation, or the amendment."""
    if version == 0:
        lookup = {"action": "document.created", "object_type": "document", "object_id": document.pk}
    else:
        lookup = {
            "action": "document.amended",
            "object_type": "amendment",
            "object_id": amendments[version - 1].pk,
        }
    entry = LedgerEntry.objects.filter(**lookup).first()
    if entry is None:
        raise NotFound(f"文书 {document.pk} 第 {version} 版没有日志条目")
    return entry


def sheet_for(wanted: Wanted) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The sheet of one version as ``copy`` and the images it names (captured marks, the agency's seal),
    for any rendering of it: the PDF here, the OFD in :mod:`liuhen.issuing.ofd_service`."""
    return _sheet(wanted, record_entry_of(wanted.document, wanted.amendments, wanted.version))


def _sheet(wanted: Wanted, entry: LedgerEntry) -> tuple[dict[str, Any], dict[str, bytes]]:
    """:func:`sheet_for` given the ledger entry that recorded the version (read once per render)."""
    document = wanted.document
    leaf = bytes(entry.leaf_hash).hex()
    agency = document.case.agency
    images, marks = _mark_images(wanted.user, document)
    signatures = list(document.signatures.all())
    signers = [s.signer_user_id for s in signatures if s.signer_user_id]
    data = sheet(
        spec=wanted.spec,
        document=document,
        version=wanted.version,
        agency=agency,
        copy=wanted.copy,
        signatures=signatures,
        refusals=list(document.refusals.all()),
        amendments=wanted.amendments,
        officers={u.pk: u for u in User.objects.filter(pk__in=signers)},
        marks=marks,
        verify_url=f"{settings.LIUHEN_PUBLIC_URL}/verify/{leaf}",
        leaf_hash=leaf,
        entry_index=entry.index,
        seal_file=_seal_image(agency.code, images),
        issued_at=clock.now(),
        signed=document_signoffs(document),
    )
    return data, images


def render_document(wanted: Wanted) -> tuple[bytes, str]:
    """The unsealed PDF/A of one version as ``copy`` (``file``, ``party`` or ``viewing``), and the leaf
    hash (hex) its QR code names. The document is a row read through the access layer, masked or not."""
    document, amendments, version = wanted.document, wanted.amendments, wanted.version
    entry = record_entry_of(document, amendments, version)
    data, images = _sheet(wanted, entry)
    pdf = render.render_pdf(
        sheet=data,
        record=_record_attachment(wanted, entry, data["verify"]),
        doc_type=wanted.spec.code,
        agency_code=document.case.agency.code,
        images=images,
        timestamp=document.created_at if version == 0 else amendments[version - 1].amended_at,
    )
    return pdf, data["verify"]["leaf_hash"]


def _record_attachment(wanted: Wanted, entry: LedgerEntry, verify: Mapping[str, str]) -> dict[str, Any]:
    """What ``record.json`` inside the PDF holds: enough for a receiver to check, without the server,
    that the printed version's body hashes to the content the log entry names and that the entry
    hashes to the leaf in the QR code (``verify``: the sheet's leaf hash and address; the inclusion
    proof comes from that address)."""
    document, spec, version, copy = wanted.document, wanted.spec, wanted.version, wanted.copy
    body = document.versions()[version].body
    return {
        "format": RECORD_FORMAT,
        "document": {
            "id": document.pk,
            "type": spec.code,
            "title": spec.title,
            "number": document.number,
            "case": document.case.case_no,
            "version": version,
            "copy": copy,
        },
        "document_body": body.decode("utf-8"),
        "entry": {"index": entry.index, "body": bytes(entry.body).decode("utf-8")},
        "record_leaf": verify["leaf_hash"],
        "verify_url": verify["url"],
    }


def _seal_image(agency_code: str, images: dict[str, bytes]) -> str | None:
    """The agency's seal image from the seal directory (PNG or SVG), put beside the template."""
    folder = Path(settings.LIUHEN_SEAL_DIR)
    for suffix in (".png", ".svg"):
        path = folder / f"{agency_code}{suffix}"
        if path.is_file():
            images[f"seal{suffix}"] = path.read_bytes()
            return f"seal{suffix}"
    return None


def _mark_images(user: User, document: Document) -> tuple[dict[str, bytes], dict[str, list[Mark]]]:
    """Captured signature strokes, fingerprints and seals, by the signature or amendment they belong to
    (``"signature:<id>"``, ``"amendment:<id>"``), and their bytes by the file name the sheet uses."""
    images: dict[str, bytes] = {}
    marks: dict[str, list[Mark]] = {}
    for mark in document_marks(user, document):
        owner = f"signature:{mark.signature_id}" if mark.signature_id else f"amendment:{mark.amendment_id}"
        if not (mark.signature_id or mark.amendment_id):
            continue  # a mark not attached to a signature or an amendment has no block to go in
        name = f"mark-{mark.pk}.{'png' if mark.content_type == 'image/png' else 'jpg'}"
        images[name] = mark_bytes(mark)
        marks.setdefault(owner, []).append(Mark(name, mark.kind))
    return images, marks


def personal_signers(document: Document) -> list[User]:
    """Officers who signed the document electronically under their own login: their personal PAdES
    signature goes into the issued PDF beside the agency's seal (a name typed by a colleague does not)."""
    officers = {
        s.signer_user_id
        for s in document.signatures.all()
        if s.signer_role == "officer" and s.method == "electronic" and s.signer_user_id == s.recorded_by_id
    }
    return list(User.objects.filter(pk__in=officers, agency_id=document.case.agency_id).order_by("pk"))


def attestations_of(document: Document) -> str:
    """A digest of what the document was printed with besides its fields: its signatures, refusals,
    signature images and the approval steps that fill its sign-off blocks. A PDF issued before someone
    signed is not the one to hand out after."""
    ids: dict[str, list[int]] = {
        "signatures": sorted(s.pk for s in document.signatures.all()),
        "refusals": sorted(r.pk for r in document.refusals.all()),
        "marks": sorted(m.pk for m in document.marks.all()),
    }
    kinds = {kind for block in get_type(document.doc_type).signoffs for kind in block.approval_kinds}
    approvals = sorted(a.pk for a in document.approvals.all() if a.kind in kinds)
    if approvals:  # left out when none, so digests of documents without sign-offs stay as they were
        ids["approvals"] = approvals
    return hashlib.sha256(json.dumps(ids, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Bundle:
    """Every document of one stage of a case, for printing in one go: their pages in order, with each
    sealed original attached (a merged file cannot keep the individual PAdES signatures)."""

    content: bytes
    filename: str
    documents: int
    pages: int


def stage_bundle(*, user: User, case_id: int, stage: str) -> Bundle:
    """The documents of ``stage`` the user may see, each at its current version, issued (or their
    viewing copies) and merged; 404 when the stage has none."""
    from liuhen.cases.selectors import case_documents, case_get
    from liuhen.core.stages import STAGE_LABELS

    case = case_get(user=user, case_id=case_id, purpose="printed")
    ids = [d.pk for d in case_documents(user=user, case=case, purpose="listed") if d.stage == stage]
    if stage not in STAGE_LABELS or not ids:
        raise NotFound(f"案件 {case.case_no} 在该阶段没有文书")
    parts = [document_pdf(user=user, document_id=pk) for pk in ids]
    merged = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part.content)) for part in parts]  # open until the merge is saved
    try:
        for part, source in zip(parts, sources, strict=True):
            for page in source.pages:
                if "/Annots" in page:  # the seals' widgets: a signature does not survive a merge
                    del page.Annots
            merged.pages.extend(source.pages)
            merged.attachments[part.filename] = pikepdf.AttachedFileSpec(
                merged, part.content, mime_type="application/pdf"
            )
        out = io.BytesIO()
        merged.save(out)
        pages = len(merged.pages)
    finally:
        for source in sources:
            source.close()
    label = STAGE_LABELS[stage]
    return Bundle(out.getvalue(), f"{case.case_no}-{label}-文书合订本.pdf", len(parts), pages)

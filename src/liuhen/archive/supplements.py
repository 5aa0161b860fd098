"""补充归档: a record that arrives after the case file was signed off (a court ruling, a payment receipt,
a late recording) joins it as a supplement, and counts only once approved.

* The archivist uploads the file with 题名, 责任者, 日期, 文号 (optional) and the reason
  (:func:`supplement_add`). Its kind is sniffed from the bytes — PDF, JPEG, TIFF, MP4, MP3 or WAV, the
  formats GB/T 18894 lets an archive take — never taken from the name; a PDF must open without a
  password, a recording must decode. It is stored once in the blob store under its SHA-256 (with its
  SM3 recorded beside it) and the supplement is a record with its ledger entry naming the content.
* The approver the profile names (``archive_supplement_approver_role``, the head by default), never the
  person who added it, approves it (:func:`supplement_approve`): from then on it counts. It takes the
  next 件号 after the file's last and continues the page numbers, in the order of the approvals (a
  record: append-only), so numbers have no gaps and are never reused; an unapproved supplement has none.
  The approval extends the write-once retention lock of the case file's contents to the new file.
* :func:`liuhen.archive.selectors.numbered_supplements` is the one place that numbers them: the case
  file page, the package and the whole-file PDF (:func:`liuhen.archive.planning.case_file_plan`).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pikepdf
from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import ROLE_LABELS, Role
from liuhen.archive.assembly import Item, page_count
from liuhen.archive.fixity import digest_record
from liuhen.archive.models import CaseFile, CaseFileSupplement, SupplementApproval
from liuhen.archive.selectors import canonical, numbered_supplements, settings_for
from liuhen.archive.services import require_archivist
from liuhen.cases.blobs import blob_store
from liuhen.cases.services.common import require_same_agency
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed, invalid
from liuhen.core.stages import Stage
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ContentRef, ledger_append
from liuhen.media.probe import probe
from liuhen.media.sniff import HEAD_BYTES, sniff_type

# media type → (格式信息 as GB/T 18894 names it, kind of item): a PDF is paged into the whole file; an
# image, like a photo taken on the scene, is listed with the A/V (no page number) and kept bit for bit
FORMATS = {
    "application/pdf": ("PDF", "document"),
    "image/jpeg": ("JPEG", "media"),
    "image/tiff": ("TIFF", "media"),
    "video/mp4": ("MP4", "media"),
    "audio/mpeg": ("MP3", "media"),
    "audio/wav": ("WAV", "media"),
}
FORMAT_NAMES = "PDF、JPEG、TIFF、MP4、MP3 或 WAV"
MAX_TITLE = 200
MAX_TEXT = 2000


@dataclass(frozen=True)
class SupplementFacts:
    """What the archivist says about the file (validated by :func:`supplement_add`)."""

    title: str
    responsible: str
    date: str  # YYYY-MM-DD
    reason: str
    doc_no: str = ""


def supplement_add(
    *, case_file: CaseFile, by: User, chunks: Iterable[bytes], facts: SupplementFacts
) -> CaseFileSupplement:
    """The archivist adds the uploaded file (its bytes as ``chunks``) to the signed-off ``case_file``;
    it counts once approved. The bytes are spooled to a temporary file to be sniffed and probed."""
    require_archivist(by, case_file.case, settings_for(case_file.case))
    clean = _validated(facts)
    with tempfile.TemporaryDirectory(prefix="liuhen-supplement-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        return _add(case_file, by, path, clean)


@transaction.atomic
def _add(case_file: CaseFile, by: User, path: Path, clean: SupplementFacts) -> CaseFileSupplement:
    case = case_file.case
    media_type, pages, av = _inspect(path)
    sha256, sm3, size = _digests(path)
    if any(i.sha256 == sha256 for i in _filed(case_file)):
        raise invalid("file", "duplicate", "该文件已在本案卷或其补充归档中")
    blob = blob_store().put_file(path, sha256_hex=sha256)
    digest_record(sha256=sha256, sm3=sm3, size=size, kind="supplement")
    fmt, kind = FORMATS[media_type]
    item = Item(
        piece_no=0,
        record=f"supplement:{sha256[:16]}",
        kind=kind,
        stage=Stage.CLOSED.value,
        volume="main",
        title=clean.title,
        doc_no=clean.doc_no,
        responsible=clean.responsible,
        date=clean.date,
        pages=pages,
        first_page=0,
        sha256=blob.sha256,
        sm3=sm3,
        size=size,
        media_type=media_type,
        file_format=fmt,
        av=av,
    )
    now = clock.now()
    body = {"items": [item.as_dict()], "reason": clean.reason}
    supplement = CaseFileSupplement.objects.create(
        case_file=case_file,
        items=body["items"],
        reason=clean.reason,
        digest=hashlib.sha256(canonical(body).encode()).hexdigest(),
        added_by=by,
        added_at=now,
    )
    ledger_append(
        action="archive.supplement_added",
        actor=by,
        agency=case.agency,
        case=case,
        objects={"supplement": supplement.pk, "case_file": case_file.pk},
        contents=[ContentRef("supplement", sha256, size)],
        details={
            "archive_no": case_file.archive_no,
            "title": clean.title,
            "format": fmt,
            "digest": supplement.digest,
            STATE_KEY: row_states(supplement=supplement.pk),
        },
        at=now,
    )
    return supplement


def _validated(facts: SupplementFacts) -> SupplementFacts:
    """The facts trimmed, or every problem at its field in Chinese."""
    errors = []
    title, responsible = facts.title.strip(), facts.responsible.strip()
    reason, doc_no = facts.reason.strip(), facts.doc_no.strip()
    if not title or len(title) > MAX_TITLE:
        errors.append(FieldError("title", "required", f"请填写题名（不超过{MAX_TITLE}字）"))
    if not responsible or len(responsible) > MAX_TITLE:
        errors.append(FieldError("responsible", "required", f"请填写责任者（不超过{MAX_TITLE}字）"))
    if len(doc_no) > 60:
        errors.append(FieldError("doc_no", "too_long", "文号不超过60字"))
    if not reason or len(reason) > MAX_TEXT:
        errors.append(FieldError("reason", "required", f"请说明补充归档的理由（不超过{MAX_TEXT}字）"))
    try:
        day = date.fromisoformat(str(facts.date).strip())
        if day > clock.now().astimezone(clock.SHANGHAI).date():
            errors.append(FieldError("date", "future", "日期不能晚于今天"))
    except ValueError:
        errors.append(FieldError("date", "invalid", "请填写日期，如 2026-11-30"))
    if errors:
        raise ValidationFailed("补充归档信息不完整", errors=errors)
    return SupplementFacts(title, responsible, day.isoformat(), reason, doc_no)


def _inspect(path: Path) -> tuple[str, int, dict | None]:
    """The media type sniffed from the bytes, the page count (a PDF's; 0 for an image or A/V) and for an
    image or A/V what its probe says (duration, codec, resolution); or a Chinese error at ``file``."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    media_type = "application/pdf" if head.startswith(b"%PDF-") else sniff_type(head)
    if media_type not in FORMATS:
        raise invalid("file", "format", f"补充归档的文件须为 {FORMAT_NAMES} 格式")
    if media_type == "application/pdf":
        return media_type, _pdf_pages(path), None
    info = probe(path)
    if info.flagged:
        raise invalid("file", "unreadable", "该文件无法解码，请上传完整的原始文件")
    av = {
        "duration_s": str(info.duration) if info.duration is not None else None,
        "codec": info.video_codec or info.audio_codec or "",
        "resolution": f"{info.width}×{info.height}" if info.width and info.height else "",
    }
    return media_type, 0, av


def _pdf_pages(path: Path) -> int:
    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                raise invalid("file", "encrypted", "PDF 文件不得加密或设置密码")
        return page_count(path.read_bytes())
    except pikepdf.PasswordError:
        raise invalid("file", "encrypted", "PDF 文件不得加密或设置密码") from None
    except pikepdf.PdfError:
        raise invalid("file", "unreadable", "PDF 文件已损坏，无法打开") from None


def _digests(path: Path) -> tuple[str, str, int]:
    sha256, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha256.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return sha256.hexdigest(), sm3.hexdigest(), size


def _filed(case_file: CaseFile) -> list[Item]:
    own = [Item.from_dict(raw) for raw in case_file.items]
    return own + [item for n in numbered_supplements(case_file) for item in n.items]


@transaction.atomic
def supplement_approve(*, supplement: CaseFileSupplement, by: User, opinion: str) -> SupplementApproval:
    """The approval (the role the profile names; the head by default, never the one who added it) that
    makes a 补充归档 count: it takes the next 件号 and the retention lock covers it."""
    from liuhen.archive.disposal import case_file_retention_lock  # disposal builds on the case file

    case_file = CaseFile.objects.select_related("case__agency").get(pk=supplement.case_file_id)
    case = case_file.case
    settings = settings_for(case)
    require_same_agency(by, case)
    if not by.has_role(settings.supplement_approver_role):
        label = ROLE_LABELS.get(Role(settings.supplement_approver_role), settings.supplement_approver_role)
        raise PermissionDenied(f"补充归档须由{label}审批")
    if supplement.added_by_id == by.pk:
        raise PermissionDenied("补充归档的提出人不能审批本人提出的补充归档")
    CaseFile.objects.select_for_update().filter(pk=case_file.pk).first()  # one approval numbers at a time
    if SupplementApproval.objects.filter(supplement=supplement).exists():
        raise Conflict("该补充归档已审批")
    if not opinion.strip():
        raise invalid("opinion", "required", "请填写审批意见")
    now = clock.now()
    approval = SupplementApproval.objects.create(
        supplement=supplement, opinion=opinion.strip(), approved_by=by, approved_at=now
    )
    numbered = next(n for n in numbered_supplements(case_file) if n.supplement.pk == supplement.pk)
    ledger_append(
        action="archive.supplement_approved",
        actor=by,
        agency=case.agency,
        case=case,
        objects={"supplement_approval": approval.pk, "supplement": supplement.pk, "case_file": case_file.pk},
        details={
            "archive_no": case_file.archive_no,
            "piece_nos": [i.piece_no for i in numbered.items],
            STATE_KEY: row_states(supplement_approval=approval.pk),
        },
        at=now,
    )
    case_file_retention_lock(case_file=case_file)
    return approval


def supplement_of(case_file: CaseFile, supplement_id: int) -> CaseFileSupplement:
    """The supplement ``supplement_id`` of ``case_file`` (the caller has read the file through the
    access layer), or a Chinese error at ``supplement_id``."""
    found = CaseFileSupplement.objects.filter(case_file=case_file, pk=supplement_id).first()
    if found is None:
        raise invalid("supplement_id", "not_found", "本案卷没有这项补充归档")
    return found

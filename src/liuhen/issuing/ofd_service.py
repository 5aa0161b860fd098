"""A document version as an OFD package (GB/T 33190), beside the sealed PDF/A of :mod:`.services`.

The document is read through the access layer exactly as for the PDF (purpose ``printed``, so a read of
personal or confidential data is logged), and the sheet is built from the same pieces, so the OFD
prints what the PDF prints. A reader not cleared for personal data gets the masked viewing copy.

The OFD is unsigned, so it is never stored or entered in the ledger: it is a rendering for systems
that take OFD only, and the sealed PDF/A remains the issued document. Every request renders anew; the
same version renders to the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from liuhen.accounts.models import User
from liuhen.cases.models import Document
from liuhen.cases.selectors import document_get, document_marks, mark_bytes
from liuhen.catalogue import get_type
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.issuing.ofd import sheet_to_ofd
from liuhen.issuing.services import Wanted, record_entry_of
from liuhen.issuing.sheet import Mark, sheet

COPY_NAMES = {"file": "存档联", "viewing": "阅览件"}


def document_ofd(*, user: User, document_id: int, version: int | None = None) -> tuple[bytes, str]:
    """The OFD of ``document_id`` after ``version`` amendments (default: all) as the file copy (存档联),
    or as the viewing copy for a reader who sees it masked; and its file name."""
    document = document_get(user=user, document_id=document_id, purpose="printed")
    spec = get_type(document.doc_type)
    amendments = list(document.amendments.all())
    latest = len(amendments)
    version = latest if version is None else version
    if not 0 <= version <= latest:
        raise NotFound(f"文书 {document_id} 没有第 {version} 版（共 {latest + 1} 版，0 为原始版本）")
    copy = "viewing" if getattr(document, "_liuhen_masked", False) else "file"
    wanted = Wanted(user, document, spec, amendments, version, copy)
    data, images = sheet_of(wanted)
    name = f"{document.case.case_no}-{spec.title}-{document.pk}-v{version}-{COPY_NAMES[copy]}.ofd"
    return sheet_to_ofd(data, images=images), name


def sheet_of(wanted: Wanted) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The sheet of one version and copy, and the images it names (captured marks, the agency's seal),
    built as :func:`liuhen.issuing.services.render_document` builds it for the PDF."""
    document, amendments, version = wanted.document, wanted.amendments, wanted.version
    entry = record_entry_of(document, amendments, version)
    leaf = bytes(entry.leaf_hash).hex()
    agency = document.case.agency
    images, marks = _marks(wanted.user, document)
    signatures = list(document.signatures.all())
    signers = [s.signer_user_id for s in signatures if s.signer_user_id]
    data = sheet(
        spec=wanted.spec,
        document=document,
        version=version,
        agency=agency,
        copy=wanted.copy,
        signatures=signatures,
        refusals=list(document.refusals.all()),
        amendments=amendments,
        officers={u.pk: u for u in User.objects.filter(pk__in=signers)},
        marks=marks,
        verify_url=f"{settings.LIUHEN_PUBLIC_URL}/verify/{leaf}",
        leaf_hash=leaf,
        seal_file=_seal(agency.code, images),
        issued_at=clock.now(),
    )
    return data, images


def _marks(user: User, document: Document) -> tuple[dict[str, bytes], dict[str, list[Mark]]]:
    """Captured strokes, fingerprints and seals by the signature or amendment they belong to, named as
    the PDF names them."""
    images: dict[str, bytes] = {}
    marks: dict[str, list[Mark]] = {}
    for mark in document_marks(user, document):
        if not (mark.signature_id or mark.amendment_id):
            continue  # not attached to a signature or an amendment: no block to go in
        owner = f"signature:{mark.signature_id}" if mark.signature_id else f"amendment:{mark.amendment_id}"
        name = f"mark-{mark.pk}.{'png' if mark.content_type == 'image/png' else 'jpg'}"
        images[name] = mark_bytes(mark)
        marks.setdefault(owner, []).append(Mark(name, mark.kind))
    return images, marks


def _seal(agency_code: str, images: dict[str, bytes]) -> str | None:
    """The agency's seal image from the seal directory (an SVG seal is named but not drawn in OFD)."""
    for suffix in (".png", ".svg"):
        path = Path(settings.LIUHEN_SEAL_DIR) / f"{agency_code}{suffix}"
        if path.is_file():
            images[f"seal{suffix}"] = path.read_bytes()
            return f"seal{suffix}"
    return None

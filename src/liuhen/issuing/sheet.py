"""What a printed document shows: one JSON-safe "sheet" per document version, handed to the template.

The template (``templates/*.typ``) decides where things go; this module decides *what* is printed, in
Chinese, in Beijing time: the agency and title, the document number (文号), every field of the form in
its order with its label, each amendment at the field it changed (the original text, the note and the
party's mark there), the signature blocks with what was captured, refusals with the two officers, the
issue date and seal, and the verification address with its leaf hash.

No queries and no Django: the caller passes the rows it loaded through the access layer (a document,
its signatures, refusals and amendments, already masked where the reader is not cleared) and the file
names of images it put beside the template.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from liuhen.catalogue import DocumentType, FieldSpec, display_value
from liuhen.catalogue.signoffs import SignedBlock, filled_in
from liuhen.catalogue.versions import current_fields
from liuhen.core.clock import SHANGHAI
from liuhen.core.codes import SIGNATURE_METHODS, SIGNER_ROLES

ROLE_LABELS = dict(SIGNER_ROLES)
METHOD_LABELS = dict(SIGNATURE_METHODS)
COPY_LABELS = {"file": "存档联", "party": "当事人联", "viewing": "阅览件（个人信息已遮蔽）"}
EMPTY = "／"  # a blank left empty on a statutory form


def cn_date(value: date | datetime | str) -> str:
    """``2026年3月2日`` (a datetime is read in Beijing time)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI) if value.tzinfo else value
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | str) -> str:
    """``2026年3月2日 9时30分`` in Beijing time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo:
        value = value.astimezone(SHANGHAI)
    return f"{cn_date(value)} {value.hour}时{value.minute:02d}分"


def shown(spec: FieldSpec, value: Any) -> str:
    """A field's value as printed on the form."""
    if value in (None, "", []):
        return EMPTY
    if spec.kind == "date":
        return cn_date(value)
    if spec.kind == "datetime":
        return cn_datetime(value)
    if spec.kind == "amount":
        return f"{value} 元"
    if spec.kind == "longtext":
        return str(value)
    return display_value(spec, value)


@dataclass(frozen=True)
class Mark:
    """An image captured for a signature or an amendment (stroke, fingerprint, seal), as the file name
    the caller wrote beside the template."""

    file: str
    kind: str


def sheet(
    *,
    spec: DocumentType,
    document: Any,
    version: int,
    agency: Any,
    copy: str,
    signatures: Sequence[Any],
    refusals: Sequence[Any],
    amendments: Sequence[Any],
    officers: Mapping[int, Any],
    marks: Mapping[str, Sequence[Mark]],
    verify_url: str,
    leaf_hash: str,
    entry_index: int,
    seal_file: str | None,
    issued_at: datetime,
    signed: Sequence[SignedBlock] = (),
) -> dict[str, Any]:
    """The sheet of ``document`` after ``version`` amendments (0: as created).

    ``amendments`` are all of the document's amendments, oldest first; only the first ``version`` are
    applied and shown. ``officers`` maps user ids to users (for 执法证号); ``marks`` maps
    ``"signature:<id>"`` / ``"amendment:<id>"`` to the images captured for it; ``entry_index`` is the
    ledger entry that recorded this version (printed on the file copy). ``signed`` are the sign-off blocks
    their signers have given (负责人意见 …): printed in their blanks with who signed and when.
    """
    applied = list(amendments)[:version]
    fields = filled_in(current_fields(document.fields, [a.changes for a in applied]), signed)
    attributions = {block.block.opinion: block.attribution for block in signed}
    variant = fields.get(spec.variant_field) if spec.variant_field else None
    number = document.number or str(fields.get("doc_number") or "")
    notes = _amendment_notes(spec, applied, marks)
    rows = [
        {
            "label": f.label,
            "value": shown(f, fields.get(f.name))
            + (f"\n（签署：{attributions[f.name]}）" if f.name in attributions else ""),
            "long": f.kind == "longtext",
            "amendments": notes.get(f.name, []),
        }
        for f in spec.fields_for(variant)
    ]
    issued_on = fields.get("issued_on")
    return {
        "agency": {"name": agency.name, "short_name": agency.short_name},
        "title": spec.title,
        "number": number,
        "case_no": document.case.case_no,
        "copy": COPY_LABELS[copy],
        "family": "notice" if spec.issued_to_party else "record",
        "party_signs": spec.party_signs,
        "rows": rows,
        "officers": _officers(fields, signatures, officers, marks),
        "signatures": [_signature(s, marks) for s in signatures if s.signer_role != "officer"],
        "refusals": [_refusal(r) for r in refusals],
        "issue_date": cn_date(issued_on) if issued_on else cn_date(issued_at),
        "seal": {"file": seal_file, "name": agency.name},
        "version": version,
        "version_label": f"第{version}次更正后" if version else "原始版本",
        "created": cn_datetime(document.created_at),
        # the file copy (存档联) says who made the record and where the log holds it; the party's does not
        "filing": (
            f"制作人 {document.created_by.display_name}，制作于 {cn_datetime(document.created_at)}；"
            f"本版本载于留痕日志第 {entry_index} 条"
            if copy == "file"
            else ""
        ),
        "verify": {"url": verify_url, "leaf_hash": leaf_hash},
    }


def _amendment_notes(
    spec: DocumentType, applied: Sequence[Any], marks: Mapping[str, Sequence[Mark]]
) -> dict[str, list[dict[str, Any]]]:
    """For each field an amendment changed: the original text, why, by whom, when, the party's mark."""
    specs = spec.all_fields()
    notes: dict[str, list[dict[str, Any]]] = {}
    for amendment in applied:
        ack = ""
        if amendment.party_ack_method:
            ack = f"{amendment.party_ack_name} {METHOD_LABELS.get(amendment.party_ack_method, '')}确认"
        images = [m.file for m in marks.get(f"amendment:{amendment.pk}", ())]
        for name, change in amendment.changes.items():
            field = specs.get(name)
            before = shown(field, change.get("from")) if field else str(change.get("from"))
            notes.setdefault(name, []).append(
                {
                    "before": before,
                    "reason": amendment.reason,
                    "by": amendment.amended_by.display_name,
                    "at": cn_datetime(amendment.amended_at),
                    "ack": ack,
                    "images": images,
                }
            )
    return notes


def _officers(
    fields: Mapping[str, Any],
    signatures: Sequence[Any],
    officers: Mapping[int, Any],
    marks: Mapping[str, Sequence[Mark]],
) -> list[dict[str, Any]]:
    """The officers named on the form (with 执法证号) and any officer who signed it, each once, with the
    time and images of their signature where they signed."""
    names = list(fields.get("officer_names") or [])
    cert_nos = list(fields.get("officer_certificate_nos") or [])
    out: list[dict[str, Any]] = [
        {"name": name, "cert_no": cert_nos[i] if i < len(cert_nos) else "", "signed": None, "images": []}
        for i, name in enumerate(names)
    ]
    for signature in signatures:
        if signature.signer_role != "officer":
            continue
        user = officers.get(signature.signer_user_id) if signature.signer_user_id else None
        entry = next((o for o in out if o["name"] == signature.signer_name), None)
        if entry is None:
            entry = {"name": signature.signer_name, "cert_no": "", "signed": None, "images": []}
            out.append(entry)
        if user is not None and user.certificate_no and not entry["cert_no"]:
            entry["cert_no"] = user.certificate_no
        entry["signed"] = f"{METHOD_LABELS.get(signature.method, '')} {cn_datetime(signature.signed_at)}"
        entry["images"] = [m.file for m in marks.get(f"signature:{signature.pk}", ())]
    return out


def _signature(signature: Any, marks: Mapping[str, Sequence[Mark]]) -> dict[str, Any]:
    own = marks.get(f"signature:{signature.pk}", ())
    return {
        "role": ROLE_LABELS.get(signature.signer_role, signature.signer_role),
        "name": signature.signer_name,
        "method": METHOD_LABELS.get(signature.method, signature.method),
        "at": cn_datetime(signature.signed_at),
        "cross_page": signature.cross_page_seal,
        "images": [m.file for m in own],
        # what goes on the page edge (骑缝): the fingerprint or seal photo, never the drawn name
        "cross_mark": next((m.file for m in own if m.kind in ("fingerprint", "seal")), None),
    }


def _refusal(refusal: Any) -> dict[str, Any]:
    return {
        "role": ROLE_LABELS.get(refusal.refuser_role, refusal.refuser_role),
        "name": refusal.refuser_name,
        "reason": refusal.reason,
        "at": cn_datetime(refusal.noted_at),
        "cosigners": [
            {"name": u.display_name, "cert_no": u.certificate_no}
            for u in (refusal.cosigner_1, refusal.cosigner_2)
        ],
    }

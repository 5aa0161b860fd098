"""A document's versions, current fields and canonical body, replayed from its record and amendments.

A text record (文书) is stored once as created; each amendment (更正) is a later row holding only the
changes ``{"field": {"from": old, "to": new}}``. Every reader that needs the document as it stands, or
as it stood after a given amendment — the document services, the compliance snapshot, the record
integrity check, the ledger export, fixity, PDFs and receipts — replays those changes here, so the
replay is written once and the body bytes the ledger hashes are produced in one place.

Pure Python, no Django: the inputs are plain data (``doc.fields`` and
``[a.changes for a in doc.amendments.all()]``, oldest amendment first). It lives in ``catalogue``
because that is the pure home of what a document *is* (its types and fields); ``core`` holds only
generic helpers (canonical JSON, the clock) that know nothing about documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from liuhen.core.canonical import canonical_bytes

# one amendment's changes as stored: {"field": {"from": old, "to": new}}
Changes = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Version:
    """The document after ``index`` amendments (0: as created): its fields, body bytes and SHA-256."""

    index: int
    fields: Mapping[str, Any]
    body: bytes
    sha256: str


def document_body(*, doc_type: str, case_no: str, number: str, fields: Mapping[str, Any]) -> bytes:
    """The canonical bytes whose SHA-256 the ledger records for a document (or an amended version).

    The form is fixed: entries already in the log and rows already stored hash exactly these bytes.
    """
    return canonical_bytes({"type": doc_type, "case": case_no, "number": number, "fields": dict(fields)})


def apply_changes(fields: Mapping[str, Any], changes: Changes) -> dict[str, Any]:
    """``fields`` with one amendment's changes applied (each changed field takes its ``"to"`` value)."""
    return {**fields, **{name: change["to"] for name, change in changes.items()}}


def current_fields(fields: Mapping[str, Any], amendment_changes: Iterable[Changes]) -> dict[str, Any]:
    """The fields with every amendment applied, oldest first (a later change of a field wins)."""
    current = dict(fields)
    for changes in amendment_changes:
        current = apply_changes(current, changes)
    return current


def versions(
    *,
    doc_type: str,
    case_no: str,
    number: str,
    fields: Mapping[str, Any],
    amendment_changes: Iterable[Changes],
) -> list[Version]:
    """The document as created (index 0) and after each amendment in order, with body and SHA-256."""
    out: list[Version] = []
    current = dict(fields)
    for index, changes in enumerate([{}, *amendment_changes]):
        current = apply_changes(current, changes)
        body = document_body(doc_type=doc_type, case_no=case_no, number=number, fields=current)
        out.append(Version(index, current, body, hashlib.sha256(body).hexdigest()))
    return out

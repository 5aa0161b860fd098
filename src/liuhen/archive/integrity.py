"""``liuhen verify``: the log's own check (:mod:`liuhen.ledger.integrity.log`), the record rows against
what their ledger entries recorded, and the stored files against their hashes (:func:`verify_all`).

Problems use the offline verifier's kinds and shape (:class:`liuhen.tlog.verify.Problem`):
``<kind>: <object>: <detail>`` with kind one of modified, missing, extra, reordered, file corrupted,
file missing, bad signature, inconsistent checkpoints.

A record row UPDATEd or DELETEd behind the triggers' back (someone dropped them first) no longer matches
the content hash or the details its entry carries (``modified``), or is gone (``missing``); a row with
no entry at all was inserted around the services (``extra``).

Two checks: every row of every table in :data:`liuhen.ledger.integrity.state.TRACKED` (cases, parties,
users and their roles, tokens, devices and every record table) against the state hash of the latest
entry that set it (:func:`check_row_states`); and, older and narrower, the record rows against the
content hash or details of the entry that created them (which also covers rows written before entries
carried state). One problem per row and kind: the first check that finds it names it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.db import models

from liuhen.cases.blobs import blob_store
from liuhen.cases.models import (
    Amendment,
    ApprovalStep,
    Document,
    Signature,
    SignatureRefusal,
    StageTransition,
)
from liuhen.catalogue.versions import versions
from liuhen.evidence.models import MediaAssignment, MediaRecord
from liuhen.ledger.integrity.log import check_log
from liuhen.ledger.integrity.state import TRACKED, recorded_states, state_hashes
from liuhen.ledger.models import LedgerEntry
from liuhen.tlog.bundle import DESTROYED_ACTION, destroyed_refs
from liuhen.tlog.verify import Problem

# object type in entries → (record model, the actions that create such a record)
RECORDS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "document": (Document, ("document.created",)),
    "amendment": (Amendment, ("document.amended",)),
    "signature": (Signature, ("document.signed",)),
    "refusal": (SignatureRefusal, ("document.signature_refused",)),
    "approval": (ApprovalStep, ("approval.recorded",)),
    "transition": (StageTransition, ("case.transitioned", "case.override")),
    "media": (MediaRecord, ("media.uploaded",)),
    "assignment": (MediaAssignment, ("media.assigned", "media.assignment_withdrawn")),
}


def _creating_entries(object_type: str) -> Iterator[tuple[int, int | None, dict[str, Any]]]:
    """(entry index, object id, parsed body) of every entry that created a record of this type."""
    _, actions = RECORDS[object_type]
    rows = LedgerEntry.objects.filter(object_type=object_type, action__in=actions).values_list(
        "index", "object_id", "body"
    )
    for index, object_id, body in rows.iterator(chunk_size=2000):
        yield index, object_id, json.loads(bytes(body))


def _content_sha(body: dict[str, Any], kind: str) -> str | None:
    return next((c["sha256"] for c in body.get("contents", []) if c.get("kind") == kind), None)


def _document_sha(doc: Document) -> str:
    """The body hash of the document as created (version 0; its amendments are not read)."""
    original = versions(
        doc_type=doc.doc_type,
        case_no=doc.case.case_no,
        number=doc.number,
        fields=doc.fields,
        amendment_changes=(),
    )
    return original[0].sha256


def _amendment_shas(doc: Document) -> dict[int, str]:
    """The body hash after each amendment, recomputed from the document and the amendments in order."""
    amendments = list(doc.amendments.all())
    replayed = versions(
        doc_type=doc.doc_type,
        case_no=doc.case.case_no,
        number=doc.number,
        fields=doc.fields,
        amendment_changes=[a.changes for a in amendments],
    )
    return {a.pk: version.sha256 for a, version in zip(amendments, replayed[1:], strict=True)}


def _check_type(
    object_type: str, matches: Callable[[Any, dict[str, Any]], bool], problems: list[Problem]
) -> None:
    model, _ = RECORDS[object_type]
    rows = {row.pk: row for row in _queryset(object_type)}
    recorded: set[int | None] = set()
    for index, object_id, body in _creating_entries(object_type):
        recorded.add(object_id)
        row = rows.get(object_id)
        if row is None:
            problems.append(
                Problem("missing", f"{object_type} {object_id}", f"recorded by entry {index}, row absent")
            )
        elif not matches(row, body):
            problems.append(
                Problem(
                    "modified", f"{object_type} {object_id}", f"row differs from what entry {index} recorded"
                )
            )
    for pk in sorted(rows.keys() - recorded):
        problems.append(
            Problem("extra", f"{object_type} {pk}", "row has no ledger entry (inserted around the services)")
        )


def _queryset(object_type: str) -> models.QuerySet:
    model, _ = RECORDS[object_type]
    if object_type == "document":
        return Document.objects.select_related("case")
    if object_type == "amendment":
        return Amendment.objects.select_related("document__case")
    return model._default_manager.all()


def _amendment_matches() -> Callable[[Any, dict[str, Any]], bool]:
    cache: dict[int, dict[int, str]] = {}

    def matches(row: Amendment, body: dict[str, Any]) -> bool:
        doc = row.document
        if doc.pk not in cache:
            cache[doc.pk] = _amendment_shas(doc)
        expected = _content_sha(body, "document")
        return cache[doc.pk].get(row.pk) == expected == row.body_sha256

    return matches


def _details_match(*pairs: tuple[str, str]) -> Callable[[Any, dict[str, Any]], bool]:
    def matches(row: Any, body: dict[str, Any]) -> bool:
        details = body.get("details", {})
        return all(getattr(row, attr) == details.get(key) for attr, key in pairs)

    return matches


def check_row_states() -> list[Problem]:
    """Each current row's state hash against the latest entry that set it (``modified`` names it)."""
    recorded = recorded_states()
    problems: list[Problem] = []
    for object_type in TRACKED:
        latest = recorded.latest.get(object_type, {})
        seen: set[int] = set()
        for pk, digest in state_hashes(object_type):
            seen.add(pk)
            entry = latest.get(pk)
            if entry is None:
                problems.append(
                    Problem("extra", f"{object_type} {pk}", "row has no ledger entry that set its state")
                )
            elif entry[1] != digest:
                problems.append(
                    Problem(
                        "modified",
                        f"{object_type} {pk}",
                        f"row differs from the state entry {entry[0]} recorded (changed outside the services)",
                    )
                )
        for pk in sorted(latest.keys() - seen):
            problems.append(
                Problem(
                    "missing", f"{object_type} {pk}", f"state recorded by entry {latest[pk][0]}, row absent"
                )
            )
    return problems


def _one_per_row(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for problem in problems:
        if (problem.kind, problem.object) not in seen:
            seen.add((problem.kind, problem.object))
            out.append(problem)
    return out


def check_records() -> list[Problem]:
    problems: list[Problem] = []
    _check_type(
        "document",
        lambda doc, body: _document_sha(doc) == _content_sha(body, "document") == doc.body_sha256,
        problems,
    )
    _check_type("amendment", _amendment_matches(), problems)
    _check_type(
        "media",
        lambda m, body: any(
            c["sha256"] == m.sha256 and c["size"] == m.size for c in body.get("contents", [])
        ),
        problems,
    )
    _check_type(
        "signature",
        _details_match(("signer_name", "name"), ("signer_role", "role"), ("method", "method")),
        problems,
    )
    _check_type("refusal", _details_match(("refuser_name", "name"), ("refuser_role", "role")), problems)
    _check_type("approval", _details_match(("decision", "decision"), ("kind", "kind")), problems)
    _check_type("transition", lambda t, body: True, problems)
    _check_type(
        "assignment",
        lambda a, body: (
            (body.get("objects", {}).get("media"), body.get("objects", {}).get("case"))
            == (a.media_id, a.case_id)
            and body.get("details", {}).get("withdraws") == a.withdraws_id
        ),
        problems,
    )
    return _one_per_row(check_row_states() + problems)


# entries whose contents are stored files: footage, signature images, signed paper copies, issued PDFs
FILE_ACTIONS = ("media.uploaded", "document.mark_added", "document.signed_copy_added", "document.issued")


def stored_contents() -> dict[str, int]:
    """SHA-256 → size of every file an entry recorded as stored (not document bodies, which are rows)
    and no approved disposal destroyed since."""
    out: dict[str, int] = {}
    rows = LedgerEntry.objects.filter(action__in=FILE_ACTIONS).values_list("body", flat=True)
    for body in rows.iterator(chunk_size=2000):
        for content in json.loads(bytes(body)).get("contents", []):
            if content.get("kind") != "document":
                out[content["sha256"]] = content["size"]
    for sha256 in destroyed_contents():
        out.pop(sha256, None)
    return out


def destroyed_contents() -> dict[str, str]:
    """SHA-256 → the number of the 销毁清册 under which the file was destroyed by approval."""
    out: dict[str, str] = {}
    rows = LedgerEntry.objects.filter(action=DESTROYED_ACTION).values_list("body", flat=True)
    for body in rows.iterator(chunk_size=2000):
        out.update(destroyed_refs(json.loads(bytes(body))))
    return out


def check_files(*, rehash: bool = True) -> list[Problem]:
    """Every recorded file must exist (``file missing``) and hash to its SHA-256 (``file corrupted``)."""
    store, problems = blob_store(), []
    for sha256, size in sorted(stored_contents().items()):
        name = f"blob {sha256}"
        if not store.exists(sha256):
            problems.append(Problem("file missing", name, "recorded by the ledger, absent from storage"))
        elif store.size(sha256) != size or (rehash and not store.verify(sha256)):
            problems.append(Problem("file corrupted", name, "stored bytes differ from the recorded SHA-256"))
    return problems


def verify_all(*, files: bool = True) -> list[Problem]:
    """Every check; ``files=False`` skips re-hashing the stored blobs (existence is still checked)."""
    problems = list(check_log().problems)
    problems += check_records()
    problems += check_files(rehash=files)
    return problems

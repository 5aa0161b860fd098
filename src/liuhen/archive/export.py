"""``liuhen ledger export``: write an offline-verifiable bundle (format in docs/bundle-format.md).

The bundle holds every entry (the signed roots cover the whole log, so no entry can be left out
without breaking the proof), every checkpoint, the verifier keys (rotated ones included), and under
``files/sha256/`` the content files: media bytes from the blob store and document bodies rebuilt
from the document rows (original and after each amendment). With ``case_no`` only that case's files
are copied and the manifest says so (``"scope"``); the verifier must then check files of that case only.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case, Document
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.ledger.models import LedgerCheckpoint, LedgerEntry
from liuhen.ledger.services import format_time
from liuhen.storage import LocalBlobStore
from liuhen.tlog import bundle


@dataclass(frozen=True)
class ExportSummary:
    entries: int
    checkpoints: int
    files: int


def _blob_path(sha256: str, spool: Path) -> Path | None:
    store = blob_store()
    if not store.exists(sha256):
        return None
    if isinstance(store, LocalBlobStore):
        return store.path_for(sha256)
    target = spool / sha256
    with target.open("wb") as handle:
        for chunk in store.open_range(sha256):
            handle.write(chunk)
    return target


def _files(case: Case | None, entries: list[bytes], spool: Path) -> dict[str, Path | bytes]:
    """Every file the entries in scope refer to: document bodies rebuilt from their rows, everything
    else (A/V, issued PDFs, signature images, signed copies, supplements) from the blob store. A file
    the store lacks stays missing and the verifier reports it, unless an approved disposal destroyed it
    (its entry says so, and the verifier reads that)."""
    documents = Document.objects.select_related("case").prefetch_related("amendments")
    if case is not None:
        documents = documents.filter(case=case)
    files: dict[str, Path | bytes] = {}
    for doc in documents:
        for version in doc.versions():
            files[version.sha256] = version.body
    for raw in entries:
        entry = json.loads(raw)
        if case is not None and entry.get("case") != case.case_no:
            continue
        for sha256, _size in bundle.content_refs(entry):
            if sha256 not in files and (path := _blob_path(sha256, spool)) is not None:
                files[sha256] = path
    return files


def ledger_export(*, dest: Path, case_no: str | None = None) -> ExportSummary:
    case = None
    if case_no is not None:
        case = Case.objects.filter(case_no=case_no).first()
        if case is None:
            raise NotFound(f"案件 {case_no} 不存在")
    checkpoint_issue()
    entries = [bytes(b) for b in LedgerEntry.objects.order_by("index").values_list("body", flat=True)]
    leaves = [bytes(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    notes = list(LedgerCheckpoint.objects.order_by("id").values_list("note", flat=True))
    with tempfile.TemporaryDirectory() as spool:
        files = _files(case, entries, Path(spool))
        bundle.write_bundle(
            dest,
            origin=settings.LIUHEN_LOG_ORIGIN,
            entries=entries,
            checkpoints=notes,
            verifier_keys=keys.verifier_keys(),
            files=files,
            created_at=format_time(clock.now()),
            leaf_hashes=leaves,
        )
    if case is not None:
        _mark_scope(dest, case.case_no)
    return ExportSummary(len(entries), len(notes), len(files))


def _mark_scope(dest: Path, case_no: str) -> None:
    path = dest / bundle.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["scope"] = {"case": case_no}
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )

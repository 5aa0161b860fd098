"""Fixity: re-hash stored files on a rolling schedule, record each result in the ledger, alert on failure.

Each run takes the next ``limit`` recorded media files in SHA-256 order after the last one checked
(wrapping around), streams each once through SHA-256 and SM3 (GB/T 32905), appends one
``fixity.checked`` or ``fixity.failed`` entry per file and, on failure, an :class:`IntegrityAlert`.
The SM3 digest of every file and document body is kept in :class:`ContentDigest` (off the upload path).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction

from liuhen.archive.integrity import stored_contents
from liuhen.archive.models import ContentDigest, IntegrityAlert
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Document, SignatureMark, SignedCopy
from liuhen.core import clock
from liuhen.evidence.models import MediaRecord
from liuhen.issuing.models import IssuedDocument
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.services import ContentRef, EntryDraft, ledger_append_many
from liuhen.storage import StorageError


@dataclass(frozen=True)
class FixityResult:
    sha256: str
    size: int
    ok: bool
    problem: str = ""  # "file missing" / "file corrupted"
    sm3: str = ""


def rehash(sha256: str) -> tuple[str, str, int]:
    """(SHA-256, SM3, size) of the stored bytes, in one streaming pass."""
    sha, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    for chunk in blob_store().open_range(sha256):
        sha.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), sm3.hexdigest(), size


def check_one(sha256: str, size: int) -> FixityResult:
    try:
        actual, sm3, actual_size = rehash(sha256)
    except (StorageError, KeyError, FileNotFoundError):
        return FixityResult(sha256, size, False, "file missing")
    if actual != sha256 or actual_size != size:
        return FixityResult(sha256, size, False, "file corrupted")
    return FixityResult(sha256, size, True, sm3=sm3)


def _last_checked() -> str:
    last = LedgerEntry.objects.filter(action__startswith="fixity.").order_by("-index").first()
    if last is None:
        return ""
    contents = json.loads(bytes(last.body)).get("contents", [])
    return contents[0]["sha256"] if contents else ""


def next_batch(limit: int) -> list[tuple[str, int]]:
    """The next ``limit`` files after the last one checked, wrapping around (the rolling schedule)."""
    files = sorted(stored_contents().items())
    cursor = _last_checked()
    after = [f for f in files if f[0] > cursor]
    return (after + [f for f in files if f[0] <= cursor])[: min(limit, len(files))]


@transaction.atomic
def _record(results: list[FixityResult]) -> None:
    now = clock.now()
    drafts = [
        EntryDraft(
            action="fixity.checked" if r.ok else "fixity.failed",
            contents=(ContentRef("media", r.sha256, r.size),),
            details={"ok": r.ok, "problem": r.problem, "sm3": r.sm3},
            at=now,
        )
        for r in results
    ]
    appended = ledger_append_many(drafts=drafts)
    for result, entry in zip(results, appended, strict=True):
        if result.ok:
            digest_record(sha256=result.sha256, sm3=result.sm3, size=result.size, kind="media")
        else:  # one alert per agency whose records hold the file (none: a system-wide alert)
            owners: list[int | None] = [*_owning_agencies(result.sha256)] or [None]
            for agency_id in owners:
                IntegrityAlert.objects.create(
                    kind=result.problem,
                    agency_id=agency_id,
                    subject=f"blob {result.sha256}",
                    detail="定期完整性校验失败：存储的文件与账本记录的 SHA-256 不符或已缺失",
                    ledger_index=entry.index,
                    created_at=now,
                )


def _owning_agencies(sha256: str) -> list[int]:
    """The agencies whose records hold the file: footage, or a document's images, scans or issued PDFs."""
    owners = set(MediaRecord.objects.filter(sha256=sha256).values_list("agency_id", flat=True))
    for model in (SignatureMark, SignedCopy, IssuedDocument):
        owners.update(model.objects.filter(sha256=sha256).values_list("document__case__agency_id", flat=True))
    return sorted(owners)


def fixity_run(*, limit: int = 100) -> list[FixityResult]:
    """Check the next ``limit`` files; hashing happens outside the transaction that records results."""
    results = [check_one(sha256, size) for sha256, size in next_batch(limit)]
    if results:
        _record(results)
    return results


def digest_record(*, sha256: str, sm3: str, size: int, kind: str) -> None:
    """Keep the SM3 digest beside a SHA-256 (once; the table is append-only)."""
    if not ContentDigest.objects.filter(sha256=sha256).exists():
        ContentDigest.objects.create(sha256=sha256, sm3=sm3, size=size, kind=kind, computed_at=clock.now())


@transaction.atomic
def document_digests_fill() -> int:
    """SM3 of every document body (original and after each amendment) not yet recorded; return how many."""
    known = set(ContentDigest.objects.values_list("sha256", flat=True))
    added = 0
    for doc in Document.objects.select_related("case").prefetch_related("amendments"):
        for version in doc.versions():
            if version.sha256 not in known:
                sm3 = hashlib.new("sm3", version.body).hexdigest()
                digest_record(sha256=version.sha256, sm3=sm3, size=len(version.body), kind="document")
                known.add(version.sha256)
                added += 1
    return added

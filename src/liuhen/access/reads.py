"""Reads that must be logged (standing rule 3; R6): A/V, confidential records and personal data.

The selectors that return such records call :func:`log_reads` themselves, so no adapter (API, web,
CLI, export) can forget. One ledger entry per record read, all appended in one transaction; each
names the record, why the read is logged (``av``, ``confidential``, ``personal``) and the purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document, MediaRecord, Party
from liuhen.ledger.services import EntryDraft, ledger_append_many

_KINDS: dict[type, str] = {Case: "case", Document: "document", MediaRecord: "media", Party: "party"}


@dataclass(frozen=True)
class Read:
    """One record returned to a user that the log must show: what, on which case, and why."""

    obj: Case | Document | MediaRecord | Party
    reasons: tuple[str, ...]  # av, confidential, personal
    case: Case | None = None


def log_reads(*, user: User, reads: Iterable[Read], purpose: str = "viewed") -> None:
    """Append one ``<kind>.<purpose>`` entry per read (nothing when there is none)."""
    drafts = [_draft(user, read, purpose) for read in reads]
    if drafts:
        with transaction.atomic():
            ledger_append_many(drafts=drafts)


def _draft(user: User, read: Read, purpose: str) -> EntryDraft:
    kind = _KINDS[type(read.obj)]
    case = read.case if read.case is not None else (read.obj if isinstance(read.obj, Case) else None)
    agency = case.agency if case is not None else getattr(read.obj, "agency", None)
    return EntryDraft(
        action=f"{kind}.{purpose}",
        actor=user,
        agency=agency,
        case=case,
        objects={kind: read.obj.pk},
        details={"purpose": purpose, "reasons": list(read.reasons)},
    )

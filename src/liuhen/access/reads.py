"""Reads that must be logged (standing rule 3; R6): A/V, confidential records and personal data.

The selectors that return such records call :func:`log_reads` themselves, so no adapter (API, web,
CLI, export) can forget. One read of one record is one entry naming it (``document.viewed`` with
``objects: {"document": 17}``); a selector that returns several records of one kind on one case (a
case's documents, its parties) writes one entry for the lot, naming the case and listing each record
with why its read is logged (``details.records: [{"id": 17, "reasons": ["personal"]}, …]``). The
reasons are ``av``, ``confidential`` and ``personal``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document, Party
from liuhen.disclosure.models import DisclosureRequest
from liuhen.evidence.models import MediaRecord
from liuhen.ledger.services import EntryDraft, ledger_append_many

_KINDS: dict[type, str] = {
    Case: "case",
    Document: "document",
    MediaRecord: "media",
    Party: "party",
    DisclosureRequest: "disclosure_request",  # a party's request: the requester's ID, phone, address
}

# Why a record left the system, as the second half of a read entry's action (``media.downloaded``):
# shown on screen (viewed, listed), read to fill a new document's form (prefilled), printed, downloaded,
# exported, read for archiving, copied into a delivery package (复制), or released outside the agency
# (对外提供). The access log lists exactly these.
READ_PURPOSES = (
    "viewed",
    "listed",
    "prefilled",
    "printed",
    "downloaded",
    "exported",
    "archiving",
    "copied",
    "released",
)
READ_ACTIONS = frozenset(f"{kind}.{purpose}" for kind in _KINDS.values() for purpose in READ_PURPOSES)


@dataclass(frozen=True)
class Read:
    """One record returned to a user that the log must show: what, on which case, and why."""

    obj: Case | Document | MediaRecord | Party | DisclosureRequest
    reasons: tuple[str, ...]  # av, confidential, personal
    case: Case | None = None

    @property
    def kind(self) -> str:
        return _KINDS[type(self.obj)]

    @property
    def on_case(self) -> Case | None:
        if self.case is not None:
            return self.case
        return self.obj if isinstance(self.obj, Case) else None


def log_reads(*, user: User, reads: Iterable[Read], purpose: str = "viewed", grant: str = "") -> None:
    """Append the entries for ``reads`` in one transaction (nothing when there is none). ``grant``: the
    number of the approved request (调阅/复制) the read was made under, kept as ``details.grant``."""
    assert purpose in READ_PURPOSES, purpose
    groups: dict[tuple[str, int | None], list[Read]] = {}
    for read in reads:
        case = read.on_case
        groups.setdefault((read.kind, case.pk if case is not None else None), []).append(read)
    drafts = [_draft(user, items, purpose, grant) for items in groups.values()]
    if drafts:
        with transaction.atomic():
            ledger_append_many(drafts=drafts)


def _draft(user: User, reads: list[Read], purpose: str, grant: str) -> EntryDraft:
    first = reads[0]
    case = first.on_case
    agency = case.agency if case is not None else getattr(first.obj, "agency", None)
    objects: dict[str, int | str]
    if len(reads) == 1:
        objects = {first.kind: first.obj.pk}
        details: dict[str, object] = {"purpose": purpose, "reasons": list(first.reasons)}
    else:  # several records of one kind on one case: one entry naming the case, listing each record
        objects = {"case": case.pk} if case is not None else {first.kind: first.obj.pk}
        details = {"purpose": purpose, "records": [_record(r) for r in reads]}
    if grant:
        details["grant"] = grant
    return EntryDraft(
        action=f"{first.kind}.{purpose}",
        actor=user,
        agency=agency,
        case=case,
        objects=objects,
        details=details,
    )


def _record(read: Read) -> dict[str, object]:
    return {"id": read.obj.pk, "reasons": list(read.reasons)}

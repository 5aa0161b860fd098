"""Tie stored A/V to a case after intake, and take a wrong link back (R3.6 labels; R5.1 retention).

A body camera docked at the end of a shift holds footage of several activities; the ingest station
stores it at once (the 24-hour rule runs from the recording, R3.5) and the officer links each clip to
its case afterwards. A record is never altered: the link is a :class:`MediaAssignment` row, and a
wrong one is withdrawn by another row that points at it, with who, when and why. When the case keeps
its records longer (a long-term case), the write-once copy's lock is lengthened before the link counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case, Document
from liuhen.cases.services.common import refresh_compliance, require, require_open, require_same_agency
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound, invalid
from liuhen.evidence.labels import ACTIVITY_CODES
from liuhen.evidence.models import MediaAssignment, MediaRecord
from liuhen.evidence.selectors import media_case_ids
from liuhen.evidence.services.intake import retain_until
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ContentRef, ledger_append


@transaction.atomic
def media_assign(
    *,
    media: MediaRecord,
    case: Case,
    by: User,
    reason: str = "",
    activity: str = "",
    linked_documents: Sequence[Document] = (),
) -> MediaAssignment:
    """Link ``media`` to ``case`` (both of ``by``'s agency; the case not archived)."""
    require(by, Permission.MEDIA_UPLOAD)
    require_same_agency(by, case)
    require_open(case)
    if media.agency_id != case.agency_id:
        raise NotFound(f"音像记录 {media.pk} 不存在")
    if case.pk in media_case_ids(media):
        raise Conflict(f"音像记录 {media.pk} 已关联案件 {case.case_no}")
    if activity and activity not in ACTIVITY_CODES:
        raise invalid("activity", "invalid", f"未知的执法环节代码 {activity!r}")
    for doc in linked_documents:
        if doc.case_id != case.pk:
            raise invalid("linked_document_ids", "not_found", f"文书 {doc.pk} 不属于本案件")
    _extend_lock(media, case)
    row = MediaAssignment.objects.create(
        media=media,
        case=case,
        activity=activity,
        linked_documents=[d.pk for d in linked_documents],
        reason=reason.strip(),
        by=by,
        at=clock.now(),
    )
    _log(row, action="media.assigned")
    refresh_compliance(case)
    return row


@transaction.atomic
def media_assignment_withdraw(*, assignment: MediaAssignment, by: User, reason: str) -> MediaAssignment:
    """Take back a link made in error; the reason is required and kept with the link forever."""
    require(by, Permission.MEDIA_UPLOAD)
    case = assignment.case
    require_same_agency(by, case)
    require_open(case)
    if assignment.withdraws_id is not None:
        raise invalid("assignment", "invalid", "撤回记录本身不能再撤回")
    if MediaAssignment.objects.filter(withdraws=assignment).exists():
        raise Conflict(f"关联 {assignment.pk} 已撤回")
    if not reason.strip():
        raise invalid("reason", "required", "撤回关联须说明原因")
    row = MediaAssignment.objects.create(
        media=assignment.media,
        case=case,
        activity=assignment.activity,
        withdraws=assignment,
        reason=reason.strip(),
        by=by,
        at=clock.now(),
    )
    _log(row, action="media.assignment_withdrawn")
    refresh_compliance(case)
    return row


def _extend_lock(media: MediaRecord, case: Case) -> None:
    """Lengthen the stored copy's write-once lock to what ``case`` needs (only ever lengthened)."""
    captured = media.captured_end or media.captured_start or media.uploaded_at
    blob_store().extend_retention(media.sha256, retain_until(case=case, captured_at=captured))


def _log(row: MediaAssignment, *, action: str) -> None:
    ledger_append(
        action=action,
        actor=row.by,
        agency=row.case.agency,
        case=row.case,
        objects={"assignment": row.pk, "media": row.media_id, "case": row.case_id},
        # the file is part of this case's record now: a per-case export carries it and checks it
        contents=[ContentRef("media", row.media.sha256, row.media.size)],
        details={
            "activity": row.activity,
            "linked_documents": row.linked_documents,
            "reason": row.reason,
            "withdraws": row.withdraws_id,
            STATE_KEY: row_states(assignment=row.pk),
        },
        at=row.at,
    )

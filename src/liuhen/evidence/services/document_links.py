"""Link stored A/V to the case's text records (文书) at any time after upload, and take a wrong link
back (R3.6: a recording and the text record of the same step point at each other).

The rule that a recording names its documents is met from the moment the link is made, whether the
documents were ticked on the upload form or linked later from the case page: the compliance snapshot
reads both (:func:`liuhen.compliance.snapshot`). A link is a :class:`MediaDocumentLink` row, never an
edit of the record.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case, Document
from liuhen.cases.services.common import refresh_compliance, require, require_open, require_same_agency
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound, invalid
from liuhen.evidence.models import MediaDocumentLink, MediaRecord
from liuhen.evidence.selectors import active_document_links, media_case_ids
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append


@transaction.atomic
def media_documents_link(
    *, media: MediaRecord, case: Case, documents: Sequence[Document], by: User, reason: str = ""
) -> MediaDocumentLink:
    """Link ``media`` (a record of ``case``) to ``documents`` of the same case; those already linked
    are refused, so every row adds something."""
    require(by, Permission.MEDIA_UPLOAD)
    require_same_agency(by, case)
    require_open(case)
    if case.pk not in media_case_ids(media):
        raise NotFound(f"音像记录 {media.pk} 不属于案件 {case.case_no}")
    if not documents:
        raise invalid("document_ids", "required", "请至少选择一份文书")
    for doc in documents:
        if doc.case_id != case.pk:
            raise invalid("document_ids", "not_found", "所选文书不属于本案件")
    already = linked_document_ids(media=media, case=case)
    if all(doc.pk in already for doc in documents):
        raise Conflict("所选文书均已与该音像记录关联")
    row = MediaDocumentLink.objects.create(
        media=media,
        case=case,
        documents=sorted({d.pk for d in documents} - already),
        reason=reason.strip(),
        by=by,
        at=clock.now(),
    )
    _log(row, action="media.documents_linked")
    refresh_compliance(case)
    return row


@transaction.atomic
def media_document_link_withdraw(*, link: MediaDocumentLink, by: User, reason: str) -> MediaDocumentLink:
    """Take back a link made in error; the reason is required and kept with the link forever."""
    require(by, Permission.MEDIA_UPLOAD)
    require_same_agency(by, link.case)
    require_open(link.case)
    if link.withdraws_id is not None:
        raise invalid("link", "invalid", "撤回记录本身不能再撤回")
    if MediaDocumentLink.objects.filter(withdraws=link).exists():
        raise Conflict("该关联已撤回")
    if not reason.strip():
        raise invalid("reason", "required", "撤回关联须说明原因")
    row = MediaDocumentLink.objects.create(
        media=link.media,
        case=link.case,
        documents=link.documents,
        withdraws=link,
        reason=reason.strip(),
        by=by,
        at=clock.now(),
    )
    _log(row, action="media.document_link_withdrawn")
    refresh_compliance(link.case)
    return row


def linked_document_ids(*, media: MediaRecord, case: Case) -> set[int]:
    """The documents of ``case`` that ``media`` is linked to now: at upload, when assigned, or later."""
    ids = set(media.linked_documents if media.case_id == case.pk else ())
    for assignment in media.assignments.filter(case=case, withdraws__isnull=True, withdrawn_by__isnull=True):
        ids.update(assignment.linked_documents)
    for link in active_document_links(case_id=case.pk).filter(media=media):
        ids.update(link.documents)
    return ids


def _log(row: MediaDocumentLink, *, action: str) -> None:
    ledger_append(
        action=action,
        actor=row.by,
        agency=row.case.agency,
        case=row.case,
        objects={"media": row.media_id, "case": row.case_id, "document_link": row.pk},
        details={
            "documents": row.documents,
            "reason": row.reason,
            "withdraws": row.withdraws_id,
            STATE_KEY: row_states(document_link=row.pk),
        },
        at=row.at,
    )

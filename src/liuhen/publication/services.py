"""Writes of publication (执法公示): record a decision's publication, withdraw one, record an export.

Each service checks who acts, validates, writes its record row, brings the decision's clock row up to
date and appends its ledger entry, all in one transaction. The office that publishes is whoever holds
``publication.manage`` (the legal unit, the head) in the decision's agency; the justice bureau reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from liuhen.access import scope
from liuhen.access.scope_publication import publication_clocks, publications
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.core import clock as core_clock
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, invalid
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append
from liuhen.publication.clock import clock_sync, today
from liuhen.publication.models import Channel, Publication, PublicationClock, PublicationWithdrawal

MAX_REFERENCE = 500


def require_manager(user: User) -> None:
    if not user.can(Permission.PUBLICATION_MANAGE):
        raise PermissionDenied("只有法制审核机构或机关负责人可以登记执法公示")


@dataclass(frozen=True)
class PublicationFacts:
    """What the office enters: which decision, where, when, under which reference."""

    document_id: int
    channel: str
    published_on: date
    reference: str
    note: str = ""


def _check_facts(facts: PublicationFacts) -> PublicationFacts:
    if facts.channel not in Channel.values:
        raise invalid("channel", "invalid", "请选择公示渠道：门户网站、信用平台或其他")
    if facts.published_on > today():
        raise invalid("published_on", "future", "公示日期不能晚于今天")
    reference = facts.reference.strip()
    if not reference:
        raise invalid("reference", "required", "请填写公示网址或文号")
    if len(reference) > MAX_REFERENCE:
        raise invalid("reference", "too_long", f"网址或文号不超过 {MAX_REFERENCE} 个字")
    if len(facts.note) > MAX_REFERENCE:
        raise invalid("note", "too_long", f"备注不超过 {MAX_REFERENCE} 个字")
    return PublicationFacts(
        facts.document_id, facts.channel, facts.published_on, reference, facts.note.strip()
    )


def publication_record(*, by: User, facts: PublicationFacts) -> Publication:
    """Record that a decision was published. A document ``by`` cannot see is 404; one that is not a
    decision to publish is 422 at ``document_id``; a date before the decision is 422 at ``published_on``."""
    document = scope.documents(by).filter(pk=facts.document_id).select_related("case").first()
    if document is None:
        raise NotFound(f"文书 {facts.document_id} 不存在")
    require_manager(by)
    if document.case.agency_id not in scope.visible_agency_ids(by, "change"):
        raise PermissionDenied("只能登记本机关决定的公示")
    facts = _check_facts(facts)
    clock_sync([document.case.agency_id])
    return _record(by, document, facts)


@transaction.atomic
def _record(by: User, document: object, facts: PublicationFacts) -> Publication:
    row = PublicationClock.objects.select_for_update().filter(document_id=facts.document_id).first()
    if row is None:
        raise invalid("document_id", "not_a_decision", "该文书不是需要公示的行政执法决定")
    if row.decided_on is not None and facts.published_on < row.decided_on:
        raise invalid("published_on", "before_decision", "公示日期不能早于决定日期")
    publication = Publication.objects.create(
        agency_id=row.agency_id,
        case_id=row.case_id,
        document_id=row.document_id,
        channel=facts.channel,
        published_on=facts.published_on,
        reference=facts.reference,
        note=facts.note,
        recorded_at=core_clock.now(),
        recorded_by=by,
    )
    clock_refresh(row)
    ledger_append(
        action="publication.recorded",
        actor=by,
        agency=row.agency,
        case=row.case,
        objects={"publication": publication.pk, "document": row.document_id},
        details={
            "doc_number": row.doc_number,
            "channel": facts.channel,
            "published_on": facts.published_on.isoformat(),
            "due_on": row.due_on.isoformat() if row.due_on else None,
            STATE_KEY: row_states(publication=publication.pk),
        },
    )
    return publication


def publication_withdraw(
    *, by: User, publication_id: int, withdrawn_on: date, reason: str
) -> PublicationWithdrawal:
    """Take a publication down (撤下), e.g. because the decision was revoked or corrected: a new row
    with the reason; the publication itself stays as it was recorded."""
    require_manager(by)
    reason = reason.strip()
    if not reason:
        raise invalid("reason", "required", "请填写撤下公示的理由（如决定被撤销、变更）")
    if len(reason) > 2000:
        raise invalid("reason", "too_long", "理由不超过 2000 个字")
    if withdrawn_on > today():
        raise invalid("withdrawn_on", "future", "撤下日期不能晚于今天")
    return _withdraw(by, publication_id, withdrawn_on, reason)


@transaction.atomic
def _withdraw(by: User, publication_id: int, withdrawn_on: date, reason: str) -> PublicationWithdrawal:
    publication = publications(by, "change").filter(pk=publication_id).first()
    if publication is None:
        if publications(by).filter(pk=publication_id).exists():
            raise PermissionDenied("只能撤下本机关的公示")
        raise NotFound(f"公示记录 {publication_id} 不存在")
    row = PublicationClock.objects.select_for_update().get(document_id=publication.document_id)
    if PublicationWithdrawal.objects.filter(publication=publication).exists():
        raise Conflict("该公示已撤下")
    if withdrawn_on < publication.published_on:
        raise invalid("withdrawn_on", "before_publication", "撤下日期不能早于公示日期")
    withdrawal = PublicationWithdrawal.objects.create(
        publication=publication,
        withdrawn_on=withdrawn_on,
        reason=reason,
        recorded_at=core_clock.now(),
        recorded_by=by,
    )
    clock_refresh(row)
    ledger_append(
        action="publication.withdrawn",
        actor=by,
        agency=row.agency,
        case=row.case,
        objects={"publication": publication.pk, "publication_withdrawal": withdrawal.pk},
        details={
            "doc_number": row.doc_number,
            "withdrawn_on": withdrawn_on.isoformat(),
            STATE_KEY: row_states(publication_withdrawal=withdrawal.pk),
        },
    )
    return withdrawal


def clock_refresh(row: PublicationClock) -> None:
    """Bring the clock row's cache in line with the decision's publications and withdrawals."""
    records = list(
        Publication.objects.filter(document_id=row.document_id).select_related("withdrawal").order_by("id")
    )
    active = [p for p in records if not _withdrawn(p)]
    public = [p.published_on for p in active if p.channel != Channel.CREDIT]
    credit = [p.published_on for p in active if p.channel == Channel.CREDIT]
    row.published_on = min(public) if public else None
    row.credit_published_on = min(credit) if credit else None
    row.withdrawn = not public and any(_withdrawn(p) for p in records if p.channel != Channel.CREDIT)
    row.open = row.published_on is None and not row.withdrawn
    row.save(update_fields=["published_on", "credit_published_on", "withdrawn", "open"])


def _withdrawn(publication: Publication) -> bool:
    try:
        publication.withdrawal  # noqa: B018
    except PublicationWithdrawal.DoesNotExist:
        return False
    return True


def export_record(*, user: User, what: str, fmt: str, filters: dict[str, str], rows: int) -> None:
    """Record an export (the list, or the 双公示 rows) in the ledger before its first byte leaves."""
    with transaction.atomic():
        ledger_append(
            action=f"publication.{what}_exported",
            actor=user,
            agency=user.agency,
            objects={"user": user.pk},
            details={"format": fmt, "filters": filters, "rows": rows},
        )


def visible_clock(user: User, document_id: int) -> PublicationClock:
    found = publication_clocks(user).filter(document_id=document_id).first()
    if found is None:
        raise NotFound(f"决定 {document_id} 不存在")
    return found

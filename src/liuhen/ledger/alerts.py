"""Dealing with integrity alerts: an acknowledgement is a new row and a ledger entry, never an edit."""

from __future__ import annotations

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.core import clock
from liuhen.core.errors import Conflict, PermissionDenied, invalid
from liuhen.ledger.models import AlertAcknowledgement, IntegrityAlert
from liuhen.ledger.services import ledger_append


@transaction.atomic
def alert_acknowledge(*, alert: IntegrityAlert, by: User | None, note: str) -> AlertAcknowledgement:
    """Record that ``alert`` was dealt with and how (``by=None``: the system, when its cause went away).
    Only administrators acknowledge; the note is required; an alert is acknowledged once."""
    if by is not None and not by.can(Permission.ALERT_MANAGE):
        raise PermissionDenied("仅系统管理员可处理完整性告警")
    if by is not None and alert.agency_id not in (None, by.agency_id):
        raise PermissionDenied("只能处理本机关的完整性告警")
    if not note.strip():
        raise invalid("note", "required", "须说明处理情况")
    if AlertAcknowledgement.objects.filter(alert=alert).exists():
        raise Conflict(f"告警 {alert.pk} 已处理")
    now = clock.now()
    entry = ledger_append(
        action="alert.acknowledged",
        actor=by,
        agency=alert.agency,
        objects={"alert": alert.pk},
        details={
            "kind": alert.kind,
            "subject": alert.subject,
            "note": note.strip(),
            "alert_entry": alert.ledger_index,
        },
        at=now,
    )
    return AlertAcknowledgement.objects.create(
        alert=alert, by=by, note=note.strip(), at=now, ledger_index=entry.index
    )


def alerts_resolve(*, subject: str, note: str) -> int:
    """The system acknowledges every open alert about ``subject`` (its cause is gone); how many."""
    open_alerts = IntegrityAlert.objects.filter(subject=subject, acknowledgement__isnull=True)
    done = 0
    for alert in open_alerts:
        alert_acknowledge(alert=alert, by=None, note=note)
        done += 1
    return done

"""Integrity alerts (failed fixity or integrity checks, held uploads, missing package content): reading
them through the one access layer, and dealing with them — an acknowledgement is a new row and a ledger
entry, never an edit."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.archive.models import AlertAcknowledgement, IntegrityAlert
from liuhen.core import clock
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, invalid
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


# --- reads ----------------------------------------------------------------------------------------


def alert_list(*, user: User) -> QuerySet[IntegrityAlert]:
    """Alerts of the user's agency and system-wide ones, for ``alert.manage`` holders (else 403)."""
    if not user.can(Permission.ALERT_MANAGE):
        raise PermissionDenied("仅系统管理员可查看完整性告警")
    return scope.alerts(user).select_related("acknowledgement", "acknowledgement__by")


def open_alerts(*, user: User) -> QuerySet[IntegrityAlert]:
    """Alerts nobody has dealt with yet, whatever their age (a corrupted file stays a problem)."""
    return alert_list(user=user).filter(acknowledgement__isnull=True)


def alert_get(*, user: User, alert_id: int) -> IntegrityAlert:
    """An alert of the user's agency (or a system-wide one): another agency's is not found, whatever
    the role; without ``alert.manage`` the answer is 403."""
    alert = IntegrityAlert.objects.select_related("acknowledgement").filter(pk=alert_id).first()
    if alert is None or alert.agency_id not in (None, user.agency_id) or not user.is_authenticated:
        raise NotFound(f"告警 {alert_id} 不存在")
    return alert_list(user=user).get(pk=alert.pk)

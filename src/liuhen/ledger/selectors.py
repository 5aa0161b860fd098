"""Reads of the ledger scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.cases.selectors import case_get, visible_agency_ids
from liuhen.core.errors import NotFound, PermissionDenied
from liuhen.ledger.models import IntegrityAlert, LedgerEntry
from liuhen.ledger.proofs import entry_get


def is_auditor(user: User) -> bool:
    """Administrators and the supervising bureau read the whole log (its entries name people)."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.has_role(Role.ADMIN) or user.has_role(Role.SUPERVISOR)
    )


def entry_visible_get(*, user: User, index: int) -> LedgerEntry:
    """Entry ``index`` if the user may read it: auditors all; others their agency's, and a case's
    entries only when they may see the case. Otherwise not found."""
    entry = entry_get(index)
    if is_auditor(user):
        return entry
    if entry.agency_id is None or entry.agency_id not in visible_agency_ids(user):
        raise NotFound(f"日志条目 {index} 不存在")
    if entry.case_id is not None:
        case_get(user=user, case_id=entry.case_id)
    return entry


def alert_list(*, user: User) -> QuerySet[IntegrityAlert]:
    if not user.has_role(Role.ADMIN):
        raise PermissionDenied("仅系统管理员可查看完整性告警")
    return IntegrityAlert.objects.select_related("acknowledgement", "acknowledgement__by")


def open_alerts(*, user: User) -> QuerySet[IntegrityAlert]:
    """Alerts nobody has dealt with yet, whatever their age (a corrupted file stays a problem)."""
    return alert_list(user=user).filter(acknowledgement__isnull=True)


def alert_get(*, user: User, alert_id: int) -> IntegrityAlert:
    try:
        return alert_list(user=user).get(pk=alert_id)
    except IntegrityAlert.DoesNotExist:
        raise NotFound(f"告警 {alert_id} 不存在") from None

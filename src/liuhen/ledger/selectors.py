"""Reads of the ledger, through the one access layer: an entry is visible exactly when the object it
describes is (:func:`liuhen.access.scope.entries_visible`); alerts belong to their agency."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.core.errors import NotFound, PermissionDenied
from liuhen.ledger.models import IntegrityAlert, LedgerEntry
from liuhen.ledger.proofs import entry_get


def entry_visible_get(*, user: User, index: int) -> LedgerEntry:
    """Entry ``index`` if the user may read it; otherwise not found (its existence is public — the
    hashes are — but its content is not)."""
    try:
        entry = entry_get(index)
    except NotFound:
        raise NotFound(f"日志条目 {index} 不存在") from None
    if not scope.entries_visible(user, [entry])[0]:
        raise NotFound(f"日志条目 {index} 不存在")
    return entry


def entries_all_visible(*, user: User, entries: Sequence[LedgerEntry]) -> bool:
    """Whether every one of ``entries`` is visible to ``user`` (an entry bundle is served whole or not
    at all: its bytes must hash to the tree's leaves, so nothing can be left out of it)."""
    return all(scope.entries_visible(user, entries))


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

"""Template context every page gets: integrity alerts for administrators (failed fixity checks)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest

from liuhen.accounts.roles import Role
from liuhen.core import clock
from liuhen.ledger.selectors import alert_list

RECENT = timedelta(days=30)


def integrity_alerts(request: HttpRequest) -> dict[str, int]:
    """How many integrity alerts the last 30 days raised — shown to administrators on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_role(Role.ADMIN):
        return {}
    return {
        "integrity_alert_count": alert_list(user=user).filter(created_at__gte=clock.now() - RECENT).count()
    }

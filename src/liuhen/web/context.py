"""Template context every page gets: open integrity alerts for administrators."""

from __future__ import annotations

from django.http import HttpRequest

from liuhen.accounts.roles import Permission
from liuhen.ledger.selectors import open_alerts


def integrity_alerts(request: HttpRequest) -> dict[str, int]:
    """How many integrity alerts nobody has dealt with yet — shown to administrators on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can(Permission.ALERT_MANAGE):
        return {}
    return {"integrity_alert_count": open_alerts(user=user).count()}

"""Template context every page gets: open integrity alerts for administrators, the 待办 count."""

from __future__ import annotations

from django.http import HttpRequest

from liuhen.accounts.roles import Permission
from liuhen.archive.alerts import open_alerts
from liuhen.compliance.inbox import inbox_count


def integrity_alerts(request: HttpRequest) -> dict[str, int]:
    """How many integrity alerts nobody has dealt with yet — shown to administrators on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can(Permission.ALERT_MANAGE):
        return {}
    return {"integrity_alert_count": open_alerts(user=user).count()}


def inbox_badge(request: HttpRequest) -> dict[str, int]:
    """How many things wait for the user (the nav's 待办 badge); the home page's inbox is reused."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    built = getattr(request, "inbox", None)
    return {"inbox_count": built.count if built is not None else inbox_count(user=user)}

"""Template helpers of the web pages."""

from __future__ import annotations

from django import template

from liuhen.web.presenters import TIMELINE_KINDS

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """``{% if user|can:"case.open" %}``: whether the user's roles grant ``permission``."""
    return bool(getattr(user, "is_authenticated", False)) and user.can(permission)


@register.filter
def timeline_kind(kind: str) -> str:
    """The Chinese badge of a timeline item kind (文书、签名、更正 …)."""
    return TIMELINE_KINDS.get(kind, kind)

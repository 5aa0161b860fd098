"""Template helpers of the 销毁清册 page: the approving role and a destruction's outcome in Chinese."""

from __future__ import annotations

from django import template

from liuhen.archive.disposal import OUTCOME_LABELS, role_label

register = template.Library()


@register.filter
def role_zh(role: str) -> str:
    return role_label(role)


@register.filter
def outcome_zh(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)

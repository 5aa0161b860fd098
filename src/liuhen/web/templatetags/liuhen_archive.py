"""Template helpers of the archivist's pages."""

from __future__ import annotations

import re

from django import template

from liuhen.accounts.roles import ROLE_LABELS, Role
from liuhen.archive.assembly import Item
from liuhen.core.errors import DomainError
from liuhen.rules.citations import cite_zh

_CITED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*§[0-9]+")

register = template.Library()


@register.filter
def media_items(items: list[Item]) -> list[Item]:
    """The recordings among a case file's items (the 音像记录清单)."""
    return [item for item in items if item.kind == "media"]


@register.filter
def archive_message(error: DomainError) -> str:
    """What went wrong, in the words said at the field (never the field's internal name), with each
    rule's citation as a person reads it (《…》第N条, not ``dalian-cg§18``)."""
    text = "；".join(e.message for e in error.errors) if error.errors else error.message
    return _CITED.sub(lambda m: cite_zh(m[0]), text)


@register.filter
def approver_label(role: str) -> str:
    """The role the profile names to approve a 补充归档, in Chinese (机关负责人, never ``head``)."""
    return ROLE_LABELS.get(Role(role), role) if role in Role._value2member_map_ else role

"""Template helpers of the web pages."""

from __future__ import annotations

from django import template

from liuhen.rules.citations import citations_for, cite_zh, regulation_name
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


@register.filter
def cite(citation: str) -> str:
    """``longjiang-cg§19`` as a person reads it: 《…记录制度》第19条."""
    return cite_zh(citation)


@register.filter
def regulation(profile_id: str) -> str:
    """A rule profile as the name of the regulation it was written from."""
    return regulation_name(profile_id) if profile_id else "未配置"


@register.filter
def own_citations(citations, profile_id: str) -> list[str]:
    """A form's citations of the agency's own regulation, in Chinese."""
    return citations_for(tuple(citations), profile_id or "")


RECORD_KINDS = {
    "document": "文书",
    "media": "音像记录",
    "approval": "审批记录",
    "signature": "签名",
    "transition": "阶段流转",
    "interruption": "中断说明",
    "case": "案件",
}


@register.filter
def record_label(ref: str) -> str:
    """A finding's record reference (``document:50``) as words: 文书 #50."""
    kind, _, pk = str(ref).partition(":")
    return f"{RECORD_KINDS.get(kind, '记录')} #{pk}" if pk else str(ref)


@register.filter
def record_anchor(ref: str) -> str:
    """Where a record sits on its case page (``#doc-50``), for the link from a finding."""
    kind, _, pk = str(ref).partition(":")
    return {"document": f"#doc-{pk}", "media": "#media"}.get(kind, "#timeline")

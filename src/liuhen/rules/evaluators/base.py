"""Helpers shared by the per-kind evaluators."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import DocumentSnap, MediaSnap

APPROVAL_TITLES = {
    "handler_proposal": "承办人意见",
    "review": "审核人审核",
    "approval": "批准人批准",
    "legal_review": "法制审核",
    "collective_discussion": "集体讨论",
    "head_approval": "负责人审批",
    "late_approval": "紧急启动补报审批",
}


def make_finding(
    crule: CompiledRule,
    status: str,
    detail: str,
    record_ids: tuple[str, ...] = (),
    due_at: datetime | None = None,
) -> Finding:
    rule = crule.rule
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        status=status,
        message_zh=f"{rule.title_zh}：{detail}",
        citation=rule.citation,
        quote=rule.quote,
        record_ids=record_ids,
        due_at=due_at,
        guards=rule.guards,
    )


def unmet_status(crule: CompiledRule, ctx: CaseIndex) -> str:
    """``pending`` while the case has not left the guarded stage, ``missing`` afterwards."""
    if crule.guard_index is not None and ctx.stage_index <= crule.guard_index:
        return "pending"
    return "missing"


def instance_ids(instance: Any) -> tuple[str, ...]:
    return () if instance is None else (instance.id,)


def record_value(instance: Any, name: str) -> Any:
    """A field of a document, or an attribute / label of a media record or interruption."""
    if isinstance(instance, DocumentSnap):
        return instance.fields.get(name)
    if hasattr(instance, name):
        return getattr(instance, name)
    if isinstance(instance, MediaSnap):
        return instance.labels.get(name)
    return None


def is_blank(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return len(value) == 0
    return False

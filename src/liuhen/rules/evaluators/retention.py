"""``retention``: minimum retention of A/V records; long-term retention (and offline copies) by flag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules import deadlines
from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import make_finding
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import MediaSnap


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding | None:
    if not isinstance(instance, MediaSnap):
        return None
    params = crule.rule.params
    long_term_flags = params.get("long_term_flags", ())
    ids = (instance.id,)
    if long_term_flags and not ctx.snapshot.flags.isdisjoint(long_term_flags):
        if instance.retention_until is not None:
            return make_finding(crule, "violated", "应长期保存，但设定了保存期限", ids)
        if params.get("long_term_requires_offline_copy") and not instance.offline_copy:
            return make_finding(crule, "missing", "长期保存的音像记录缺少光盘/移动介质副本", ids)
        return make_finding(crule, "satisfied", "长期保存", ids)
    if "min_months" not in params:
        return None
    minimum = deadlines.due_months_after(instance.captured_end, params["min_months"])
    if instance.retention_until is None or deadlines.to_local(instance.retention_until) >= minimum:
        return make_finding(crule, "satisfied", f"保存期限不少于{params['min_months']}个月", ids, minimum)
    stamp = minimum.strftime("%Y-%m-%d")
    return make_finding(
        crule, "violated", f"保存期限短于{params['min_months']}个月（应至 {stamp}）", ids, minimum
    )

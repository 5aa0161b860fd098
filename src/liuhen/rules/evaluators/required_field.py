"""``required_field``: fields of the selected records must be filled (with counts / allowed values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import instance_ids, is_blank, make_finding, record_value, unmet_status
from liuhen.rules.findings import Finding


def problems(params: Any, instance: Any) -> list[str]:
    found: list[str] = []
    for name in params["fields"]:
        if is_blank(record_value(instance, name)):
            found.append(f"缺少字段 {name}")
    for name, minimum in params.get("min_items", {}).items():
        value = record_value(instance, name)
        count = len(value) if isinstance(value, (list, tuple, set, frozenset)) else 0
        if count < minimum:
            found.append(f"{name} 至少 {minimum} 项（现有 {count} 项）")
    for name, allowed in params.get("allowed_values", {}).items():
        value = record_value(instance, name)
        if not is_blank(value) and value not in allowed:
            found.append(f"{name} 的取值 {value!r} 不在 {allowed} 之内")
    for name, needed in params.get("must_include", {}).items():
        value = record_value(instance, name) or ()
        absent = [item for item in needed if item not in value]
        if absent:
            found.append(f"{name} 缺少 {', '.join(map(str, absent))}")
    return found


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding | None:
    if instance is None:
        return None
    found = problems(crule.rule.params, instance)
    if found:
        return make_finding(crule, unmet_status(crule, ctx), "；".join(found), instance_ids(instance))
    return make_finding(crule, "satisfied", "字段齐全", instance_ids(instance))

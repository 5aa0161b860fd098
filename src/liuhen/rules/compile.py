"""Precompile a profile once: per-rule applicability predicates, record selectors and evaluators."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from liuhen.rules.codes import STAGE_INDEX
from liuhen.rules.context import CaseIndex

Predicate = Callable[[CaseIndex], bool]
Selector = Callable[[CaseIndex], Sequence[Any]]
_CASE_LEVEL: tuple[None] = (None,)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its checks turned into plain callables."""

    rule: Any  # liuhen.rules.profile.Rule
    guard_index: int | None
    applies: Predicate
    select: Selector
    evaluate: Callable[..., Any]


@dataclass(frozen=True, slots=True)
class CompiledProfile:
    rules: tuple[CompiledRule, ...]
    by_kind: Mapping[str, tuple[CompiledRule, ...]]


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _case_predicates(applies: Mapping[str, Any]) -> list[Predicate]:
    checks: list[Predicate] = []
    if "procedure" in applies:
        procedures = frozenset(_as_tuple(applies["procedure"]))
        checks.append(lambda c: c.snapshot.procedure in procedures)
    if "initiation_kind" in applies:
        kinds = frozenset(_as_tuple(applies["initiation_kind"]))
        checks.append(lambda c: c.snapshot.initiation_kind in kinds)
    for attr in ("emergency_start", "is_real_name_complaint", "complaint_investigated"):
        if attr in applies:
            checks.append(_attribute_is(attr, bool(applies[attr])))
    if "flags_any" in applies:
        any_flags = frozenset(_as_tuple(applies["flags_any"]))
        checks.append(lambda c: not any_flags.isdisjoint(c.snapshot.flags))
    if "flags_all" in applies:
        all_flags = frozenset(_as_tuple(applies["flags_all"]))
        checks.append(lambda c: all_flags <= c.snapshot.flags)
    if "flags_none" in applies:
        no_flags = frozenset(_as_tuple(applies["flags_none"]))
        checks.append(lambda c: no_flags.isdisjoint(c.snapshot.flags))
    checks.extend(_record_presence_predicates(applies))
    if "from_stage" in applies:
        start = STAGE_INDEX[applies["from_stage"]]
        checks.append(lambda c: c.stage_index >= start)
    if "profile_params" in applies:
        wanted_params = dict(applies["profile_params"])
        checks.append(lambda c: all(c.profile_params.get(k) == v for k, v in wanted_params.items()))
    return checks


def _attribute_is(attr: str, wanted: bool) -> Predicate:
    def check(ctx: CaseIndex) -> bool:
        return getattr(ctx.snapshot, attr) is wanted

    return check


def _record_presence_predicates(applies: Mapping[str, Any]) -> list[Predicate]:
    checks: list[Predicate] = []
    if "has_document" in applies:
        present = _as_tuple(applies["has_document"])
        checks.append(lambda c: any(t in c.docs_by_type for t in present))
    if "lacks_document" in applies:
        absent = _as_tuple(applies["lacks_document"])
        checks.append(lambda c: not any(t in c.docs_by_type for t in absent))
    if "has_approval" in applies:
        approvals = _as_tuple(applies["has_approval"])
        checks.append(lambda c: any(k in c.approvals_by_kind for k in approvals))
    return checks


def _field_filter(applies: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool] | None:
    where = {k: tuple(v) for k, v in applies.get("where", {}).items()}
    where_min = dict(applies.get("where_min", {}))
    if not where and not where_min:
        return None

    def keep(fields: Mapping[str, Any]) -> bool:
        for name, values in where.items():
            if fields.get(name) not in values:
                return False
        for name, minimum in where_min.items():
            value = fields.get(name)
            if not isinstance(value, int) or value < minimum:
                return False
        return True

    return keep


def _selector(applies: Mapping[str, Any]) -> Selector:
    if "document_type" in applies:
        types = _as_tuple(applies["document_type"])
        keep = _field_filter(applies)
        if keep is None:
            return lambda c: [d for t in types for d in c.docs_by_type.get(t, ())]
        return lambda c: [d for t in types for d in c.docs_by_type.get(t, ()) if keep(d.fields)]
    if "media_activity" in applies:
        activity = applies["media_activity"]
        if activity == "*":
            return lambda c: c.snapshot.media
        return lambda c: c.media_by_activity.get(activity, ())
    if "interruption_resumed" in applies:
        resumed = bool(applies["interruption_resumed"])
        return lambda c: [i for i in c.snapshot.interruptions if i.resumed is resumed]
    return lambda c: _CASE_LEVEL


def compile_rule(rule: Any) -> CompiledRule:
    from liuhen.rules.evaluators import EVALUATORS

    checks = _case_predicates(rule.applies_to)

    def applies(ctx: CaseIndex) -> bool:
        return all(check(ctx) for check in checks)

    return CompiledRule(
        rule=rule,
        guard_index=STAGE_INDEX[rule.guards] if rule.guards else None,
        applies=applies,
        select=_selector(rule.applies_to),
        evaluate=EVALUATORS[rule.kind],
    )


def compile_profile(profile: Any) -> CompiledProfile:
    compiled = tuple(compile_rule(rule) for rule in profile.rules)
    by_kind: dict[str, list[CompiledRule]] = {}
    for item in compiled:
        by_kind.setdefault(item.rule.kind, []).append(item)
    return CompiledProfile(rules=compiled, by_kind={k: tuple(v) for k, v in by_kind.items()})

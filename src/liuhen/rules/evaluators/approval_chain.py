"""``approval_chain``: ordered internal approvals, each with actor, opinion and date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import APPROVAL_TITLES, make_finding, unmet_status
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import ApprovalSnap


def _decided_at(approval: ApprovalSnap) -> datetime:
    assert approval.decided_at is not None
    return approval.decided_at


def _steps(params: Any, ctx: CaseIndex) -> dict[str, ApprovalSnap | None]:
    scope: set[str] | None = None
    if "document_type" in params:
        scope = {doc.id for doc in ctx.docs(params["document_type"])}
    picked: dict[str, ApprovalSnap | None] = {}
    for kind in params["sequence"]:
        options = [a for a in ctx.approvals_by_kind.get(kind, ()) if scope is None or a.document_id in scope]
        dated = [a for a in options if a.decided_at is not None]
        picked[kind] = max(dated, key=_decided_at) if dated else (options[-1] if options else None)
    return picked


def _incomplete(params: Any, steps: dict[str, ApprovalSnap | None]) -> list[str]:
    found = []
    for kind, step in steps.items():
        title = APPROVAL_TITLES[kind]
        if step is None:
            found.append(f"缺少{title}")
            continue
        if params.get("require_dated", True) and step.decided_at is None:
            found.append(f"{title}未载明日期")
        if params.get("require_opinion", True) and not step.opinion.strip():
            found.append(f"{title}未载明意见")
        if not step.actor_name.strip():
            found.append(f"{title}未载明签署人")
    final = params.get("final_decision")
    last = steps[params["sequence"][-1]]
    if final and last is not None and last.decision != final:
        found.append(f"{APPROVAL_TITLES[params['sequence'][-1]]}结论为 {last.decision}")
    return found


def _out_of_order(params: Any, steps: dict[str, ApprovalSnap | None]) -> list[str]:
    found = []
    ordered = [s for s in steps.values() if s is not None and s.decided_at is not None]
    if any(a.decided_at > b.decided_at for a, b in zip(ordered, ordered[1:], strict=False)):  # type: ignore[operator]
        found.append("审批顺序与承办→审核→批准的顺序不符")
    actors = [s.actor_name for s in steps.values() if s is not None]
    if params.get("distinct_actors") and len(set(actors)) < len(actors):
        found.append("同一人承担了审批链中的多个角色")
    return found


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding:
    params = crule.rule.params
    steps = _steps(params, ctx)
    ids = tuple(s.id for s in steps.values() if s is not None)
    incomplete = _incomplete(params, steps)
    if incomplete:
        return make_finding(crule, unmet_status(crule, ctx), "；".join(incomplete), ids)
    disorder = _out_of_order(params, steps)
    if disorder:
        return make_finding(crule, "violated", "；".join(disorder), ids)
    return make_finding(crule, "satisfied", "审批链完整且逐级载明日期", ids)

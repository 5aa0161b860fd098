"""``required_signatures``: signer roles and counts on a document, refusals, amendments."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import make_finding, unmet_status
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import DocumentSnap

ROLE_TITLES = {
    "officer": "执法人员",
    "party": "当事人",
    "agent": "委托代理人",
    "witness": "见证人",
    "server": "送达人",
    "recipient": "受送达人",
    "participant": "听证参加人",
    "reviewer": "审核人",
    "approver": "批准人",
    "head": "负责人",
}


def _refusal_covers(doc: DocumentSnap, role: str, cosign_min: int) -> bool:
    return any(r.signer_role == role and r.cosigning_officers >= cosign_min for r in doc.refusals)


def problems(params: Any, doc: DocumentSnap) -> list[str]:
    dated = params.get("dated", False)
    signatures = [s for s in doc.signatures if not dated or s.signed_at is not None]
    counts = Counter(s.role for s in signatures)
    substitutes = params.get("refusal_substitutes", ())
    cosign_min = params.get("refusal_cosign_min", 0)
    found: list[str] = []
    for role, needed in params["roles"].items():
        if counts[role] >= needed:
            continue
        if role in substitutes and _refusal_covers(doc, role, cosign_min):
            continue
        found.append(f"{ROLE_TITLES[role]}签名 {counts[role]}/{needed}")
    methods = params.get("amended_party_methods")
    if methods and doc.amendments > 0:
        marked = any(s.role == "party" and s.method in methods for s in signatures)
        if not marked and not _refusal_covers(doc, "party", cosign_min):
            found.append("文书有更改，缺少当事人在更改处捺手印或盖章")
    return found


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding | None:
    if not isinstance(instance, DocumentSnap):
        return None
    found = problems(crule.rule.params, instance)
    if found:
        return make_finding(crule, unmet_status(crule, ctx), "；".join(found), (instance.id,))
    return make_finding(crule, "satisfied", "签名齐全", (instance.id,))

"""``prohibition``: prohibited acts. Deleting or altering records is made impossible by design
(append-only tables, Merkle ledger); the engine reports the integrity events it is given and any
document type the profile forbids (e.g. enforcement records where the agency has no such power)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules.codes import DOCUMENT_TITLES
from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import make_finding
from liuhen.rules.findings import Finding


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding:
    params = crule.rule.params
    codes = params.get("integrity_event_codes", ())
    events = [e for e in ctx.snapshot.integrity_events if e.code in codes]
    forbidden = [doc for t in params.get("forbidden_document_types", ()) for doc in ctx.docs(t)]
    details = [f"{e.code}（{e.record_id}）" for e in events]
    details += [f"不应制作《{DOCUMENT_TITLES[d.type]}》" for d in forbidden]
    if details:
        ids = tuple(e.record_id for e in events) + tuple(d.id for d in forbidden)
        return make_finding(crule, "violated", "；".join(details), ids)
    return make_finding(crule, "satisfied", "未发现禁止行为", ())

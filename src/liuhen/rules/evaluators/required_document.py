"""``required_document``: a document of one of the given types must exist (per case or per record)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules.codes import DOCUMENT_TITLES
from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import instance_ids, make_finding, unmet_status
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import DocumentSnap, InterruptionSnap


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding:
    params = crule.rule.params
    types = params["document_types"]
    titles = "》或《".join(DOCUMENT_TITLES[t] for t in types)
    if isinstance(instance, InterruptionSnap):
        doc = ctx.doc_by_id.get(instance.statement_document_id or "")
        if doc is not None and doc.type in types:
            return make_finding(crule, "satisfied", f"已有《{titles}》", (instance.id, doc.id))
        return make_finding(crule, unmet_status(crule, ctx), f"缺少《{titles}》", (instance.id,))
    found = [doc for t in types for doc in ctx.docs(t)]
    if params.get("must_precede") and isinstance(instance, DocumentSnap):
        found = [doc for doc in found if doc.created_at <= instance.created_at]
        if len(found) < params.get("min_count", 1):
            title = DOCUMENT_TITLES[instance.type]
            return make_finding(crule, "violated", f"《{title}》之前未制作《{titles}》", (instance.id,))
    if len(found) >= params.get("min_count", 1):
        return make_finding(crule, "satisfied", f"已有《{titles}》", instance_ids(instance) + _ids(found))
    return make_finding(crule, unmet_status(crule, ctx), f"缺少《{titles}》", instance_ids(instance))


def _ids(docs: list[DocumentSnap]) -> tuple[str, ...]:
    return tuple(doc.id for doc in docs)

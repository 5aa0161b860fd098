"""A case as one JSON document: what `liuhen case export NO --json` and the API's export return."""

from __future__ import annotations

from typing import Any

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.cases.models import Case, StageTransition
from liuhen.cases.selectors import case_approvals, case_documents, case_parties
from liuhen.cases.services.documents import document_current_fields
from liuhen.evidence.selectors import case_media
from liuhen.ledger.services import format_time


def _t(value) -> str | None:
    return format_time(value) if value else None


def case_export(*, user: User, case: Case) -> dict[str, Any]:
    """``case`` as ``user`` may see it (reach it through ``case_get(purpose="exported")``, which logs
    the read of a confidential case): personal data masked unless cleared, confidential documents only
    with clearance, A/V only with ``media.view`` — each logged read written by the selectors."""
    return {
        "format": "liuhen.case/1",
        "case": {
            "case_no": case.case_no,
            "agency": case.agency.code,
            "agency_name": case.agency.name,
            "rule_profile": case.agency.profile_id,
            "procedure": case.procedure,
            "initiation_kind": case.initiation_kind,
            "cause": case.cause,
            "summary": case.summary,
            "source": case.source,
            "stage": case.stage,
            "emergency_start": case.emergency_start,
            "emergency_started_at": _t(case.emergency_started_at),
            "confidential": case.confidential,
            "flags": case.flags,
            "handler": case.handler.display_name,
            "opened_at": _t(case.opened_at),
            "enforcement_ended_at": _t(case.enforcement_ended_at),
            "archived_at": _t(case.archived_at),
        },
        "parties": [
            {
                "kind": p.kind,
                "name": p.name,
                "id_type": p.id_type,
                "id_number": p.id_number,
                "phone": p.phone,
                "address": p.address,
            }
            for p in case_parties(user=user, case=case, purpose="exported")
        ],
        "transitions": [
            {
                "from": t.from_stage,
                "to": t.to_stage,
                "at": _t(t.at),
                "by": t.by.display_name,
                "reason": t.reason,
                "override": t.override,
            }
            for t in scope.restrict(user, StageTransition).filter(case=case).select_related("by")
        ],
        "documents": [_document(d) for d in case_documents(user=user, case=case, purpose="exported")],
        "approvals": [
            {
                "kind": a.kind,
                "decision": a.decision,
                "opinion": a.opinion,
                "at": _t(a.decided_at),
                "by": a.actor.display_name,
                "role": a.actor_role,
                "document_id": a.document_id,
            }
            for a in case_approvals(user=user, case=case)
        ],
        "media": [
            {
                "id": m.pk,
                "kind": m.kind,
                "activity": m.activity,
                "title": m.title,
                "sha256": m.sha256,
                "size": m.size,
                "device_no": m.device_no,
                "officers": m.officers,
                "captured_start": _t(m.captured_start),
                "captured_end": _t(m.captured_end),
                "uploaded_at": _t(m.uploaded_at),
            }
            for m in case_media(user=user, case=case)
        ],
        "ledger": [
            {
                "index": e.index,
                "action": e.action,
                "time": _t(e.created_at),
                "leaf_hash": bytes(e.leaf_hash).hex(),
            }
            for e in _visible(user, list(case.ledger_entries.order_by("index")))
        ],
    }


def _visible(user: User, entries: list) -> list:
    return [e for e, ok in zip(entries, scope.entries_visible(user, entries), strict=True) if ok]


def _document(d) -> dict[str, Any]:
    return {
        "id": d.pk,
        "doc_type": d.doc_type,
        "number": d.number,
        "stage": d.stage,
        "fields": d.fields,
        "current_fields": document_current_fields(d),
        "body_sha256": d.body_sha256,
        "created_at": _t(d.created_at),
        "signatures": [
            {"role": s.signer_role, "name": s.signer_name, "method": s.method, "at": _t(s.signed_at)}
            for s in d.signatures.all()
        ],
        "refusals": [
            {"role": r.refuser_role, "name": r.refuser_name, "reason": r.reason, "at": _t(r.noted_at)}
            for r in d.refusals.all()
        ],
        "amendments": [
            {
                "changes": a.changes,
                "reason": a.reason,
                "at": _t(a.amended_at),
                "party_ack": a.party_ack_method,
                "body_sha256": a.body_sha256,
            }
            for a in d.amendments.all()
        ],
    }

"""Builders of service, performance, enforcement and closing forms of a demo case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.demo.content.kit import Matter, day, iso, officer_names, officers, person, put
from liuhen.demo.script import CaseScript


def served(s: CaseScript, *, doc_key: str) -> tuple[str, str]:
    """The title and number of the document ``doc_key`` that is being served."""
    document = s.docs[doc_key]
    titles = {
        "penalty_decision": "行政处罚决定书",
        "rights_notice": "行政处罚事先告知书",
        "rectification_notice": "责令改正违法行为决定书",
        "hearing_notice": "听证通知书",
        "demand_notice": "催告书",
        "summary_decision": "当场行政处罚决定书",
    }
    return titles[document.doc_type], document.fields["doc_number"]


def receipt(
    s: CaseScript, m: Matter, *, doc_key: str, at: datetime, place: str, way: dict[str, Any], key: str
) -> CaseScript:
    """送达回证 for ``doc_key``; ``way`` holds ``method`` and its variant's fields."""
    title, doc_no = served(s, doc_key=doc_key)
    put(
        s,
        "service_receipt",
        {
            "served_doc_title": title,
            "served_doc_number": doc_no,
            "recipient_name": m.party.name,
            "served_at": iso(at),
            "place": place,
            "server_names": officer_names(s),
            **way,
        },
        key=key,
    )
    s.sign(key, "server", person(s, "officer"), "electronic")
    if way["method"] == "direct":
        s.sign(key, "recipient", way["signer_name"], "handwritten_scan")
    for witness in way.get("witness_names", ()):
        s.sign(key, "witness", witness, "handwritten_scan")
    return s


def handed_over(m: Matter) -> dict[str, Any]:
    """Direct service, signed by the party or its legal representative."""
    relation = "self" if m.party.is_person else "legal_representative"
    return {"method": "direct", "signer_name": m.party.speaker, "signer_relation": relation}


def closing_report(
    s: CaseScript, m: Matter, *, decision: str, performance: str, reason: str = "performed"
) -> CaseScript:
    return put(
        s,
        "case_closing_report",
        {
            "case_cause": m.title,
            **m.party.block(full=False),
            "case_summary": m.facts,
            "decision_summary": decision,
            "performance_summary": performance,
            "closing_reason": reason,
            "handler_names": officer_names(s),
            "handler_opinion": "本案处理决定已履行完毕，案卷材料齐全，建议结案归档。",
            "handler_signed_on": day(s.at),
            "closed_on": day(s.at),
        },
    )


def performance(s: CaseScript, m: Matter, *, due: str, status: str, details: str, **paid: str) -> CaseScript:
    return put(
        s,
        "performance_record",
        {
            "decision_doc_number": s.docs["penalty_decision"].fields["doc_number"],
            "party_name": m.party.name,
            "performance_due": due,
            "performance_status": status,
            "details": details,
            "recorded_on": day(s.at),
            "recorder_name": person(s, "officer"),
            **paid,
        },
    )


def check_record(
    s: CaseScript, m: Matter, *, checked: datetime, findings: str, result: str, follow_up: str
) -> CaseScript:
    notice = s.docs["rectification_notice"].fields
    return put(
        s,
        "rectification_check_record",
        {
            "rectification_notice_no": notice["doc_number"],
            "party_name": m.party.name,
            "due_date": notice["due_date"],
            "checked_at": iso(checked),
            "place": m.place,
            **officers(s),
            "findings": findings,
            "result": result,
            "follow_up": follow_up,
            "av_recorded": True,
            "party_opinion": "无异议。",
        },
    )

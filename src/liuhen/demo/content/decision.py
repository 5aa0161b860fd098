"""Builders of the forms that lead to and make the decision in a demo case."""

from __future__ import annotations

from liuhen.demo.content.kit import Matter, day, later_day, number, officer_names, person, put, seal
from liuhen.demo.script import CaseScript


def final_report(s: CaseScript, m: Matter, *, process: str) -> CaseScript:
    return put(
        s,
        "investigation_final_report",
        {
            "case_cause": m.title,
            "party_name": m.party.name,
            "investigation_process": process,
            "facts": m.facts,
            "evidence": list(m.evidence),
            "legal_basis": m.legal_basis,
            "discretion": m.discretion,
            "proposed_handling": "penalty",
            "proposal": m.proposal,
            "handler_names": officer_names(s),
            "reported_on": day(s.at),
        },
    )


def rights_notice(s: CaseScript, m: Matter) -> CaseScript:
    rights = ["statement", "defence", "recusal", *(["hearing"] if m.hearing else []), *m.office.rights_extra]
    return put(
        s,
        "rights_notice",
        {
            "doc_number": number(s, "告"),
            "party_name": m.party.name,
            "facts": m.facts,
            "legal_basis": m.legal_basis,
            "proposed_decision": m.proposal,
            "rights_notified": rights,
            "statement_deadline_days": 3,
            "hearing_available": m.hearing,
            "hearing_request_deadline_days": 5 if m.hearing else None,
            "contact_person": person(s, "officer"),
            "contact_phone": m.office.phone,
            "issued_on": day(s.at),
        },
        key="rights_notice",
    )


def legal_review(
    s: CaseScript,
    m: Matter,
    *,
    submitted_days_ago: int,
    opinion: str,
    suggestions: str = "建议决定书送达后及时跟踪履行情况，并将音像记录与文字记录一并归档。",
) -> CaseScript:
    """法制审核意见书, written by the legal unit under its own login."""
    return put(
        s,
        "legal_review_opinion",
        {
            "legal_unit_name": f"{m.office.name}{m.office.legal_unit}",
            "reviewer_names": [person(s, "legal")],
            "case_cause": m.title,
            "submitted_on": later_day(s.at, -submitted_days_ago),
            "reviewed_on": day(s.at),
            "conclusion": "agree",
            "review_opinion": opinion,
            "suggestions": suggestions,
        },
    )


def remedy(m: Matter) -> str:
    return (
        f"如不服本决定，可以在收到本决定书之日起六十日内向{m.office.review_body}申请行政复议，"
        "也可以在六个月内依法向有管辖权的人民法院提起行政诉讼。"
        "行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
    )


def penalty_decision(s: CaseScript, m: Matter, *, statement_review: str, content: str) -> CaseScript:
    """行政处罚决定书, sealed by the agency."""
    fine = m.fine is not None
    put(
        s,
        "penalty_decision",
        {
            "doc_number": number(s, "决"),
            **m.party.block(),
            "facts": m.facts,
            "evidence": list(m.evidence),
            "legal_basis": m.legal_basis,
            "statement_review": statement_review,
            "discretion": m.discretion,
            "penalty_kinds": list(m.penalty_kinds),
            "decision_content": content,
            "fine_amount": m.fine,
            "performance_method": (
                "当事人应当自收到本决定书之日起十五日内缴纳罚款；到期不缴纳的，"
                "每日按罚款数额的百分之三加处罚款。"
                if fine
                else "当事人应当在本决定书规定的期限内自行履行，并将履行情况书面报告本机关。"
            ),
            "payment_deadline": later_day(s.at, 15) if fine else None,
            "payment_account": m.office.payment if fine else None,
            "remedy_notice": remedy(m),
            "decided_on": day(s.at),
            "issued_on": day(s.at),
        },
        key="penalty_decision",
    )
    return seal(s, "penalty_decision", m.office.name)

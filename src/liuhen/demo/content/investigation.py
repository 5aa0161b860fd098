"""Builders of the initiation and investigation forms of a demo case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from liuhen.demo.content.kit import Matter, ago, day, iso, later_day, number, officers, person, put
from liuhen.demo.script import CaseScript

SIGNED = {"party_confirmation": "以上笔录我已看过，与我所说（现场情况）相符。", "page_count": 2}


def open_case(
    s: CaseScript, m: Matter, *, kind: str, start_reason: str, first: Callable | None = None, **case_kw
) -> CaseScript:
    """Open the case, fill its 立案审批表 and record the handler's and head's approvals.

    ``first`` records what comes before the approval form (e.g. the complaint registration).
    """
    s.open(
        "officer",
        procedure="general",
        initiation_kind=kind,
        cause=m.cause,
        summary=m.summary,
        source=m.source,
        parties=[m.party.for_case()],
        **case_kw,
    )
    if first is not None:
        first(s.later(minutes=5))
    s.later(hours=1).approve("handler_proposal", "officer", f"当事人涉嫌{m.cause}，建议立案调查。")
    s.later(hours=2)
    initiation_approval(s, m, kind=kind, start_reason=start_reason)
    s.later(minutes=5).approve("head_approval", "head", _head_opinion(s), doc="initiation_approval")
    return s


def _head_opinion(s: CaseScript) -> str:
    return f"同意立案，由{person(s, 'officer')}、{person(s, 'officer2')}承办。"


def initiation_approval(
    s: CaseScript,
    m: Matter,
    *,
    kind: str,
    start_reason: str,
    emergency_at: datetime | None = None,
) -> CaseScript:
    """立案审批表 by the handler, then the unit's review on it under the reviewer's own login (the
    承办机构意见 block); the head's block is the head's own approval step, recorded by the caller."""
    put(
        s,
        "initiation_approval",
        {
            "initiation_kind": kind,
            "case_cause": m.title,
            "case_source": m.source,
            "start_reason": start_reason,
            "case_facts": m.summary,
            **m.party.block(),
            "handler_opinion": f"当事人涉嫌{m.cause}，符合立案条件，建议立案调查。",
            "handler_signed_on": day(s.at),
            "emergency_start": emergency_at is not None,
            "emergency_started_at": iso(emergency_at) if emergency_at else None,
            "filled_on": day(s.at),
        },
    )
    return s.later(minutes=3).approve(
        "review", "reviewer", "经初步核查，当事人涉嫌违法事实存在，同意立案调查。", doc="initiation_approval"
    )


def inspection(
    s: CaseScript, m: Matter, *, minutes: int, ended_ago: int, findings: str, items: list[str], **more
) -> CaseScript:
    """现场检查笔录 of an inspection that ended ``ended_ago`` minutes before now."""
    end = ago(s, minutes=ended_ago)
    party = m.party
    data = {
        "inspection_kind": "inspection",
        "inspection_started_at": iso(ago(s, minutes=ended_ago + minutes)),
        "inspection_ended_at": iso(end),
        "place": m.place,
        **party.block(full=False),
        "present_person_name": party.speaker,
        "present_person_role": "party" if party.is_person else "legal_representative",
        **officers(s),
        "recorder_name": person(s, "officer2"),
        "findings": findings,
        "items_found": items,
        "sketch_attached": True,
        "av_recorded": True,
        **SIGNED,
        **more,
    }
    return put(s, "inspection_record", data)


def inquiry(
    s: CaseScript, m: Matter, *, minutes: int, ended_ago: int, qa: str, place: str = "", **more
) -> CaseScript:
    """询问笔录 of the party (or its legal representative)."""
    party = m.party
    data = {
        "inquiry_started_at": iso(ago(s, minutes=ended_ago + minutes)),
        "inquiry_ended_at": iso(ago(s, minutes=ended_ago)),
        "place": place or m.office.inquiry_room,
        **officers(s),
        "recorder_name": person(s, "officer2"),
        "interviewee_name": party.speaker,
        "interviewee_role": "party" if party.is_person else "legal_representative",
        "interviewee_gender": party.rep_gender,
        "interviewee_id_no": party.id_no if party.is_person else party.rep_id_no,
        "interviewee_work_unit": None if party.is_person else f"{party.name}，法定代表人",
        "interviewee_address": party.rep_address or party.address,
        "interviewee_phone": party.phone,
        "rights_notified": ["statement", "defence", "recusal"],
        "rights_notice_method": "oral",
        "recusal_requested": False,
        "recording_notified": True,
        "qa_content": qa,
        **SIGNED,
        **more,
    }
    return put(s, "inquiry_record", data)


def rectification_notice(s: CaseScript, m: Matter, *, requirements: str, due_in_days: int) -> CaseScript:
    return put(
        s,
        "rectification_notice",
        {
            "doc_number": number(s, "责改", penalty=False),
            **m.party.block(full=False),
            "facts": m.facts,
            "legal_basis": m.legal_basis,
            "requirements": requirements,
            "due_date": later_day(s.at, due_in_days),
            "consequences": "逾期不改正的，本机关将依法从重处理；构成犯罪的，依法移送司法机关追究刑事责任。",
            "issued_on": day(s.at),
        },
        key="rectification_notice",
    )


def complaint(
    s: CaseScript,
    *,
    received: datetime,
    channel: str,
    complainant: str,
    contact: str,
    complaint_content: str,
    **more,
) -> CaseScript:
    """投诉举报登记表 (recorded once the case is open; ``received`` is when the complaint came in)."""
    return put(
        s,
        "complaint_registration",
        {
            "received_at": iso(received),
            "reception_channel": channel,
            "real_name": True,
            "complainant_name": complainant,
            "complainant_contact": contact,
            "complaint_content": complaint_content,
            "receiver_name": person(s, "officer2"),
            "handling_proposal": "investigate",
            **more,
        },
    )

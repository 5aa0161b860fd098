"""Example filling: an urban-management 占道经营 case (dalian-cg style), 王某某 selling fruit on the pavement."""

from __future__ import annotations

from typing import Any

AGENCY = "大连高新技术产业园区城市管理行政执法局"
PLACE = "大连高新区黄浦路某号门前人行道"
PARTY = {
    "party_name": "王某某",
    "party_address": "大连市甘井子区某某街道12号",
}
PARTY_FULL = {
    "party_type": "natural_person",
    **PARTY,
    "party_id_no": "210211198503152318",
    "party_phone": "13904110000",
}
OFFICERS = {
    "officer_count": 2,
    "officer_names": ["张伟", "李娜"],
    "officer_certificate_nos": ["21020019001", "21020019002"],
    "certificates_shown": True,
    "certificate_showing_note": "执法人员向当事人出示执法证件并表明身份",
}
FACTS = "当事人未经批准，在黄浦路某号门前人行道摆设水果摊位销售水果，占用人行道约6平方米，影响行人通行。"
LEGAL_BASIS = "《城市市容和环境卫生管理条例》第十四条、第三十六条第（二）项"
CASE_CAUSE = "王某某擅自占用人行道摆摊经营案"
SIGNING = {
    "party_confirmation": "以上笔录我已看过，与我所说相符。",
    "page_count": 2,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "initiation_approval": {
        "initiation_kind": "ex_officio",
        "case_cause": CASE_CAUSE,
        "case_source": "日常巡查发现",
        "start_reason": "执法人员日常巡查时发现当事人在人行道摆摊经营，涉嫌违反市容环境卫生管理规定，需立案调查。",
        "case_facts": FACTS,
        **PARTY_FULL,
        "handler_opinion": "当事人涉嫌擅自占用人行道经营，建议立案调查。",
        "handler_signed_on": "2026-03-02",
        "emergency_start": False,
        "filled_on": "2026-03-02",
    },
    "complaint_registration": {
        "received_at": "2026-02-27T15:20:00+08:00",
        "reception_channel": "hotline",
        "real_name": True,
        "complainant_name": "刘某某",
        "complainant_contact": "13700001111",
        "reported_party": "黄浦路某号门前水果摊",
        "incident_place": PLACE,
        "complaint_content": "黄浦路某号门前长期有人摆水果摊，占用人行道，早晚高峰行人只能走机动车道。",
        "receiver_name": "赵敏",
        "handling_proposal": "investigate",
        "handling_note": "转执法一中队现场核查。",
    },
    "complaint_not_filed_notice": {
        "complainant_name": "孙某某",
        "complainant_contact": "13500002222",
        "complaint_received_on": "2026-02-20",
        "complaint_summary": "反映某小区内业主在自家院内种植蔬菜。",
        "reasons_not_filed": "经现场核查，种植行为位于业主专有院落内，不属于城市管理行政执法事项，不予立案。",
        "legal_basis": "《城市管理执法办法》第八条",
        "notified_at": "2026-02-24T10:00:00+08:00",
        "notice_method": "phone",
        "notified_by": "赵敏",
        "complainant_response": "投诉人表示知悉。",
    },
    "inquiry_record": {
        "inquiry_started_at": "2026-03-02T09:30:00+08:00",
        "inquiry_ended_at": "2026-03-02T10:15:00+08:00",
        "place": "高新区城市管理行政执法局询问室",
        **OFFICERS,
        "recorder_name": "李娜",
        "interviewee_name": "王某某",
        "interviewee_role": "party",
        "interviewee_gender": "male",
        "interviewee_id_no": "210211198503152318",
        "interviewee_address": "大连市甘井子区某某街道12号",
        "interviewee_phone": "13904110000",
        "rights_notified": ["statement", "defence", "recusal"],
        "rights_notice_method": "oral",
        "recusal_requested": False,
        "recording_notified": True,
        "qa_content": "问：我们是大连高新区城市管理行政执法局的执法人员，这是我们的执法证件，你看清楚了吗？\n"
        "答：看清楚了。\n问：你是否在黄浦路某号门前摆摊卖水果？\n答：是的，从2月中旬开始每天下午摆。\n"
        "问：是否经过有关部门批准？\n答：没有。",
        **SIGNING,
    },
    "inspection_record": {
        "inspection_kind": "inspection",
        "inspection_started_at": "2026-03-02T09:00:00+08:00",
        "inspection_ended_at": "2026-03-02T09:20:00+08:00",
        "place": PLACE,
        **PARTY,
        "present_person_name": "王某某",
        "present_person_role": "party",
        **OFFICERS,
        "recorder_name": "李娜",
        "findings": "现场人行道上摆放水果货架两组、遮阳伞一把、三轮车一辆，占用人行道长约3米、宽约2米。",
        "items_found": ["水果货架2组", "遮阳伞1把", "三轮车1辆"],
        "sketch_attached": True,
        "av_recorded": True,
        **SIGNING,
    },
    "evidence_preservation_list": {
        "doc_number": "大高城执先保〔2026〕第006号",
        **PARTY,
        "preservation_reason": "当事人经营用水果货架及三轮车随时可能被转移，证据可能灭失。",
        "preservation_subject": "当事人用于占道经营的货架及三轮车",
        "preservation_form": "registration",
        "approved_by": "陈局长",
        "approved_at": "2026-03-02T09:25:00+08:00",
        "preserved_at": "2026-03-02T09:40:00+08:00",
        "place": PLACE,
        "items": ["不锈钢水果货架 2组 九成新", "电动三轮车 1辆 蓝色"],
        "storage_place": "高新区城市管理行政执法局暂扣物品库",
        "decide_by": "2026-03-09",
        **OFFICERS,
        "av_recorded": True,
        "party_opinion": "无异议。",
        "issued_on": "2026-03-02",
    },
    "rights_notice": {
        "doc_number": "大高城执告〔2026〕第015号",
        "party_name": "王某某",
        "facts": FACTS,
        "legal_basis": LEGAL_BASIS,
        "proposed_decision": "责令限期清理，并处罚款人民币五百元。",
        "rights_notified": ["statement", "defence", "hearing"],
        "statement_deadline_days": 3,
        "hearing_available": True,
        "hearing_request_deadline_days": 5,
        "contact_person": "张伟",
        "contact_phone": "0411-84000000",
        "issued_on": "2026-03-05",
    },
    "statement_defence_record": {
        "statement_started_at": "2026-03-06T14:00:00+08:00",
        "statement_ended_at": "2026-03-06T14:30:00+08:00",
        "place": "高新区城市管理行政执法局询问室",
        "party_name": "王某某",
        "speaker_name": "王某某",
        "speaker_role": "party",
        **OFFICERS,
        "recorder_name": "李娜",
        "rights_notice_content": "已告知当事人依法享有陈述、申辩的权利，执法人员应充分听取意见，不因申辩而加重处罚。",
        "statement_content": "我是外地来的，家里困难，初次违法，已经把摊位撤了，请求从轻处罚。",
        "new_facts_evidence": "提交困难家庭证明一份。",
        **SIGNING,
    },
}

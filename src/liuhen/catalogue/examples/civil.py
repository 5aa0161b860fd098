"""Example filling: civil-affairs 社会组织 matters (xinglongtai-mz style), applications and a court application."""

from __future__ import annotations

from typing import Any

APPLICANT = "盘锦市兴隆台区某某养老服务中心"
APPLICANT_BLOCK = {
    "applicant_type": "other_organization",
    "applicant_name": APPLICANT,
    "applicant_id_no": "52211103MJ0000123X",
    "applicant_address": "盘锦市兴隆台区某某街道某某路16号",
    "applicant_phone": "0427-2800000",
}
MATTER = "民办非企业单位（社会服务机构）变更登记（住所变更）"

EXAMPLES: dict[str, dict[str, Any]] = {
    "application_registration": {
        **APPLICANT_BLOCK,
        "agent_name": "何某某",
        "application_matter": MATTER,
        "application_content": "因原租赁场所到期，申请将住所变更为盘锦市兴隆台区某某路28号。",
        "received_at": "2026-03-03T09:10:00+08:00",
        "oral_application": False,
        "materials": ["变更登记申请书", "理事会关于变更住所的决议", "新住所使用权证明"],
        "on_spot_corrections": "申请书中统一社会信用代码填写错误一位，已由申请人当场更正并签字确认。",
        "receipt_issued": True,
        "receipt_no": "兴民收〔2026〕第018号",
        "registrar_name": "高某",
    },
    "application_acceptance": {
        "doc_number": "兴民受〔2026〕第018号",
        "applicant_name": APPLICANT,
        "application_matter": MATTER,
        "application_received_on": "2026-03-03",
        "accepted_on": "2026-03-03",
        "legal_basis": "《民办非企业单位登记管理暂行条例》第十五条",
        "processing_time_limit": "自受理之日起三十日内",
        "contact_person": "高某",
        "contact_phone": "0427-2810000",
        "issued_on": "2026-03-03",
    },
    "application_rejection": {
        "doc_number": "兴民不受〔2026〕第002号",
        "applicant_name": "盘锦市某某户外运动协会（筹）",
        "application_matter": "社会团体成立登记",
        "application_received_on": "2026-03-04",
        "rejection_reasons": "拟成立社会团体的活动地域为盘锦市全市，依法应由盘锦市民政局登记管理，不属于本机关职权范围。",
        "legal_basis": "《社会团体登记管理条例》第七条",
        "remedy_notice": "如不服本决定，可在六十日内申请行政复议，或者在六个月内向人民法院提起行政诉讼。",
        "issued_on": "2026-03-05",
    },
    "supplement_notice": {
        "doc_number": "兴民补〔2026〕第007号",
        "applicant_name": "盘锦市兴隆台区某某社区志愿服务中心",
        "application_matter": "民办非企业单位（社会服务机构）成立登记",
        "application_received_on": "2026-03-06",
        "items_to_supplement": ["住所使用权证明（租期一年以上）", "拟任负责人无犯罪记录证明", "验资报告原件"],
        "supplement_deadline": "2026-03-20",
        "supplement_requirements": "请在补正期限内一次性补齐上述材料，逾期未补正的视为放弃申请。",
        "contact_person": "高某",
        "contact_phone": "0427-2810000",
        "issued_on": "2026-03-06",
    },
    "court_enforcement_application": {
        "doc_number": "兴民强申〔2026〕第001号",
        "court_name": "盘锦市兴隆台区人民法院",
        "party_type": "other_organization",
        "party_name": "盘锦市兴隆台区某某文化交流协会",
        "party_address": "盘锦市兴隆台区某某大街某号",
        "party_id_no": "51211103MJ0000456Y",
        "party_legal_rep": "林某某",
        "decision_doc_number": "兴民罚〔2025〕第003号",
        "decision_served_on": "2025-12-10",
        "demand_served_on": "2026-02-20",
        "non_performance": "当事人在法定期限内未申请行政复议或提起行政诉讼，经催告后逾期仍未缴纳罚没款。",
        "requested_enforcement": "没收违法所得人民币八千元，并处罚款人民币二万元。",
        "amount_requested": "28000.00",
        "attachments": [
            "行政处罚决定书及送达回证",
            "催告书及送达回证",
            "当事人陈述申辩记录",
            "案件主要证据材料",
        ],
        "applied_on": "2026-03-10",
        "court_case_no": "（2026）辽1103行审12号",
        "court_ruling": "enforce",
        "ruling_on": "2026-03-30",
        "enforcement_result": "法院已划扣当事人账户款项人民币二万八千元。",
    },
}

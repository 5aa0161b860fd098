"""Stable domain codes the rule engine and the profile validator accept (see the shared codes list)."""

from __future__ import annotations

STAGES: tuple[str, ...] = (
    "initiation",
    "investigation",
    "decision",
    "service_enforcement",
    "closed",
    "archived",
)
STAGE_INDEX: dict[str, int] = {stage: i for i, stage in enumerate(STAGES)}

PROCEDURES = frozenset({"general", "summary"})
INITIATION_KINDS = frozenset({"ex_officio", "application", "complaint", "transferred"})
SIGNER_ROLES = frozenset(
    {
        "officer",
        "party",
        "agent",
        "witness",
        "server",
        "recipient",
        "participant",
        "reviewer",
        "approver",
        "head",
    }
)
SIGNATURE_METHODS = frozenset({"handwritten_scan", "electronic", "seal", "fingerprint"})
APPROVAL_KINDS = frozenset(
    {
        "handler_proposal",
        "review",
        "approval",
        "legal_review",
        "collective_discussion",
        "head_approval",
        "late_approval",
    }
)
DECISIONS = frozenset({"approve", "reject", "noted"})

DOCUMENT_TITLES: dict[str, str] = {
    "initiation_approval": "立案/程序启动审批表",
    "complaint_registration": "投诉举报登记表",
    "complaint_not_filed_notice": "实名投诉举报不予立案告知记录",
    "application_registration": "申请登记表",
    "application_acceptance": "受理通知书",
    "application_rejection": "不予受理通知书",
    "supplement_notice": "一次性补正告知书",
    "inquiry_record": "询问(调查)笔录",
    "inspection_record": "现场检查(勘验)笔录",
    "sampling_record": "抽样取证笔录及抽样清单",
    "evidence_request_notice": "调取证据通知书",
    "evidence_preservation_list": "证据登记保存清单",
    "seizure_decision": "查封/扣押决定书及清单",
    "rights_notice": "权利告知书",
    "statement_defence_record": "陈述申辩笔录",
    "hearing_notice": "听证通知书",
    "hearing_record": "听证笔录",
    "expert_opinion": "鉴定意见书",
    "expert_panel_minutes": "专家论证会议纪要",
    "investigation_final_report": "调查终结报告",
    "legal_review_opinion": "法制审核意见书",
    "collective_discussion_record": "集体讨论记录",
    "head_approval": "负责人审批表",
    "penalty_decision": "行政处理(处罚)决定书",
    "summary_decision": "简易程序当场处罚决定书",
    "service_receipt": "送达回证",
    "rectification_notice": "责令改正通知书",
    "rectification_check_record": "整改复查记录",
    "performance_record": "履行情况记录",
    "post_supervision_report": "后督察报告",
    "demand_notice": "催告书",
    "enforcement_record": "强制执行记录",
    "court_enforcement_application": "申请法院强制执行书",
    "confiscated_property_record": "罚没财物处理记录",
    "interruption_statement": "音像记录中断情况说明",
    "av_unsuitable_reason": "不适宜音像记录原因说明",
    "case_closing_report": "结案报告",
}
DOCUMENT_TYPES = frozenset(DOCUMENT_TITLES)

ACTIVITY_TITLES: dict[str, str] = {
    "inspection": "现场检查(勘验)",
    "inquiry": "询问",
    "sampling": "抽样取证",
    "hearing": "听证",
    "seal_premises": "查封场所/施工现场",
    "seize_property": "扣押财物",
    "seal_facility": "查封扣押污染防治设施",
    "evidence_preservation": "先行登记保存",
    "service_left": "留置送达",
    "service_public_notice": "公告送达",
    "removal_restoration": "排除妨碍/恢复原状",
    "forced_demolition": "强制拆除违法建筑",
    "rectification_check": "整改复查",
    "summary_procedure": "简易程序当场处罚",
    "deposit_transfer": "划拨存款汇款",
    "confiscation": "罚没物品收缴/销毁",
    "non_cooperation": "当事人不配合执法",
    "complaint_reception": "投诉受理",
    "whole_operation": "全程执法记录",
    "other": "其他",
}
ACTIVITIES = frozenset(ACTIVITY_TITLES)

SERVICE_METHODS = frozenset({"direct", "left_at_residence", "entrusted", "mail", "public_notice"})
ENFORCEMENT_METHODS = frozenset(
    {
        "surcharge",
        "deposit_transfer",
        "auction_disposal",
        "removal_restoration",
        "substitute_performance",
        "other",
    }
)

CASE_FLAGS = frozenset(
    {
        "evidence_used",
        "review_or_litigation",
        "complaint_about_enforcement",
        "obstruction",
        "emergency_incident",
        "major_complex",
        "liberty_life_health_property",
        "dispute_likely",
        "non_performance",
        "property_confiscated",
        "risky_operation",
    }
)

INTEGRITY_EVENT_CODES = frozenset(
    {
        "record_deleted",
        "record_altered",
        "ledger_mismatch",
        "media_hash_mismatch",
        "unrelated_recording",
        "unauthorised_disclosure",
        "record_lost",
    }
)

PROFILE_IDS = ("dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg")

RULE_KINDS = (
    "required_document",
    "required_field",
    "required_signatures",
    "required_av",
    "deadline",
    "retention",
    "approval_chain",
    "prohibition",
)
SEVERITIES = frozenset({"error", "warning"})
STATUSES = ("satisfied", "missing", "overdue", "pending", "violated")
UNMET_STATUSES = frozenset({"missing", "overdue", "pending"})

"""The shared vocabulary: stable codes (with their Chinese labels) that the catalogue, the rule
profiles, the models and the forms all use. One list each, here; no Django import."""

from __future__ import annotations

from liuhen.core.stages import PROCEDURE_LABELS, STAGE_LABELS, Stage

STAGES: tuple[str, ...] = tuple(stage.value for stage in Stage)
PROCEDURES: tuple[str, ...] = tuple(PROCEDURE_LABELS)
PROFILE_IDS: tuple[str, ...] = ("dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg")
# the roles of the role table (liuhen.accounts.roles.Role), for data that names who does what
ROLE_CODES: tuple[str, ...] = (
    "officer",
    "handler",
    "reviewer",
    "approver",
    "legal_unit",
    "head",
    "archivist",
    "device_custodian",
    "supervisor",
    "admin",
)

INITIATION_KINDS: tuple[tuple[str, str], ...] = (
    ("ex_officio", "依职权"),
    ("application", "依申请"),
    ("complaint", "投诉举报"),
    ("transferred", "移送"),
)

SIGNER_ROLES: tuple[tuple[str, str], ...] = (
    ("officer", "执法人员"),
    ("party", "当事人"),
    ("agent", "委托代理人"),
    ("witness", "见证人"),
    ("server", "送达人"),
    ("recipient", "受送达人/签收人"),
    ("participant", "听证参加人"),
    ("reviewer", "审核人"),
    ("approver", "批准人"),
    ("head", "机关负责人"),
)

SIGNATURE_METHODS: tuple[tuple[str, str], ...] = (
    ("handwritten_scan", "手写签名扫描"),
    ("electronic", "电子签名"),
    ("seal", "盖章"),
    ("fingerprint", "捺手印"),
)

APPROVAL_KINDS: tuple[tuple[str, str], ...] = (
    ("handler_proposal", "承办人意见"),
    ("review", "审核意见"),
    ("approval", "批准意见"),
    ("legal_review", "法制审核"),
    ("collective_discussion", "集体讨论"),
    ("head_approval", "负责人审批"),
    ("late_approval", "紧急启动补报审批"),
)

APPROVAL_DECISIONS: tuple[tuple[str, str], ...] = (
    ("approve", "同意"),
    ("reject", "不同意"),
    ("noted", "已阅/备案"),
)

CASE_FLAGS: tuple[tuple[str, str], ...] = (
    ("evidence_used", "音像记录作为证据使用"),
    ("review_or_litigation", "当事人申请复议或提起诉讼"),
    ("complaint_about_enforcement", "对执法有异议或投诉"),
    ("obstruction", "阻碍执法、妨害公务、暴力抗法"),
    ("emergency_incident", "涉及突发事件、群体性事件"),
    ("major_complex", "重大、复杂、疑难案件"),
    ("liberty_life_health_property", "涉及人身自由、生命健康、重大财产权益"),
    ("dispute_likely", "可能引起争议"),
    ("non_performance", "当事人不履行决定"),
    ("property_confiscated", "涉及罚没财物"),
    ("risky_operation", "执法现场有较大风险"),
)

AV_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("inspection", "现场检查(勘验)"),
    ("inquiry", "询问"),
    ("sampling", "抽样取证"),
    ("hearing", "听证"),
    ("seal_premises", "查封场所/施工现场"),
    ("seize_property", "扣押财物"),
    ("seal_facility", "查封扣押污染防治设施"),
    ("evidence_preservation", "先行登记保存"),
    ("service_left", "留置送达"),
    ("service_public_notice", "公告送达"),
    ("removal_restoration", "排除妨碍/恢复原状"),
    ("forced_demolition", "强制拆除违法建筑"),
    ("rectification_check", "整改复查"),
    ("summary_procedure", "简易程序当场处罚"),
    ("deposit_transfer", "划拨存款汇款"),
    ("confiscation", "罚没物品收缴/销毁"),
    ("non_cooperation", "当事人不配合执法"),
    ("complaint_reception", "投诉受理"),
    ("whole_operation", "全程执法记录"),
    ("other", "其他"),
)

SERVICE_METHODS: tuple[str, ...] = ("direct", "left_at_residence", "entrusted", "mail", "public_notice")
ENFORCEMENT_METHODS: tuple[str, ...] = (
    "surcharge",
    "deposit_transfer",
    "auction_disposal",
    "removal_restoration",
    "substitute_performance",
    "other",
)

__all__ = [
    "APPROVAL_DECISIONS",
    "APPROVAL_KINDS",
    "AV_ACTIVITIES",
    "CASE_FLAGS",
    "ENFORCEMENT_METHODS",
    "INITIATION_KINDS",
    "PROCEDURES",
    "PROFILE_IDS",
    "ROLE_CODES",
    "SERVICE_METHODS",
    "SIGNATURE_METHODS",
    "SIGNER_ROLES",
    "STAGES",
    "STAGE_LABELS",
]

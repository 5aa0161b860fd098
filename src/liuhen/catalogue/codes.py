"""Shared domain codes the catalogue refers to (stable identifiers, see the project's code list)."""

from __future__ import annotations

STAGES: tuple[str, ...] = (
    "initiation",
    "investigation",
    "decision",
    "service_enforcement",
    "closed",
    "archived",
)
PROCEDURES: tuple[str, ...] = ("general", "summary")
BOTH_PROCEDURES: tuple[str, ...] = PROCEDURES
PROFILES: tuple[str, ...] = ("dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg")

INITIATION_KINDS: tuple[tuple[str, str], ...] = (
    ("ex_officio", "依职权"),
    ("application", "依申请"),
    ("complaint", "投诉举报"),
    ("transferred", "移送"),
)

AV_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("inspection", "现场检查（勘验）"),
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

"""审查决定 records: 调查终结报告, 法制审核, 专家论证, 集体讨论, 负责人审批, 决定书 (R1.7, R1.8)."""

from __future__ import annotations

from liuhen.catalogue.definitions.common import (
    av_recorded,
    case_cause,
    doc_number,
    issued_on,
    legal_basis,
    officers_block,
    officers_checks,
    party_block,
    remedy_notice,
)
from liuhen.catalogue.fields import (
    amount,
    boolean,
    choice,
    date,
    datetime_,
    list_,
    longtext,
    text,
)
from liuhen.catalogue.types import DocumentType, SignoffBlock, ordered, required_if

PROPOSED_HANDLING = (
    ("penalty", "给予行政处罚"),
    ("other_handling", "作出其他行政处理决定"),
    ("no_penalty", "不予行政处罚"),
    ("dismiss", "撤销立案"),
    ("transfer", "移送有关机关处理"),
)

INVESTIGATION_FINAL_REPORT = DocumentType(
    code="investigation_final_report",
    title="调查终结报告",
    stages=("decision",),
    procedures=("general",),
    fields=(
        case_cause(),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        longtext("investigation_process", "调查经过", required=False),
        longtext("facts", "经调查认定的违法事实"),
        list_("evidence", "证据材料", min_items=1),
        legal_basis(),
        longtext("discretion", "自由裁量权适用情况（应考虑的有关因素）"),
        choice("proposed_handling", "处理建议类别", PROPOSED_HANDLING),
        longtext("proposal", "处理建议"),
        list_("handler_names", "承办人", min_items=1, max_length=40),
        date("reported_on", "报告日期"),
        longtext("unit_opinion", "承办机构审核意见", required=False),
        text("unit_reviewer", "承办机构审核人", required=False, max_length=40),
        date("unit_reviewed_on", "审核日期", required=False),
    ),
    citations=("gaochang-sthj§14", "dalian-cg§14", "xinglongtai-mz§10", "xinle-fg§9", "xinle-fg§15"),
    checks=(),
    signoffs=(
        SignoffBlock(
            ("review",), opinion="unit_opinion", signed_on="unit_reviewed_on", signer="unit_reviewer"
        ),
    ),
    summary_parts=("{case_cause}", "{proposed_handling}", "{reported_on}"),
)

LEGAL_REVIEW_OPINION = DocumentType(
    code="legal_review_opinion",
    title="法制审核意见书",
    stages=("decision",),
    procedures=("general",),
    fields=(
        text("legal_unit_name", "法制审核机构"),
        list_("reviewer_names", "法制审核人员", min_items=1, max_length=40),
        case_cause(),
        date("submitted_on", "送审日期"),
        date("reviewed_on", "审核日期"),
        choice(
            "conclusion",
            "审核结论",
            (
                ("agree", "同意"),
                ("revise", "建议修改后作出决定"),
                ("supplement", "建议补充调查"),
                ("disagree", "不同意"),
            ),
        ),
        longtext(
            "review_opinion", "审核意见", help="对执法主体、事实证据、法律适用、程序、裁量基准等的审核意见"
        ),
        longtext("suggestions", "审核建议", required=False),
    ),
    author_roles=("legal_unit",),
    citations=("dalian-cg§15", "gaochang-sthj§15", "xinle-fg§9", "xinle-fg§15"),
    checks=(ordered("submitted_on", "reviewed_on"),),
    summary_parts=("{case_cause}", "{conclusion}", "{reviewed_on}"),
)

EXPERT_PANEL_MINUTES = DocumentType(
    code="expert_panel_minutes",
    title="专家论证会议纪要",
    stages=("decision",),
    procedures=("general",),
    fields=(
        text("topic", "论证事项"),
        datetime_("meeting_at", "会议时间"),
        text("place", "会议地点"),
        text("host", "主持人", max_length=60),
        list_("experts", "论证专家（姓名、单位、职称）", min_items=1),
        list_("attendees", "列席人员", required=False, max_length=60),
        text("recorder_name", "记录人", max_length=40),
        longtext("discussion", "论证过程", max_length=20000),
        longtext("conclusion", "论证意见"),
        longtext("dissenting_opinions", "不同意见", required=False),
    ),
    citations=("dalian-cg§15", "gaochang-sthj§16", "xinle-fg§8"),
    summary_parts=("{topic}", "{meeting_at}"),
)

COLLECTIVE_DISCUSSION_RECORD = DocumentType(
    code="collective_discussion_record",
    title="集体讨论记录",
    stages=("decision",),
    procedures=("general",),
    fields=(
        case_cause(),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        datetime_("meeting_at", "讨论时间"),
        text("place", "讨论地点"),
        text("host", "主持人", max_length=60),
        list_("attendees", "参加人员", min_items=1, max_length=60),
        list_("absentees", "缺席人员及原因", required=False),
        text("recorder_name", "记录人", max_length=40),
        longtext("case_report", "承办人汇报案情及处理建议"),
        longtext("discussion", "讨论意见（逐人记录）", max_length=20000),
        longtext("decision", "集体讨论决定"),
        longtext("dissenting_opinions", "不同意见", required=False),
    ),
    author_roles=("head", "legal_unit"),
    citations=("dalian-cg§15", "gaochang-sthj§17", "xinglongtai-mz§11", "xinle-fg§9"),
    summary_parts=("{case_cause}", "{meeting_at}"),
)

HEAD_APPROVAL = DocumentType(
    code="head_approval",
    title="负责人审批表",
    stages=("decision",),
    procedures=("general",),
    fields=(
        case_cause(),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        longtext("facts_summary", "案件事实摘要"),
        longtext("proposed_decision", "拟作出的处理决定"),
        longtext("handler_opinion", "承办人意见和理由"),
        date("handler_signed_on", "承办人签署日期"),
        longtext("reviewer_opinion", "审核人意见", required=False),
        date("reviewer_signed_on", "审核人签署日期", required=False),
        longtext("legal_review_summary", "法制审核意见", required=False),
        longtext("head_opinion", "负责人意见"),
        text("head_name", "负责人", max_length=40),
        date("head_signed_on", "负责人签署日期"),
    ),
    author_roles=("head",),
    citations=(
        "dalian-cg§15",
        "dalian-cg§28",
        "gaochang-sthj§18",
        "xinglongtai-mz§12",
        "xinle-fg§9",
        "xinle-fg§15",
    ),
    checks=(ordered("handler_signed_on", "head_signed_on"),),
    signoffs=(SignoffBlock(("review",), opinion="reviewer_opinion", signed_on="reviewer_signed_on"),),
    summary_parts=("{case_cause}", "负责人 {head_name}", "{head_signed_on}"),
)

PENALTY_KINDS = (
    ("warning", "警告、通报批评"),
    ("fine", "罚款"),
    ("confiscation", "没收违法所得、没收非法财物"),
    ("license", "暂扣许可证件、降低资质等级、吊销许可证件"),
    ("restriction", "限制开展生产经营活动、责令停产停业、责令关闭、限制从业"),
    ("correction", "责令改正"),
    ("other", "其他行政处理"),
)

PENALTY_DECISION = DocumentType(
    code="penalty_decision",
    title="行政处理(处罚)决定书",
    stages=("decision",),
    procedures=("general",),
    fields=(
        doc_number(),
        *party_block(),
        longtext("facts", "违法事实"),
        list_("evidence", "证据", min_items=1),
        legal_basis("处理（处罚）依据"),
        longtext("statement_review", "当事人陈述、申辩（听证）意见的采纳情况及理由"),
        longtext(
            "discretion",
            "自由裁量权适用情况（应考虑的有关因素）",
            required=False,
            help="裁量基准、从轻或从重情节等",
        ),
        list_("penalty_kinds", "处理（处罚）种类", choices=PENALTY_KINDS, min_items=1),
        longtext("decision_content", "处理（处罚）决定内容"),
        amount("fine_amount", "罚款金额（元）", required=False),
        amount("confiscation_amount", "没收违法所得金额（元）", required=False),
        longtext("performance_method", "履行方式和期限"),
        date("payment_deadline", "缴款期限", required=False),
        text("payment_account", "指定缴款银行（账户）", required=False),
        remedy_notice(),
        date("decided_on", "决定日期"),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("dalian-cg§14", "gaochang-sthj§19", "xinglongtai-mz§13", "xinle-fg§9", "xinle-fg§13"),
    checks=(
        required_if("fine_amount", "penalty_kinds", "fine"),
        required_if("payment_deadline", "penalty_kinds", "fine"),
        required_if("confiscation_amount", "penalty_kinds", "confiscation"),
        ordered("decided_on", "payment_deadline"),
    ),
    summary_parts=("{doc_number}", "当事人 {party_name}", "罚款 {fine_amount} 元", "{decided_on}"),
)

SUMMARY_DECISION = DocumentType(
    code="summary_decision",
    title="简易程序当场处罚决定书",
    stages=("decision",),
    procedures=("summary",),
    fields=(
        doc_number(),
        *party_block(),
        datetime_("decided_at", "处罚时间"),
        text("place", "处罚地点"),
        longtext("facts", "违法事实"),
        legal_basis("处罚依据"),
        choice("penalty", "处罚种类", (("warning", "警告"), ("fine", "罚款"))),
        amount("fine_amount", "罚款金额（元）", required=False),
        longtext("applicability", "适用简易程序的事实依据、法律依据的具体条件"),
        longtext("procedure_steps", "实施简易程序的程序步骤及法定文书"),
        longtext("party_statement", "当事人陈述、申辩的记录"),
        longtext("statement_review", "对陈述、申辩内容的复核及处理，是否采纳的理由"),
        longtext("filing_record", "向所属行政机关备案的内容", required=False, help="备案后补填"),
        boolean("on_spot_collection", "是否当场收缴罚款"),
        longtext("collection_process", "当场收缴罚款的实施过程", required=False),
        text("fine_receipt_no", "罚款收据编号", required=False, max_length=60),
        longtext("other_records", "其他依法记录的内容", required=False),
        *officers_block(),
        remedy_notice(),
        av_recorded("是否进行音像记录"),
        issued_on(),
    ),
    party_signs=True,
    issued_to_party=True,
    citations=("dalian-cg§16", "gaochang-sthj§20", "xinglongtai-mz§14", "xinle-fg§13"),
    checks=(
        *officers_checks(),
        required_if("fine_amount", "penalty", "fine"),
        required_if("collection_process", "on_spot_collection", True),
        required_if("fine_receipt_no", "on_spot_collection", True),
    ),
    summary_parts=("当事人 {party_name}", "{penalty}", "{fine_amount} 元", "{decided_at}"),
)

TYPES = (
    INVESTIGATION_FINAL_REPORT,
    LEGAL_REVIEW_OPINION,
    EXPERT_PANEL_MINUTES,
    COLLECTIVE_DISCUSSION_RECORD,
    HEAD_APPROVAL,
    PENALTY_DECISION,
    SUMMARY_DECISION,
)

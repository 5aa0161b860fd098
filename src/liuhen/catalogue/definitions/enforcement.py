"""强制执行, 申请法院执行, 罚没财物, 音像记录说明, 结案 (R1.10, R3.1, R3.4)."""

from __future__ import annotations

from liuhen.catalogue.codes import AV_ACTIVITIES, BOTH_PROCEDURES
from liuhen.catalogue.definitions.common import (
    av_recorded,
    case_cause,
    doc_number,
    officers_block,
    officers_checks,
    party_block,
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
from liuhen.catalogue.types import DocumentType, SignoffBlock, ordered, required_if, requires

ENFORCEMENT_METHODS = (
    ("surcharge", "加处罚款或滞纳金"),
    ("deposit_transfer", "划拨存款、汇款"),
    ("auction_disposal", "拍卖或依法处理查封、扣押的场所、设施或财物"),
    ("removal_restoration", "排除妨碍、恢复原状"),
    ("substitute_performance", "代履行"),
    ("other", "其他强制执行方式"),
)

ENFORCEMENT_RECORD = DocumentType(
    code="enforcement_record",
    title="强制执行记录",
    stages=("service_enforcement",),
    procedures=("general",),
    fields=(
        text("enforcement_decision_no", "强制执行决定书文号", max_length=60),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        date("demand_served_on", "催告书送达日期"),
        longtext("statement_review", "当事人陈述、申辩及复核情况", required=False),
        choice("method", "强制执行方式", ENFORCEMENT_METHODS),
        datetime_("executed_at", "执行开始时间"),
        datetime_("finished_at", "执行结束时间", required=False),
        text("place", "执行地点"),
        *officers_block(),
        longtext("process", "执行过程", max_length=20000),
        longtext("result", "执行结果"),
        av_recorded(),
        longtext("refusal_note", "当事人不配合或拒绝签字情况", required=False),
    ),
    variant_field="method",
    variants={
        "surcharge": (
            choice("surcharge_kind", "加处种类", (("fine", "加处罚款"), ("late_fee", "滞纳金"))),
            text("surcharge_standard", "加处标准", help="如：每日按罚款数额的百分之三加处罚款"),
            date("surcharge_from", "加处起算日期"),
            amount("surcharge_amount", "加处金额（元）", help="不得超出金钱给付义务的数额"),
        ),
        "deposit_transfer": (
            text("bank_name", "金融机构名称"),
            text("account_no", "账号", max_length=60),
            text("transfer_notice_no", "划拨存款（汇款）通知书文号", max_length=60),
            amount("transfer_amount", "划拨金额（元）"),
        ),
        "auction_disposal": (
            list_("disposed_items", "拍卖（处理）的场所、设施或财物", min_items=1),
            choice(
                "disposal_way",
                "处理方式",
                (("auction", "委托拍卖"), ("sale", "依法变卖"), ("other", "其他依法处理")),
            ),
            text("auctioneer", "拍卖机构", required=False),
            amount("proceeds", "所得价款（元）", required=False),
        ),
        "removal_restoration": (
            longtext("removal_target", "排除妨碍、恢复原状的对象"),
            longtext("before_state", "执行前现场情况"),
            longtext("after_state", "执行后现场情况"),
        ),
        "substitute_performance": (
            text("substitute_decision_no", "代履行决定书文号", max_length=60),
            text("substitute_performer", "代履行人"),
            amount("substitute_cost", "代履行费用（元）"),
        ),
        "other": (longtext("other_method", "其他强制执行方式及依据"),),
    },
    party_signs=True,
    citations=(
        "dalian-cg§20",
        "gaochang-sthj§28",
        "longjiang-cg§9",
        "longjiang-cg§10",
        "longjiang-cg§12",
        "xinle-fg§10",
    ),
    checks=(
        *officers_checks(),
        ordered("demand_served_on", "executed_at"),
        ordered("executed_at", "finished_at"),
    ),
    summary_parts=("{method}", "当事人 {party_name}", "{executed_at}"),
)

COURT_RULINGS = (
    ("pending", "审查中"),
    ("enforce", "裁定准予执行"),
    ("refuse", "裁定不准予执行"),
    ("withdrawn", "撤回申请"),
)

COURT_ENFORCEMENT_APPLICATION = DocumentType(
    code="court_enforcement_application",
    title="申请法院强制执行书",
    stages=("service_enforcement",),
    procedures=("general",),
    fields=(
        doc_number(),
        text("court_name", "受理人民法院"),
        *party_block(),
        text("decision_doc_number", "处理（处罚）决定书文号", max_length=60),
        date("decision_served_on", "决定书送达日期"),
        date("demand_served_on", "催告书送达日期"),
        longtext("non_performance", "当事人逾期不履行情况"),
        longtext("requested_enforcement", "申请执行的内容"),
        amount("amount_requested", "申请执行金额（元）", required=False),
        list_("attachments", "附送材料", min_items=1),
        date("applied_on", "申请日期"),
        text("court_case_no", "法院案号", required=False, max_length=60),
        choice("court_ruling", "法院审查结果", COURT_RULINGS, required=False),
        date("ruling_on", "裁定日期", required=False),
        longtext("enforcement_result", "强制执行结果", required=False),
    ),
    issued_to_party=False,
    citations=("dalian-cg§21", "gaochang-sthj§29", "xinglongtai-mz§22"),
    checks=(
        ordered("decision_served_on", "demand_served_on"),
        ordered("demand_served_on", "applied_on"),
        ordered("applied_on", "ruling_on"),
        requires("enforcement_result", "court_ruling"),
    ),
    summary_parts=("{court_name}", "当事人 {party_name}", "{court_ruling}", "{applied_on}"),
)

CONFISCATED_PROPERTY_RECORD = DocumentType(
    code="confiscated_property_record",
    title="罚没财物处理记录",
    stages=("service_enforcement",),
    procedures=BOTH_PROCEDURES,
    fields=(
        text("decision_doc_number", "处理（处罚）决定书文号", max_length=60),
        text("party_name", "当事人（名称或姓名）", required=False),
        list_("items", "罚没财物清单（名称、规格、数量）", min_items=1),
        choice(
            "handling_way",
            "处理方式",
            (
                ("destroyed", "销毁"),
                ("auctioned", "公开拍卖"),
                ("transferred", "移交有关部门"),
                ("turned_over", "上缴国库"),
                ("returned", "依法退还"),
                ("other", "其他"),
            ),
        ),
        text("approved_by", "批准人", max_length=60),
        datetime_("handled_at", "处理时间"),
        text("place", "处理地点"),
        list_("handlers", "经办人", min_items=2, max_length=40),
        list_("witnesses", "监督（见证）人", required=False, max_length=60),
        longtext("process", "处理过程"),
        amount("proceeds", "处理所得（上缴）金额（元）", required=False),
        text("treasury_receipt_no", "上缴国库凭证编号", required=False, max_length=60),
        av_recorded(),
    ),
    citations=("xinle-fg§10", "longjiang-cg§10"),
    checks=(requires("proceeds", "treasury_receipt_no"),),
    summary_parts=("{handling_way}", "{decision_doc_number}", "{handled_at}"),
)

INTERRUPTION_REASONS = (
    ("device_fault", "设备故障、损坏"),
    ("battery", "电量不足"),
    ("storage_full", "存储空间不足"),
    ("weather", "天气恶劣"),
    ("obstruction", "人为阻挠"),
    ("other", "其他客观原因"),
)

INTERRUPTION_STATEMENT = DocumentType(
    code="interruption_statement",
    title="音像记录中断情况说明",
    stages=("investigation", "service_enforcement"),
    procedures=BOTH_PROCEDURES,
    fields=(
        choice("activity", "记录的执法活动", AV_ACTIVITIES),
        text("device_no", "记录设备编号", max_length=60),
        text("place", "执法地点"),
        datetime_("interrupted_at", "中断时间"),
        choice("reason", "中断原因", INTERRUPTION_REASONS),
        longtext("reason_detail", "中断情况说明"),
        boolean("resumed", "是否恢复记录"),
        datetime_("resumed_at", "恢复记录时间", required=False),
        boolean("spoken_explanation", "恢复记录时是否对中断原因进行语音说明", required=False),
        boolean("reported_to_head", "是否已向负责人报告"),
        datetime_("reported_at", "报告时间", required=False),
        longtext(
            "remedial_measures",
            "补救措施",
            required=False,
            help="如：改用照相机、摄像机记录重要环节并做好文字记录",
        ),
        list_(
            "officer_names", "说明人（执法人员）", min_items=2, max_length=40, help="由两名以上执法人员签字"
        ),
        date("stated_on", "说明日期"),
    ),
    citations=("longjiang-cg§13", "xinle-fg§22"),
    checks=(
        required_if("resumed_at", "resumed", True),
        required_if("spoken_explanation", "resumed", True),
        required_if("reported_at", "reported_to_head", True),
        ordered("interrupted_at", "resumed_at"),
        ordered("interrupted_at", "stated_on"),
    ),
    summary_parts=("{activity}", "{reason}", "中断于 {interrupted_at}"),
)

AV_UNSUITABLE_REASON = DocumentType(
    code="av_unsuitable_reason",
    title="不适宜音像记录原因说明",
    stages=("investigation", "service_enforcement"),
    procedures=BOTH_PROCEDURES,
    fields=(
        choice("activity", "执法活动", AV_ACTIVITIES),
        datetime_("activity_at", "执法活动时间"),
        text("place", "执法地点"),
        longtext("reason", "不适宜音像记录的原因", help="如：涉及个人隐私、商业秘密或国家秘密等"),
        longtext("alternative_measures", "替代记录方式"),
        list_("officer_names", "说明人（执法人员）", min_items=1, max_length=40),
        text("approved_by", "审核（批准）人", required=False, max_length=60),
        date("stated_on", "说明日期"),
    ),
    citations=("dalian-cg§11",),
    checks=(ordered("activity_at", "stated_on"),),
    summary_parts=("{activity}", "{activity_at}"),
)

CLOSING_REASONS = (
    ("performed", "执行完毕"),
    ("court_enforced", "人民法院强制执行完毕"),
    ("no_penalty", "决定不予行政处罚"),
    ("dismissed", "撤销立案"),
    ("transferred", "移送有关机关处理"),
    ("terminated", "终结执行（当事人死亡、终止等）"),
    ("other", "其他"),
)

CASE_CLOSING_REPORT = DocumentType(
    code="case_closing_report",
    title="结案报告",
    stages=("closed",),
    procedures=("general",),
    fields=(
        case_cause(),
        *party_block(full=False),
        longtext("case_summary", "案件基本情况"),
        longtext("decision_summary", "处理决定及文号"),
        longtext("performance_summary", "执行情况"),
        choice("closing_reason", "结案理由", CLOSING_REASONS),
        list_("handler_names", "承办人", min_items=1, max_length=40),
        longtext("handler_opinion", "承办人意见"),
        date("handler_signed_on", "承办人签署日期"),
        longtext("reviewer_opinion", "审核人意见", required=False),
        date("reviewer_signed_on", "审核人签署日期", required=False),
        longtext("approver_opinion", "批准人意见", required=False),
        date("approver_signed_on", "批准人签署日期", required=False),
        date("closed_on", "结案日期"),
    ),
    citations=("dalian-cg§22", "dalian-cg§28", "gaochang-sthj§30", "xinle-fg§15", "xinle-fg§28"),
    checks=(ordered("handler_signed_on", "closed_on"),),
    signoffs=(
        SignoffBlock(("review",), opinion="reviewer_opinion", signed_on="reviewer_signed_on"),
        SignoffBlock(("approval",), opinion="approver_opinion", signed_on="approver_signed_on"),
    ),
    summary_parts=("{case_cause}", "{closing_reason}", "{closed_on}"),
)

TYPES = (
    ENFORCEMENT_RECORD,
    COURT_ENFORCEMENT_APPLICATION,
    CONFISCATED_PROPERTY_RECORD,
    INTERRUPTION_STATEMENT,
    AV_UNSUITABLE_REASON,
    CASE_CLOSING_REPORT,
)

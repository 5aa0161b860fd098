"""程序启动 forms: 立案/程序启动审批, 投诉举报, 依申请 (R1.1–R1.3)."""

from __future__ import annotations

from liuhen.catalogue.codes import BOTH_PROCEDURES, INITIATION_KINDS
from liuhen.catalogue.definitions.common import (
    PARTY_TYPES,
    case_cause,
    contact_block,
    doc_number,
    issued_on,
    party_block,
    remedy_notice,
)
from liuhen.catalogue.fields import (
    FieldSpec,
    boolean,
    choice,
    date,
    datetime_,
    list_,
    longtext,
    text,
)
from liuhen.catalogue.types import DocumentType, SignoffBlock, ordered, required_if

INITIATION_APPROVAL = DocumentType(
    code="initiation_approval",
    title="立案/程序启动审批表",
    stages=("initiation",),
    procedures=("general",),
    fields=(
        choice("initiation_kind", "启动方式", INITIATION_KINDS),
        case_cause(),
        text("case_source", "案件来源", help="如：日常巡查发现、投诉举报、上级交办、有关部门移送"),
        longtext("start_reason", "启动原因"),
        longtext("case_facts", "基本案情"),
        *party_block(),
        longtext("handler_opinion", "承办人意见"),
        date("handler_signed_on", "承办人签署日期"),
        longtext("unit_opinion", "承办机构意见", required=False, help="由承办机构审核人以「审核意见」填写"),
        date("unit_signed_on", "承办机构签署日期", required=False),
        longtext("head_opinion", "负责人意见", required=False, help="由机关负责人以「负责人审批」填写"),
        date("head_signed_on", "负责人签署日期", required=False),
        boolean("emergency_start", "是否情况紧急先行启动", help="先行启动的，应在启动后24小时内补报审批"),
        datetime_("emergency_started_at", "先行启动时间", required=False),
        date("filled_on", "填表日期"),
    ),
    citations=("dalian-cg§6", "gaochang-sthj§6", "xinglongtai-mz§6", "xinle-fg§7", "xinle-fg§15"),
    checks=(required_if("emergency_started_at", "emergency_start", True),),
    # the unit's and the head's opinions are theirs: recorded by them as approval steps on this form
    signoffs=(
        SignoffBlock(("review",), opinion="unit_opinion", signed_on="unit_signed_on"),
        SignoffBlock(("head_approval", "late_approval"), opinion="head_opinion", signed_on="head_signed_on"),
    ),
    summary_parts=("{case_cause}", "当事人 {party_name}", "{filled_on}"),
)

COMPLAINT_CHANNELS = (
    ("phone", "电话"),
    ("hotline", "12345政务服务热线"),
    ("letter", "信函"),
    ("visit", "来访"),
    ("online", "网络平台"),
    ("other", "其他"),
)

COMPLAINT_REGISTRATION = DocumentType(
    code="complaint_registration",
    title="投诉举报登记表",
    stages=("initiation",),
    procedures=BOTH_PROCEDURES,
    fields=(
        datetime_("received_at", "受理时间"),
        choice("reception_channel", "投诉举报方式", COMPLAINT_CHANNELS),
        boolean("real_name", "是否实名投诉举报"),
        text("complainant_name", "投诉举报人姓名", required=False, max_length=60),
        text("complainant_contact", "投诉举报人联系方式", required=False, max_length=60, personal="phone"),
        text("complainant_address", "投诉举报人地址", required=False, personal="address"),
        text("reported_party", "被投诉举报对象", required=False),
        text("incident_place", "违法行为发生地点", required=False),
        longtext("complaint_content", "投诉举报内容"),
        text("receiver_name", "登记人", max_length=40),
        choice(
            "handling_proposal",
            "处理意见",
            (
                ("investigate", "启动执法程序查处"),
                ("not_filed", "不予立案"),
                ("transfer", "移送有关部门"),
                ("verify", "待核查"),
            ),
        ),
        longtext("handling_note", "处理意见说明", required=False),
    ),
    citations=("dalian-cg§7", "gaochang-sthj§7", "xinglongtai-mz§7"),
    checks=(
        required_if("complainant_name", "real_name", True),
        required_if("complainant_contact", "real_name", True),
    ),
    summary_parts=("{reception_channel}", "{reported_party}", "{received_at}"),
)

COMPLAINT_NOT_FILED_NOTICE = DocumentType(
    code="complaint_not_filed_notice",
    title="实名投诉举报不予立案告知记录",
    stages=("initiation",),
    procedures=BOTH_PROCEDURES,
    fields=(
        text("complainant_name", "投诉举报人姓名", max_length=60),
        text("complainant_contact", "投诉举报人联系方式", max_length=60, personal="phone"),
        date("complaint_received_on", "投诉举报日期"),
        longtext("complaint_summary", "投诉举报事项"),
        longtext("reasons_not_filed", "经审查不予立案的理由"),
        longtext("legal_basis", "法律依据", max_length=2000),
        datetime_("notified_at", "告知时间"),
        choice(
            "notice_method",
            "告知方式",
            (("in_person", "当面告知"), ("phone", "电话告知"), ("written", "书面告知"), ("sms", "短信告知")),
        ),
        text("notified_by", "告知人", max_length=60),
        longtext("complainant_response", "投诉举报人意见", required=False),
    ),
    citations=("dalian-cg§7", "gaochang-sthj§7", "xinglongtai-mz§7"),
    summary_parts=("告知 {complainant_name}", "{notice_method}", "{notified_at}"),
)


def _applicant_block() -> tuple[FieldSpec, ...]:
    return (
        choice("applicant_type", "申请人类型", PARTY_TYPES),
        text("applicant_name", "申请人（名称或姓名）"),
        text("applicant_id_no", "统一社会信用代码/身份证件号码", max_length=40, personal="id_number"),
        text("applicant_address", "申请人住所（地址）", personal="address"),
        text("applicant_phone", "申请人联系电话", max_length=40, personal="phone"),
        text("agent_name", "委托代理人", required=False, max_length=60),
    )


APPLICATION_REGISTRATION = DocumentType(
    code="application_registration",
    title="申请登记表",
    stages=("initiation",),
    procedures=BOTH_PROCEDURES,
    fields=(
        *_applicant_block(),
        text("application_matter", "申请事项"),
        longtext("application_content", "申请内容"),
        datetime_("received_at", "申请时间"),
        boolean("oral_application", "是否口头申请"),
        longtext(
            "oral_content", "口头申请内容记录", required=False, help="口头申请的，如实记录并由申请人签字确认"
        ),
        list_("materials", "提交的申请材料", required=False),
        longtext("on_spot_corrections", "当场更正申请材料错误情况", required=False),
        boolean("receipt_issued", "是否出具书面凭证（回执）"),
        text("receipt_no", "凭证（回执）编号", required=False, max_length=60),
        text("registrar_name", "登记人", max_length=40),
    ),
    party_signs=True,
    citations=("gaochang-sthj§5", "xinglongtai-mz§5", "xinle-fg§7"),
    checks=(
        required_if("oral_content", "oral_application", True),
        required_if("receipt_no", "receipt_issued", True),
    ),
    summary_parts=("申请人 {applicant_name}", "{application_matter}", "{received_at}"),
)


def application_block() -> tuple[FieldSpec, ...]:
    """Who applied for what, and when: the head of every reply to an application (受理/不予受理/补正)."""
    return (
        text("applicant_name", "申请人（名称或姓名）"),
        text("application_matter", "申请事项"),
        date("application_received_on", "申请日期"),
    )


APPLICATION_ACCEPTANCE = DocumentType(
    code="application_acceptance",
    title="受理通知书",
    stages=("initiation",),
    procedures=BOTH_PROCEDURES,
    fields=(
        doc_number(),
        *application_block(),
        date("accepted_on", "受理日期"),
        longtext("legal_basis", "受理依据", required=False, max_length=2000),
        text("processing_time_limit", "办理期限", help="如：自受理之日起二十个工作日内"),
        *contact_block(),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("gaochang-sthj§5", "xinglongtai-mz§5", "xinle-fg§7", "xinle-fg§13"),
    checks=(ordered("application_received_on", "accepted_on"),),
    summary_parts=("{doc_number}", "申请人 {applicant_name}", "{accepted_on}"),
)

APPLICATION_REJECTION = DocumentType(
    code="application_rejection",
    title="不予受理通知书",
    stages=("initiation",),
    procedures=BOTH_PROCEDURES,
    fields=(
        doc_number(),
        *application_block(),
        longtext("rejection_reasons", "不予受理的理由"),
        longtext("legal_basis", "法律依据", max_length=2000),
        remedy_notice(),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("gaochang-sthj§5", "xinglongtai-mz§5", "xinle-fg§7", "xinle-fg§13"),
    checks=(ordered("application_received_on", "issued_on"),),
    summary_parts=("{doc_number}", "申请人 {applicant_name}", "{issued_on}"),
)

SUPPLEMENT_NOTICE = DocumentType(
    code="supplement_notice",
    title="一次性补正告知书",
    stages=("initiation",),
    procedures=BOTH_PROCEDURES,
    fields=(
        doc_number(),
        *application_block(),
        list_(
            "items_to_supplement", "需补正的全部内容", min_items=1, help="一次性告知申请人需补正的全部内容"
        ),
        date("supplement_deadline", "补正期限", required=False),
        longtext("supplement_requirements", "补正要求说明", required=False),
        *contact_block(),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("gaochang-sthj§5", "xinglongtai-mz§5", "xinle-fg§7", "xinle-fg§13"),
    checks=(ordered("issued_on", "supplement_deadline"),),
    summary_parts=("{doc_number}", "申请人 {applicant_name}", "{issued_on}"),
)

TYPES = (
    INITIATION_APPROVAL,
    COMPLAINT_REGISTRATION,
    COMPLAINT_NOT_FILED_NOTICE,
    APPLICATION_REGISTRATION,
    APPLICATION_ACCEPTANCE,
    APPLICATION_REJECTION,
    SUPPLEMENT_NOTICE,
)

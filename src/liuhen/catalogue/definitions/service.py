"""送达 and 履行 records: 送达回证, 责令改正, 整改复查, 履行情况, 后督察, 催告 (R1.9, R1.10)."""

from __future__ import annotations

from liuhen.catalogue.codes import BOTH_PROCEDURES
from liuhen.catalogue.definitions.common import (
    av_recorded,
    doc_number,
    issued_on,
    legal_basis,
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
from liuhen.catalogue.types import DocumentType, ordered

SERVICE_METHODS = (
    ("direct", "直接送达"),
    ("left_at_residence", "留置送达"),
    ("entrusted", "委托、转交送达"),
    ("mail", "邮寄送达"),
    ("public_notice", "公告送达"),
)

SIGNER_RELATIONS = (
    ("self", "受送达人本人"),
    ("legal_representative", "法定代表人/主要负责人"),
    ("agent", "委托代理人/指定代收人"),
    ("family", "同住成年家属"),
    ("mailroom", "收发部门/办公室工作人员"),
)

# the served document's 名称 and 文号: picked together from the case's documents on the web form
SERVED_FIELDS = ("served_doc_title", "served_doc_number")

SERVICE_RECEIPT = DocumentType(
    code="service_receipt",
    title="送达回证",
    stages=("service_enforcement", "investigation", "decision"),
    procedures=BOTH_PROCEDURES,
    fields=(
        text("served_doc_title", "送达文书名称"),
        text("served_doc_number", "送达文书文号", max_length=60),
        text("recipient_name", "受送达人", prefill="party.name"),
        datetime_("served_at", "送达时间"),
        text("place", "送达地点"),
        choice("method", "送达方式", SERVICE_METHODS),
        list_("server_names", "送达人", min_items=1, max_length=40),
        longtext("remarks", "备注", required=False),
    ),
    variant_field="method",
    variants={
        "direct": (
            text("signer_name", "签收人", max_length=60),
            choice("signer_relation", "签收人与受送达人关系", SIGNER_RELATIONS),
        ),
        "left_at_residence": (
            longtext("refusal_reason", "拒收事由"),
            date("refused_on", "拒收日期"),
            list_("witness_names", "见证人姓名", min_items=1, max_length=60),
            text("witness_identity", "见证人身份（单位、职务或与受送达人关系）", required=False),
            av_recorded("是否对送达过程进行音像记录"),
        ),
        "entrusted": (
            choice("entrust_kind", "委托或转交", (("entrusted", "委托送达"), ("forwarded", "转交送达"))),
            longtext("entrust_reason", "委托、转交原因"),
            text("entrusted_unit", "受托（转交）单位"),
        ),
        "mail": (
            choice("mail_type", "邮寄方式", (("registered", "挂号信"), ("express", "特快专递"))),
            text("mail_tracking_no", "邮件号", max_length=60),
            text("postage_receipt_no", "付邮凭证号", max_length=60),
            date("mailed_on", "交邮日期"),
            boolean("return_receipt_kept", "是否留存邮寄回执", required=False),
        ),
        "public_notice": (
            longtext("failed_methods", "已采用其他方式均无法送达的情况"),
            choice(
                "notice_method",
                "公告方式",
                (
                    ("posting", "张贴公告"),
                    ("newspaper", "报刊登载"),
                    ("website", "网站发布"),
                    ("combined", "多种方式并用"),
                ),
            ),
            text("notice_medium", "公告载体（张贴地点、报刊名称或网址）"),
            date("notice_start", "公告期间自"),
            date("notice_end", "公告期间至"),
            boolean("notice_copy_kept", "是否留存书面公告"),
            av_recorded("是否对送达过程进行音像记录"),
        ),
    },
    citations=(
        "dalian-cg§17",
        "gaochang-sthj§21",
        "gaochang-sthj§22",
        "gaochang-sthj§23",
        "gaochang-sthj§24",
        "gaochang-sthj§25",
        "xinglongtai-mz§15",
        "xinglongtai-mz§16",
        "xinglongtai-mz§17",
        "xinglongtai-mz§18",
        "xinglongtai-mz§19",
        "xinle-fg§17",
    ),
    checks=(ordered("notice_start", "notice_end"), ordered("mailed_on", "served_at")),
    summary_parts=("{served_doc_title}", "{method}", "受送达人 {recipient_name}", "{served_at}"),
)

RECTIFICATION_NOTICE = DocumentType(
    code="rectification_notice",
    title="责令改正通知书",
    stages=("investigation", "decision", "service_enforcement"),
    procedures=BOTH_PROCEDURES,
    fields=(
        doc_number(),
        *party_block(full=False),
        longtext("facts", "违法事实"),
        legal_basis(),
        longtext("requirements", "改正内容和要求"),
        date("due_date", "改正期限"),
        longtext("consequences", "逾期不改正的法律后果", required=False),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("dalian-cg§18", "gaochang-sthj§26", "xinglongtai-mz§20", "xinle-fg§13"),
    checks=(ordered("issued_on", "due_date"),),
    summary_parts=("{doc_number}", "当事人 {party_name}", "限 {due_date} 前改正"),
)

RECTIFICATION_RESULTS = (
    ("completed", "已按期改正"),
    ("partial", "部分改正"),
    ("not_rectified", "未改正"),
    ("late", "逾期改正"),
)

RECTIFICATION_CHECK_RECORD = DocumentType(
    code="rectification_check_record",
    title="整改复查记录",
    stages=("service_enforcement",),
    procedures=BOTH_PROCEDURES,
    fields=(
        text("rectification_notice_no", "责令改正通知书文号", max_length=60),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        date("due_date", "改正期限"),
        datetime_("checked_at", "复查时间"),
        text("place", "复查地点"),
        *officers_block(),
        longtext("findings", "复查情况"),
        choice("result", "复查结论", RECTIFICATION_RESULTS),
        longtext("follow_up", "后续处理意见", required=False),
        av_recorded(),
        longtext("party_opinion", "当事人意见", required=False),
        longtext("refusal_note", "拒绝签字情况", required=False),
    ),
    party_signs=True,
    citations=("dalian-cg§18", "gaochang-sthj§26", "xinglongtai-mz§20"),
    checks=(*officers_checks(),),
    summary_parts=("当事人 {party_name}", "{result}", "{checked_at}"),
)

PERFORMANCE_STATUSES = (
    ("full", "已全部履行"),
    ("partial", "部分履行"),
    ("deferred", "经批准延期（分期）履行"),
    ("not_performed", "逾期未履行"),
)

PERFORMANCE_RECORD = DocumentType(
    code="performance_record",
    title="履行情况记录",
    stages=("service_enforcement",),
    procedures=BOTH_PROCEDURES,
    fields=(
        text("decision_doc_number", "处理（处罚）决定书文号", max_length=60),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        date("performance_due", "履行期限", required=False),
        choice("performance_status", "履行情况", PERFORMANCE_STATUSES),
        longtext("details", "履行情况说明"),
        amount("paid_amount", "已缴纳罚没款金额（元）", required=False),
        text("payment_receipt_no", "缴款凭证编号", required=False, max_length=60),
        date("recorded_on", "记录日期"),
        text("recorder_name", "记录人", max_length=40),
    ),
    citations=("dalian-cg§18", "xinglongtai-mz§20", "xinle-fg§10"),
    summary_parts=("{decision_doc_number}", "{performance_status}", "{recorded_on}"),
)

POST_SUPERVISION_REPORT = DocumentType(
    code="post_supervision_report",
    title="后督察报告",
    stages=("service_enforcement",),
    procedures=("general",),
    fields=(
        text("decision_doc_number", "处理（处罚）决定书文号", max_length=60),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        longtext("decision_summary", "处理决定主要内容"),
        date("supervised_on", "后督察日期"),
        list_("supervisors", "督察人员", min_items=1, max_length=40),
        text("place", "督察地点", required=False),
        choice("performance_status", "履行情况", PERFORMANCE_STATUSES),
        longtext("findings", "后督察情况"),
        longtext("conclusion", "督察结论及处理意见"),
        date("reported_on", "报告日期"),
    ),
    citations=("gaochang-sthj§26",),
    checks=(ordered("supervised_on", "reported_on"),),
    summary_parts=("{decision_doc_number}", "{performance_status}", "{supervised_on}"),
)

DEMAND_NOTICE = DocumentType(
    code="demand_notice",
    title="催告书",
    stages=("service_enforcement",),
    procedures=("general",),
    fields=(
        doc_number(),
        *party_block(full=False),
        text("decision_doc_number", "处理（处罚）决定书文号", max_length=60),
        date("decision_served_on", "决定书送达日期"),
        longtext("obligations", "履行义务的内容"),
        date("performance_deadline", "履行期限"),
        longtext("performance_method", "履行方式"),
        amount("amount_due", "金钱给付金额（元）", required=False),
        longtext("surcharge_note", "加处罚款或滞纳金的标准及金额", required=False),
        longtext(
            "statement_rights",
            "当事人依法享有的陈述权和申辩权",
            help="告知当事人收到催告书后有权进行陈述和申辩",
        ),
        longtext("consequences", "逾期仍不履行的后果", help="依法强制执行或者申请人民法院强制执行"),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("dalian-cg§19", "gaochang-sthj§27", "xinglongtai-mz§21", "xinle-fg§13"),
    checks=(ordered("decision_served_on", "issued_on"), ordered("issued_on", "performance_deadline")),
    summary_parts=("{doc_number}", "当事人 {party_name}", "限 {performance_deadline} 前履行"),
)

TYPES = (
    SERVICE_RECEIPT,
    RECTIFICATION_NOTICE,
    RECTIFICATION_CHECK_RECORD,
    PERFORMANCE_RECORD,
    POST_SUPERVISION_REPORT,
    DEMAND_NOTICE,
)

"""查封扣押, 权利告知与陈述申辩, 听证, 鉴定 (R1.4, R1.6, R2.3)."""

from __future__ import annotations

from liuhen.catalogue.codes import BOTH_PROCEDURES
from liuhen.catalogue.definitions.common import (
    PERSON_ROLES,
    RIGHTS,
    VERBATIM_MAX,
    av_recorded,
    case_cause,
    contact_block,
    doc_number,
    issued_on,
    legal_basis,
    officers_block,
    officers_checks,
    party_block,
    remedy_notice,
    session_block,
    session_checks,
    signing_block,
)
from liuhen.catalogue.fields import (
    boolean,
    choice,
    date,
    datetime_,
    integer,
    list_,
    longtext,
    text,
)
from liuhen.catalogue.types import DocumentType, ordered, required_if

SEIZURE_MEASURES = (
    ("seal_premises", "查封场所/施工现场"),
    ("seize_property", "扣押财物"),
    ("seal_facility", "查封扣押污染防治设施"),
)

SEIZURE_DECISION = DocumentType(
    code="seizure_decision",
    title="查封/扣押决定书及清单",
    stages=("investigation",),
    procedures=("general",),
    fields=(
        doc_number(),
        *party_block(),
        choice("measure", "强制措施种类", SEIZURE_MEASURES),
        longtext("facts", "违法事实及采取强制措施的理由"),
        legal_basis(),
        integer("period_days", "查封/扣押期限（日）", min_value=1, help="一般不得超过三十日"),
        date("period_start", "期限起算日期"),
        datetime_("executed_at", "实施时间"),
        text("place", "实施地点"),
        *officers_block(),
        av_recorded(),
        remedy_notice(),
        longtext("party_opinion", "当事人陈述、申辩意见", required=False),
        longtext("refusal_note", "拒绝签字情况", required=False),
        issued_on(),
    ),
    variant_field="measure",
    variants={
        "seal_premises": (
            text("premises_address", "查封场所（施工现场）地址"),
            longtext("premises_condition", "查封前后现场情况"),
            boolean("seal_posted", "是否张贴封条及查封文书"),
        ),
        "seize_property": (
            list_("seized_items", "扣押财物清单（名称、规格、数量、特征）", min_items=1),
            text("storage_place", "保管地点"),
            text("custodian", "保管人", max_length=60),
        ),
        "seal_facility": (
            text("facility_name", "污染防治设施名称"),
            text("facility_location", "设施所在位置"),
            longtext("pollution_facts", "违法排放污染物情形"),
            list_("facility_items", "查封扣押的设施设备清单", min_items=1),
        ),
    },
    party_signs=True,
    issued_to_party=True,
    citations=("dalian-cg§13", "gaochang-sthj§13", "longjiang-cg§9", "longjiang-cg§10", "xinle-fg§8"),
    checks=(*officers_checks(),),
    summary_parts=("{measure}", "{party_name}", "{executed_at}"),
)

RIGHTS_NOTICE = DocumentType(
    code="rights_notice",
    title="权利告知书",
    stages=("investigation", "decision"),
    procedures=("general",),
    fields=(
        doc_number(),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        longtext("facts", "拟作出处理决定的事实、理由"),
        legal_basis(),
        longtext("proposed_decision", "拟作出的处理决定内容"),
        list_("rights_notified", "告知的权利", choices=RIGHTS, min_items=1),
        integer("statement_deadline_days", "陈述申辩期限（日）", min_value=1),
        boolean("hearing_available", "是否告知听证权利"),
        integer("hearing_request_deadline_days", "申请听证期限（日）", required=False, min_value=1),
        *contact_block(),
        issued_on(),
    ),
    issued_to_party=True,
    citations=(
        "dalian-cg§9",
        "gaochang-sthj§9",
        "gaochang-sthj§10",
        "xinglongtai-mz§8",
        "xinle-fg§8",
        "xinle-fg§13",
    ),
    checks=(required_if("hearing_request_deadline_days", "hearing_available", True),),
    summary_parts=("{doc_number}", "当事人 {party_name}", "{issued_on}"),
)

STATEMENT_DEFENCE_RECORD = DocumentType(
    code="statement_defence_record",
    title="陈述申辩笔录",
    stages=("investigation", "decision"),
    procedures=BOTH_PROCEDURES,
    fields=(
        *session_block("statement", "陈述申辩"),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        text("speaker_name", "陈述申辩人", max_length=60),
        choice("speaker_role", "陈述申辩人身份", PERSON_ROLES),
        *officers_block(),
        text("recorder_name", "记录人", max_length=40),
        longtext("rights_notice_content", "权利告知内容"),
        longtext("statement_content", "陈述申辩内容", max_length=VERBATIM_MAX),
        longtext("new_facts_evidence", "提出的新事实、理由和证据", required=False),
        *signing_block(),
    ),
    party_signs=True,
    citations=(
        "dalian-cg§9",
        "dalian-cg§10",
        "gaochang-sthj§10",
        "xinglongtai-mz§8",
        "xinle-fg§8",
        "xinle-fg§14",
    ),
    checks=(*session_checks("statement"), *officers_checks()),
    summary_parts=("陈述申辩人 {speaker_name}", "{statement_started_at}"),
)

HEARING_NOTICE = DocumentType(
    code="hearing_notice",
    title="听证通知书",
    stages=("decision",),
    procedures=("general",),
    fields=(
        doc_number(),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        case_cause(),
        datetime_("hearing_at", "听证时间", past_only=False),
        text("hearing_place", "听证地点"),
        boolean("public_hearing", "是否公开举行"),
        text("presiding_officer", "听证主持人", max_length=60),
        list_("hearing_officers", "听证员", required=False, max_length=60),
        text("clerk", "书记员", max_length=60),
        longtext(
            "party_rights_duties",
            "当事人权利义务告知",
            help="可委托一至二名代理人参加；认为主持人与本案有直接利害关系的，有权申请回避；无正当理由不出席的视为放弃听证",
        ),
        *contact_block(),
        issued_on(),
    ),
    issued_to_party=True,
    citations=("dalian-cg§10", "gaochang-sthj§10", "xinle-fg§8", "xinle-fg§13"),
    checks=(ordered("issued_on", "hearing_at"),),
    summary_parts=("当事人 {party_name}", "听证 {hearing_at}"),
)

HEARING_RECORD = DocumentType(
    code="hearing_record",
    title="听证笔录",
    stages=("decision",),
    procedures=("general",),
    fields=(
        *session_block("hearing", "听证"),
        case_cause(),
        boolean("public_hearing", "是否公开举行"),
        text("presiding_officer", "听证主持人", max_length=60),
        list_("hearing_officers", "听证员", required=False, max_length=60),
        text("clerk", "书记员", max_length=60),
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        list_("party_attendees", "当事人及其委托代理人", min_items=1, max_length=60),
        list_("investigators", "案件调查人员", min_items=1, max_length=60),
        list_("other_participants", "其他听证参加人（证人、第三人等）", required=False, max_length=60),
        boolean("recusal_applied", "当事人是否申请回避"),
        longtext("recusal_decision", "回避申请的处理", required=False),
        longtext("investigator_statement", "调查人员提出的违法事实、证据和处理建议", max_length=VERBATIM_MAX),
        longtext(
            "party_statement", "当事人陈述、申辩和质证意见", max_length=VERBATIM_MAX, help="记录原始发言"
        ),
        longtext("debate", "质证、辩论情况", max_length=VERBATIM_MAX, help="记录原始发言"),
        longtext("final_statements", "当事人最后陈述", max_length=VERBATIM_MAX),
        boolean("participants_reviewed", "听证参加人是否已审核笔录无误"),
        av_recorded("是否进行全过程音像记录"),
        *signing_block(),
    ),
    party_signs=True,
    citations=(
        "dalian-cg§10",
        "dalian-cg§11",
        "gaochang-sthj§10",
        "longjiang-cg§9",
        "longjiang-cg§10",
        "xinle-fg§16",
    ),
    checks=(*session_checks("hearing"), required_if("recusal_decision", "recusal_applied", True)),
    summary_parts=("当事人 {party_name}", "主持人 {presiding_officer}", "{hearing_started_at}"),
)

EXPERT_OPINION = DocumentType(
    code="expert_opinion",
    title="鉴定意见书",
    stages=("investigation",),
    procedures=("general",),
    fields=(
        text("report_no", "鉴定文书编号", max_length=60),
        text("appraisal_agency", "鉴定机构"),
        text("agency_license_no", "鉴定机构资质证书编号", max_length=60),
        text("commissioning_unit", "委托单位"),
        date("commissioned_on", "委托日期"),
        text("appraisal_matter", "鉴定事项"),
        list_("materials", "鉴定材料", min_items=1),
        longtext("appraisal_method", "鉴定方法及依据的标准", required=False),
        longtext("appraisal_opinion", "鉴定意见"),
        list_("appraisers", "鉴定人", min_items=1, max_length=60),
        date("completed_on", "鉴定意见出具日期"),
    ),
    citations=("dalian-cg§10", "gaochang-sthj§10", "xinglongtai-mz§8", "xinle-fg§8"),
    checks=(ordered("commissioned_on", "completed_on"),),
    summary_parts=("{appraisal_agency}", "{appraisal_matter}", "{completed_on}"),
)

TYPES = (
    SEIZURE_DECISION,
    RIGHTS_NOTICE,
    STATEMENT_DEFENCE_RECORD,
    HEARING_NOTICE,
    HEARING_RECORD,
    EXPERT_OPINION,
)

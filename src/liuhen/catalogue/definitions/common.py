"""Field groups shared by many statutory forms (当事人、执法人员、权利告知、文号签发 …)."""

from __future__ import annotations

from liuhen.catalogue.fields import (
    FieldSpec,
    boolean,
    choice,
    date,
    datetime_,
    integer,
    list_,
    longtext,
    text,
)
from liuhen.catalogue.types import Check, count_of, ordered, same_length

PARTY_TYPES = (
    ("natural_person", "自然人"),
    ("individual_business", "个体工商户"),
    ("legal_person", "法人"),
    ("other_organization", "其他组织"),
)

PERSON_ROLES = (
    ("party", "当事人"),
    ("legal_representative", "法定代表人/负责人"),
    ("agent", "委托代理人"),
    ("witness", "证人"),
    ("other", "其他有关人员"),
)

RIGHTS = (
    ("statement", "陈述"),
    ("defence", "申辩"),
    ("recusal", "申请回避"),
    ("hearing", "申请听证"),
    ("review", "申请行政复议"),
    ("litigation", "提起行政诉讼"),
)

NOTICE_METHODS = (
    ("oral", "口头告知"),
    ("written", "书面告知"),
    ("oral_and_written", "口头及书面告知"),
)

VERBATIM_MAX = 50000


def case_cause() -> FieldSpec:
    return text("case_cause", "案由", prefill="case.cause")


def doc_number(required: bool = True) -> FieldSpec:
    return text("doc_number", "文书编号（文号）", required=required, max_length=60)


def issued_on() -> FieldSpec:
    return date("issued_on", "签发日期", help="向当事人出具的文书加盖行政执法机关印章并载明签发日期")


def party_block(*, full: bool = True) -> tuple[FieldSpec, ...]:
    """当事人基本情况. ``full=False`` gives name and address only."""
    short = (
        text("party_name", "当事人（名称或姓名）", prefill="party.name"),
        text("party_address", "住所（地址）", required=full, personal="address", prefill="party.address"),
    )
    if not full:
        return short
    return (
        choice("party_type", "当事人类型", PARTY_TYPES),
        *short,
        text(
            "party_id_no",
            "统一社会信用代码/身份证件号码",
            max_length=40,
            help="单位填统一社会信用代码，个人填身份证件号码",
            personal="id_number",
            prefill="party.id_number",
        ),
        text("party_legal_rep", "法定代表人（负责人）", required=False, prefill="party.legal_representative"),
        text(
            "party_phone", "联系电话", required=False, max_length=40, personal="phone", prefill="party.phone"
        ),
    )


OFFICER_FIELDS = ("officer_count", "officer_names", "officer_certificate_nos")


def officers_block(*, minimum: int = 1) -> tuple[FieldSpec, ...]:
    """执法人员人数、姓名、执法证件编号及出示情况 (R1.4). ``minimum=2`` where the regulation says 执法人员
    不得少于两人 for this record (the rule ``investigation-officers-identified`` checks the same number
    later; tests/catalogue/test_officer_minimum.py keeps the two equal), so the form refuses one officer
    at once instead of the compliance report finding it afterwards."""
    return (
        integer("officer_count", "执法人员人数", min_value=minimum, help="行政执法人员不得少于两人"),
        list_("officer_names", "执法人员姓名", min_items=minimum, max_length=40),
        list_(
            "officer_certificate_nos",
            "执法证件编号",
            min_items=minimum,
            max_length=40,
            help="与执法人员姓名一一对应",
        ),
        boolean("certificates_shown", "是否出示执法证件"),
        text(
            "certificate_showing_note",
            "出示证件情况",
            required=False,
            help="如：已向当事人出示执法证件并表明身份",
        ),
    )


def officers_checks() -> tuple[Check, ...]:
    return (
        count_of("officer_count", "officer_names"),
        same_length("officer_names", "officer_certificate_nos"),
    )


def rights_block() -> tuple[FieldSpec, ...]:
    """告知当事人陈述、申辩、申请回避、听证等权利及告知方式 (R1.4)."""
    return (
        list_("rights_notified", "告知的权利", choices=RIGHTS, min_items=1),
        choice("rights_notice_method", "权利告知方式", NOTICE_METHODS),
        boolean("recusal_requested", "当事人是否申请回避", required=False),
    )


def session_block(prefix: str, label: str) -> tuple[FieldSpec, ...]:
    """起止时间 and 地点 of an on-site activity; ``prefix`` like ``inquiry``."""
    return (
        datetime_(f"{prefix}_started_at", f"{label}开始时间"),
        datetime_(f"{prefix}_ended_at", f"{label}结束时间"),
        text("place", f"{label}地点"),
    )


def session_checks(prefix: str) -> tuple[Check, ...]:
    return (ordered(f"{prefix}_started_at", f"{prefix}_ended_at"),)


def signing_block() -> tuple[FieldSpec, ...]:
    """Party's check of the record and refusals (R1.4, R2.2)."""
    return (
        text(
            "party_confirmation",
            "当事人核对意见",
            required=False,
            help="如：以上笔录我已看过，与我所说相符",
        ),
        integer("page_count", "笔录页数", required=False, min_value=1, help="多页的须捺骑缝手印或加盖骑缝章"),
        longtext(
            "refusal_note",
            "拒绝接受调查、提供证据或签字情况",
            required=False,
            help="当事人拒绝签字的，注明情况并由两名以上执法人员签字",
        ),
    )


def av_recorded(label: str = "是否同步进行音像记录") -> FieldSpec:
    return boolean("av_recorded", label)


def remedy_notice() -> FieldSpec:
    return longtext(
        "remedy_notice",
        "救济途径和期限",
        help="申请行政复议或者提起行政诉讼的途径和期限",
    )


def legal_basis(label: str = "法律依据", *, required: bool = True) -> FieldSpec:
    return longtext("legal_basis", label, required=required, max_length=2000)


def contact_block() -> tuple[FieldSpec, ...]:
    return (
        text("contact_person", "联系人", required=False, max_length=40),
        text("contact_phone", "联系电话（机关）", required=False, max_length=40),
    )

"""The 双公示 administrative-penalty rows for the credit platform (信用中国 / 地方信用门户).

Columns: the administrative-penalty field set of ``../shared/reference/standards.md`` (三项制度), in
its order, with two identity columns of natural persons (``CF_XDR_ZJLX`` 证件类型, ``CF_XDR_ZJHM``
证件号码) placed after ``CF_FRDB`` so that a natural person's row carries its (masked) number in a
column of its own rather than in the enterprise's credit-code column. Dates are ``YYYY/MM/DD``;
amounts (``CF_NR_FK``, ``CF_NR_WFFF``) in 万元. Sources and choices: ``docs/publication.md``.

Personal data of natural persons (《个人信息保护法》第六条, minimum necessary): the ID number is
always masked (first 3 and last 4 characters, as everywhere else in Liuhen) — even for a reader
holding ``personal.view``, since the rows are made to be published; address and phone are never
exported. Penalties the profile keeps off the platform (``publication_credit_exempt_*``: a warning
alone on a natural person, 简易程序 on a natural person) are not exported; nor are withdrawn ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet

from liuhen.access import scope
from liuhen.access.scope_publication import publication_clocks
from liuhen.accounts.models import Agency, User
from liuhen.catalogue.definitions.decision import PENALTY_KINDS
from liuhen.core.errors import FieldError, PermissionDenied, ValidationFailed
from liuhen.publication.clock import _fields, clock_sync
from liuhen.publication.models import PublicationClock
from liuhen.publication.policy import PublicationPolicy, agency_policy
from liuhen.publication.selectors import parse_date

STEM = "双公示行政处罚"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("CF_WSH", "行政处罚决定书文号"),
    ("CF_XDR_MC", "行政相对人名称"),
    ("CF_XDR_LB", "行政相对人类别"),
    ("CF_XDR_SHXYM", "统一社会信用代码"),
    ("CF_FRDB", "法定代表人"),
    ("CF_XDR_ZJLX", "证件类型"),
    ("CF_XDR_ZJHM", "证件号码"),
    ("CF_WFXW", "违法行为类型"),
    ("CF_SY", "违法事实"),
    ("CF_YJ", "处罚依据"),
    ("CF_CFLB", "处罚类别"),
    ("CF_NR", "处罚内容"),
    ("CF_NR_FK", "罚款金额（万元）"),
    ("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）"),
    ("CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
    ("CF_JDRQ", "处罚决定日期"),
    ("CF_YXQ", "处罚有效期"),
    ("CF_GSJZQ", "公示截止期"),
    ("CF_CFJG", "处罚机关"),
    ("CF_CFJGDM", "处罚机关统一社会信用代码"),
    ("CF_SJLY", "数据来源单位"),
    ("CF_SJLYDM", "数据来源单位统一社会信用代码"),
    ("BZ", "备注"),
)
CODES = tuple(code for code, _ in COLUMNS)
LABELS = tuple(label for _, label in COLUMNS)
CATEGORIES = {
    "legal_person": "法人及非法人组织",
    "other_organization": "法人及非法人组织",
    "natural_person": "自然人",
    "individual_business": "个体工商户",
}
KIND_LABELS = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "license": "暂扣或者吊销许可证件、降低资质等级",
    "restriction": "限制开展生产经营活动、责令停产停业、责令关闭、限制从业",
    "correction": "责令改正",
    "other": "其他行政处罚",
}
assert set(KIND_LABELS) == {k for k, _ in PENALTY_KINDS}  # noqa: S101 - the catalogue's kinds, all named


def require_exporter(user: User) -> None:
    from liuhen.accounts.roles import Permission

    if not user.can(Permission.PUBLICATION_MANAGE):
        raise PermissionDenied("只有法制审核机构或机关负责人可以导出双公示数据")


def parse_period(data: Mapping[str, str]) -> tuple[date, date]:
    """``from`` and ``to`` (decision dates, inclusive), both required; 422 naming the field."""
    errors: list[FieldError] = []
    found: dict[str, date | None] = {}
    for name in ("from", "to"):
        try:
            found[name] = parse_date(data, name)
        except ValidationFailed as exc:
            errors += exc.errors
            continue
        if found[name] is None:
            errors.append(FieldError(name, "required", "请选择决定日期的起止"))
    start, end = found.get("from"), found.get("to")
    if start and end and start > end:
        errors.append(FieldError("to", "before_from", "截止日期不能早于起始日期"))
    if errors:
        raise ValidationFailed("参数有误", errors=errors)
    assert start is not None and end is not None  # noqa: S101 - checked above
    return start, end


def selected(user: User, start: date, end: date) -> QuerySet[PublicationClock]:
    """The decisions of the period to push: the user's own agency, not exempt, not withdrawn."""
    agency_ids = scope.visible_agency_ids(user, "change")
    clock_sync(agency_ids)
    return (
        publication_clocks(user, "change")
        .filter(credit_exempt=False, withdrawn=False, decided_on__gte=start, decided_on__lte=end)
        .order_by("decided_on", "id")
    )


def rows(user: User, start: date, end: date) -> Iterator[tuple[str, ...]]:
    """The rows, in decision-date order, read 200 documents at a time."""
    agencies: dict[int, tuple[Agency, PublicationPolicy]] = {}
    qs = (
        selected(user, start, end)
        .select_related("case", "document__case")
        .prefetch_related("document__amendments")
    )
    for clock in qs.iterator(chunk_size=200):
        if clock.agency_id not in agencies:
            agency = Agency.objects.get(pk=clock.agency_id)
            agencies[clock.agency_id] = (agency, agency_policy(agency))
        agency, policy = agencies[clock.agency_id]
        fields, _ = _fields(clock.document)
        yield row_cells(clock, fields, agency, policy)


def mask_id(number: str) -> str:
    """An ID number never leaves in full: the first 3 and the last 4 characters, stars between."""
    n = number.strip()
    if len(n) <= 7:
        return "*" * len(n)
    return f"{n[:3]}{'*' * (len(n) - 7)}{n[-4:]}"


def slash_date(value: date | None) -> str:
    return f"{value:%Y/%m/%d}" if value else ""


def wan_yuan(value: Any) -> str:
    """An amount in 元 as 万元, up to six decimals, without trailing zeros ("" when none)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value)) / Decimal(10000)
    except InvalidOperation:
        return ""
    text = f"{amount.quantize(Decimal('0.000001')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _kinds(fields: Mapping[str, Any]) -> list[str]:
    kinds = fields.get("penalty_kinds") or ([fields["penalty"]] if fields.get("penalty") else [])
    return [str(k) for k in kinds]


def _content(clock: PublicationClock, fields: Mapping[str, Any], kinds: list[str]) -> str:
    if fields.get("decision_content"):
        return str(fields["decision_content"])
    parts = [KIND_LABELS.get(k, k) for k in kinds]
    if "fine" in kinds and fields.get("fine_amount") not in (None, ""):
        parts = [f"罚款{fields['fine_amount']}元" if k == "fine" else KIND_LABELS.get(k, k) for k in kinds]
    return "；".join(parts)


def row_cells(
    clock: PublicationClock, fields: Mapping[str, Any], agency: Agency, policy: PublicationPolicy
) -> tuple[str, ...]:
    person = clock.party_type == "natural_person"
    kinds = _kinds(fields)
    until = clock.decided_on + timedelta(days=policy.display_days) if clock.decided_on else None
    cells = {
        "CF_WSH": clock.doc_number,
        "CF_XDR_MC": clock.party_name,
        "CF_XDR_LB": CATEGORIES.get(clock.party_type, ""),
        "CF_XDR_SHXYM": "" if person else str(fields.get("party_id_no", "")),
        "CF_FRDB": "" if person else str(fields.get("party_legal_rep") or ""),
        "CF_XDR_ZJLX": "身份证" if person and fields.get("party_id_no") else "",
        "CF_XDR_ZJHM": mask_id(str(fields.get("party_id_no", ""))) if person else "",
        "CF_WFXW": clock.case.cause,
        "CF_SY": str(fields.get("facts", "")),
        "CF_YJ": str(fields.get("legal_basis", "")),
        "CF_CFLB": ";".join(KIND_LABELS.get(k, k) for k in kinds),
        "CF_NR": _content(clock, fields, kinds),
        "CF_NR_FK": wan_yuan(fields.get("fine_amount")) if "fine" in kinds else "",
        "CF_NR_WFFF": wan_yuan(fields.get("confiscation_amount")) if "confiscation" in kinds else "",
        "CF_NR_ZKDX": "",
        "CF_JDRQ": slash_date(clock.decided_on),
        "CF_YXQ": slash_date(until),
        "CF_GSJZQ": slash_date(until),
        "CF_CFJG": agency.name,
        "CF_CFJGDM": policy.agency_credit_code,
        "CF_SJLY": agency.name,
        "CF_SJLYDM": policy.agency_credit_code,
        "BZ": "",
    }
    return tuple(cells[code] for code in CODES)

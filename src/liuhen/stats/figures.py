"""What each statistic counts, as data and pure functions (no Django): the figures of the dashboard, the
penalty categories of the 统计年报 with their severity order, and the tags one case contributes.

A figure counts **cases** (a case with two late uploads counts once), so that the drill-down list of a
number has exactly that many cases. Each tag is ``(dimension, value) -> Mark(day, amount_fen)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from liuhen.core.clock import SHANGHAI
from liuhen.core.codes import INITIATION_KINDS
from liuhen.core.stages import PROCEDURE_LABELS, STAGE_LABELS
from liuhen.rules.snapshot import CaseSnapshot

# ---------------------------------------------------------------- the case's own dimensions
CASE_DIMENSIONS: dict[str, str] = {
    "stage": "所处阶段",
    "procedure": "程序",
    "initiation": "启动方式",
    "cause": "案由",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "stage": dict(STAGE_LABELS),
    "procedure": dict(PROCEDURE_LABELS),
    "initiation": dict(INITIATION_KINDS),
}

# ---------------------------------------------------------------- recording compliance
# figure -> (label, where it comes from); each counts the cases with at least one such problem
COMPLIANCE_FIGURES: dict[str, str] = {
    "av_missing": "应音像记录而未记录",
    "upload_late": "音像记录未按时上传",
    "unlabelled": "音像记录标注不全",
    "unlinked": "音像记录未关联文字记录",
    "archive_late": "未在规定期限内归档",
    "refusal": "当事人拒绝签名",
    "override": "越过合规把关强制流转",
    "interruption": "音像记录中断",
}
BREAKDOWNS = ("officer", "device")  # besides agency and unit (columns of every counter)
BREAKDOWN_LABELS = {"officer": "执法人员", "device": "执法记录设备"}
PROBLEM_STATUSES = frozenset({"missing", "overdue", "violated"})
LATE_STATUSES = frozenset({"overdue", "violated"})


# the figures the dashboard shows by unit (cases: by their stage tag); the counters of the others are
# kept per agency only, which keeps the rows a dashboard sums few
UNIT_DIMENSIONS = frozenset({"stage", *COMPLIANCE_FIGURES})


def breakdown_dimension(figure: str, by: str) -> str:
    return f"{figure}:{by}"


# ---------------------------------------------------------------- 统计年报: administrative penalties
@dataclass(frozen=True)
class PenaltyCategory:
    code: str
    label: str
    group: str  # the penalty kind of the decision document that records it ("" : not recorded)


# The 12 categories of the annual statistics, lightest first: the order of the kinds in 《中华人民共和国
# 行政处罚法》（2021）第九条 (items 一 to 五, and the order within each item). The decision documents of
# the catalogue record the kind per group of categories (``penalty_kinds`` of 行政处理(处罚)决定书,
# ``penalty`` of 当场处罚决定书), so a group's categories are counted together; 行政拘留 is not an
# enforcement agency's penalty and is not recorded in Liuhen.
PENALTY_CATEGORIES: tuple[PenaltyCategory, ...] = (
    PenaltyCategory("warning", "警告", "warning"),
    PenaltyCategory("public_criticism", "通报批评", "warning"),
    PenaltyCategory("fine", "罚款", "fine"),
    PenaltyCategory("confiscation", "没收违法所得、没收非法财物", "confiscation"),
    PenaltyCategory("licence_suspension", "暂扣许可证件", "license"),
    PenaltyCategory("qualification_downgrade", "降低资质等级", "license"),
    PenaltyCategory("licence_revocation", "吊销许可证件", "license"),
    PenaltyCategory("business_restriction", "限制开展生产经营活动", "restriction"),
    PenaltyCategory("production_suspension", "责令停产停业", "restriction"),
    PenaltyCategory("closure", "责令关闭", "restriction"),
    PenaltyCategory("practice_restriction", "限制从业", "restriction"),
    PenaltyCategory("detention", "行政拘留", ""),
)
PENALTY_SEVERITY_BASIS = "《中华人民共和国行政处罚法》（2021年修订）第九条所列处罚种类的先后顺序（由轻到重）"
PENALTY_COUNTING_RULE = "同一决定并处多种处罚的，只统计一次，计入其中最重的处罚种类"
# the recorded groups, lightest first (the order of their categories above)
PENALTY_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(c.group for c in PENALTY_CATEGORIES if c.group))
GROUP_LABELS: dict[str, str] = {
    g: "、".join(c.label for c in PENALTY_CATEGORIES if c.group == g) for g in PENALTY_GROUPS
}
NON_PENALTY = "non_penalty"  # 责令改正 / 其他行政处理 only: a decision, not an administrative penalty
NON_PENALTY_LABEL = "仅作出责令改正或其他行政处理（不计入行政处罚）"
DECISION_TYPES = ("penalty_decision", "summary_decision")
AMOUNT_FIELDS = ("fine_amount", "confiscation_amount")

# other acts of the 年报, from the document types that record them (许可 has none in the catalogue)
ACT_FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "inspection": ("行政检查", ("inspection_record",)),
    "coercive_measure": ("行政强制措施", ("seizure_decision",)),
    "coercive_execution": ("行政强制执行", ("enforcement_record", "court_enforcement_application")),
}
NOT_RECORDED_ACTS: dict[str, str] = {"licence": "行政许可"}
NOT_RECORDED = "本系统未记录"

ANNUAL_DIMENSIONS = ("penalty", *ACT_FIGURES)


def most_severe(kinds: Iterable[str]) -> str | None:
    """The heaviest recorded penalty group among ``kinds`` (``None``: no administrative penalty)."""
    found = [PENALTY_GROUPS.index(k) for k in kinds if k in PENALTY_GROUPS]
    return PENALTY_GROUPS[max(found)] if found else None


def yuan_to_fen(value: Any) -> int:
    if value in (None, ""):
        return 0
    try:
        return int((Decimal(str(value)) * 100).to_integral_value())
    except (InvalidOperation, ValueError):
        return 0


def beijing_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class Mark:
    day: date
    amount_fen: int = 0


Tags = dict[tuple[str, str], Mark]


@dataclass(frozen=True)
class FindingRow:
    """A stored compliance finding as the statistics read it."""

    rule_id: str
    rule_kind: str
    status: str
    av_upload: bool
    device_no: str
    officers: Sequence[str]
    record_ids: Sequence[str] = ()


CONFIDENTIAL_CAUSE = "*"  # the cause of a confidential case is not shown, even in a count
CONFIDENTIAL_CAUSE_LABEL = "涉密案件（案由不显示）"


def case_tags(
    *, opened_at: datetime, stage: str, procedure: str, initiation_kind: str, cause: str, confidential: bool
) -> Tags:
    """The case's own dimensions, counted on the day it was opened."""
    day = Mark(beijing_day(opened_at))
    return {
        ("stage", stage): day,
        ("procedure", procedure): day,
        ("initiation", initiation_kind): day,
        ("cause", CONFIDENTIAL_CAUSE if confidential else cause.strip()): day,
    }


def record_tags(
    snapshot: CaseSnapshot,
    findings: Iterable[FindingRow],
    *,
    archive_rule_ids: frozenset[str],
    handler_name: str,
    interruption_devices: Sequence[str] = (),
    confidential_media: frozenset[str] = frozenset(),
) -> Tags:
    """What the case's records add: recording compliance (counted on the day the case was opened, like
    its other dimensions) and the 年报 figures (counted on the day of the decision or the act). The
    labels of confidential footage (its officers, its device) name no breakdown: the case is counted
    under its handler."""
    opened = beijing_day(snapshot.opened_at)
    found: dict[str, tuple[set[str], set[str]]] = {}  # figure -> (officers, devices)

    def hit(figure: str, officers: Iterable[str] = (), devices: Iterable[str] = ()) -> None:
        people, kit = found.setdefault(figure, (set(), set()))
        people.update(o for o in officers if o)
        kit.update(d for d in devices if d)

    for f in findings:
        if set(f.record_ids) & confidential_media:
            f = FindingRow(f.rule_id, f.rule_kind, f.status, f.av_upload, "", ())
        if f.rule_kind == "required_av" and f.status in PROBLEM_STATUSES:
            hit("av_missing", f.officers, [f.device_no])
        elif f.av_upload and f.status in LATE_STATUSES:
            hit("upload_late", f.officers, [f.device_no])
        elif f.rule_id in archive_rule_ids and f.status in LATE_STATUSES:
            hit("archive_late")
    for m in snapshot.media:
        secret = m.id in confidential_media
        names, devices = ((), ()) if secret else (m.officers, (m.device_no,))
        if not (m.activity and m.device_no and m.officers):
            hit("unlabelled", names, devices)
        if not m.document_ids:
            hit("unlinked", names, devices)
    if any(d.refusals for d in snapshot.documents):
        hit("refusal")
    if any(t.override for t in snapshot.transitions):
        hit("override")
    if snapshot.interruptions:
        hit("interruption", (), interruption_devices)

    tags: Tags = {}
    for figure, (people, kit) in found.items():
        mark = Mark(opened)
        tags[(figure, "")] = mark
        for name in people or {handler_name}:
            tags[(breakdown_dimension(figure, "officer"), name)] = mark
        for device in kit:
            tags[(breakdown_dimension(figure, "device"), device)] = mark
    tags.update(annual_tags(snapshot))
    return tags


def annual_tags(snapshot: CaseSnapshot) -> Tags:
    """The 年报 figures: the case's penalty (once, under the heaviest kind of all its decisions, with the
    fines and confiscations summed, on the day of its latest decision) and its inspections / coercion."""
    tags: Tags = {}
    decisions = [d for d in snapshot.documents if d.type in DECISION_TYPES]
    if decisions:
        kinds: list[str] = []
        amount = 0
        days = []
        for d in decisions:
            kinds += _decision_kinds(d.type, d.fields)
            amount += sum(yuan_to_fen(d.fields.get(name)) for name in AMOUNT_FIELDS)
            days.append(_decision_day(d.fields) or beijing_day(d.created_at))
        group = most_severe(kinds) or NON_PENALTY
        tags[("penalty", group)] = Mark(max(days), amount if group != NON_PENALTY else 0)
    for figure, (_label, doc_types) in ACT_FIGURES.items():
        acts = [beijing_day(d.created_at) for d in snapshot.documents if d.type in doc_types]
        if acts:
            tags[(figure, "")] = Mark(min(acts))
    return tags


def _decision_kinds(doc_type: str, fields: Mapping[str, Any]) -> list[str]:
    if doc_type == "summary_decision":
        return [str(fields.get("penalty") or "")]
    kinds = fields.get("penalty_kinds") or []
    return [str(k) for k in kinds] if isinstance(kinds, list) else []


def _decision_day(fields: Mapping[str, Any]) -> date | None:
    for name in ("decided_on", "decided_at"):
        value = fields.get(name)
        if isinstance(value, datetime):
            return beijing_day(value)
        if isinstance(value, date):
            return value
        if isinstance(value, str) and value:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                continue
            return beijing_day(parsed) if parsed.tzinfo else parsed.date()
    return None


def month_of(day: date) -> date:
    return day.replace(day=1)

"""The case-file review's scoring sheet (案卷评查评分表) of a profile: ``[[review_items]]``, pure data.

The shape published provincial standards use (DB32/T 4181-2021; 鲁司〔2023〕33号): **veto** items
(基本标准: 主体资格, 执法资格, fewer than two officers, 事实不清, 证据不足, 适用法律错误, 程序违法 …) that
zero the score when failed, and **deductions** with points by category (主体, 事实证据, 适用法律, 程序,
文书规范, 案卷管理). An item the records can decide names its scorer in ``auto`` (implemented in
:mod:`liuhen.filereview.scorers`); the reviewer scores the rest, with reasons.

    [[review_items]]
    id = "no-initiation-form"
    category = "procedure"
    kind = "deduction"           # or "veto"
    points = 2.0                 # a deduction's points (a veto has none)
    text_zh = "无立案审批表"
    basis = "DB32/T 4181-2021 …" # or citation = "xinle-fg§12"
    auto = "initiation_approval" # optional: a scorer from AUTO_SCORERS
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

CATEGORIES: dict[str, str] = {
    "subject": "主体",
    "facts_evidence": "事实证据",
    "law": "适用法律",
    "procedure": "程序",
    "documents": "文书规范",
    "file_management": "案卷管理",
}
KINDS = frozenset({"veto", "deduction"})
# The scorers the system implements (code → what it decides), kept in step with liuhen.filereview.scorers.
AUTO_SCORERS: dict[str, str] = {
    "initiation_approval": "立案（程序启动）审批表是否在卷",
    "initiation_timely": "立案是否及时：紧急先行启动的，24小时内补报审批",
    "two_officers": "调查取证笔录是否记载两名以上执法人员及其执法证件编号",
    "final_report": "一般程序作出决定的，调查终结报告是否在卷",
    "rights_notice": "作出决定前是否告知当事人陈述、申辩、听证等权利",
    "legal_review": "重大、复杂案件或经集体讨论的案件是否经法制审核",
    "service_complete": "决定是否送达，每种送达方式的送达手续是否完整",
    "archived_30_days": "执法行为终结之日起30日内是否归档",
    "av_mandatory": "依规定应当音像记录的环节是否有音像记录",
}
KEYS = frozenset({"id", "category", "kind", "points", "text_zh", "citation", "basis", "auto", "disabled"})


@dataclass(frozen=True)
class ReviewItem:
    id: str
    category: str
    kind: str
    points: float
    text_zh: str
    citation: str = ""
    basis: str = ""
    auto: str = ""

    @property
    def category_zh(self) -> str:
        return CATEGORIES[self.category]


def validate(tables: list[tuple[str, Any]], own_profile: str | None) -> list[tuple[str, str]]:
    """Located problems of the resolved ``[[review_items]]`` (empty: valid)."""
    from liuhen.rules.validate import validate_items

    return validate_items(
        tables, own_profile, what="review item", keys=KEYS, autos=AUTO_SCORERS, auto_word="scorer", check=_own
    )


def _own(raw: Mapping[str, Any], err: Callable[[str, str], None]) -> None:
    """A review item's own keys: its category, its kind, and points for a deduction only."""
    if raw.get("category") not in CATEGORIES:
        err("category", f"category must be one of {', '.join(CATEGORIES)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        err("kind", "kind must be veto or deduction")
    points = raw.get("points")
    if kind == "deduction" and (
        isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= 100
    ):
        err("points", "a deduction needs points (a number above 0, at most 100)")
    if kind == "veto" and points is not None:
        err("points", "a veto item has no points: failing it zeroes the score")


def build(tables: list[tuple[str, Any]]) -> tuple[ReviewItem, ...]:
    return tuple(
        ReviewItem(
            id=raw["id"],
            category=raw["category"],
            kind=raw["kind"],
            points=float(raw.get("points", 0)),
            text_zh=raw["text_zh"],
            citation=raw.get("citation", ""),
            basis=raw.get("basis", ""),
            auto=raw.get("auto", ""),
        )
        for _, raw in tables
    )

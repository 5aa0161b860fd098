"""The dashboard's and the 统计年报's tables as headers and rows of text: one shape for the page, the
CSV/XLSX exports (``?format=csv|xlsx&table=…``) and the printable PDF report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from liuhen.core.errors import invalid
from liuhen.stats.figures import COMPLIANCE_FIGURES


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def dashboard_tables(data: Mapping) -> list[Table]:
    tables = [
        Table(
            d["dimension"],
            f"案件数（按{d['label']}）",
            [d["label"], "案件数"],
            [[i["label"], i["count"]] for i in d["items"]],
        )
        for d in data["dimensions"]
    ]
    months = data["months"]
    stage = next(d for d in data["dimensions"] if d["dimension"] == "stage")
    tables.append(
        Table(
            "monthly",
            "各月立案数（按所处阶段）",
            ["所处阶段", *months],
            [[i["label"], *i["monthly"]] for i in stage["items"]],
        )
    )
    c = data["compliance"]
    tables.append(
        Table(
            "compliance",
            "全过程记录合规（问题案件数）",
            ["项目", "问题案件数", "占案件总数"],
            [[f["label"], f["count"], _percent(f["rate"])] for f in c["figures"]],
        )
    )
    tables.append(
        Table(
            "compliance_monthly",
            "全过程记录合规趋势（按立案月份）",
            ["项目", *months],
            [[f["label"], *f["monthly"]] for f in c["figures"]],
        )
    )
    labels = list(COMPLIANCE_FIGURES.values())
    tables.append(
        Table(
            "compliance_by_agency",
            "全过程记录合规（按机关）",
            ["机关", "案件数", *labels],
            [[r["name"], r["cases"], *r["counts"].values()] for r in c["by_agency"]],
        )
    )
    tables.append(
        Table(
            "compliance_by_unit",
            "全过程记录合规（按科室）",
            ["机关", "科室", "案件数", *labels],
            [[r["agency_name"], r["name"], r["cases"], *r["counts"].values()] for r in c["by_unit"]],
        )
    )
    for by, who in (("officer", "执法人员"), ("device", "执法记录设备")):
        tables.append(
            Table(
                f"compliance_by_{by}",
                f"全过程记录合规（按{who}）",
                ["项目", who, "问题案件数"],
                [
                    [b["label"].split("（")[0], i["label"], i["count"]]
                    for b in c[f"by_{by}"]
                    for i in b["items"]
                ],
            )
        )
    return tables


def annual_tables(data: Mapping) -> list[Table]:
    groups = {g["group"]: g for g in data["penalties"]}
    first_of: dict[str, str] = {}
    penalty_rows: list[list[object]] = []
    for category in data["categories"]:
        g = groups.get(category["group"])
        if g is None:
            penalty_rows.append([category["label"], category["note"], "", category["note"]])
        elif category["group"] in first_of:  # counted on the group's first row: never twice
            penalty_rows.append([category["label"], f"并入“{first_of[category['group']]}”", "", ""])
        else:
            first_of[category["group"]] = category["label"]
            note = "" if g["label"] == category["label"] else f"决定书按“{g['label']}”一类记录，合并统计"
            penalty_rows.append([category["label"], g["count"], g["amount_yuan"], note])
    penalty_rows.append(
        ["合计（每个案件只计一次）", data["penalty_total"], data["fines_confiscations_yuan"], ""]
    )
    penalty_rows.append(["仅作出责令改正或其他行政处理（不计入行政处罚）", data["non_penalty"], "", ""])
    return [
        Table(
            "penalties",
            "行政处罚（按处罚种类）",
            ["处罚种类", "案件数", "罚没金额（元）", "说明"],
            penalty_rows,
        ),
        Table(
            "acts",
            "行政许可、行政强制、行政检查",
            ["类别", "案件数", "说明"],
            [[a["label"], a["note"] if a["count"] is None else a["count"], a["note"]] for a in data["acts"]],
        ),
        Table(
            "by_agency",
            "各机关汇总及持证率",
            [
                "机关",
                "行政处罚",
                "罚没金额（元）",
                "行政检查",
                "行政强制措施",
                "行政强制执行",
                "执法人员",
                "持证人数",
                "持证率",
            ],
            [
                [
                    r["name"],
                    r["penalties"],
                    r["amount_yuan"],
                    r["inspection"],
                    r["coercive_measure"],
                    r["coercive_execution"],
                    r["officers"],
                    r["certified"],
                    _percent(r["certified_rate"]),
                ]
                for r in data["by_agency"]
            ],
        ),
    ]


def pick(tables: list[Table], name: str | None) -> Table:
    """The table named ``name`` (422 at ``table`` for an unknown one; the first without a name)."""
    if not name:
        return tables[0]
    for table in tables:
        if table.name == name:
            return table
    raise invalid("table", "unknown", "无此统计表：" + "、".join(t.title for t in tables))


def period_text(start: date, end: date) -> str:
    return f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"

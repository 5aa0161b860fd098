"""Printable and tabular outputs: the check register (检查台账) as PDF/A, the annual assessment
(年度考评) as rows for ``core.tabular`` and as PDF/A."""

from __future__ import annotations

from itertools import islice

from liuhen.accounts.models import User
from liuhen.core import clock
from liuhen.issuing.report import Report, Section, beijing, report_pdf
from liuhen.spotchecks import selectors, services
from liuhen.spotchecks.selectors import Assessment, RegisterFilters

REGISTER_STEM = "检查台账"
ASSESSMENT_STEM = "抽查年度考评"
PDF_ROWS = 5000  # a printed register beyond this is an export's job (the PDF says so)


def _filters_text(f: RegisterFilters) -> str:
    parts = []
    if f.period_from or f.period_to:
        parts.append(f"组织抽查时间：{f.period_from or '不限'} 至 {f.period_to or '不限'}")
    if f.result:
        parts.append(f"检查结论：{services.VERDICTS.get(f.result, f.result)}")
    if f.rectification:
        parts.append(f"整改状态：{selectors.RECT_STATES.get(f.rectification, f.rectification)}")
    if f.unit_id or f.officer_id:
        parts.append("已按单位或承办人筛选")
    return "；".join(parts) or "全部"


def register_pdf(*, user: User, filters: RegisterFilters) -> bytes:
    rows = list(islice(selectors.register_iter(user=user, filters=filters), PDF_ROWS + 1))
    cut = len(rows) > PDF_ROWS
    columns = [
        0,
        3,
        5,
        6,
        7,
        10,
        11,
        13,
        14,
    ]  # number, case, handler, item, verdict, remark, notice, state, checker
    headers = [selectors.REGISTER_HEADERS[i] for i in columns]
    agency = user.agency
    report = Report(
        title="行政执法全过程记录检查台账",
        author=agency.name if agency else "",
        lines=[
            f"筛选条件：{_filters_text(filters)}",
            f"共 {min(len(rows), PDF_ROWS)} 条" + ("（仅列前5000条，完整台账请导出表格）" if cut else ""),
        ],
        sections=[
            Section(
                headers=headers,
                rows=[[row[i] for i in columns] for row in rows[:PDF_ROWS]],
                widths=[1.6, 1.8, 0.9, 2.6, 0.7, 2.4, 1.6, 0.9, 0.9],
            )
        ],
        closing=f"生成时间：{beijing(clock.now())}。每次抽签的种子与样本可用 liuhen spotcheck verify-draw 复算。",
        landscape=True,
    )
    return report_pdf(report, agency_code=agency.code if agency else "", made_at=clock.now())


def assessment_rows(found: Assessment) -> list[list[object]]:
    rows: list[list[object]] = []
    for label, tallies in (("单位", found.units), ("执法人员", found.officers)):
        rows.extend([label, *t.cells()] for t in tallies)
    rows.append(["合计", *found.total.cells()])
    return rows


ASSESSMENT_HEADERS = ["类别", *selectors.ASSESSMENT_HEADERS]


def assessment_pdf(*, user: User, found: Assessment) -> bytes:
    agency = user.agency
    report = Report(
        title=f"{found.year}年度执法记录抽查考评",
        author=agency.name if agency else "",
        lines=["合格率 = 合格项 ÷（合格项 + 不合格项）；整改逾期按整改期限与今日（北京时间）比较。"],
        sections=[
            Section(
                heading="按单位", headers=selectors.ASSESSMENT_HEADERS, rows=[t.cells() for t in found.units]
            ),
            Section(
                heading="按执法人员",
                headers=selectors.ASSESSMENT_HEADERS,
                rows=[t.cells() for t in found.officers],
            ),
            Section(heading="合计", headers=selectors.ASSESSMENT_HEADERS, rows=[found.total.cells()]),
        ],
        closing=f"生成时间：{beijing(clock.now())}",
        landscape=True,
    )
    return report_pdf(report, agency_code=agency.code if agency else "", made_at=clock.now())

"""The 四性检测报告 of an archive package as a PDF/A (issue #12: the report "XML and PDF" beside it).

The standalone checker (:mod:`liuhen.archive.check`) stays standard-library only and writes XML and
Markdown; the PDF needs typst, so the server renders it here from the checker's own
:class:`~liuhen.archive.check.CheckReport`, through the same :func:`liuhen.issuing.render.typeset` as the
case file's cover (same fonts, same PDF/A level). The page says how to reproduce it with the checker,
so a receiver trusts the package, not this PDF.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from liuhen.archive.check import CheckReport
from liuhen.core.clock import SHANGHAI
from liuhen.issuing.render import resolve, typeset

TEMPLATE = "archive-check-report.typ"
SHIPPED = Path(__file__).parent / "templates" / TEMPLATE
RESULT_ZH = {"pass": "通过", "fail": "未通过", "not_run": "未检测"}
CHECK_COMMAND = "python3 -S -m liuhen.archive.check 信息包文件夹"


def check_report_pdf(
    report: CheckReport, *, archive_no: str, agency_name: str, agency_code: str, checked_at: datetime
) -> bytes:
    """The report's PDF/A-3b; ``checked_at`` (aware) is both the time it shows and the file's date,
    so the same report renders to the same bytes."""
    template = resolve(TEMPLATE, agency_code) or SHIPPED  # an agency's own copy wins
    data = _data(report, archive_no=archive_no, agency_name=agency_name, checked_at=checked_at)
    return typeset(template, data=data, files={}, agency_code=agency_code, timestamp=checked_at)


def _data(report: CheckReport, *, archive_no: str, agency_name: str, checked_at: datetime) -> dict[str, Any]:
    local = checked_at.astimezone(SHANGHAI)
    counts = {status: sum(1 for i in report.items if i.status == status) for status in RESULT_ZH}
    return {
        "archive_no": archive_no,
        "agency_name": agency_name,
        "checked_at": f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}（北京时间）",
        "basis": "DA/T 70-2018《文书类电子档案检测一般要求》归档环节",
        "package_sha256": report.package_sha256 or "未能计算",
        "result": "通过" if report.ok else "未通过",
        "ok": report.ok,
        "summary": (
            f"共检测 {len(report.items)} 项：通过 {counts['pass']} 项，未通过 {counts['fail']} 项，"
            f"未检测 {counts['not_run']} 项。"
        ),
        "items": [
            {
                "number": item.number,
                "category": item.category,
                "name": item.name,
                "result": RESULT_ZH[item.status],
                "status": item.status,
                "message": "；".join(item.messages),  # the checker's "通过" for none would repeat 结果
            }
            for item in report.items
        ],
        "command": CHECK_COMMAND,
    }

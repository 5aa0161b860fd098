"""Supervision reports as PDF/A (issue #14): the 检查台账, a case file's or a campaign's 评查报告 and the
statistics report share one typst template (``table-report.typ``), rendered through the same
:func:`liuhen.issuing.render.typeset` as documents (same fonts, same PDF/A level).

A report is data: a title, lines under it, and sections of paragraphs and one table each. Every cell is
text already in Chinese and Beijing time; the caller formats it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from liuhen.core.clock import SHANGHAI
from liuhen.issuing.render import resolve, typeset

TEMPLATE = "table-report.typ"
SHIPPED = Path(__file__).parent / "templates" / TEMPLATE


@dataclass(frozen=True)
class Section:
    heading: str = ""
    paragraphs: Sequence[str] = ()
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[object]] = ()
    # relative column widths (one per header); empty: equal columns
    widths: Sequence[float] = ()


@dataclass(frozen=True)
class Report:
    title: str
    author: str  # the agency that issues it
    lines: Sequence[str] = ()  # under the title: 机关, 期间, 生成时间 …
    sections: Sequence[Section] = field(default_factory=tuple)
    closing: str = ""  # a note after the last section (how to check it, who made it)
    landscape: bool = False


def beijing(moment: datetime) -> str:
    """``2026年11月30日 08:05（北京时间）``: how a report shows a time."""
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（北京时间）"


def _cell(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return beijing(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def report_pdf(report: Report, *, agency_code: str, made_at: datetime) -> bytes:
    """The report's PDF/A-3b; ``made_at`` (aware) is the file's date, so the same data renders the same
    bytes. A section's rows must have as many cells as it has headers (ValueError otherwise)."""
    sections = []
    for s in report.sections:
        rows = [[_cell(c) for c in row] for row in s.rows]
        if any(len(r) != len(s.headers) for r in rows):
            raise ValueError(f"section {s.heading!r}: every row needs {len(s.headers)} cells")
        if s.widths and len(s.widths) != len(s.headers):
            raise ValueError(f"section {s.heading!r}: one width per header")
        sections.append(
            {
                "heading": s.heading,
                "paragraphs": list(s.paragraphs),
                "headers": list(s.headers),
                "rows": rows,
                "widths": [float(w) for w in s.widths],
            }
        )
    data = {
        "title": report.title,
        "author": report.author,
        "header": f"{report.author}　{report.title}",
        "lines": list(report.lines),
        "sections": sections,
        "closing": report.closing,
        "landscape": report.landscape,
    }
    template = resolve(TEMPLATE, agency_code) or SHIPPED
    return typeset(template, data=data, files={}, agency_code=agency_code, timestamp=made_at)

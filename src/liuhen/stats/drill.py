"""The drill-down's rows as text (the page, the API's items and the CSV/XLSX export share them)."""

from __future__ import annotations

from collections.abc import Iterator

from liuhen.access.reads import Read, log_reads
from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.stats.selectors import Drill, beijing_text, drill_rows

HEADERS = ["案件编号", "案由", "所处阶段", "程序", "立案时间（北京时间）", "机关", "科室", "承办人"]
STEM = "统计明细"


def case_row(case: Case) -> list[str]:
    return [
        case.case_no,
        case.cause,
        case.stage_label,
        case.procedure_label,
        beijing_text(case.opened_at),
        case.agency.name,
        case.unit.name if case.unit else "",
        case.handler.display_name,
    ]


def case_json(case: Case) -> dict:
    return {
        "id": case.pk,
        "case_no": case.case_no,
        "cause": case.cause,
        "stage": case.stage_label,
        "procedure": case.procedure_label,
        "opened_at": case.opened_at.isoformat(),
        "opened_at_text": beijing_text(case.opened_at),
        "agency": case.agency.code,
        "agency_name": case.agency.name,
        "unit": case.unit.name if case.unit else "",
        "handler": case.handler.display_name,
        "confidential": case.confidential,
    }


def export_rows(*, user: User, drill: Drill) -> Iterator[list[str]]:
    """Every listed case's row; exporting a confidential case's header is a logged read."""
    for case in drill_rows(user=user, drill=drill):
        if case.confidential:
            log_reads(user=user, reads=[Read(case, ("confidential",))], purpose="exported")
        yield case_row(case)

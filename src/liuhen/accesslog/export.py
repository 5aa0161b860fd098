"""Exports of the access log through :mod:`liuhen.core.tabular`: CSV (streamed, UTF-8 with a BOM so
spreadsheet programs read the Chinese) and XLSX (openpyxl, write-only), Chinese headers, Beijing times. An export is itself recorded: one ledger entry
``access_log.exported`` naming the format, the filters and the number of rows, appended before the first
byte leaves (:func:`access_log_export_record`)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction

from liuhen.accesslog.selectors import LogFilters, LogRow, access_log_filtered, iter_rows
from liuhen.accounts.models import User
from liuhen.core import tabular
from liuhen.core.errors import invalid
from liuhen.ledger.services import ledger_append

FORMATS = tabular.FORMATS
STEM = "访问日志"
HEADERS = ("时间（北京时间）", "人员", "所在单位", "机关", "访问内容", "案件编号", "记录事由", "批准文号")
MAX_XLSX_ROWS = 100_000  # built in memory; a larger export is a CSV (streamed)


def _cells(row: LogRow) -> tuple[str, ...]:
    return (row.at_text, row.person, row.unit, row.agency, row.what, row.case_no, row.reasons_text, row.grant)


@transaction.atomic
def access_log_export_record(*, user: User, filters: LogFilters, fmt: str) -> int:
    """Check the export may be made and record it in the ledger; return the number of rows it holds."""
    if fmt not in FORMATS:
        raise invalid("format", "unknown", "导出格式须为 csv 或 xlsx")
    count = access_log_filtered(user=user, filters=filters).count()
    if fmt == "xlsx" and count > MAX_XLSX_ROWS:
        raise invalid("format", "too_many", f"超过 {MAX_XLSX_ROWS} 条，请缩小筛选范围或导出 CSV")
    ledger_append(
        action="access_log.exported",
        actor=user,
        agency=user.agency,
        objects={"user": user.pk},
        details={"format": fmt, "filters": filters.as_query(), "rows": count},
    )
    return count


def export_rows(*, user: User, filters: LogFilters) -> Iterator[tuple[str, ...]]:
    """The export's rows, newest first (for :func:`liuhen.core.tabular.tabular_response`)."""
    for row in iter_rows(user=user, filters=filters):
        yield _cells(row)

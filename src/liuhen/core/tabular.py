"""Every list and table of issue #14 is exportable with ``?format=csv|xlsx``: one way to do it.

CSV is streamed a row at a time (UTF-8 with a BOM, so spreadsheet programs read the Chinese); XLSX is
written by openpyxl in write-only mode to a temporary file (rows never all in memory) and streamed from
it. The caller supplies the headers (Chinese) and an iterator of rows of text, already in Beijing time,
masked where the user is not cleared for personal data, and records the export where the data needs it.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse

from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.core.errors import invalid

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_format(value: str | None) -> str | None:
    """``None`` (no export asked) or the format; anything else is a 422 at ``format``."""
    if value in (None, ""):
        return None
    if value not in FORMATS:
        raise invalid("format", "unknown", "导出格式须为 csv 或 xlsx")
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow(headers).encode("utf-8")
    for row in rows:
        yield writer.writerow(["" if c is None else c for c in row]).encode("utf-8")


def xlsx_file(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]):  # type: ignore[no-untyped-def]
    """A temporary file holding the workbook (one sheet), positioned at its start."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(["" if c is None else c for c in row])
    out = tempfile.TemporaryFile(prefix="liuhen-export-")  # noqa: SIM115 - handed to the response, which closes it
    book.save(out)
    out.seek(0)
    return out


def export_filename(stem: str, fmt: str) -> str:
    return f"{stem}-{clock.now().astimezone(SHANGHAI):%Y%m%d-%H%M%S}.{fmt}"


def tabular_response(
    fmt: str, *, stem: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse | FileResponse:
    """The export as a download named ``<stem>-<Beijing time>.<fmt>`` (stem in Chinese)."""
    name = export_filename(stem, fmt)
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    if fmt == "csv":
        response: StreamingHttpResponse | FileResponse = StreamingHttpResponse(
            csv_chunks(headers, rows), content_type=CONTENT_TYPES["csv"]
        )
    else:
        response = FileResponse(xlsx_file(stem, headers, rows), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = disposition
    return response

"""What leaves the system from a signed-off case file: the whole file as one PDF, the archive package
(a folder, or zipped for download) and the disc image. Each reads the case file through the access
layer (:func:`liuhen.archive.selectors.case_file_get`, which logs a confidential case's read) and hands
the plan to the renderer, the package writer and the disc writer."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import IO

from liuhen.accounts.models import User
from liuhen.archive.check import REPORT_SUFFIX, reports_beside
from liuhen.archive.models import CaseFile
from liuhen.archive.planning import case_file_plan
from liuhen.archive.selectors import case_file_get


def whole_file_pdf(*, user: User, case_id: int) -> tuple[str, bytes]:
    """The case file as one PDF/A, and its download name."""
    from liuhen.archive.render import case_file_pdf

    case_file = case_file_get(user=user, case_id=case_id)
    return f"{case_file.archive_no}-案卷.pdf", case_file_pdf(case_file_plan(case_file))


def package_write(*, case_file: CaseFile, dest: Path) -> Path:
    """Write the 归档信息包 of ``case_file`` at ``dest``; a missing file stops it with an alert.

    The package is then checked (四性检测) and the report written beside it, never inside: the checker
    counts the package's files against its manifest. XML and Markdown come from the checker itself,
    the PDF (``<package>.四性检测报告.pdf``) from :mod:`liuhen.archive.report_pdf`."""
    from liuhen.archive.case_bundle import case_bundle
    from liuhen.archive.check import check_package
    from liuhen.archive.package import MissingContent, missing_content_alert, write_package
    from liuhen.archive.report_pdf import check_report_pdf

    plan = case_file_plan(case_file)
    try:
        root = write_package(plan, dest, bundle=case_bundle(case_file.case_id)).path
    except MissingContent as error:
        missing_content_alert(plan=plan, error=error, agency=case_file.case.agency)
        raise
    report = check_package(root, report_dir=root.parent)
    pdf = check_report_pdf(
        report,
        archive_no=plan.archive_no,
        agency_name=plan.fonds_name,
        agency_code=plan.agency_code,
        checked_at=datetime.fromisoformat(report.checked_at),
    )
    (root.parent / f"{root.name}{REPORT_SUFFIX}.pdf").write_bytes(pdf)
    return root


def package_zip(*, user: User, case_id: int) -> tuple[str, IO[bytes]]:
    """The package zipped into a temporary file (deleted when closed), and its download name."""
    case_file = case_file_get(user=user, case_id=case_id)
    out = tempfile.TemporaryFile(prefix="liuhen-package-")  # noqa: SIM115 - the response closes it
    with tempfile.TemporaryDirectory(prefix="liuhen-package-") as folder:
        root = package_write(case_file=case_file, dest=Path(folder) / case_file.archive_no)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
            for report in reports_beside(root):
                archive.write(report, report.name)
    out.seek(0)
    return f"{case_file.archive_no}-归档信息包.zip", out

"""The 四性检测报告 as PDF/A beside a written archive package (issue #12): it names the 档号 and every
item the checker ran, and writing it leaves the package itself as the checker wants it."""

from __future__ import annotations

import pytest

from liuhen.archive import outputs
from liuhen.archive.check import check_package
from liuhen.archive.models import CaseFile
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user
from tests.issuing.pdfcheck import pdfa_problems, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    return officer, head, make_user(agency, ["archivist"]), make_user(agency, ["archivist"])


def test_writing_a_package_puts_its_check_report_pdf_beside_it(office, tmp_path):
    from liuhen.archive import services

    officer, head, compiler, checker = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    services.case_file_sign(case=case, by=checker)
    case_file = CaseFile.objects.get(case=case)

    root = outputs.package_write(case_file=case_file, dest=tmp_path / "package")

    pdf_path = tmp_path / "package.四性检测报告.pdf"
    assert pdf_path.is_file() and (tmp_path / "package.四性检测报告.xml").is_file()
    pdf = pdf_path.read_bytes()
    assert pdfa_problems(pdf) == []
    text = text_of(pdf)
    report = check_package(root)
    assert report.ok, [(i.number, i.message) for i in report.items if i.status == "fail"]
    assert "归档信息包四性检测报告" in text and case_file.archive_no in text
    missing = [i.number for i in report.items if i.number not in text]
    assert missing == [] and report.package_sha256 in text
    assert not list(root.rglob("*四性检测报告*"))  # beside the package, never inside it


def test_a_failed_item_shows_as_failed_with_its_message(tmp_path):
    from datetime import UTC, datetime

    from liuhen.archive.check import CheckItem, CheckReport
    from liuhen.archive.report_pdf import check_report_pdf

    report = CheckReport(
        package=str(tmp_path),
        checked_at="2026-03-01T02:00:00+00:00",
        items=[
            CheckItem("2-1", "完整性", "文件数量相符", "fail", ["清单列 3 个文件，信息包中有 4 个"]),
            CheckItem("4-1", "安全性", "病毒检测", "not_run", ["本次未要求病毒检测"]),
        ],
    )
    pdf = check_report_pdf(
        report,
        archive_no="X-2026-1",
        agency_name="测试执法局",
        agency_code="test",
        checked_at=datetime(2026, 3, 1, 2, tzinfo=UTC),
    )
    text = text_of(pdf)
    assert "检测结论未通过" in text and "清单列3个文件，信息包中有4个" in text
    assert "2026年3月1日10:00:00（北京时间）" in text and "未检测" in text


def test_the_reports_travel_with_the_package_in_the_download_and_on_the_disc(office, tmp_path):
    """GIVEN a signed-off case file WHEN its package is downloaded as a zip or written as a disc image THEN
    the XML, Markdown and PDF reports are beside the package folder there too, and the disc still checks."""
    import io
    import zipfile

    from liuhen.archive import services
    from liuhen.archive.disc import check_disc, extract_iso
    from liuhen.archive.discs import disc_copy_make

    officer, head, compiler, checker = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)
    reports = {f"{case_file.archive_no}.四性检测报告.{kind}" for kind in ("xml", "md", "pdf")}

    _name, handle = outputs.package_zip(user=checker, case_id=case.pk)
    with zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = set(archive.namelist())
    assert reports <= names and f"{case_file.archive_no}/manifest.json" in names

    iso = tmp_path / "disc.iso"
    disc_copy_make(user=checker, case_no=case.case_no, dest=iso)
    extract_iso(iso, tmp_path / "disc")
    assert reports <= {p.name for p in (tmp_path / "disc").iterdir()}
    assert check_disc(iso).ok

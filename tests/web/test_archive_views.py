"""The archivist's pages through the test client: queue, assembly, reorder refused across stages at the
field, both signatures, read-only case afterwards; 403 for roles without ``case.archive``."""

from __future__ import annotations

import io
import zipfile

import pytest

from liuhen.archive.models import CaseFile
from liuhen.cases.models import Case
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    compiler = make_user(agency, ["archivist"], name="档案员甲")
    checker = make_user(agency, ["archivist"], name="档案员乙")
    return officer, head, compiler, checker


def test_given_a_closed_case_when_two_archivists_sign_on_the_pages_then_it_is_archived(client, office):
    officer, head, compiler, checker = office
    case = closed_case(officer, head)
    client.force_login(compiler)
    queue = client.get("/archive/")
    assert queue.status_code == 200 and case.case_no in queue.content.decode()
    page = client.get(f"/archive/cases/{case.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "卷内文件目录" in text and "正卷 · 调查取证" in text and "副卷" in text

    records = [f"document:{d.pk}" for d in case.documents.order_by("pk")]
    swapped = "\n".join([records[1], records[0], records[2]])
    refused = client.post(f"/archive/cases/{case.pk}/order", {"order": swapped})
    assert refused.status_code == 422
    assert (
        "卷内顺序" in refused.content.decode()
        and "order" not in refused.content.decode().split("卷内顺序")[1][:80]
    )

    assert client.post(f"/archive/cases/{case.pk}/compile").status_code == 302
    again = client.post(f"/archive/cases/{case.pk}/sign")
    assert again.status_code == 403 and "两人" in again.content.decode()

    client.force_login(checker)
    assert client.post(f"/archive/cases/{case.pk}/sign").status_code == 302
    done = client.get(f"/archive/cases/{case.pk}/").content.decode()
    case_file = CaseFile.objects.get(case=case)
    assert case_file.archive_no in done and "已签署归档" in done
    assert Case.objects.get(pk=case.pk).stage == "archived"
    pdf = client.get(f"/archive/cases/{case.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    package = client.get(f"/archive/cases/{case.pk}/package")
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content))) as archive:
        names = archive.namelist()
    reports = {f"{case_file.archive_no}.四性检测报告.{kind}" for kind in ("xml", "md", "pdf")}
    assert all(n.startswith(f"{case_file.archive_no}/") for n in set(names) - reports) and len(names) > 6
    assert reports <= set(names)  # the check's reports beside the package folder
    client.force_login(officer)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert "大文件断点续传上传" not in detail


def test_given_an_unsigned_case_file_then_its_downloads_lead_back_to_the_page(client, office):
    officer, head, compiler, _ = office
    case = closed_case(officer, head)
    client.force_login(compiler)
    response = client.get(f"/archive/cases/{case.pk}/pdf")
    assert response.status_code == 302 and response["Location"] == f"/archive/cases/{case.pk}/"


def test_roles_without_archiving_get_403_and_other_agencies_404(client, office):
    officer, head, compiler, _ = office
    case = closed_case(officer, head)
    client.force_login(officer)
    assert client.get("/archive/").status_code == 403
    assert client.get(f"/archive/cases/{case.pk}/").status_code == 404  # read for archiving only
    assert client.post(f"/archive/cases/{case.pk}/compile").status_code == 403
    client.force_login(make_user(make_agency(), ["archivist"]))
    assert client.get(f"/archive/cases/{case.pk}/").status_code == 404

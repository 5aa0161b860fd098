"""补充归档 through the pages, the API and the console (issue #12): the archivist uploads on the signed-off
case file's page, the head approves on the 补充归档 page, the API answers the same, and
``liuhen archive supplement`` / ``approve-supplement`` do it at the console."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.archive.models import CaseFileSupplement, SupplementApproval
from tests.archive.test_supplement_flow import pdf_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _form(**extra) -> dict:
    return {
        "title": "行政判决书",
        "responsible": "某某区人民法院",
        "date": "2026-03-01",
        "doc_no": "（2026）辽0291行初12号",
        "reason": "判决书于案卷签署后送达",
        "file": SimpleUploadedFile("判决书.pdf", pdf_bytes(3), content_type="application/pdf"),
        **extra,
    }


def test_given_the_pages_when_the_archivist_uploads_and_the_head_approves_then_it_is_numbered(client, signed):
    case_file, archivist, head = signed
    last = max(i["piece_no"] for i in case_file.items)
    client.force_login(archivist)
    page = client.get(f"/archive/cases/{case_file.case_id}/").content.decode()
    assert "补充归档" in page and "提出补充归档" in page

    bad = client.post(
        f"/archive/cases/{case_file.case_id}/supplements/add",
        _form(file=SimpleUploadedFile("a.pdf", b"not a pdf at all", content_type="application/pdf")),
    )
    assert bad.status_code == 422 and "PDF、JPEG、TIFF、MP4、MP3 或 WAV" in bad.content.decode()
    assert client.post(f"/archive/cases/{case_file.case_id}/supplements/add", _form()).status_code == 302
    supplement = CaseFileSupplement.objects.get()
    page = client.get(f"/archive/cases/{case_file.case_id}/").content.decode()
    assert "待机关负责人审批" in page and "待head" not in page

    refused = client.post(
        f"/archive/cases/{case_file.case_id}/supplements/approve",
        {"supplement": supplement.pk, "opinion": "同意"},
    )
    assert refused.status_code == 403  # an archivist holds no approval.record
    client.force_login(head)
    listing = client.get(f"/archive/cases/{case_file.case_id}/supplements").content.decode()
    assert "审批同意" in listing and "行政判决书" in listing
    approved = client.post(
        f"/archive/cases/{case_file.case_id}/supplements/approve",
        {"supplement": supplement.pk, "opinion": "同意"},
    )
    assert approved.status_code == 302 and SupplementApproval.objects.filter(supplement=supplement).exists()
    client.force_login(archivist)
    page = client.get(f"/archive/cases/{case_file.case_id}/").content.decode()
    assert f'<td data-label="件号">{last + 1}</td>' in page


def test_given_the_api_when_uploading_and_approving_then_the_same(client, signed):
    case_file, archivist, head = signed
    client.force_login(archivist)
    added = client.post(f"/api/archive/case-files/{case_file.case_id}/supplements", _form())
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["status"], body["piece_no"], body["format"], body["pages"]) == ("pending", None, "PDF", 3)
    wrong = client.post(f"/api/archive/case-files/{case_file.case_id}/supplements", _form(date="明天"))
    assert wrong.status_code == 422 and [e["field"] for e in wrong.json()["errors"]] == ["date"]
    client.force_login(head)
    missing = client.post(
        f"/api/archive/case-files/{case_file.case_id}/supplement-approvals",
        {"supplement_id": body["id"] + 100, "opinion": "同意"},
        content_type="application/json",
    )
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "supplement_id"
    done = client.post(
        f"/api/archive/case-files/{case_file.case_id}/supplement-approvals",
        {"supplement_id": body["id"], "opinion": "同意"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert done.json()["piece_no"] == max(i["piece_no"] for i in case_file.items) + 1
    client.force_login(archivist)
    shown = client.get(f"/api/archive/case-files/{case_file.case_id}").json()
    assert [s["status"] for s in shown["supplements"]] == ["approved"]
    assert shown["items"][-1]["title"] == "行政判决书"


def test_the_command_line(signed, tmp_path, capsys):
    case_file, archivist, head = signed
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf_bytes(1))
    call_command(
        "archive", "supplement", case_file.case.case_no, str(path),
        "--title", "缴款凭证", "--reason", "当事人补交缴款凭证", "--as", archivist.username,
    )  # fmt: skip
    supplement = CaseFileSupplement.objects.get()
    assert "待审批" in capsys.readouterr().out
    reviewer = make_user(case_file.agency, ["reviewer"])
    with pytest.raises(CommandError, match="须由机关负责人审批"):
        call_command("archive", "approve-supplement", str(supplement.pk), "--as", reviewer.username)
    with pytest.raises(CommandError, match="needs approval.record"):
        call_command("archive", "approve-supplement", str(supplement.pk), "--as", archivist.username)
    call_command("archive", "approve-supplement", str(supplement.pk), "--as", head.username)
    assert f"件号 {max(i['piece_no'] for i in case_file.items) + 1}" in capsys.readouterr().out

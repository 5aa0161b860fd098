"""The archive's API and command line: queue, order refused across stages at the field, both signatures
(two people), and ``liuhen archive queue|build|package|check|disc`` with one-line errors."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.archive.models import CaseFile
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    return officer, head, make_user(agency, ["archivist"]), make_user(agency, ["archivist"])


def test_the_api_path_of_two_archivists(client, office):
    officer, head, compiler, checker = office
    case = closed_case(officer, head)
    client.force_login(compiler)
    queue = client.get("/api/archive/queue").json()
    assert [row["case_no"] for row in queue] == [case.case_no]
    shown = client.get(f"/api/archive/case-files/{case.pk}").json()
    records = [i["record"] for i in shown["items"]]
    refused = client.put(
        f"/api/archive/case-files/{case.pk}/order",
        {"order": [records[1], records[0], records[2]]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert (
        refused.json()["errors"][0]["field"] == "order" and "阶段" in refused.json()["errors"][0]["message"]
    )
    assert client.post(f"/api/archive/case-files/{case.pk}/compile").json()["status"] == "compiled"
    assert client.post(f"/api/archive/case-files/{case.pk}/sign").status_code == 403
    client.force_login(checker)
    signed = client.post(f"/api/archive/case-files/{case.pk}/sign").json()
    assert signed["status"] == "signed" and signed["archive_no"] == CaseFile.objects.get().archive_no
    client.force_login(officer)
    assert client.get("/api/archive/queue").status_code == 403


def test_the_command_line(office, tmp_path, capsys):
    officer, head, compiler, checker = office
    case = closed_case(officer, head)
    call_command("archive", "queue", "--as", compiler.username)
    assert case.case_no in capsys.readouterr().out
    call_command("archive", "build", case.case_no, "--as", compiler.username)
    assert "询问(调查)笔录" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no case file|没有已签署的案卷"):
        call_command("archive", "package", case.case_no, str(tmp_path / "p"), "--as", compiler.username)
    with pytest.raises(CommandError, match="不存在"):
        call_command("archive", "build", "NO-SUCH-CASE", "--as", compiler.username)
    with pytest.raises(CommandError, match="case.archive"):
        call_command("archive", "queue", "--as", officer.username)
    with pytest.raises(CommandError, match="no such package"):
        call_command("archive", "check", str(tmp_path / "nothing"))


def test_the_command_line_packages_checks_and_burns_a_signed_off_case_file(office, tmp_path, capsys):
    from liuhen.archive import services

    officer, head, compiler, checker = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    services.case_file_sign(case=case, by=checker)
    dest = tmp_path / "package"
    call_command("archive", "package", case.case_no, str(dest), "--as", checker.username)
    assert dest.is_dir()
    call_command("archive", "check", str(dest))
    assert "未通过" not in capsys.readouterr().out
    iso = tmp_path / "case.iso"
    call_command("archive", "disc", case.case_no, str(iso), "--as", checker.username)
    assert iso.is_file() and "sha256" in capsys.readouterr().out
    call_command("archive", "check", str(iso))
    with pytest.raises(CommandError, match="已存在"):
        call_command("archive", "package", case.case_no, str(dest), "--as", checker.username)

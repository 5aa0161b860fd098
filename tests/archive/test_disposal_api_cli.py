"""The 销毁清册 through the API and ``liuhen archive dispose``: a case file under a hold is refused (409,
the one error shape, the hold named with its regulation's article), a role without the right is 403,
two approvals by different people, and the command line's one-line refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.archive import disposal
from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from liuhen.rules.profile import load_profile
from tests.archive.archiving import archive_case
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

LATER = timedelta(days=365 * 31)


@pytest.fixture
def office(monkeypatch):
    """An agency whose regulation (longjiang's §19, from after the sign-offs) holds complained-of cases;
    one expired case file and one held, both signed off 30 years ago as far as the clock is concerned."""
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    archivist = make_user(agency, ["archivist"])
    expired = archive_case(closed_case(officer, head))
    held = archive_case(closed_case(officer, head, flags=["complaint_about_enforcement"]))
    profile = load_profile("longjiang-cg")
    monkeypatch.setattr(disposal, "agency_profile", lambda agency: profile)
    return officer, head, archivist, expired, held


def test_the_api_refuses_a_held_file_naming_the_hold_and_needs_two_people(client, office):
    officer, head, archivist, expired, held = office
    with clock.frozen(clock.now() + LATER):
        client.force_login(archivist)
        shown = client.get("/api/archive/disposal-candidates").json()
        assert [c["archive_no"] for c in shown] == [expired.archive_no]

        refused = client.post(
            "/api/archive/disposals",
            {"reason": "期满", "case_file_ids": [held.pk]},
            content_type="application/json",
        )
        assert refused.status_code == 409
        body = refused.json()
        assert body["error"] == "conflict"
        assert body["errors"][0]["field"] == "case_files"
        assert (
            "对执法有异议或投诉" in body["errors"][0]["message"] and "第19条" in body["errors"][0]["message"]
        )

        made = client.post(
            "/api/archive/disposals", {"reason": "期满，经鉴定无保存价值"}, content_type="application/json"
        )
        assert made.status_code == 201, made.content
        listing = made.json()
        assert listing["status"] == "待审批" and set(listing["missing_approvals"]) == {
            "机关负责人",
            "档案管理员",
        }

        client.force_login(officer)
        assert client.get("/api/archive/disposals").status_code == 403
        approve = {"disposal_id": listing["id"], "opinion": "同意"}
        assert (
            client.post(
                "/api/archive/disposals/approvals", approve, content_type="application/json"
            ).status_code
            == 403
        )

        client.force_login(head)
        assert (
            client.post(
                "/api/archive/disposals/approvals", approve, content_type="application/json"
            ).status_code
            == 200
        )
        again = client.post("/api/archive/disposals/approvals", approve, content_type="application/json")
        assert again.status_code == 403 and "另一人" in again.json()["message"]
        executed = client.post(
            "/api/archive/disposals/executions",
            {"disposal_id": listing["id"]},
            content_type="application/json",
        )
        assert executed.status_code == 403 and "档案管理员" in executed.json()["message"]

        client.force_login(archivist)
        ok = client.post("/api/archive/disposals/approvals", approve, content_type="application/json").json()
        assert ok["missing_approvals"] == []
        done = client.post(
            "/api/archive/disposals/executions",
            {"disposal_id": listing["id"]},
            content_type="application/json",
        ).json()
    assert done["status"] == "已销毁" and done["pending"] == []
    assert not any(blob_store().exists(d["sha256"]) for d in done["destructions"])
    assert blob_store().exists(disposal.contents_of(held)[0][0])


def test_the_command_line(office, capsys):
    _, head, archivist, expired, held = office
    with clock.frozen(clock.now() + LATER):
        call_command("archive", "dispose", "--list", "--as", archivist.username)
        out = capsys.readouterr().out
        assert expired.archive_no in out and held.archive_no not in out

        with pytest.raises(CommandError, match="对执法有异议或投诉") as refused:
            call_command(
                "archive",
                "dispose",
                "--propose",
                "--case",
                held.archive_no,
                "--reason",
                "期满",
                "--as",
                archivist.username,
            )
        assert "\n" not in str(refused.value)

        call_command("archive", "dispose", "--propose", "--reason", "期满", "--as", archivist.username)
        listing_id = int(capsys.readouterr().out.split()[1])
        with pytest.raises(CommandError, match="尚缺"):
            call_command("archive", "dispose", "--execute", str(listing_id), "--as", archivist.username)
        for user in (head, archivist):
            call_command(
                "archive", "dispose", "--approve", str(listing_id), "--opinion", "同意", "--as", user.username
            )
        capsys.readouterr()
        call_command("archive", "dispose", "--execute", str(listing_id), "--as", archivist.username)
    assert "已销毁" in capsys.readouterr().out

"""Copies that say who made them (issue #13): a copy grant's package, read back as its receiver would."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from liuhen.accounts.services import token_issue
from liuhen.archive.integrity import verify_all
from liuhen.core import clock
from liuhen.ledger.models import LedgerEntry
from liuhen.signing.verify import verify_pdf_signatures
from tests.factories import make_agency, make_case, make_document, make_user
from tests.grants.granting import recorded
from tests.media.test_redact import make_clip
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"


def _pdftotext(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_given_a_copy_grant_when_the_package_is_made_then_marks_originals_and_signed_manifest_check(tmp_path):
    """GIVEN a case with a 询问笔录, a photo and a video, and an approved 复制 of the whole case WHEN the
    requester asks for the package through the API THEN it is queued (202: a video's viewing copy) and
    the background worker makes it; then: the PDF's text (pdftotext) names the requester, the
    grant number and the time; the photo's pixels carry the mark; the video original is bit for bit the
    record (its SHA-256) and a viewing copy comes beside it; the stdlib checker passes the package; the
    delivery and each record's read ("copied", naming the grant) are in the log, and verify is clean."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"], name="张办案")
    case = make_case(officer)
    make_document(case, officer)
    photo_path = tmp_path / "scene.png"
    Image.new("RGB", (320, 240), (30, 120, 200)).save(photo_path)
    photo = recorded(case, officer, photo_path, "photo", "image/png")
    video = recorded(case, officer, make_clip(tmp_path / "scene.mp4"), "video", "video/mp4")
    requester = make_user(agency, ["officer"], name="李复制")
    head = make_user(agency, ["head"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=requester)}")
    filed = api.post(
        "/api/access-requests",
        {"kind": "copy", "reason": "移送公安机关", "days": 3, "items": [{"case_id": case.pk}]},
        content_type="application/json",
    ).json()
    decided = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=head)}").post(
        f"/api/access-requests/{filed['id']}/decision",
        {"approved": True, "opinion": "同意复制"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content

    queued = api.post(f"/api/access-requests/{filed['id']}/deliveries", {}, content_type="application/json")
    assert queued.status_code == 202, queued.content  # a video's viewing copy: the worker makes it
    assert [j["state"] for j in api.get(f"/api/access-requests/{filed['id']}").json()["jobs"]] == ["排队中"]
    assert run_queued_tasks() == 1
    detail = api.get(f"/api/access-requests/{filed['id']}").json()
    assert detail["jobs"] == [] and len(detail["deliveries"]) == 1
    made = detail["deliveries"][0]
    download = api.get(f"/api/access-requests/{filed['id']}/deliveries/{made['id']}/content")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    package = tmp_path / "copy.zip"
    package.write_bytes(download.content)
    assert hashlib.sha256(download.content).hexdigest() == made["sha256"]

    with zipfile.ZipFile(package) as z:
        manifest = json.loads(z.read("manifest.json"))
        by_role = {}
        for f in manifest["files"]:
            by_role.setdefault(f["role"], []).append(f)
        pdf_name = next(f["name"] for f in by_role["watermarked"] if f["name"].endswith(".pdf"))
        [seal] = verify_pdf_signatures(z.read(pdf_name))  # the original's seal dropped, the copy sealed

        assert seal.ok and seal.trusted and seal.coverage == "whole-file"
        text = _pdftotext(z.read(pdf_name))
        assert (
            "李复制" in text
            and filed["number"] in text
            and f"{clock.now().astimezone(clock.SHANGHAI):%Y-%m-%d}" in text
        )
        png_name = next(f["name"] for f in by_role["watermarked"] if f["name"].endswith(".png"))
        marked = Image.open(io.BytesIO(z.read(png_name))).convert("RGB")
        assert marked.size == (320, 240) and marked.getextrema() != (
            (30, 30),
            (120, 120),
            (200, 200),
        )  # no longer one flat colour
        original = next(f for f in by_role["original"] if f["record"]["id"] == video.pk)
        assert hashlib.sha256(z.read(original["name"])).hexdigest() == video.sha256 == original["sha256"]
        assert any(f["record"]["id"] == video.pk for f in by_role["viewing_copy"])
        assert not any(f["record"]["id"] == photo.pk for f in by_role.get("original", []))

    checked = subprocess.run(
        [sys.executable, "-S", "-m", "liuhen.grants.check", str(package)],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    copied = LedgerEntry.objects.filter(action__endswith=".copied", actor=requester)
    assert copied.count() >= 2 and all(filed["number"].encode() in bytes(e.body) for e in copied)
    assert LedgerEntry.objects.filter(action="access.delivered").count() == 1
    assert verify_all(files=False) == []


def test_given_a_view_grant_or_someone_else_when_making_a_copy_then_refused(tmp_path):
    """GIVEN a live 调阅 (view) grant WHEN a package is asked for THEN 409 (a view is seen online only);
    GIVEN a copy grant WHEN someone other than the requester asks THEN 403 or 404."""
    agency = make_agency()
    officer = make_user(agency)
    case = make_case(officer)
    make_document(case, officer)
    head = make_user(agency, ["head"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=officer)}")
    head_api = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=head)}")
    ids = {}
    for kind in ("view", "copy"):
        ids[kind] = api.post(
            "/api/access-requests",
            {"kind": kind, "reason": "复核", "days": 2, "items": [{"case_id": case.pk}]},
            content_type="application/json",
        ).json()["id"]
        head_api.post(
            f"/api/access-requests/{ids[kind]}/decision",
            {"approved": True, "opinion": "同意"},
            content_type="application/json",
        )
    view = api.post(f"/api/access-requests/{ids['view']}/deliveries", {}, content_type="application/json")
    assert view.status_code == 409 and "复制申请" in view.json()["message"]
    other = head_api.post(
        f"/api/access-requests/{ids['copy']}/deliveries", {}, content_type="application/json"
    )
    assert other.status_code == 403 and "申请人本人" in other.json()["message"]


def test_given_a_queued_copy_when_the_grant_is_revoked_before_the_worker_runs_then_it_fails_in_words(
    tmp_path,
):
    """GIVEN a copy of a video queued for the worker WHEN the head revokes the grant before it runs THEN
    the worker makes nothing, and the request's page says the making failed and why, in Chinese."""
    from liuhen.grants.models import AccessRequest
    from liuhen.grants.services import access_request_revoke
    from tests.grants.granting import granted

    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    recorded(case, officer, make_clip(tmp_path / "scene.mp4"), "video", "video/mp4")
    head = make_user(agency, ["head"])
    request = granted(officer, case_id=case.pk, approver=head)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=officer)}")
    assert (
        api.post(
            f"/api/access-requests/{request.pk}/deliveries", {}, content_type="application/json"
        ).status_code
        == 202
    )
    access_request_revoke(request=AccessRequest.objects.get(pk=request.pk), by=head, reason="案件已移送完毕")
    assert run_queued_tasks() == 1
    detail = api.get(f"/api/access-requests/{request.pk}").json()
    assert detail["deliveries"] == []
    assert detail["jobs"][0]["state"] == "处理失败，请重新提交"
    assert detail["jobs"][0]["reason"] == "授权在处理前已到期或被撤销"

"""The resumable upload page (tus-js-client) in a real Chromium against a real ``liuhen serve``."""

from __future__ import annotations

import hashlib

import pytest

from tests.evidence.conftest import MIB, payload
from tests.live_server import ARTIFACTS, chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-upload-data")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _open_case_id(request) -> int:
    """One of the signed-in officer's cases that still accepts records (not archived)."""
    response = request.get("/api/cases")
    assert response.ok, response.text()
    cases = [c for c in response.json()["items"] if c["stage"] != "archived"]
    assert cases, "the demo data should give dalian_officer an open case"
    return cases[0]["id"]


def test_given_an_officer_when_uploading_a_file_on_the_upload_page_then_it_is_recorded_on_the_case(
    server, browser, tmp_path
):
    """GIVEN the demo data and a real server WHEN dalian_officer opens /evidence/upload/?case=ID, picks a
    3 MiB file, chooses 现场检查 and presses 上传 THEN the page reports completion (file input cleared) and the case's media list (API, session
    and bearer token alike) holds a record with the file's SHA-256 and size."""
    data = payload(3 * MIB + 12_345, b"upload-page")
    digest = hashlib.sha256(data).hexdigest()
    clip = tmp_path / "巡查记录.mp4"
    clip.write_bytes(data)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1100, "height": 1000}, locale="zh-CN", base_url=server.url
    )
    page = context.new_page()
    log_in(page, server.url, "dalian_officer")
    case_id = _open_case_id(context.request)

    page.goto(f"/evidence/upload/?case={case_id}")
    assert page.input_value("input[name=case_id]") == str(case_id)
    page.fill("input[name=title]", "浏览器上传测试")
    assert page.inner_text("select[name=activity] option[value=inspection]") == "现场检查(勘验)"
    page.select_option("select[name=activity]", "inspection")
    page.set_input_files("input[name=file]", str(clip))
    page.click("button[type=submit]")
    page.wait_for_function(
        "() => /上传完成|上传失败/.test(document.getElementById('status').textContent)", timeout=60_000
    )
    page.screenshot(path=str(ARTIFACTS / "upload-page.png"), full_page=True)
    assert page.inner_text("#status").startswith("上传完成"), page.inner_text("#status")
    assert page.eval_on_selector("#progress", "el => el.value") == 100
    assert page.input_value("input[name=file]") == "" and page.is_enabled("#start")

    media = context.request.get(f"/api/cases/{case_id}/media").json()
    mine = [m for m in media if m["sha256"] == digest]
    assert len(mine) == 1 and mine[0]["size"] == len(data) and mine[0]["title"] == "浏览器上传测试"
    assert mine[0]["activity"] == "inspection" and mine[0]["original_filename"] == clip.name
    token = server.liuhen("token", "dalian_officer").strip().split()[-1]
    found = context.request.get(
        f"/api/media/exists?sha256={digest}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert found["exists"] is True
    context.close()

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
    assert page.input_value("select[name=case]") == str(case_id)
    page.fill("input[name=title]", "浏览器上传测试")
    assert page.inner_text("select[name=activity] option[value=inspection]") == "现场检查(勘验)"
    page.select_option("select[name=activity]", "inspection")
    page.set_input_files("input[name=file]", str(clip))
    page.click("#start")  # the nav holds a submit button too (退出)
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


def test_given_a_phone_when_a_case_is_picked_then_its_documents_appear_and_the_file_input_offers_the_camera(
    server, browser
):
    """GIVEN dalian_officer on a 390×844 phone WHEN the upload page opens and a case is picked from the
    case picker THEN the site's navigation is there, the case's documents appear as ticks without a page
    load (the address now names the case), the file input takes video/audio/images with ``capture``, and
    the 24-hour late-cause field of dalian-cg is shown."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        base_url=server.url,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    log_in(page, server.url, "dalian_officer")
    cases = [c for c in context.request.get("/api/cases").json()["items"] if c["stage"] != "archived"]
    counts = {c["id"]: len(context.request.get(f"/api/cases/{c['id']}/documents").json()) for c in cases}
    case_id = max(counts, key=lambda k: counts[k])
    assert counts[case_id] > 0, "the demo data should give dalian_officer an open case with documents"

    page.goto("/evidence/upload/")
    assert page.is_visible("nav[aria-label=主导航]")
    assert page.locator("input[name=linked_document_ids]").count() == 0
    page.select_option("select[name=case]", str(case_id))
    page.wait_for_selector("input[name=linked_document_ids]")
    assert page.locator("input[name=linked_document_ids]").count() == counts[case_id]
    assert page.url.endswith(f"?case={case_id}")
    file_input = page.locator("input[name=file]")
    assert file_input.get_attribute("accept") == "video/*,audio/*,image/*"
    assert file_input.get_attribute("capture") is not None
    assert "24 小时内上传" in page.inner_text("#late-cause")
    page.screenshot(path="/tmp/h23-upload-phone.png", full_page=True)
    context.close()

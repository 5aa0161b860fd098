"""The party-request desk in a real Chromium, on a desktop and on a phone (issue #13, R6.2): gaochang's
legal unit registers an agent's request for records of a demo case (with the authorisation uploaded),
decides a partial grant with its legal reason, and the page shows it waiting for the head's approval
(gaochang-sthj§31); the list shows the request with its working-day deadline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SHOTS = Path("/tmp/shots/D")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _shot(page, screen: str, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{screen}-{step}.png"), full_page=True)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_given_the_desk_when_registering_and_deciding_in_the_browser_then_the_request_waits_for_the_head(
    running, browser, screen, tmp_path
):
    phone = screen == "phone"
    context = browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )
    page = context.new_page()
    server = running.url
    authorisation = tmp_path / "授权委托书.pdf"
    authorisation.write_bytes(PDF)

    log_in(page, server, "gaochang_legal")
    page.goto(f"{server}/disclosure-requests/new/")
    case_value = page.eval_on_selector("#id_case_pick", "s => [...s.options].map(o => o.value).find(v => v)")
    page.select_option("#id_case_pick", case_value)
    page.click("button:has-text('选择案件')")
    page.wait_for_url(f"**/disclosure-requests/new/?case={case_value}")
    page.check("#id_requester_kind_1")  # 委托代理人
    page.fill("#id_requester_name", "赵律师")
    page.fill("#id_requester_id_number", "650402198001011234")
    page.fill("#id_requester_phone", "13912345678")
    page.fill("#id_asked_for", "申请复制本案执法文书及现场音像记录")
    boxes = page.locator("input[name=items]")
    assert boxes.count() >= 2
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.click("button:has-text('登记')")  # without the authorisation: refused at its field
    assert "委托代理人申请须上传授权委托书" in page.inner_text("main")
    _shot(page, screen, "1-register-error")
    boxes = page.locator("input[name=items]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.set_input_files("#id_authorisation", str(authorisation))
    page.click("button:has-text('登记')")
    page.wait_for_url("**/disclosure-requests/*/")
    main = page.inner_text("main")
    assert "依申请〔" in main and "待答复" in main and "授权委托书" in main
    _shot(page, screen, "2-registered")

    page.check("#id_outcome_1")  # 部分公开
    items = page.locator("select[name^=item_]")
    items.nth(0).select_option("given")
    for i in range(1, items.count()):
        items.nth(i).select_option("withheld")
    page.click("button:has-text('作出决定')")  # no legal reason yet: refused at 法定理由
    assert "部分公开或不予公开须选择法定理由" in page.inner_text("main")
    page.select_option("#id_reason", "privacy")
    page.check("#id_outcome_1")
    items = page.locator("select[name^=item_]")
    items.nth(0).select_option("given")
    for i in range(1, items.count()):
        items.nth(i).select_option("withheld")
    page.click("button:has-text('作出决定')")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "待审批" in main and "个人隐私" in main and "须经机关负责人审批" in main
    _shot(page, screen, "3-decided")

    page.goto(f"{server}/disclosure-requests/")
    assert "赵律师" in page.inner_text("main")
    _shot(page, screen, "4-list")
    context.close()

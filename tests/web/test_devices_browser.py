"""The device registry in a real Chromium, as 龙江's device custodian, on a desktop and on a phone:
register a body camera, hand it out to an officer picked by name, record a pre-duty check that fails —
and see the camera taken out of use."""

from __future__ import annotations

import pytest

from tests.live_server import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORTS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_given_the_custodian_when_a_handed_out_camera_fails_its_check_then_it_is_out_of_use(
    server, browser, screen
):
    """GIVEN longjiang_custodian on a {desktop, phone} WHEN they register a camera, hand it out to 王磊 and
    record a check with 35 % battery THEN the camera's page says 故障 and 不合格, offers no hand-out, and
    the list filtered by 故障 shows it with the reading."""
    mobile = screen == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[screen], is_mobile=mobile, has_touch=mobile, locale="zh-CN", device_scale_factor=1
    )
    page = context.new_page()
    number = f"LJ-DSJ-{screen.upper()}"
    log_in(page, server, "longjiang_custodian")

    page.click("nav a:has-text('设备管理')")
    page.click("a:has-text('登记设备')")
    page.fill("#id_number", number)
    page.select_option("#id_kind", "body_camera")
    page.fill("#id_model_name", "海康威视 DSJ-A8")
    page.screenshot(path=f"/tmp/h5-{screen}-register.png", full_page=True)
    page.click("button:has-text('登记')")
    page.wait_for_url(f"{server}/devices/*/")
    assert "在库" in page.locator(".device-head").inner_text()

    page.click("#panel-handed_out summary")
    holder = page.locator("#id_handed_out-holder")
    label = holder.locator("option", has_text="王磊").inner_text()
    assert "执法证号" in label
    holder.select_option(label=label)
    page.click("button:has-text('记录领用')")
    page.wait_for_url(f"{server}/devices/*/")
    assert "已领用" in page.locator(".device-head").inner_text()
    assert "王磊" in page.locator(".device-head").inner_text()

    page.click("#panel-checked summary")
    page.fill("#id_checked-battery_percent", "150")
    page.fill("#id_checked-free_storage_mb", "9000")
    page.click("button:has-text('记录使用前检查')")
    assert "电量须在 0 至 100 之间" in page.locator("#panel-checked").inner_text()
    page.fill("#id_checked-battery_percent", "35")
    page.fill("#id_checked-note", "电池续航不足")
    page.click("button:has-text('记录使用前检查')")
    page.wait_for_url(f"{server}/devices/*/")
    head = page.locator(".device-head").inner_text()
    assert "故障" in head and "不合格" in head and "停止使用" in head
    assert "使用前检查不合格" in page.locator(".messages").inner_text()
    assert page.locator("#panel-handed_out").count() == 0
    page.screenshot(path=f"/tmp/h5-{screen}-failed-check.png", full_page=True)

    page.goto(f"{server}/devices/?status=faulty")
    row = page.locator("tr", has_text=number)
    assert "电量 35%" in row.inner_text() and "不合格" in row.inner_text()
    page.screenshot(path=f"/tmp/h5-{screen}-list.png", full_page=True)
    context.close()

"""The administrator's 人员与机构 pages in a real Chromium, on a desk and on a phone: add a person with
two roles and a 执法证号, then move them to another unit."""

from __future__ import annotations

import pytest

from tests.live_server import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORTS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_given_the_longjiang_admin_when_adding_a_person_and_moving_them_then_the_list_shows_it(
    server, browser, device
):
    """GIVEN longjiang_admin WHEN they add 执法人员+承办人 with a 执法证号 in 一中队 through 人员与机构, then
    edit the person's unit to 二中队 THEN the list shows the person with both roles in Chinese, the
    执法证号 and the new unit."""
    context = browser.new_context(viewport=VIEWPORTS[device], locale="zh-CN", is_mobile=device == "phone")
    page = context.new_page()
    log_in(page, server, "longjiang_admin")
    page.click("nav >> text=人员与机构")
    page.click("text=＋ 添加人员")
    username = f"lj_new_{device}"
    page.fill("#id_username", username)
    page.fill("#id_full_name", f"新同事{'甲' if device == 'desktop' else '乙'}")
    page.select_option("#id_unit", label="一中队")
    page.check("label.option:has-text('执法人员') input")
    page.check("label.option:has-text('承办人') input")
    page.fill("#id_certificate_no", f"LJ2026{len(device):04d}")
    page.fill("#id_password", "Lh-temp-2026-pass")
    page.screenshot(path=f"/tmp/h6-{device}-new.png", full_page=True)
    page.click("button:has-text('添加')")
    page.wait_for_url(f"{server}/people/")
    row = page.locator("tr", has=page.locator(f"td:has-text('{username}')"))
    assert "执法人员" in row.inner_text() and "承办人" in row.inner_text() and "一中队" in row.inner_text()

    row.locator("a").first.click()
    page.select_option("#id_unit", label="二中队")
    page.click("form.person-form button:has-text('保存')")
    assert "已保存" in page.locator(".messages").inner_text()
    page.screenshot(path=f"/tmp/h6-{device}-edit.png", full_page=True)
    page.click("text=人员管理")
    row = page.locator("tr", has=page.locator(f"td:has-text('{username}')"))
    assert "二中队" in row.inner_text() and f"LJ2026{len(device):04d}" in row.inner_text()
    page.screenshot(path=f"/tmp/h6-{device}-list.png", full_page=True)
    page.goto(f"{server}/units/")
    page.screenshot(path=f"/tmp/h6-{device}-units.png", full_page=True)
    page.goto(f"{server}/agency/")
    page.screenshot(path=f"/tmp/h6-{device}-agency.png", full_page=True)
    context.close()

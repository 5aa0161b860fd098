"""The 销毁清册 in a real Chromium, on a desktop and on a phone: a case file whose 30年 ended (signed off
31 years ago on the server's clock) is offered; the archivist proposes the list, the head approves it
(their own login, the nav's 档案销毁), the archive unit approves, the archivist executes, and the list
shows the destruction."""

from __future__ import annotations

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SIGNED_LONG_AGO = """
from datetime import timedelta
from liuhen.accounts.models import User
from liuhen.archive import services
from liuhen.cases.models import Case
from liuhen.core import clock
compiler = User.objects.get(username="dalian_archivist")
checker = User.objects.get(username="dalian_archivist2")
case = Case.objects.filter(agency=compiler.agency, stage="closed", enforcement_ended_at__isnull=False).order_by("pk").first()
services.case_file_compile(case=case, by=compiler)
with clock.frozen(clock.now() - timedelta(days=365 * 31)):
    print(services.case_file_sign(case=case, by=checker).archive_no)
"""


@pytest.fixture
def running(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as server:
        archive_no = server.liuhen("shell", "-c", SIGNED_LONG_AGO).strip().splitlines()[-1]
        yield server, archive_no


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _shot(page, screen: str, step: str) -> None:
    page.screenshot(path=f"/tmp/archive-disposal-{screen}-{step}.png", full_page=True)


def _context(browser, screen: str):
    phone = screen == "phone"
    return browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_given_an_expired_case_file_when_proposed_approved_and_executed_then_its_contents_are_destroyed(
    running, browser, screen
):
    server, archive_no = running
    archivist = _context(browser, screen).new_page()
    log_in(archivist, server.url, "dalian_archivist")
    archivist.goto(f"{server.url}/archive/")
    archivist.click("text=档案销毁（销毁清册）")
    archivist.wait_for_url(f"{server.url}/archive/disposal/")
    assert archive_no in archivist.inner_text("table.disposal-candidates")
    _shot(archivist, screen, "1-candidates")

    archivist.click(
        "button:has-text('编制销毁清册')"
    )  # the reason is required: the browser stops at the field
    assert archivist.url == f"{server.url}/archive/disposal/"
    assert archivist.locator("section.disposal-list").count() == 0
    archivist.fill("#id_reason", "保管期限已满，经鉴定无继续保存价值")
    with archivist.expect_navigation():
        archivist.click("button:has-text('编制销毁清册')")
    listed = archivist.inner_text("section.disposal-list")
    assert archive_no in listed and "待审批" in listed and "机关负责人：待审批" in listed
    _shot(archivist, screen, "2-proposed")

    head = _context(browser, screen).new_page()
    log_in(head, server.url, "dalian_head")
    if screen == "phone" and head.locator("nav >> text=档案销毁").is_hidden():
        head.goto(f"{server.url}/archive/disposal/")
    else:
        head.click("nav >> text=档案销毁")
    head.wait_for_url(f"{server.url}/archive/disposal/")
    assert head.locator("button:has-text('编制销毁清册')").count() == 0  # the head approves, never proposes
    head.fill("section.disposal-list textarea[name=opinion]", "同意销毁")
    with head.expect_navigation():
        head.click("section.disposal-list >> button:has-text('同意销毁')")
    approved = head.inner_text("section.disposal-list")
    assert "机关负责人：" in approved and "同意销毁" in approved and "档案管理员：待审批" in approved
    assert head.locator("button:has-text('执行销毁')").count() == 0
    _shot(head, screen, "3-head-approved")

    archivist.reload()
    archivist.fill("section.disposal-list textarea[name=opinion]", "档案部门同意")
    with archivist.expect_navigation():
        archivist.click("section.disposal-list >> button:has-text('同意销毁')")
    with archivist.expect_navigation():
        archivist.click("button:has-text('执行销毁')")
    done = archivist.inner_text("main")
    assert "已销毁" in done and "销毁记录" in done, done[:800]
    _shot(archivist, screen, "4-destroyed")
    assert "destroyed by approval" in server.liuhen("verify", "--no-rehash")

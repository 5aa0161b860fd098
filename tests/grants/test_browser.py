"""调阅复制 in a real browser on the demo data: 龙江's officer asks to copy a case's records, the legal
unit (longjiang-cg§20: 法制股) approves it from the inbox, the officer sees the grant in use — on a
desktop and a phone (screenshots under /tmp/shots/grants/)."""

from __future__ import annotations

import re

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _no_codes(text: str) -> None:
    assert "UTC" not in text and not re.search(r"\b(view|copy|release|pending|live|legal_unit|head)\b", text)


@pytest.mark.parametrize("size", SIZES)
def test_legal_unit_approves_a_copy_request_from_the_inbox(server, browser, size):
    """GIVEN 龙江's officer files a 复制 request for a whole case (first without a reason: the message is
    at the field) WHEN the legal unit opens it from the inbox and approves it with an opinion THEN the
    officer's request reads 已批准，使用中 with the records it opens and the form to make the copy."""
    viewport = SIZES[size]
    officer = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=size == "phone").new_page()
    log_in(officer, server, "longjiang_officer")
    officer.goto(f"{server}/access-requests/new")
    case_no = officer.evaluate(
        "fetch('/api/cases').then(r => r.json()).then(js => js.items ? js.items[0].case_no : js[0].case_no)"
    )
    officer.fill("#id_case", case_no)
    officer.click("#case-form button[type=submit]")
    officer.wait_for_load_state()
    officer.check("input[name=kind][value=copy]")
    officer.check("input[name=whole]")
    officer.fill("#id_days", "5")
    officer.locator("textarea#id_reason").evaluate("e => e.removeAttribute('required')")
    officer.click("#request-form button[type=submit]")
    officer.wait_for_load_state()
    assert "请填写因何工作需要调阅、复制" in officer.locator("#reason-error").inner_text()
    officer.fill("#id_reason", "移送县公安局办理涉嫌妨害公务案")
    officer.click("#request-form button[type=submit]")
    officer.wait_for_load_state()
    number = officer.locator("h1").inner_text().split()[0]
    assert number.startswith("复制〔") and "待审批" in officer.locator("h1").inner_text()
    officer.screenshot(path=f"/tmp/shots/grants/filed-{size}.png", full_page=True)

    legal = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=size == "phone").new_page()
    log_in(legal, server, "longjiang_legal")
    item = legal.locator("#inbox-access_requests a", has_text=number)
    assert item.count() == 1
    legal.screenshot(path=f"/tmp/shots/grants/inbox-{size}.png", full_page=True)
    item.click()
    legal.wait_for_load_state()
    assert "第20条" in legal.locator("main").inner_text()
    legal.fill("#id_opinion", "同意复制，限办案使用")
    legal.click("button[name=approved][value='1']")
    legal.wait_for_load_state()
    assert "已批准，使用中" in legal.locator("h1").inner_text()
    _no_codes(legal.locator("main").inner_text())
    legal.screenshot(path=f"/tmp/shots/grants/approved-{size}.png", full_page=True)

    officer.reload()
    text = officer.locator("main").inner_text()
    assert "已批准，使用中" in text and "依本授权可查看的记录" in text and "制作复制件" in text
    _no_codes(text)
    officer.screenshot(path=f"/tmp/shots/grants/in-use-{size}.png", full_page=True)
    officer.context.close()
    legal.context.close()

"""案卷评查 in a real browser on the demo data: 新乐's legal unit starts a review of a demo case by its
number, reads the automatic items' evidence, fails an item without a reason (the message is at the
item), scores it with a reason and sees the running total — on a desktop and a phone (screenshots
under /tmp/shots/h2/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SHOTS = Path("/tmp/shots/h2")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("size", SIZES)
def test_legal_unit_reviews_a_case_file(server, browser, size):
    """GIVEN 新乐's legal unit WHEN it starts a review by case number, fails 事实不清 without a reason,
    then with one THEN the message is at the item, the running score is 0 (a veto) and rated 不合格,
    and no internal code or UTC time is on the page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(viewport=SIZES[size], locale="zh-CN", is_mobile=size == "phone").new_page()
    log_in(page, server, "xinle_legal")
    page.goto(f"{server}/file-reviews/")
    case_no = page.evaluate("fetch('/api/cases').then(r => r.json()).then(js => (js.items || js)[0].case_no)")
    page.fill("#id_case_no", case_no)
    page.click("form[action$='/file-reviews/new'] button[type=submit]")
    page.wait_for_load_state()
    assert "案卷评查：" in page.locator("h1").inner_text()
    assert "系统自动评定" in page.content()
    page.screenshot(path=str(SHOTS / f"review-{size}.png"), full_page=False)
    page.check("input[name='result-veto-facts'][value=fail]")
    page.click(".review-form button[type=submit]")
    page.wait_for_load_state()
    assert "不符合或不适用须写明理由" in page.locator("#item-veto-facts").inner_text()
    page.locator("#item-veto-facts").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"review-error-{size}.png"))
    page.check("input[name='result-veto-facts'][value=fail]")
    page.fill("#reason-veto-facts", "违法行为发生时间无证据证明")
    page.click(".review-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#running-score").inner_text() == "0.0"
    assert page.locator("#running-rating").inner_text() == "不合格"
    text = page.locator("main").inner_text()
    assert "UTC" not in text and not re.search(r"\b(veto|deduction|facts_evidence|auto|reviewer)\b", text)
    page.goto(f"{server}/file-reviews/")
    page.screenshot(path=str(SHOTS / f"list-{size}.png"), full_page=True)
    page.goto(f"{server}/file-reviews/rates")
    page.screenshot(path=str(SHOTS / f"rates-{size}.png"))

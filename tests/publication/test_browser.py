"""执法公示 in a real Chromium, on a desktop and on a phone: 大连's legal unit opens the list (the demo's
decisions with their deadlines, the overdue first and highlighted), records a publication — first
without its reference (refused at the field, in Chinese), then with it — and the bureau's supervisor
reads the list without any form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SHOTS = Path("/tmp/shots/h4")


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
def test_given_the_legal_unit_when_recording_a_publication_in_the_browser_then_it_is_listed(
    running, browser, screen
):
    phone = screen == "phone"
    context = browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )
    page = context.new_page()
    server = running.url
    log_in(page, server, "dalian_legal")
    page.goto(f"{server}/publications/")
    main = page.inner_text("main")
    # on a phone the table's header row is hidden and each cell labels itself (CSS ``attr(data-label)``,
    # which inner_text does not return): the label is in the page's text either way
    assert "执法公示" in main and "公示期限" in (page.text_content("main") or "")
    rows = page.locator("tr[id^=d]")
    assert rows.count() >= 2
    _shot(page, screen, "1-list")

    row = rows.first
    row.locator("summary:has-text('登记公示')").click()
    row.locator("input[name=reference]").fill("")
    with page.expect_navigation():
        row.locator("button:has-text('登记')").click()
    assert "请填写公示网址或文号" in page.inner_text("main")
    _shot(page, screen, "2-record-error")

    row = page.locator("tr[id^=d]").first
    row.locator("input[name=reference]").fill("https://www.dl.gov.cn/zfgs/2026/1.html")
    with page.expect_navigation():
        row.locator("button:has-text('登记')").click()
    assert page.url.split("#")[0].endswith("/publications/")
    main = page.inner_text("main")
    assert "公示" in main and "门户网站" in main
    _shot(page, screen, "3-recorded")
    context.close()

    context = browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )
    page = context.new_page()
    log_in(page, server, "dalian_supervisor")
    page.goto(f"{server}/publications/")
    assert page.locator("tr[id^=d]").count() >= 2
    assert "登记公示" not in page.inner_text("main")
    _shot(page, screen, "4-supervisor")
    context.close()

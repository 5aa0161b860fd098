"""The access log page in a real browser on the demo data: 龙江's officer opens a case (reads that are
logged), then the legal unit filters the log by that officer, on a desktop and a phone (screenshots
under /tmp/shots/L/)."""

from __future__ import annotations

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


def test_legal_unit_filters_the_log_by_person(server, browser):
    """GIVEN the officer opened a case WHEN the legal unit opens 访问日志 and picks the officer THEN only
    the officer's reads are listed, in Chinese, with no internal code, on a desktop and a phone."""
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "longjiang_officer")
    page.locator("#case-results a").first.click()
    page.wait_for_load_state()
    context.close()
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=size == "phone")
        page = context.new_page()
        log_in(page, server, "longjiang_legal")
        page.goto(f"{server}/access-log/")
        assert page.locator("#anomalies h2").inner_text().startswith("异常提示")
        options = page.locator("#id_person option")
        names = [options.nth(i).inner_text() for i in range(options.count())]
        officer = next(n for n in names if n != "全部人员")
        page.select_option("#id_person", label=officer)
        page.click("#log-filters button[type=submit]")
        page.wait_for_load_state()
        assert "person=" in page.url
        people = page.locator("table.access-log tbody td[data-label='人员']")
        assert people.count() >= 1
        assert all(people.nth(i).inner_text().startswith(officer) for i in range(people.count()))
        text = page.locator("main").inner_text()
        assert "UTC" not in text and "_viewed" not in text and ".viewed" not in text
        page.screenshot(path=f"/tmp/shots/L/access-log-{size}.png", full_page=True)
        context.close()

"""The statistics pages in a real Chromium on a desktop and a phone: the legal unit's dashboard draws
its charts (no CSP violation), a number opens its cases, the 年报 shows its tables; the bureau's
supervisor sees the agency it supervises. Screenshots go to /tmp/shots/h3/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SHOTS = Path("/tmp/shots/h3")


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
def test_the_legal_unit_reads_its_dashboard_follows_a_number_and_reads_the_annual_report(
    running, browser, screen
):
    """GIVEN the demo's 大连 legal unit WHEN it opens 执法统计, clicks 立案数, then opens 统计年报
    THEN the charts are drawn without a CSP violation, the list has as many cases as the number said,
    and the 年报 shows the 12 penalty categories with 本系统未记录 where nothing is recorded."""
    phone = screen == "phone"
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=phone, has_touch=phone)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    log_in(page, running.url, "dalian_legal")
    page.goto(f"{running.url}/statistics/?from=2020-01-01")
    page.wait_for_selector("[data-chart='monthly'] canvas")
    assert page.locator("canvas").count() >= 3
    _shot(page, screen, "1-dashboard")
    total = page.locator(".stats-summary .stat").first
    number = total.locator("strong").inner_text()
    total.click()
    page.wait_for_url(re.compile(r".*/statistics/cases/\?.*"))
    assert f"共 {number} 件案件" in page.inner_text("main")
    _shot(page, screen, "2-cases")
    page.goto(f"{running.url}/statistics/annual/")
    main = page.inner_text("main")
    assert "行政拘留" in main and "本系统未记录" in main and "持证率" in main
    _shot(page, screen, "3-annual")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    context.close()


def test_the_supervisor_sees_the_agency_it_supervises(running, browser):
    """GIVEN the 大连 justice bureau's supervisor WHEN it opens 执法统计 THEN it sees 大连's figures."""
    context = browser.new_context(viewport=SCREENS["desktop"])
    page = context.new_page()
    log_in(page, running.url, "dalian_supervisor")
    page.goto(f"{running.url}/statistics/?from=2020-01-01")
    main = page.inner_text("main")
    assert "大连" in main and "统计机关" in main
    _shot(page, "desktop", "4-supervisor")
    context.close()

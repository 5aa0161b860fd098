"""The home page's 待办 in a real browser, on the demo data, as the officer, the legal unit and the
archivist of 龙江, on a desktop and a phone (screenshots under /tmp/h7-*.png)."""

from __future__ import annotations

import pytest

from tests.live_server import log_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("who", ["longjiang_officer", "longjiang_legal", "longjiang_archivist"])
def test_home_page_shows_the_inbox_and_the_nav_badge(server, browser, who):
    """GIVEN the demo WHEN a 龙江 user opens the home page on a desktop and a phone THEN the nav shows
    待办 and the page shows the inbox above the case list, in Chinese, with no internal code."""
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=size == "phone")
        page = context.new_page()
        log_in(page, server, who)
        page.goto(f"{server}/")
        assert page.locator("nav .nav-inbox").inner_text().startswith("待办")
        inbox = page.locator("#inbox")
        assert inbox.is_visible()
        assert inbox.bounding_box()["y"] < page.locator("#case-results").bounding_box()["y"]
        text = inbox.inner_text()
        assert "_" not in text and "UTC" not in text
        page.screenshot(path=f"/tmp/h7-{who.split('_')[1]}-{size}.png", full_page=True)
        context.close()

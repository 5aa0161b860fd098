"""The case page on a phone (issue #11): 本阶段待办 first, then the action panels and documents, the
timeline and parties folded below; on a desktop the two columns stay. Demo data, as longjiang_officer,
in a real Chromium (screenshots /tmp/h11-*.png)."""

from __future__ import annotations

import pytest

from tests.live_server import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}
# Measured on the demo's biggest 龙江 case: 11,428 px before the reordering, 6,697 px after (the
# documents themselves are most of it); the bound leaves room for fonts and small additions.
PHONE_HEIGHT_BOUND = 8_500


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def _biggest_case(page, server: str) -> str:
    """The officer's case with the most documents (the longest page)."""
    page.goto(f"{server}/")
    links = page.eval_on_selector_all('a[href^="/cases/"]', "els => els.map(e => e.getAttribute('href'))")
    sizes = {}
    for href in {h for h in links if h.rstrip("/").split("/")[-1].isdigit()}:
        page.goto(f"{server}{href}")
        sizes[href] = page.locator("#documents .doc").count()
    return max(sizes, key=lambda href: sizes[href])


def test_given_a_phone_when_the_officer_opens_the_biggest_case_then_todo_and_documents_come_first(
    server, browser
):
    """GIVEN the demo's biggest 龙江 case on a 390×844 phone WHEN its officer opens it THEN 本阶段待办 is
    above the documents, the documents start within the first two screens and above the (folded)
    timeline, the parties come last, and the page is far shorter than before; a tap opens the timeline."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "longjiang_officer")
    page.goto(f"{server}{_biggest_case(page, server)}")

    todo, documents = _top(page, "#case-todo"), _top(page, "#documents")
    timeline, parties = _top(page, "#timeline"), _top(page, "#parties")
    assert todo < _top(page, ".action-panels") < documents < timeline < parties
    assert documents < 2 * PHONE["height"], f"documents start at {documents:.0f}px"
    height = page.evaluate("document.body.scrollHeight")
    assert height < PHONE_HEIGHT_BOUND, f"the case page is {height}px tall on a phone"
    assert not page.locator("#timeline").evaluate("d => d.open")
    assert not page.locator("#parties").evaluate("d => d.open")
    assert "_" not in page.locator("#case-todo").inner_text()
    page.screenshot(path="/tmp/h11-phone.png", full_page=True)

    page.locator("#timeline > summary").tap()
    assert page.locator("#timeline .tl").first.is_visible()
    context.close()


def test_given_a_desktop_when_the_officer_opens_the_case_then_the_two_columns_stay(server, browser):
    """GIVEN a 1400×1000 screen WHEN the officer opens the biggest case THEN 本阶段待办 is above the
    documents, the timeline is open in the left column beside the documents, parties under them."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "longjiang_officer")
    page.goto(f"{server}{_biggest_case(page, server)}")

    assert page.locator("#timeline").evaluate("d => d.open")
    assert page.locator("#parties").evaluate("d => d.open")
    timeline = page.locator("#timeline").bounding_box()
    documents = page.locator("#documents").bounding_box()
    assert _top(page, "#case-todo") < documents["y"]
    assert timeline["x"] + timeline["width"] <= documents["x"]  # side by side
    assert abs(timeline["y"] - documents["y"]) < 5
    assert _top(page, "#parties") > documents["y"] + documents["height"] - 1
    page.screenshot(path="/tmp/h11-desktop.png")
    context.close()

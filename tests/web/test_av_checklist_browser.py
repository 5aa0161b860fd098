"""The 音像记录事项清单 in a real browser: choosing 执法环节 narrows the list to that activity."""

from __future__ import annotations

import pytest

from tests.live_server import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_given_the_upload_panel_when_an_activity_is_chosen_then_only_its_items_show(server, browser):
    """GIVEN a longjiang officer's case page WHEN the upload panel opens and 询问 is chosen THEN the list
    opens with the inquiry items alone; WHEN 整改复查 (nothing listed) is chosen THEN the list hides."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    log_in(page, server, "longjiang_officer")
    page.goto(f"{server}/")
    links = page.eval_on_selector_all('a[href^="/cases/"]', "els => els.map(e => e.getAttribute('href'))")
    for href in [h for h in links if h.rstrip("/").split("/")[-1].isdigit()]:
        page.goto(f"{server}{href}")
        if page.locator("#panel-media").count():
            break
    else:
        raise AssertionError("no case of longjiang_officer offers the upload panel")
    page.click("#panel-media > summary")
    box = page.locator("[data-av-checklist]")
    assert box.locator("details").get_attribute("open") is None
    page.select_option('#panel-media select[name="activity"]', "inquiry")
    assert box.locator("details").get_attribute("open") is not None
    assert box.locator('[data-activity="inquiry"]').is_visible()
    assert not box.locator('[data-activity="inspection"]').is_visible()
    box.screenshot(path="/tmp/h24-checklist-box.png")
    page.locator("#panel-media").screenshot(path="/tmp/h24-checklist.png")
    page.select_option('#panel-media select[name="activity"]', "rectification_check")
    assert not box.is_visible()
    page.close()


def test_given_the_resumable_upload_page_on_a_phone_when_an_activity_is_chosen_then_both_guides_narrow(
    server, browser
):
    """GIVEN a xinle officer on the resumable upload page on a 390×844 phone WHEN 询问 is chosen THEN the
    事项清单 and the 执法行为用语指引 open on the inquiry's items alone, as in the case page's panel."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "xinle_officer")
    page.goto(f"{server}/evidence/upload/")
    boxes = page.locator("[data-av-checklist]")
    assert boxes.count() == 2
    page.select_option("#upload-activity", "inquiry")
    for i in range(2):
        box = boxes.nth(i)
        assert box.locator("details").get_attribute("open") is not None
        assert box.locator('[data-activity="inquiry"]').is_visible()
        assert not box.locator('[data-activity="inspection"]').is_visible()
    assert "执法行为用语指引：询问" in (boxes.nth(1).locator("summary").text_content() or "")
    page.screenshot(path="/tmp/h25-upload-page-guides-phone.png", full_page=True)
    context.close()

"""A long 询问笔录 written in two sittings, in a real Chromium on a desktop and on a phone: started on the
case page, saved as a draft, found again in the case's 草稿 list, finalised with the catalogue's
Chinese errors first, then for real."""

from __future__ import annotations

import re

import pytest

from liuhen.catalogue import example_fields
from tests.live_server import log_in
from tests.web.helpers import fill_example

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
FIRST_SITTING = ("place", "interviewee_name", "qa_content")


def _open_writable_case(page, server: str) -> None:
    page.goto(f"{server}/")
    links = page.eval_on_selector_all('a[href^="/cases/"]', "els => els.map(e => e.getAttribute('href'))")
    for href in [h for h in links if re.fullmatch(r"/cases/[0-9]+/", h)]:
        page.goto(f"{server}{href}")
        if page.locator("#panel-document").count():
            return
    raise AssertionError("no open case of the officer's agency")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_given_a_long_inquiry_when_saved_as_draft_and_finished_later_then_it_becomes_the_record(
    server, browser, screen
):
    """GIVEN longjiang_officer on an open case WHEN they start a 询问笔录, save it as a draft, come back to
    it from the case page, try 定稿 too early and then finish it THEN the draft is marked as not a record,
    the early 定稿 names the missing fields in Chinese, and the final one puts the record on the case."""
    phone = screen == "phone"
    context = browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )
    page = context.new_page()
    log_in(page, server, "longjiang_officer")
    _open_writable_case(page, server)
    case_url = page.url.split("#")[0]

    page.click("#panel-document summary")
    page.select_option("#id_doc_type", "inquiry_record")
    page.click("#panel-document .chooser button[type=submit]")
    page.wait_for_selector("#docform [name='f_qa_content']")
    fill_example(page, "inquiry_record", FIRST_SITTING)
    page.click("#docform button[name='save_draft']")
    page.wait_for_url(re.compile(r".*/drafts/[0-9]+/$"))
    draft_url = page.url
    assert "草稿（未定稿，不是正式记录）" in page.inner_text("#docform")
    assert page.input_value("#docform [name='f_place']") == example_fields("inquiry_record")["place"]
    page.screenshot(path=f"/tmp/h8-{screen}-1-draft.png", full_page=True)

    page.goto(case_url)
    drafts = page.locator("#drafts")
    assert "草稿（未定稿，不是正式记录）" in drafts.inner_text()
    drafts.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/h8-{screen}-2-case-drafts.png")
    drafts.locator(f"a[href='{draft_url.removeprefix(server)}']").click()
    page.wait_for_url(draft_url)

    page.click("#docform button[name='finalise']")
    page.wait_for_selector("#docform .field.has-error")
    errors = page.inner_text("#docform")
    assert "询问开始时间为必填项" in errors and "栏目需要更正" in errors
    page.locator("#docform .field.has-error").first.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/h8-{screen}-3-finalise-errors.png")

    fill_example(page, "inquiry_record")
    page.click("#docform button[name='finalise']")
    page.wait_for_url(re.compile(r".*/cases/[0-9]+/#doc-[0-9]+$"))
    document_id = page.url.rsplit("#doc-", 1)[1]
    record = page.locator(f"#doc-{document_id}")
    assert "询问(调查)笔录" in record.inner_text()
    assert page.locator(f"#drafts a[href='{draft_url.removeprefix(server)}']").count() == 0
    record.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/h8-{screen}-4-record.png")
    context.close()

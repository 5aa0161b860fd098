"""End to end in a real Chromium: a real server (``liuhen serve``) in a subprocess, driven with Playwright.

The server and browser come from :mod:`tests.live_server`; screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import pytest

from tests.live_server import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _fill_inquiry_record(page) -> None:
    """Fill the generated 询问笔录 form as an officer would."""
    page.fill("#id_f_inquiry_started_at", "2026-03-02T09:30")
    page.fill("#id_f_inquiry_ended_at", "2026-03-02T10:15")
    page.fill("#id_f_place", "执法局询问室")
    page.locator("input[name=f_officer_pick]:not(:checked)").first.check()  # a colleague beside oneself
    page.select_option("#id_f_certificates_shown", "true")
    page.fill("#id_f_recorder_name", "李娜")
    page.fill("#id_f_interviewee_name", "王某某")
    page.select_option("#id_f_interviewee_role", "party")
    page.fill("#id_f_interviewee_id_no", "210211198503152318")
    page.fill("#id_f_interviewee_address", "大连市甘井子区某某街道12号")
    page.check("input[name=f_rights_notified][value=statement]")
    page.check("input[name=f_rights_notified][value=defence]")
    page.select_option("#id_f_rights_notice_method", "oral")
    page.select_option("#id_f_recording_notified", "true")
    page.fill("#id_f_qa_content", "问：你是否在黄浦路某号门前摆摊卖水果？\n答：是的。")


def test_given_an_officer_when_opening_a_case_and_adding_an_inquiry_record_then_it_is_on_the_timeline(
    server, browser
):
    """GIVEN the demo data and a real server WHEN an officer logs in, opens a case with a new party, chooses
    询问笔录, fills the generated form and saves it THEN the record is on the whole-process timeline; the
    case page is screenshotted at desktop and phone size."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "dalian_officer")
    assert page.locator("h1").first.inner_text() == "案件列表"

    page.click("text=＋ 立案")
    page.select_option("#id_initiation_kind", "ex_officio")
    page.fill("#id_cause", "擅自占用城市道路摆摊经营")
    page.fill("#id_summary", "巡查发现当事人在人行道摆摊销售水果。")
    page.click("summary:has-text('登记新的当事人')")
    page.select_option("#id_new_party_kind", "person")
    page.fill("#id_new_party_name", "王某某")
    page.click("button:has-text('立案')")
    page.wait_for_url("**/cases/*/")
    assert "擅自占用城市道路摆摊经营" in page.locator("h1").inner_text()

    page.click("summary:has-text('制作文书')")
    page.select_option("#id_doc_type", "inquiry_record")
    page.click("#panel-document button:has-text('填写')")
    page.wait_for_selector("#id_f_qa_content")  # the form generated from the catalogue, loaded by htmx
    assert "/cases/" in page.url and "documents/new" not in page.url
    _fill_inquiry_record(page)
    page.click("button:has-text('保存（定稿）')")
    page.wait_for_url("**/cases/*/#doc-*")

    timeline = page.locator("#timeline")
    assert "询问(调查)笔录：被询问人 王某某" in timeline.inner_text()
    assert "立案/程序启动" in timeline.inner_text()
    page.screenshot(path=str(ARTIFACTS / "case-page.png"), full_page=True)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        storage_state=context.storage_state(),
    )
    mobile = phone.new_page()
    mobile.goto(page.url.split("#")[0])
    assert "询问(调查)笔录" in mobile.locator("#timeline").text_content()  # folded on a phone
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the case page scrolls sideways on a phone ({width}px wide)"
    mobile.screenshot(path=str(ARTIFACTS / "case-page-phone.png"), full_page=False)
    mobile.screenshot(path=str(ARTIFACTS / "case-page-phone-full.png"), full_page=True)
    phone.close()
    context.close()

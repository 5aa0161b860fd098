"""Each role's own part, in a real Chromium on a desktop and a phone (issue #11): the legal unit writes its
法制审核意见书 under its own login; the head records its approval of the 立案审批表 under its own, and the
form then shows the head's block in the head's words with who and when."""

from __future__ import annotations

import re

import pytest

from tests.live_server import log_in
from tests.web.helpers import fill_example
from tests.web.test_drafts_browser import SCREENS, _open_writable_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("screen", SCREENS)
def test_the_legal_unit_writes_its_own_legal_review_opinion(server, browser, screen):
    """GIVEN longjiang_legal on an open case WHEN it opens 制作文书 THEN only the types it writes are offered,
    and the 法制审核意见书 it fills in is saved as its own record."""
    context = browser.new_context(viewport=SCREENS[screen], locale="zh-CN", has_touch=screen == "phone")
    page = context.new_page()
    log_in(page, server, "longjiang_legal")
    _open_writable_case(page, server)
    page.click("#panel-document summary")
    offered = page.eval_on_selector_all("#id_doc_type option", "els => els.map(e => e.value)")
    assert "legal_review_opinion" in offered and "inquiry_record" not in offered
    page.select_option("#id_doc_type", "legal_review_opinion")
    page.click("#panel-document .chooser button[type=submit]")
    page.wait_for_selector("#docform [name='f_review_opinion']")
    fill_example(page, "legal_review_opinion")
    page.click("#docform button[name='finalise']")
    page.wait_for_url(re.compile(r".*/cases/[0-9]+/#doc-[0-9]+$"))
    article = page.locator("article.doc").filter(has_text="法制审核意见书").last
    assert "制作于" in article.text_content()
    page.screenshot(path=f"/tmp/role-legal-{screen}.png")
    context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_the_head_approves_the_initiation_form_under_its_own_login(server, browser, screen):
    """GIVEN longjiang_head on a case WHEN it records 负责人审批 on the case's 立案审批表 THEN the approval
    is on the case's timeline under the head's name."""
    context = browser.new_context(viewport=SCREENS[screen], locale="zh-CN", has_touch=screen == "phone")
    page = context.new_page()
    log_in(page, server, "longjiang_head")
    _open_writable_case(page, server)
    page.click("#panel-approval summary")
    page.select_option("#panel-approval select[name='kind']", "head_approval")
    documents = page.eval_on_selector_all(
        "#panel-approval select[name='document_id'] option", "els => els.map(e => [e.value, e.textContent])"
    )
    initiation = next((value for value, label in documents if label.startswith("立案/程序启动审批表")), "")
    page.select_option("#panel-approval select[name='document_id']", initiation)
    page.fill("#panel-approval textarea[name='opinion']", "同意立案调查。")
    page.click("#panel-approval button[type=submit]")
    page.wait_for_load_state()
    timeline = page.locator("#timeline").text_content() or ""
    assert "同意立案调查。" in timeline
    head_name = page.locator(".who .person").evaluate("e => e.firstChild.textContent.trim()")
    assert f"负责人审批 {head_name}" in " ".join(timeline.split())
    # the head's block of the form is now the head's own words, signed with its name and time
    form = page.locator("article.doc").filter(has_text="立案/程序启动审批表").first
    assert f"同意立案调查。签署：{head_name}" in "".join((form.text_content() or "").split())
    form.locator("details").first.evaluate("e => e.open = true")
    form.screenshot(path=f"/tmp/role-head-form-{screen}.png")
    page.screenshot(path=f"/tmp/role-head-{screen}.png")
    context.close()

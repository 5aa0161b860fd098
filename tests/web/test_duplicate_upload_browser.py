"""The same photo uploaded twice on a phone (issue #11, A/V at work): the case page says so at the file
and offers to link the existing record to the ticked document; the resumable page says so too."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.live_server import log_in
from tests.web.test_drafts_browser import SCREENS, _open_writable_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _upload_on_case_page(page, photo, title: str, *, tick: bool) -> None:
    if page.locator("#panel-media").get_attribute("open") is None:
        page.click("#panel-media > summary")
    page.set_input_files("#panel-media input[type=file]", str(photo))
    page.select_option("#panel-media select[name='kind']", "photo")
    page.fill("#panel-media input[name='title']", title)
    if tick:
        page.locator("#panel-media input[name='linked_document_ids']").first.check()
    page.click("#panel-media form[enctype] button[type=submit]")
    page.wait_for_load_state()


def test_given_the_same_photo_twice_on_a_phone_then_the_offer_links_the_existing_record(
    server, browser, tmp_path
):
    """GIVEN xinle_officer on a demo case on a 390×844 phone WHEN the same photo is uploaded twice, the
    second time with a document ticked THEN the page says at the file, in Chinese, which record holds it
    and offers to link it; WHEN the offer is taken THEN the record is linked; and WHEN the same photo goes
    through the resumable page THEN it says so with a button to link it."""
    photo = tmp_path / "现场照片.png"
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(picture, format="PNG")
    photo.write_bytes(picture.getvalue())
    context = browser.new_context(viewport=SCREENS["phone"], is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "xinle_officer")
    _open_writable_case(page, server)
    case_url = page.url.split("#")[0]
    case_id = re.search(r"/cases/([0-9]+)/", case_url)[1]

    _upload_on_case_page(page, photo, "现场照片（第一次）", tick=False)
    assert "现场照片（第一次）" in (page.locator("#timeline").text_content() or "")
    _upload_on_case_page(page, photo, "现场照片（第二次）", tick=True)

    error = " ".join((page.locator("#panel-media .field.has-error").first.text_content() or "").split())
    assert "该文件已作为本案音像记录「现场照片（第一次）」" in error and "无需重复上传" in error
    offer = page.locator("#duplicate-offer")
    assert offer.is_visible() and "关联已有记录到所选文书" in (offer.text_content() or "")
    offer.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/dupupload-phone-offer.png")

    offer.locator("button").click()
    page.wait_for_load_state()
    message = " ".join((page.locator(".messages").text_content() or "").split())
    assert "已为「现场照片（第一次）」关联文书" in message
    page.screenshot(path="/tmp/dupupload-phone-linked.png")

    page.goto(f"{server}/evidence/upload/?case={case_id}")
    page.locator("#upload-documents input[name='linked_document_ids']").nth(1).check()
    page.set_input_files("#upload-file", str(photo))
    page.click("#start")
    page.wait_for_selector("#status .duplicate-offer")
    status = " ".join((page.locator("#status").text_content() or "").split())
    assert "该文件已作为本案音像记录「现场照片（第一次）」" in status and "自动重试" not in status
    page.locator("#status").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/dupupload-phone-tus.png")
    page.click("#status .duplicate-offer button")
    page.wait_for_url(re.compile(r".*/cases/[0-9]+/.*"))
    assert "关联文书" in " ".join((page.locator(".messages").text_content() or "").split())
    context.close()

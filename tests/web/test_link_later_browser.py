"""The officer's A/V path on a phone (issue #11): a photo uploaded from the case page without ticking its
document, then linked to the document later from the recording on the timeline."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.live_server import log_in
from tests.web.test_drafts_browser import SCREENS, _open_writable_case

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_given_a_photo_uploaded_without_its_document_when_linked_later_then_the_link_is_kept(
    server, browser, tmp_path
):
    photo = tmp_path / "现场照片.png"
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 160, 90)).save(picture, format="PNG")
    photo.write_bytes(picture.getvalue())
    context = browser.new_context(viewport=SCREENS["phone"], is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    log_in(page, server, "longjiang_officer")
    _open_writable_case(page, server)

    page.click("#panel-media > summary")
    page.set_input_files("#panel-media input[type=file]", str(photo))
    page.select_option("#panel-media select[name='kind']", "photo")
    page.fill("#panel-media input[name='title']", "现场检查照片（补关联）")
    page.click("#panel-media button[type=submit]")
    page.wait_for_load_state()
    assert "现场检查照片（补关联）" in (page.locator("#timeline").text_content() or "")

    def link_first_document() -> str:
        item = page.locator("#timeline li.tl").filter(has_text="现场检查照片（补关联）").last
        if page.locator("#timeline").get_attribute("open") is None:  # folded on a phone
            page.click("#timeline > summary")
        item.locator("details.media-docs > summary").click()
        item.locator("details.media-docs input[name='document_ids']").first.check()
        item.locator("details.media-docs button[type=submit]").click()
        page.wait_for_load_state()
        return " ".join((page.locator(".messages").text_content() or "").split())

    assert "已为「现场检查照片（补关联）」关联文书" in link_first_document()
    page.screenshot(path="/tmp/link-later-phone.png")
    # the link is a record now: the same document cannot be linked twice
    assert "所选文书均已与该音像记录关联" in link_first_document()
    context.close()

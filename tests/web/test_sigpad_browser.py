"""The signature pad on a phone (390×844, touch): the party signs with a finger in a real Chromium, and
the officer downloads the sealed PDF with the signature in it."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tests.issuing.pdfcheck import text_of
from tests.live_server import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = "/tmp/h2-phone.png"


def _open_case_with_a_document(page, server: str) -> None:
    """The first demo case whose page offers 签名 on a document (open, of the officer's agency)."""
    page.goto(f"{server}/")
    links = page.eval_on_selector_all('a[href^="/cases/"]', "els => els.map(e => e.getAttribute('href'))")
    for href in [h for h in links if h.rstrip("/").split("/")[-1].isdigit()]:
        page.goto(f"{server}{href}")
        if page.locator(".doc-actions summary:has-text('签名')").count():
            return
    raise AssertionError("no demo case with a document to sign")


def _draw(cdp, box: dict) -> None:
    """A name written with a finger: three touch strokes across the pad."""
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    for stroke in range(3):
        points = [
            (x0 + w * (0.15 + 0.25 * stroke + 0.02 * i), y0 + h * (0.3 + 0.04 * (i % 6))) for i in range(10)
        ]
        kinds = ["touchStart"] + ["touchMove"] * (len(points) - 2) + ["touchEnd"]
        for kind, (x, y) in zip(kinds, points, strict=True):
            touch = [] if kind == "touchEnd" else [{"x": x, "y": y, "force": 0.6, "radiusX": 4, "radiusY": 4}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch})


def test_given_a_phone_when_the_party_signs_with_a_finger_then_the_signature_image_is_recorded(
    server, browser
):
    """GIVEN an officer's phone (390×844, touch) on a case page WHEN the party draws a signature on the pad
    and the officer records it THEN the page shows the signature with its thumbnail (the stroke image);
    重写 clears the pad first."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    log_in(page, server, "dalian_officer")
    _open_case_with_a_document(page, server)
    document = page.locator("article.doc", has=page.locator(".doc-actions summary:has-text('签名')")).last
    document.locator(".doc-actions summary:has-text('签名')").first.click()
    form = document.locator("form.sign-form")
    pad = form.locator("canvas.sigpad-canvas")
    pad.scroll_into_view_if_needed()
    assert pad.is_visible()
    assert pad.evaluate("c => getComputedStyle(c).touchAction") == "none"
    cdp = context.new_cdp_session(page)

    _draw(cdp, pad.bounding_box())
    assert "已签名" in form.locator("[data-sigpad-status]").inner_text()
    form.locator("[data-sigpad-clear]").click()
    assert form.locator("[data-sigpad-status]").inner_text() == "请在框内签名"
    _draw(cdp, pad.bounding_box())

    form.locator("select[name$='-signer_role']").select_option("party")
    form.locator("input[name$='-signer_name']").fill("王某某")
    form.locator("select[name$='-method']").select_option("electronic")
    form.locator("button:has-text('记录签名')").click()
    page.wait_for_url("**/cases/*/#doc-*")

    thumb = page.locator(".mark-thumb img").last
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [800, 300]
    page.screenshot(path=SCREENSHOT, full_page=False)

    # the officer downloads the document as the sealed PDF: the drawn signature is in its block
    article = page.locator("article.doc", has=page.locator(".mark-thumb img")).last
    with page.expect_download() as download:
        article.locator("a:has-text('下载 PDF（存档联）')").click()
    pdf = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith("存档联.pdf")
    [seal] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures  # the server's roots are not ours: no trust
    with ThreadPoolExecutor(1) as pool:  # pyHanko runs its own event loop; Playwright's owns this thread
        status = pool.submit(validate_pdf_signature, seal, ValidationContext(trust_roots=[])).result()
    assert status.intact and status.valid
    assert "当事人：王某某" in text_of(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        sizes = {
            (int(x.Width), int(x.Height))
            for p in opened.pages
            for x in (p.Resources.get("/XObject") or {}).values()
            if x.get("/Subtype") == "/Image"
        }
    assert (800, 300) in sizes  # the stroke image from the pad, as drawn
    context.close()


def test_given_a_phone_camera_photo_over_the_limit_when_attached_then_the_browser_shrinks_it_and_it_is_kept(
    server, browser, tmp_path
):
    """GIVEN a 4000×3000 camera photo of a fingerprint, well over the 2 MiB limit WHEN the officer attaches it
    to a signature on the phone THEN the page shrinks it before sending, the server keeps it, and the
    panel shows it — no retaking the photo."""
    from PIL import Image

    photo = tmp_path / "IMG_0001.jpg"
    noise = Image.effect_noise((4000, 3000), 90).convert("RGB")
    noise.save(photo, format="JPEG", quality=98)
    assert photo.stat().st_size > 2 * 1024 * 1024
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, server, "dalian_officer")
    _open_case_with_a_document(page, server)
    document = page.locator("article.doc", has=page.locator(".doc-actions summary:has-text('签名')")).last
    document.locator(".doc-actions summary:has-text('签名')").first.click()
    form = document.locator("form.sign-form")
    form.locator("input[type=file][name$='-fingerprint']").set_input_files(str(photo))
    page.wait_for_function(
        "f => f.files.length && f.files[0].type === 'image/jpeg' && f.files[0].size < 2097152",
        arg=form.locator("input[type=file][name$='-fingerprint']").element_handle(),
    )
    form.locator("select[name$='-signer_role']").select_option("party")
    form.locator("input[name$='-signer_name']").fill("王某某")
    form.locator("select[name$='-method']").select_option("fingerprint")
    form.locator("button:has-text('记录签名')").click()
    page.wait_for_url("**/cases/*/#doc-*")
    thumb = page.locator(".mark-thumb img").last
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => Math.max(img.naturalWidth, img.naturalHeight)") == 2000
    context.close()

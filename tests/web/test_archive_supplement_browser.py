"""补充归档 in a real Chromium, on a desktop and on a phone (issue #12): the demo's archived xinle case
(filed by its archivist and second archivist, never by a plain move) gets a late court ruling uploaded by
the archivist on the case file's page; the head approves it on the 补充归档 page; the case file then
lists it with the next 件号."""

from __future__ import annotations

import io

import pikepdf
import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
ARCHIVED_CASE = """
from liuhen.cases.models import Case
print(Case.objects.get(agency__code="xinle-fg", stage="archived").pk)
"""


@pytest.fixture
def running(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _ruling(tmp_path) -> str:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    path = tmp_path / "判决书.pdf"
    path.write_bytes(out.getvalue())
    return str(path)


def _piece_numbers(page) -> list[int]:
    """The 件号 shown on the case file page (the catalogue and the approved supplements)."""
    cells = page.eval_on_selector_all(
        "table.archive-items td[data-label='件号']", "els => els.map(e => e.textContent.trim())"
    )
    return [int(n) for n in cells if n.isdigit()]


def _shot(page, screen: str, step: str) -> None:
    page.screenshot(path=f"/tmp/archive-finish-{screen}-{step}.png", full_page=True)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_given_an_archived_case_when_a_ruling_is_supplemented_and_approved_then_it_takes_the_next_piece(
    running, browser, screen, tmp_path
):
    phone = screen == "phone"
    context = browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )
    page = context.new_page()
    server = running.url
    case_id = running.liuhen("shell", "-c", ARCHIVED_CASE).strip().splitlines()[-1]

    log_in(page, server, "xinle_archivist")
    page.goto(f"{server}/cases/{case_id}/")
    assert "本案件已归档" in page.inner_text("#case-archived")
    page.goto(f"{server}/archive/cases/{case_id}/")
    main = page.inner_text("main")
    assert "已签署归档" in main and "郝静" in main  # the demo's second archivist checked it
    last = max(_piece_numbers(page))
    page.locator("#supplements summary").click()
    page.set_input_files("#id_file", _ruling(tmp_path))
    page.fill("#id_title", "行政判决书（驳回诉讼请求）")
    page.fill("#id_responsible", "新乐市人民法院")
    page.fill("#id_date", "2026-11-20")
    page.fill("#id_doc_no", "（2026）冀0184行初7号")
    page.fill("#id_reason", "当事人提起行政诉讼，判决书于案卷签署后送达")
    with page.expect_navigation():
        page.click("text=上传并提交审批")
    section = page.inner_text("#supplements")
    assert "行政判决书（驳回诉讼请求）" in section and "待机关负责人审批" in section
    _shot(page, screen, "1-supplement-pending")
    context.clear_cookies()

    log_in(page, server, "xinle_head")
    page.goto(f"{server}/cases/{case_id}/")
    with page.expect_navigation():
        page.locator("#case-archived").get_by_text("补充归档", exact=True).click()
    assert "审批同意" in page.inner_text("main")
    _shot(page, screen, "2-approval-page")
    with page.expect_navigation():
        page.click("text=审批同意")
    main = page.inner_text("main")
    assert "已计入案卷" in main and "已审批" in main
    _shot(page, screen, "3-approved")
    context.clear_cookies()

    log_in(page, server, "xinle_archivist")
    page.goto(f"{server}/archive/cases/{case_id}/")
    assert sorted(set(_piece_numbers(page))) == list(range(1, last + 2))  # no gap, the ruling is last + 1
    ruling = page.locator("#supplements tbody tr", has_text="行政判决书（驳回诉讼请求）")
    assert ruling.locator("td[data-label='件号']").inner_text().strip() == str(last + 1)
    _shot(page, screen, "4-case-file")
    context.close()

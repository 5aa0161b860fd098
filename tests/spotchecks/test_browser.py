"""A spot check in a real browser on the demo data, on a desktop and a phone (screenshots under
/tmp/shots/spotchecks/): 龙江's legal unit (法制股, longjiang-cg§22) announces a check (first without a
name: the message is at the field), draws it, fails an item with its reason, sends the handler a
rectification, and exports the check register, whose download arrives and parses."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.live_server import chromium, live_server, log_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SHOTS = "/tmp/shots/spotchecks"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _no_codes(text: str) -> None:
    assert "UTC" not in text
    assert not re.search(r"\b(pass|fail|na|opened|enforcement|both|legal_unit|signatures-complete)\b", text)


@pytest.mark.parametrize("size", SIZES)
def test_spot_check_from_announcement_to_register_export(server, browser, size):
    """GIVEN 龙江's legal unit WHEN it announces, draws, fails an item, rectifies and exports the
    register THEN each page reads in Chinese and the CSV and Excel downloads hold the failed item."""
    viewport = SIZES[size]
    page = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=size == "phone", accept_downloads=True
    ).new_page()
    log_in(page, server, "longjiang_legal")
    page.goto(f"{server}/spot-checks/")
    page.fill("#id_period_from", "2000-01-01")
    page.fill("#id_period_to", date.today().isoformat())
    page.fill("#id_sample_size", "2")
    page.click(".spot-form button[type=submit]")
    page.wait_for_load_state()
    assert "请填写抽查名称" in page.locator("#title-error").inner_text()
    page.screenshot(path=f"{SHOTS}/announce-error-{size}.png", full_page=True)
    page.fill("#id_title", f"浏览器抽查{size}")
    page.click(".spot-form button[type=submit]")
    page.wait_for_load_state()
    assert "待抽签" in page.locator("h1").inner_text()

    page.click("form[action$='/draw'] button")
    page.wait_for_load_state()
    assert "已抽签" in page.locator("h1").inner_text()
    facts = page.locator(".draw-facts").inner_text()
    assert "种子" in facts and re.search(r"[0-9a-f]{64}", facts)
    section = page.locator("section.sample").first
    sample_id = section.get_attribute("id").split("-")[1]
    case_no = section.locator("h2 a").inner_text()
    _no_codes(page.locator("main").inner_text())
    page.screenshot(path=f"{SHOTS}/drawn-{size}.png", full_page=True)

    item = page.locator(f"#item-{sample_id}-signatures-complete")
    item.locator("input[name=verdict][value=fail]").check()
    item.locator("form.judge-form button").click()
    page.wait_for_load_state()
    item = page.locator(f"#item-{sample_id}-signatures-complete")
    assert "判定为不合格须写明问题" in item.locator(".error").inner_text()
    item.locator("input[name=verdict][value=fail]").check()
    item.locator("input[name=remark]").fill("询问笔录末页缺当事人签名")
    item.locator("form.judge-form button").click()
    page.wait_for_load_state()
    item = page.locator(f"#item-{sample_id}-signatures-complete")
    assert "不合格" in item.inner_text()
    item.locator("details.rectify summary").click()
    item.locator("textarea[name=requirement]").fill("补正签名或注明拒签")
    item.locator("details.rectify button").click()
    page.wait_for_load_state()
    assert "整改通知" in page.locator("h1").inner_text() and "待整改" in page.locator("h1").inner_text()
    page.screenshot(path=f"{SHOTS}/rectification-{size}.png", full_page=True)

    page.goto(f"{server}/spot-checks/register/?result=fail")
    assert case_no in page.locator("main").inner_text()
    _no_codes(page.locator("main").inner_text())
    page.screenshot(path=f"{SHOTS}/register-{size}.png", full_page=True)
    with page.expect_download() as got:
        page.click("a:has-text('导出 Excel')")
    assert got.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(got.value.path().read_bytes())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "抽查编号" and any(r[3] == case_no and r[7] == "不合格" for r in rows[1:])
    with page.expect_download() as got:
        page.click("a:has-text('导出 CSV')")
    text = got.value.path().read_text(encoding="utf-8-sig")
    assert any(r[3] == case_no for r in csv.reader(io.StringIO(text)))

    page.goto(f"{server}/spot-checks/assessment/")
    assert "按执法人员" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/assessment-{size}.png", full_page=True)

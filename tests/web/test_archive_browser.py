"""The archivist's path in a real Chromium, on a desktop and on a phone: the queue with its deadline,
the case file's catalogue by volume and stage, a reorder across stages refused, the 立卷人 signs, a
second archivist signs as 检查人, and the case is archived and read-only."""

from __future__ import annotations

import re

import pytest

from tests.live_server import chromium, live_server, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
CHECKER = "dalian_archivist2"  # the demo's second archivist, the 检查人
CHECKER_PASSWORD = "liuhen-demo"
CLOSE_ONE_MORE = """
from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.cases.services import case_transition
head = User.objects.get(username="dalian_head")
case = Case.objects.filter(agency=head.agency, stage="decision").order_by("pk").first()
case_transition(case=case, by=head, to_stage="closed", reason="不予处罚，提前结案", override=True)
"""


@pytest.fixture
def running(tmp_path_factory):
    """A fresh demo per screen (each screen archives the demo's closed summary case), plus a case closed
    early without its 履行情况记录 (the archiving gate refuses it)."""
    with live_server(tmp_path_factory.mktemp("liuhen-data")) as server:
        server.liuhen("shell", "-c", CLOSE_ONE_MORE)
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


# what a crafted request would post: the whole order in one field (the page itself only moves up/down)
_POST_ORDER = """([url, order]) => {
  const f = document.createElement('form'); f.method = 'post'; f.action = url;
  const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
  for (const [k, v] of [['order', order], ['csrfmiddlewaretoken', token]]) {
    const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.append(i);
  }
  document.body.append(f); f.submit();
}"""


def _shot(page, screen: str, step: str) -> None:
    page.screenshot(path=f"/tmp/archive-core-{screen}-{step}.png", full_page=True)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_given_a_closed_case_when_two_archivists_sign_then_it_is_archived_and_read_only(
    running, browser, screen
):
    phone = screen == "phone"
    context = browser.new_context(
        viewport=SCREENS[screen], is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1
    )
    page = context.new_page()
    server = running.url
    log_in(page, server, "dalian_archivist")
    page.click("nav >> text=案卷归档")
    page.wait_for_url(f"{server}/archive/")
    queue = page.inner_text("main")
    assert re.search(r"剩 [0-9]+ 天|已逾期 [0-9]+ 天", queue), queue[:300]  # the archive clock
    _shot(page, screen, "1-queue")
    links = page.locator("table.archive-queue a.btn")
    assert links.count() >= 1, "the demo has a closed case of dalian waiting to be archived"
    links.first.click()
    page.wait_for_url(re.compile(r".*/archive/cases/[0-9]+/$"))
    file_url = page.url
    case_id = file_url.rstrip("/").rsplit("/", 1)[1]
    main = page.inner_text("main")
    assert "卷内文件目录" in main and "正卷" in main and "保管期限" in main
    _shot(page, screen, "2-assembly")

    # moving the first item of a stage up would cross into the stage before: the button is disabled,
    # and a crafted order across stages is refused at the field
    first_up = page.locator("table.archive-items").first.locator("button[value=up]").first
    assert first_up.is_disabled()
    records = page.eval_on_selector_all(
        "table.archive-items input[name=record]", "els => els.map(e => e.value)"
    )
    assert len(records) >= 2
    swapped = [records[-1], *records[1:-1], records[0]]
    with page.expect_navigation():
        page.evaluate(_POST_ORDER, [f"/archive/cases/{case_id}/order", "\n".join(swapped)])
    assert "卷内顺序" in page.inner_text("main") and "阶段" in page.inner_text("main")
    _shot(page, screen, "3-refused")
    page.goto(file_url)

    page.click("text=作为立卷人签署")
    page.wait_for_url(file_url)
    assert "请由另一位档案管理员检查并签署" in page.inner_text("main")
    _shot(page, screen, "4-compiled")
    context.clear_cookies()

    log_in(page, server, CHECKER, CHECKER_PASSWORD)
    page.goto(file_url)
    with page.expect_navigation():
        page.click("text=作为检查人签署并归档")
    main = page.inner_text("main")
    assert "案卷已签署归档，档号" in main and "案件已转为只读" in main, main[:400]
    assert "下载案卷 PDF" in main and "下载归档信息包" in main
    _shot(page, screen, "5-signed")

    page.goto(f"{server}/cases/{case_id}/")
    assert "归档" in page.inner_text("main")
    assert page.locator("#panel-document").count() == 0  # read-only: no new document
    _shot(page, screen, "6-case-read-only")

    # the case closed early without its 履行情况记录: the archiving gate refuses the 检查人, naming the rule
    page.goto(f"{server}/archive/")
    page.locator("table.archive-queue a.btn").first.click()
    page.wait_for_url(re.compile(r".*/archive/cases/[0-9]+/$"))
    early_url = page.url
    context.clear_cookies()
    log_in(page, server, "dalian_archivist")
    page.goto(early_url)
    page.click("text=作为立卷人签署")
    page.wait_for_url(early_url)
    context.clear_cookies()
    log_in(page, server, CHECKER, CHECKER_PASSWORD)
    page.goto(early_url)
    with page.expect_navigation():
        page.click("text=作为检查人签署并归档")
    refused = page.inner_text("main")
    assert "履行情况记录" in refused and "立卷人已签署，待检查" in refused and "第18条" in refused
    assert "§" not in refused
    _shot(page, screen, "7-gate-refused")
    context.close()

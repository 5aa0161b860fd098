"""The statistics pages: charts and tables whose every number links to its cases, the 年报, the
drill-down list, errors at the field, exports and the printable report."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from liuhen.core import clock
from tests.stats.world import make_world, realistic_sequence

pytestmark = pytest.mark.django_db

THIS_YEAR = clock.now().astimezone(clock.SHANGHAI).year


@pytest.fixture
def world():
    w = make_world()
    realistic_sequence(w)
    return w


def test_every_number_on_the_dashboard_links_to_as_many_cases(world, client):
    """GIVEN the legal unit on its dashboard
    WHEN it follows each number's link to the drill-down page
    THEN that page says the same number of cases."""
    client.force_login(world.a.legal)
    page = client.get(f"/statistics/?from={THIS_YEAR}-01-01")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="stats-data"' in html and "web/vendor/echarts.min.js" in html and "<script>" not in html
    links = re.findall(r'<a href="(/statistics/cases/\?[^"]+)">(\d+)(?: 件)?</a>', html)
    assert len(links) > 30
    for href, number in links:
        drill = client.get(unquote(href.replace("&amp;", "&")))
        assert drill.status_code == 200
        assert f"共 <strong>{number}</strong> 件案件" in drill.content.decode(), href


def test_a_bad_date_is_shown_at_its_field(world, client):
    """GIVEN the head WHEN it asks for 2026-02-30 THEN 422 with the message at the 起始日期 field."""
    client.force_login(world.a.head)
    page = client.get("/statistics/?from=2026-02-30")
    assert page.status_code == 422
    assert "起始日期格式应为 年-月-日" in page.content.decode()


def test_the_annual_page_says_what_is_not_recorded_and_exports(world, client):
    """GIVEN the supervisor WHEN it opens the 2026 年报 and exports the penalty table
    THEN 行政拘留 and 行政许可 say 本系统未记录, and the CSV has the 12 categories."""
    client.force_login(world.supervisor)
    html = client.get("/statistics/annual/?year=2026").content.decode()
    assert "行政拘留" in html and html.count("本系统未记录") >= 2
    csv = client.get("/statistics/annual/?year=2026&format=csv&table=penalties")
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0] == "处罚种类,案件数,罚没金额（元）,说明" and len(rows) == 1 + 12 + 2


def test_an_officer_is_refused_and_the_report_prints(world, client):
    """GIVEN an officer and the legal unit WHEN each asks for the statistics
    THEN the officer gets 403 and the legal unit's report is a PDF."""
    client.force_login(world.a.officer)
    assert client.get("/statistics/").status_code == 403
    client.force_login(world.a.legal)
    pdf = client.get(f"/statistics/report.pdf?from={THIS_YEAR}-01-01")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_every_count_of_the_annual_report_links_to_as_many_cases(world, client):
    """GIVEN the supervisor on the 2026 年报 WHEN it follows each count's link THEN the list says the
    same number of cases (a penalty group, all penalties, each agency's, 检查 and 强制)."""
    client.force_login(world.supervisor)
    html = client.get("/statistics/annual/?year=2026").content.decode()
    links = re.findall(r'<a href="(/statistics/cases/\?[^"]+)">(\d+)</a>', html)
    assert len(links) >= 12
    for href, number in links:
        drill = client.get(unquote(href.replace("&amp;", "&")))
        assert f"共 <strong>{number}</strong> 件案件" in drill.content.decode(), href

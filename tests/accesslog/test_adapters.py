"""The access log through the API and the page: JSON with pagination, CSV and XLSX exports read back
(and recorded in the ledger), the one error shape for bad filters, 403 for an officer."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from liuhen.accounts.services import token_issue
from liuhen.ledger.models import LedgerEntry
from tests.accesslog.conftest import bj, doc_read, read_at

pytestmark = pytest.mark.django_db

HEADER = ["时间（北京时间）", "人员", "所在单位", "机关", "访问内容", "案件编号", "记录事由", "批准文号"]


@pytest.fixture
def logged(world):
    read_at(bj(2026, 3, 3, 9), user=world.officer, reads=[doc_read(world.doc1)])
    read_at(
        bj(2026, 3, 3, 11),
        user=world.officer2,
        reads=[doc_read(world.doc2)],
        purpose="downloaded",
        grant="调阅〔2026〕7号",
    )
    read_at(bj(2026, 3, 4, 22), user=world.officer, reads=[doc_read(world.doc2)])
    return world


def _api(client, user, path, **params):
    return client.get(path, params, headers={"Authorization": f"Bearer {token_issue(user=user)}"})


def test_api_lists_filtered_rows_with_pagination(client, logged):
    """GIVEN three reads WHEN the legal unit asks for 张伟's, two at a time THEN count 2, newest first."""
    got = _api(client, logged.legal, "/api/access-log", person=logged.officer.pk, limit=1)
    assert got.status_code == 200
    body = got.json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert body["items"][0]["time"] == "2026-03-04T22:00:00+08:00"
    assert body["items"][0]["person"]["name"] == "张伟"


def test_api_bad_filter_is_one_422_naming_the_field(client, logged):
    """GIVEN a period whose start is after its end, or an unknown purpose WHEN asked THEN 422 naming it."""
    got = _api(client, logged.legal, "/api/access-log", **{"from": "2026-03-05", "to": "2026-03-01"})
    assert got.status_code == 422 and got.json()["errors"][0]["field"] == "from"
    got = _api(client, logged.legal, "/api/access-log/anomalies", purpose="stolen")
    assert got.status_code == 422 and got.json()["errors"][0]["field"] == "purpose"
    got = _api(client, logged.legal, "/api/access-log", format="pdf")
    assert got.status_code == 422 and got.json()["errors"][0]["field"] == "format"


def test_officer_gets_403(client, logged):
    """GIVEN an officer WHEN asking the API or opening the page THEN 403."""
    assert _api(client, logged.officer, "/api/access-log").status_code == 403
    client.force_login(logged.officer)
    assert client.get("/access-log/").status_code == 403


def test_csv_export_reads_back_and_is_logged(client, logged):
    """GIVEN three reads WHEN the legal unit exports 03-03 as CSV THEN two rows with Chinese headers and
    Beijing times come back, and an ``access_log.exported`` entry names the filters."""
    got = _api(
        client, logged.legal, "/api/access-log", format="csv", **{"from": "2026-03-03", "to": "2026-03-03"}
    )
    assert got.status_code == 200 and got["Content-Type"].startswith("text/csv")
    text = b"".join(got.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == ["2026-03-03 11:00:00", "2026-03-03 09:00:00"]
    assert rows[1][1:3] == ["李娜", "执法二中队"] and rows[1][7] == "调阅〔2026〕7号"
    entry = LedgerEntry.objects.filter(action="access_log.exported").get()
    assert entry.actor_id == logged.legal.pk
    assert b'"from":"2026-03-03"' in bytes(entry.body) and b'"rows":2' in bytes(entry.body)


def test_xlsx_export_from_the_page_reads_back(client, logged):
    """GIVEN three reads WHEN the head exports 李娜's reads as XLSX from the page THEN the workbook holds
    the header and her one row."""
    client.force_login(logged.head)
    got = client.get("/access-log/", {"person": logged.officer2.pk, "format": "xlsx"})
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert len(values) == 2 and values[1][0] == "2026-03-03 11:00:00" and values[1][1] == "李娜"


def test_page_shows_rows_anomalies_and_errors_at_the_field(client, logged):
    """GIVEN three reads (one at 22:00) WHEN the legal unit opens the page for March THEN it shows the
    rows in Chinese and the late read under 异常提示; a bad period is shown at its field."""
    client.force_login(logged.legal)
    html = client.get("/access-log/", {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert "异常提示" in html and "非工作时间读取" in html
    assert "下载文书「现场检查(勘验)笔录」" in html and "调阅〔2026〕7号" in html
    assert "inspection_record" not in html and "UTC" not in html
    bad = client.get("/access-log/", {"from": "2026-03-09", "to": "2026-03-01"})
    assert bad.status_code == 422 and "起始日期不得晚于截止日期" in bad.content.decode()


def test_supervisor_page_has_the_agency_filter(client, logged):
    """GIVEN the bureau's supervisor WHEN opening the page THEN the supervised agency's reads and an
    agency filter are shown; another agency's legal unit sees none of them."""
    client.force_login(logged.supervisor)
    html = client.get("/access-log/", {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert 'name="agency"' in html and "共 3 条" in html
    client.force_login(logged.other_legal)
    html = client.get("/access-log/", {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert "共 0 条" in html and "张伟" not in html

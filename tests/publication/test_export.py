"""The 双公示 rows (legal person vs natural person), what is not pushed, the exports recorded in the
ledger, the API in the one error shape, and `liuhen verify` catching a publication row changed behind
the services."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from liuhen.accounts.services import token_issue
from liuhen.ledger.models import LedgerEntry
from liuhen.publication.models import Publication
from liuhen.publication.services import PublicationFacts, publication_record
from liuhen.publication.shuanggongshi import CODES, LABELS
from tests.ledger.helpers import sql
from tests.ledger.test_verify_rows import drop_all_triggers, modified_line, verify_command

pytestmark = pytest.mark.django_db


def api(client, user, method: str, path: str, **kw):
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
    if method == "get":
        return client.get(path, kw.get("params", {}), headers=headers)
    return client.post(path, kw["json"], content_type="application/json", headers=headers)


def entry_details(action: str) -> dict:
    return json.loads(bytes(LedgerEntry.objects.get(action=action).body))["details"]


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_given_a_company_and_a_person_then_the_rows_carry_the_fields_and_the_person_is_masked(world, client):
    """GIVEN a fine of 150,000 元 on a company and a fine of 2,000 元 on a natural person (ID number,
    address and phone on the decision) WHEN the 双公示 CSV of September is exported THEN the company's
    row has its credit code, legal representative, 15 万元 and dates as YYYY/MM/DD; the person's row has
    the ID number masked, no credit code, and neither the address nor the phone appears anywhere."""
    company = world.decision("2026-09-22")
    person = world.person_decision("2026-09-23", fine_amount="2000.00")
    response = api(
        client,
        world.legal,
        "get",
        "/api/publications/shuanggongshi",
        params={"from": "2026-09-01", "to": "2026-09-30", "format": "csv"},
    )
    assert response.status_code == 200
    rows = csv_rows(response)
    assert list(rows[0]) == list(CODES)
    by_name = {r["CF_XDR_MC"]: r for r in rows}
    c = by_name["吐鲁番某某建材有限公司"]
    assert (c["CF_XDR_LB"], c["CF_XDR_SHXYM"], c["CF_FRDB"]) == (
        "法人及非法人组织",
        "91650402MA77Y8K21T",
        "马某某",
    )
    assert (c["CF_NR_FK"], c["CF_JDRQ"], c["CF_CFLB"]) == ("15", "2026/09/22", "责令改正;罚款")
    assert c["CF_GSJZQ"] == "2027/09/22" and c["CF_CFJG"] == "测试城管局" and c["CF_WSH"]
    p = by_name["赵某某"]
    assert (p["CF_XDR_LB"], p["CF_XDR_SHXYM"], p["CF_XDR_ZJLX"]) == ("自然人", "", "身份证")
    assert p["CF_XDR_ZJHM"] == "210***********1234" and p["CF_NR_FK"] == "0.2"
    text = repr(rows)
    assert "210204199001011234" not in text and "13800001111" not in text and "某某小区" not in text
    assert {company.pk, person.pk}  # both decisions exported
    details = entry_details("publication.shuanggongshi_exported")
    assert details["rows"] == 2 and details["format"] == "csv"


def test_given_a_warning_alone_or_a_summary_decision_on_a_person_then_not_pushed(world, client, frozen):
    """GIVEN a warning alone on a natural person and a 简易程序 fine on a natural person (the profile's
    publication_credit_exempt_* rule) and a withdrawn company decision WHEN exported THEN none of them
    is in the rows; the list shows the two as 按规定不报送."""
    world.person_decision("2026-09-22", penalty_kinds=["warning"], fine_amount=None, payment_deadline=None)
    world.summary("2026-09-22T10:00:00+08:00")
    withdrawn = world.decision("2026-09-22")
    pub = publication_record(
        by=world.legal, facts=PublicationFacts(withdrawn.pk, "portal", date(2026, 9, 25), "u")
    )
    r = api(
        client,
        world.legal,
        "post",
        f"/api/publications/{pub.pk}/withdrawals",
        json={"withdrawn_on": "2026-09-28", "reason": "决定已撤销"},
    )
    assert r.status_code == 201 and r.json()["state"] == "withdrawn"
    response = api(
        client,
        world.legal,
        "get",
        "/api/publications/shuanggongshi",
        params={"from": "2026-09-01", "to": "2026-09-30", "format": "csv"},
    )
    assert csv_rows(response) == []
    listed = api(client, world.legal, "get", "/api/publications").json()["items"]
    assert sorted(i["credit_state_label"] for i in listed) == sorted(
        ["按规定不报送", "按规定不报送", "待报送"]
    )


def test_given_xlsx_with_chinese_header_then_two_header_rows(world, client):
    """GIVEN one decision WHEN exported as XLSX with header=zh THEN row 1 the codes, row 2 the Chinese
    names, row 3 the decision."""
    world.decision("2026-09-22")
    response = api(
        client,
        world.head,
        "get",
        "/api/publications/shuanggongshi",
        params={"from": "2026-09-22", "to": "2026-09-22", "format": "xlsx", "header": "zh"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == CODES and tuple(values[1]) == LABELS and len(values) == 3


def test_api_errors_in_the_one_shape(world, client):
    """GIVEN bad parameters THEN 422 naming the field; the supervisor cannot export 双公示 (403) but
    reads the list; an officer cannot read the list (403)."""
    doc = world.decision("2026-09-22")
    r = api(
        client,
        world.legal,
        "get",
        "/api/publications/shuanggongshi",
        params={"from": "2026-09-01", "format": "csv"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
    r = api(client, world.legal, "get", "/api/publications", params={"format": "pdf"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "format"
    r = api(client, world.legal, "get", "/api/publications", params={"state": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "state"
    r = api(
        client,
        world.legal,
        "post",
        "/api/publications",
        json={"document_id": doc.pk, "channel": "portal", "published_on": "2026-09-30", "reference": "u"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "published_on"
    r = api(
        client,
        world.supervisor,
        "get",
        "/api/publications/shuanggongshi",
        params={"from": "2026-09-01", "to": "2026-09-30", "format": "csv"},
    )
    assert r.status_code == 403
    assert (
        api(client, world.supervisor, "get", "/api/publications").json()["items"][0]["document_id"] == doc.pk
    )
    assert api(client, world.officer, "get", "/api/publications").status_code == 403


def test_given_the_list_exported_then_recorded_with_its_rows(world, client, frozen):
    """GIVEN two decisions, one published WHEN the list is exported as CSV THEN both rows in Chinese, the
    export recorded with rows=2."""
    world.decision("2026-09-21")
    doc = world.decision("2026-09-22")
    r = api(
        client,
        world.legal,
        "post",
        "/api/publications",
        json={
            "document_id": doc.pk,
            "channel": "portal",
            "published_on": "2026-09-28",
            "reference": "https://x.gov.cn/1",
        },
    )
    assert r.status_code == 201 and r.json()["state"] == "published"
    rows = csv_rows(api(client, world.legal, "get", "/api/publications", params={"format": "csv"}))
    assert sorted(r["状态"] for r in rows) == ["已公示", "待公示"]
    assert entry_details("publication.list_exported")["rows"] == 2


def test_given_a_publication_row_changed_in_the_database_then_verify_names_it(world):
    """GIVEN a publication recorded by its service WHEN its reference is rewritten in the database
    (triggers dropped first) THEN `liuhen verify` exits 1 naming `modified: publication N`."""
    doc = world.decision("2026-09-22")
    pub = publication_record(by=world.legal, facts=PublicationFacts(doc.pk, "portal", date(2026, 9, 28), "u"))
    code, lines = verify_command()
    assert (code, lines) == (0, []), lines
    expected = modified_line("publication", pub.pk)
    drop_all_triggers("publication_publication")
    sql("UPDATE publication_publication SET published_on = %s WHERE id = %s", [date(2026, 9, 23), pub.pk])
    assert verify_command() == (1, [expected])
    assert Publication.objects.get(pk=pub.pk).published_on == date(2026, 9, 23)


def test_given_pages_by_cursor_through_the_api_then_each_decision_once_and_a_spoiled_cursor_is_422(
    world, client
):
    """GIVEN five decisions WHEN the API is paged two at a time by next_cursor THEN five distinct rows,
    the last page without a cursor; a spoiled cursor is 422 naming cursor."""
    docs = {world.decision(f"2026-09-{d:02d}").pk for d in (1, 2, 3, 4, 7)}
    seen, cursor = [], ""
    for _ in range(5):
        body = api(
            client, world.legal, "get", "/api/publications", params={"limit": 2, "cursor": cursor}
        ).json()
        seen += [i["document_id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(docs) and not cursor
    r = api(client, world.legal, "get", "/api/publications", params={"cursor": "1.x.2"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"

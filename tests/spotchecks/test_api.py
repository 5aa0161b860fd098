"""Spot checks through the API: announce, draw, judge with the system's evidence, rectify to closure,
the register and its exports, the annual assessment; the bureau's supervisor for supervised agencies."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from liuhen.accounts.models import Agency
from liuhen.accounts.services import agency_create, token_issue
from liuhen.core import clock
from liuhen.spotchecks.models import SpotCheckJudgement
from tests.factories import make_user
from tests.spotchecks.world import checked_agency

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")


def _announce(api: Client, **extra) -> dict:
    today = clock.now().astimezone(clock.SHANGHAI).date()
    body = {
        "title": "季度抽查",
        "period_from": str(today - timedelta(days=10)),
        "period_to": str(today),
        "sample_size": 2,
        "what": "both",
        **extra,
    }
    response = api.post("/api/spot-checks", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_announce_draw_judge_rectify_close_and_register():
    """GIVEN 龙江's legal unit WHEN it announces, draws, judges a failed item, issues a rectification the
    handler answers and it closes THEN every step shows in the check, the register and the assessment."""
    world = checked_agency(5)
    api = _api(world.legal)
    check = _announce(api)
    assert check["number"].startswith("抽查〔") and check["drawn"] is False

    drawn = api.post(f"/api/spot-checks/{check['id']}/draw")
    assert drawn.status_code == 201
    draw = drawn.json()["draw"]
    assert len(draw["sample"]) == 2 and draw["population_count"] == 5
    assert drawn.json()["draw"]["checkpoint_size"] > drawn.json()["announcement_entry"]
    assert api.post(f"/api/spot-checks/{check['id']}/draw").status_code == 409

    sheets = api.get(f"/api/spot-checks/{check['id']}/items").json()["samples"]
    assert len(sheets) == 2
    first = sheets[0]
    items = {i["item_id"]: i for i in first["items"]}
    assert "av-where-mandatory" in items and "signatures-complete" in items
    assert items["signatures-complete"]["auto"] is False
    auto = items["av-uploaded-in-time"]
    assert auto["evidence"] and auto["evidence"][0]["case_url"].endswith(f"/cases/{first['case_id']}/")

    # a failed item without a remark is refused at the field
    bad = api.post(
        f"/api/spot-checks/{check['id']}/judgements",
        {"sample_id": first["sample_id"], "item_id": "signatures-complete", "verdict": "fail"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "remark"
    judged = api.post(
        f"/api/spot-checks/{check['id']}/judgements",
        {
            "sample_id": first["sample_id"],
            "item_id": "signatures-complete",
            "verdict": "fail",
            "remark": "询问笔录缺当事人签名",
        },
        content_type="application/json",
    )
    assert judged.status_code == 201
    row = {i["item_id"]: i for i in judged.json()["items"]}["signatures-complete"]
    assert row["judgement"]["verdict_label"] == "不合格"

    rect = api.post(
        f"/api/spot-checks/{check['id']}/rectifications",
        {"sample_id": first["sample_id"], "item_id": "signatures-complete", "requirement": "补正签名"},
        content_type="application/json",
    )
    assert rect.status_code == 201, rect.content
    rect_id = rect.json()["id"]
    assert rect.json()["to"] == world.handler.display_name and rect.json()["state_label"] == "待整改"

    handler = _api(world.handler)
    assert [r["id"] for r in handler.get("/api/rectifications").json()["items"]] == [rect_id]
    # the checker may not answer for the handler; the handler may not close
    assert (
        api.post(
            f"/api/rectifications/{rect_id}/responses", {"text": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    answered = handler.post(
        f"/api/rectifications/{rect_id}/responses", {"text": "已补签"}, content_type="application/json"
    )
    assert answered.status_code == 201 and answered.json()["state"] == "answered"
    open_csv = handler.get("/api/rectifications", {"format": "csv"})
    listed = list(csv.reader(io.StringIO(b"".join(open_csv.streaming_content).decode("utf-8-sig"))))
    assert listed[0][0] == "整改通知编号" and len(listed) == 2
    assert listed[1][2] == first["case_no"] and listed[1][7].startswith("已报告待复核")
    assert (
        handler.post(
            f"/api/rectifications/{rect_id}/close", {"closed": True}, content_type="application/json"
        ).status_code
        == 403
    )
    returned = api.post(
        f"/api/rectifications/{rect_id}/close", {"closed": False}, content_type="application/json"
    )
    assert returned.status_code == 422  # a return needs its reason
    closed = api.post(
        f"/api/rectifications/{rect_id}/close",
        {"closed": True, "remark": "已核实"},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["state_label"] == "已办结"
    assert handler.get("/api/rectifications").json()["items"] == []

    register = api.get("/api/spot-checks/register").json()["items"]
    assert len(register) == 1
    assert register[0]["verdict_label"] == "不合格" and register[0]["rectification_state_label"] == "已办结"
    assert api.get("/api/spot-checks/register", {"rectification": "open"}).json()["items"] == []
    assert len(api.get("/api/spot-checks/register", {"result": "fail"}).json()["items"]) == 1
    assert api.get("/api/spot-checks/register", {"result": "x"}).status_code == 422

    exported = api.get("/api/spot-checks/register", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "抽查编号" and rows[1][3] == first["case_no"]
    xlsx = api.get("/api/spot-checks/register", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(2, 8).value == "不合格"
    checks = api.get("/api/spot-checks", {"format": "xlsx"})
    listed_checks = [
        list(r) for r in load_workbook(io.BytesIO(b"".join(checks.streaming_content))).active.values
    ]
    assert listed_checks[0][0] == "编号" and len(listed_checks) == 2 and listed_checks[1][7] == "已抽签"
    assert api.get("/api/spot-checks", {"format": "pdf"}).status_code == 422
    pdf = api.get("/api/spot-checks/register.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    year = clock.now().astimezone(clock.SHANGHAI).year
    found = api.get("/api/spot-checks/assessment", {"year": year}).json()
    assert found["total"]["cases"] == 1 and found["total"]["failed"] == 1
    assert found["total"]["pass_rate"] == 0.0 and found["total"]["rectifications_closed"] == 1
    assert api.get("/api/spot-checks/assessment", {"year": year, "format": "pdf"}).content.startswith(b"%PDF")


def test_override_needs_a_remark_and_later_judgements_supersede():
    """GIVEN an item with a system suggestion WHEN the checker differs without a remark THEN 422; with
    one THEN recorded as overridden; a later judgement supersedes and the history is kept."""
    world = checked_agency(2)
    api = _api(world.legal)
    check = _announce(api, sample_size=1)
    api.post(f"/api/spot-checks/{check['id']}/draw")
    sheet = api.get(f"/api/spot-checks/{check['id']}/items").json()["samples"][0]
    item = next(i for i in sheet["items"] if i["suggested"] in ("pass", "na"))
    other = "fail" if item["suggested"] != "fail" else "pass"
    url = f"/api/spot-checks/{check['id']}/judgements"
    body = {
        "sample_id": sheet["sample_id"],
        "item_id": item["item_id"],
        "verdict": "na" if other == "pass" else "pass",
    }
    if body["verdict"] == item["suggested"]:
        body["verdict"] = "fail"
    assert api.post(url, body, content_type="application/json").status_code == 422
    assert (
        api.post(url, {**body, "remark": "现场核查与系统不一致"}, content_type="application/json").status_code
        == 201
    )
    again = api.post(url, {**body, "verdict": item["suggested"]}, content_type="application/json")
    assert again.status_code == 201
    row = {i["item_id"]: i for i in again.json()["items"]}[item["item_id"]]
    assert row["judgement"]["verdict"] == item["suggested"] and row["judgement"]["overridden"] is False
    assert len(row["history"]) == 1 and row["history"][0]["overridden"] is True
    assert SpotCheckJudgement.objects.filter(sample_id=sheet["sample_id"]).count() == 2


def test_supervisor_checks_only_supervised_agencies_and_the_agency_sees_the_check():
    """GIVEN a justice bureau's supervisor of agency A (not B) WHEN it announces a check of A THEN it
    draws A's cases; a check of B is not found (named at the field); A's legal unit sees the bureau's check,
    B's does not."""
    world = checked_agency(3)
    other = checked_agency(2)
    bureau = agency_create(
        code="spot-sfj", name="某县司法局", short_name="司法局", case_prefix="—", kind=Agency.Kind.SUPERVISION
    )
    supervisor = make_user(bureau, ["supervisor"])
    supervisor.supervised_agencies.add(world.agency)
    api = _api(supervisor)
    refused = api.post(
        "/api/spot-checks",
        {
            "title": "x",
            "period_from": "2026-01-01",
            "period_to": "2026-12-31",
            "sample_size": 1,
            "target_agency_id": other.agency.pk,
        },
        content_type="application/json",
    )
    assert refused.status_code == 404 and refused.json()["errors"][0]["field"] == "target_agency_id"
    check = _announce(api, target_agency_id=world.agency.pk, sample_size=3)
    assert check["agency"] == "某县司法局" and check["target_agency"] == world.agency.name
    drawn = api.post(f"/api/spot-checks/{check['id']}/draw").json()["draw"]
    assert {s["case_no"] for s in drawn["sample"]} == {c.case_no for c in world.cases}
    assert _api(world.legal).get(f"/api/spot-checks/{check['id']}").status_code == 200
    assert _api(other.legal).get(f"/api/spot-checks/{check['id']}").status_code == 404
    # A's legal unit sees it but does not run it
    assert _api(world.legal).post(f"/api/spot-checks/{check['id']}/draw").status_code in (403, 409)


def test_empty_population_through_the_api_is_a_422_in_chinese():
    """GIVEN a check of a period with no case WHEN drawn THEN 422 naming the scope."""
    world = checked_agency(1)
    api = _api(world.legal)
    check = _announce(api, period_from="2020-01-01", period_to="2020-01-31")
    response = api.post(f"/api/spot-checks/{check['id']}/draw")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "population"
    assert "2020年01月01日至2020年01月31日" in response.json()["errors"][0]["message"]


def test_register_filters_and_bad_parameters_answer_in_the_one_error_shape():
    """GIVEN a judged check WHEN the register is asked for a period before it, after it, or with a bad
    format or year THEN empty, listed, or a 422 naming the parameter."""
    world = checked_agency(2)
    api = _api(world.legal)
    check = _announce(api, sample_size=1)
    api.post(f"/api/spot-checks/{check['id']}/draw")
    sheet = api.get(f"/api/spot-checks/{check['id']}/items").json()["samples"][0]
    api.post(
        f"/api/spot-checks/{check['id']}/judgements",
        {"sample_id": sheet["sample_id"], "item_id": "signatures-complete", "verdict": "pass"},
        content_type="application/json",
    )
    today = clock.now().astimezone(clock.SHANGHAI).date()
    assert api.get("/api/spot-checks/register", {"to": str(today - timedelta(days=1))}).json()["items"] == []
    found = api.get("/api/spot-checks/register", {"from": str(today), "rectification": "none"}).json()[
        "items"
    ]
    assert [r["case_no"] for r in found] == [sheet["case_no"]] and found[0]["rectification_state"] == "none"
    bad = api.get("/api/spot-checks/register", {"format": "doc"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "format"
    assert api.get("/api/spot-checks/register", {"rectification": "later"}).status_code == 422
    assert api.get("/api/spot-checks/assessment", {"year": 1999}).status_code == 422
    assert api.get("/api/spot-checks/99999999").status_code == 404

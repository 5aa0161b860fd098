"""The per-case panel and the per-agency overview, through the API, scoped by the acting user."""

from datetime import UTC, datetime, timedelta

import pytest

from liuhen.compliance.services import compliance_refresh_all
from liuhen.core import clock
from liuhen.evidence.services.media import media_record_create
from tests.compliance.conftest import office
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _late_clip(case, user, captured):
    return media_record_create(
        case=case,
        uploaded_by=user,
        sha256="cd" * 32,
        size=1,
        storage_key="k",
        kind="video",
        title="现场录像",
        activity="inspection",
        device_no="DSJ-09",
        officers=["张伟", "李娜"],
        captured_start=captured,
        captured_end=captured + timedelta(minutes=10),
    )


@pytest.fixture
def world(dalian):
    """Case A: emergency start, no late approval (overdue after 24 h). Case B: a clip uploaded 30 h late."""
    with clock.frozen(T0) as move:
        emergency = dalian.case(emergency_start=True)
        late = dalian.case()
        move(T0 + timedelta(hours=30))
        _late_clip(late, dalian.officer, T0 - timedelta(minutes=10))
        compliance_refresh_all(agency=dalian.agency)
    return dalian, emergency, late


def test_given_a_case_when_reading_its_panel_then_findings_come_grouped_with_citations_and_due_times(
    world, api_as
):
    dalian, emergency, _ = world
    response = api_as(dalian.officer)("get", f"/cases/{emergency.pk}/compliance")
    assert response.status_code == 200
    body = response.json()
    assert body["profile_id"] == "dalian-cg" and body["live"] is False
    (overdue,) = body["findings"]["overdue"]
    assert overdue["rule_id"] == "emergency-late-approval-24h" and overdue["citation"].startswith(
        "dalian-cg§"
    )
    assert overdue["due_at"].startswith("2026-03-03T01:00")
    assert body["counts"]["overdue"] == 1
    assert {f["rule_id"] for f in body["findings"]["pending"]} >= {"initiation-approval-form"}


def test_given_another_agency_when_reading_a_foreign_case_panel_then_404(world, api_as):
    _, emergency, _ = world
    stranger = office("dalian-cg").officer
    assert api_as(stranger)("get", f"/cases/{emergency.pk}/compliance").status_code == 404


def test_given_findings_when_reading_the_overview_then_rules_overdue_items_late_uploads_and_trend_add_up(
    world, api_as
):
    dalian, emergency, late = world
    with clock.frozen(T0 + timedelta(hours=31)):  # the trend covers the last 30 days
        response = api_as(dalian.officer)("get", "/compliance/overview")
    assert response.status_code == 200
    (agency,) = response.json()["agencies"]
    assert agency["agency"] == dalian.agency.code and agency["cases"] == 2
    assert agency["totals"]["overdue"] == 1
    by_rule = {r["rule_id"]: r["counts"] for r in agency["by_rule"]}
    assert by_rule["av-upload-within-24h"]["violated"] == 1
    assert by_rule["initiation-approval-form"]["pending"] == 2
    assert [(o["case_no"], o["rule_id"]) for o in agency["overdue"]] == [
        (emergency.case_no, "emergency-late-approval-24h")
    ]
    assert agency["late_uploads"]["officers"] == [
        {"name": "张伟", "count": 1, "cases": 1},
        {"name": "李娜", "count": 1, "cases": 1},
    ]
    assert agency["late_uploads"]["devices"] == [{"device_no": "DSJ-09", "count": 1}]
    (day,) = agency["trend"]
    assert day["day"] == "2026-03-03" and day["cases"] == 2 and day["cases_with_problems"] == 2


def test_given_a_supervisor_when_asking_for_a_supervised_agency_then_it_is_shown_and_others_are_404(
    world, api_as
):
    dalian, *_ = world
    bureau = make_agency(profile_id="")
    supervisor = make_user(bureau, ["supervisor"], name="司法局")
    supervisor.supervised_agencies.add(dalian.agency)
    call = api_as(supervisor)
    shown = call("get", f"/compliance/overview?agency={dalian.agency.code}").json()["agencies"]
    assert [a["agency"] for a in shown] == [dalian.agency.code] and shown[0]["totals"]["overdue"] == 1
    other = office("xinle-fg").agency
    assert call("get", f"/compliance/overview?agency={other.code}").status_code == 404


def test_given_the_web_pages_when_logged_in_then_they_render_in_chinese_and_foreign_cases_are_404(
    world, client
):
    dalian, emergency, _ = world
    client.force_login(dalian.officer)
    page = client.get(f"/cases/{emergency.pk}/compliance/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "合规检查" in text and "紧急启动后24小时内补报" in text and "已逾期" in text
    assert "emergency-late-approval-24h" not in text and "dalian-cg§" not in text  # titles, not codes
    assert "《大连高新技术产业园区城市管理行政执法局 行政执法全过程记录制度》第" in text
    overview = client.get("/compliance/")
    assert overview.status_code == 200 and "音像记录未按时上传" in overview.content.decode()
    assert "DSJ-09" in overview.content.decode()
    client.force_login(office("dalian-cg").officer)
    assert client.get(f"/cases/{emergency.pk}/compliance/").status_code == 404

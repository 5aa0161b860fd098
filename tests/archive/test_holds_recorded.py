"""Long-term triggers (holds) from what the case records, not only its flags (issue #12, R5.4:
longjiang-cg§19), each shown with its rule in Chinese; the 保管期限 with the rule that gave it, per
agency profile (longjiang-cg§19 holds, xinle-fg§27 by risk, the baseline where a regulation is silent)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from liuhen.archive import selectors, services
from liuhen.archive.planning import case_file_plan
from liuhen.archive.retention import archive_settings, holds_for, period_for
from liuhen.cases import services as case_services
from liuhen.cases.models import Case
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.evidence.services.interruptions import interruption_record
from liuhen.rules.profile import load_profile
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import make_media

pytestmark = pytest.mark.django_db

LONGJIANG = "《龙江县城市管理综合执法大队行政执法全过程记录制度》第19条"


@pytest.fixture
def longjiang():
    agency = make_agency(profile_id="longjiang-cg")
    return agency, make_user(agency), make_user(agency, ["head"])


def _move(case: Case, head, stage: str) -> Case:
    """The head moves on past the profile's gate (an override, with its reason)."""
    case_services.case_transition(case=case, by=head, to_stage=stage, override=True, reason="测试推进")
    return Case.objects.get(pk=case.pk)


def _case_with_facts(officer, head, tmp_path) -> Case:
    """A longjiang case started in an emergency, from a complaint, whose recording was interrupted by
    the party's obstruction, decided after a collective discussion."""
    case = make_case(officer, emergency_start=True)
    make_document(case, officer, "initiation_approval")
    make_document(case, officer, "complaint_registration")
    interruption_record(
        case=case,
        recorded_by=officer,
        reason="obstruction",
        interrupted_at=clock.now() - timedelta(minutes=5),
        resumed_at=clock.now() - timedelta(minutes=2),
        explanation_media=make_media(case, officer, tmp_path),
        detail="当事人推搡执法人员、遮挡执法记录仪",
    )
    case = _move(_move(case, head, "investigation"), head, "decision")
    make_document(case, head, "collective_discussion_record")
    make_document(case, officer, "penalty_decision")
    return case


def test_given_recorded_facts_then_each_is_a_hold_with_its_fact_and_its_article_in_chinese(
    longjiang, tmp_path
):
    agency, officer, head = longjiang
    case = _case_with_facts(officer, head, tmp_path)
    assert case.flags == []

    holds = holds_for(agency_profile(agency), case=case)

    assert [h.code for h in holds] == [
        "complaint_about_enforcement",
        "obstruction",
        "emergency_incident",
        "major_complex",
    ]
    assert all(h.citation == "longjiang-cg§19" for h in holds)
    shown = [h.shown for h in holds]
    assert all(LONGJIANG in s and "§" not in s and "longjiang" not in s for s in shown)
    assert "投诉举报登记表" in shown[0] and "当事人阻挠" in shown[1]
    assert "情况紧急先行启动" in shown[2] and "集体讨论记录" in shown[3]


def test_given_a_signed_off_case_file_with_holds_then_kept_permanently_and_the_plan_cites_them_in_chinese(
    longjiang, tmp_path
):
    agency, officer, head = longjiang
    case = _move(_case_with_facts(officer, head, tmp_path), head, "service_enforcement")
    make_document(case, officer, "service_receipt")
    case = _move(case, head, "closed")
    compiler, checker = make_user(agency, ["archivist"]), make_user(agency, ["archivist"])
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)

    assert case_file.retention == "永久"
    assert LONGJIANG in case_file.retention_basis and "长期保存" in case_file.retention_basis
    assert [h["fact"] for h in case_file.holds][1].startswith("音像记录中断")
    plan = case_file_plan(case_file)
    assert len(plan.holds) == 4 and all(LONGJIANG in h and "§" not in h for h in plan.holds)
    view = selectors.assembly_view(user=compiler, case_id=case.pk)
    assert [h.code for h in view.holds] == [h["code"] for h in case_file.holds]
    assert view.retention_basis == case_file.retention_basis


def test_given_an_agency_whose_regulation_is_silent_then_no_hold_and_the_baseline_gives_the_period():
    profile = load_profile("dalian-cg")
    settings = archive_settings(profile, agency_code="dalian")
    holds = holds_for(profile, case_flags=["obstruction", "major_complex"])
    period = period_for(settings, procedure="general", holds=holds, flags=["obstruction"])
    assert holds == [] and period.retention == "30年"
    assert "国家档案局令第8号" in period.basis


def test_given_xinle_then_evidence_is_a_hold_under_28_and_a_risky_case_is_kept_permanently_under_27():
    profile = load_profile("xinle-fg")
    settings = archive_settings(profile, agency_code="xinle")
    holds = holds_for(profile, case_flags=["evidence_used", "obstruction"])
    assert [(h.code, h.citation) for h in holds] == [("evidence_used", "xinle-fg§28")]
    risky = period_for(settings, procedure="summary", holds=[], flags=["risky_operation"])
    assert risky.retention == "永久" and "新乐市发展和改革局行政执法全过程记录办法》第27条" in risky.basis
    plain = period_for(settings, procedure="summary", holds=[], flags=[])
    assert plain.retention == "10年" and "国家档案局令第8号" in plain.basis

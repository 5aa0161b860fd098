"""Required documents, fields and the stage gate, across every profile that has the rule."""

from __future__ import annotations

import pytest
from rules_factories import approval, at, case, doc, profile, profiles_with, statuses

from liuhen.rules import gate

FULL_INITIATION = {
    "start_reason": "巡查发现",
    "case_source": "巡查",
    "basic_facts": "占道经营",
    "party_info": "张三",
    "handler_opinion": "建议立案",
    "unit_opinion": "同意",
    "head_opinion": "同意",
    "date": "2024-03-01",
}


@pytest.mark.parametrize("profile_id", profiles_with("initiation-approval-form"))
def test_given_ex_officio_case_without_approval_form_when_leaving_initiation_then_gate_blocks(profile_id):
    """GIVEN an ex officio general case with no initiation approval form
    WHEN it asks to move to investigation THEN the gate names the missing form."""
    snapshot = case(profile_id, stage="initiation")
    blocking = {f.rule_id for f in gate(snapshot, profile(profile_id), to_stage="investigation", now=at(1))}
    assert "initiation-approval-form" in blocking


@pytest.mark.parametrize("profile_id", profiles_with("initiation-approval-fields"))
def test_given_complete_or_incomplete_approval_form_then_fields_rule_follows(profile_id):
    """GIVEN an initiation approval form with every field, and one lacking the case source
    THEN the first is satisfied and the second is missing once initiation is left."""
    good = doc("initiation_approval", fields=FULL_INITIATION)
    bad = doc("initiation_approval", fields={k: v for k, v in FULL_INITIATION.items() if k != "case_source"})
    assert statuses(profile_id, case(profile_id, documents=(good,)), "initiation-approval-fields") == [
        "satisfied"
    ]
    assert statuses(profile_id, case(profile_id, documents=(bad,)), "initiation-approval-fields") == [
        "missing"
    ]


@pytest.mark.parametrize("profile_id", profiles_with("initiation-head-approval"))
def test_given_head_approval_linked_to_form_then_gate_opens(profile_id):
    """GIVEN a complete form approved by the head WHEN moving to investigation THEN nothing blocks."""
    form = doc("initiation_approval", fields=FULL_INITIATION)
    snapshot = case(
        profile_id,
        stage="initiation",
        documents=(form,),
        approvals=(approval("head_approval", document_id=form.id),),
    )
    assert gate(snapshot, profile(profile_id), to_stage="investigation", now=at(1)) == []


@pytest.mark.parametrize("profile_id", profiles_with("real-name-complaint-telling"))
def test_given_real_name_complaint_not_investigated_then_telling_must_be_recorded(profile_id):
    """GIVEN a real-name complaint that is not investigated
    WHEN no telling record exists THEN missing; WHEN it exists THEN satisfied; no form is required."""
    base = {"initiation_kind": "complaint", "is_real_name_complaint": True, "complaint_investigated": False}
    registration = doc("complaint_registration")
    missing = case(profile_id, stage="closed", documents=(registration,), **base)
    assert statuses(profile_id, missing, "real-name-complaint-telling") == ["missing"]
    told = case(
        profile_id, stage="closed", documents=(registration, doc("complaint_not_filed_notice")), **base
    )
    assert statuses(profile_id, told, "real-name-complaint-telling") == ["satisfied"]
    assert statuses(profile_id, told, "initiation-approval-form") == []


@pytest.mark.parametrize("profile_id", profiles_with("application-outcome"))
def test_given_application_then_registration_outcome_and_supplement_notice_required(profile_id):
    """GIVEN an application needing supplements WHEN only registered THEN outcome and notice missing."""
    registration = doc("application_registration", fields={"needs_supplement": True, "receipt_issued": True})
    snapshot = case(profile_id, initiation_kind="application", stage="decision", documents=(registration,))
    assert statuses(profile_id, snapshot, "application-outcome") == ["missing"]
    assert statuses(profile_id, snapshot, "application-supplement-notice") == ["missing"]
    complete = case(
        profile_id,
        initiation_kind="application",
        stage="decision",
        documents=(registration, doc("application_acceptance"), doc("supplement_notice")),
    )
    assert statuses(profile_id, complete, "application-outcome") == ["satisfied"]
    assert statuses(profile_id, complete, "application-supplement-notice") == ["satisfied"]


def test_given_dalian_rights_notice_without_review_and_litigation_then_missing_but_xinglongtai_accepts():
    """GIVEN a rights notice naming statement/defence/recusal/hearing only
    THEN dalian-cg (§9 adds review and litigation) reports it; xinglongtai-mz (§8) does not."""
    notice = doc(
        "rights_notice",
        fields={"rights": ["statement", "defence", "recusal", "hearing"], "notice_method": "书面"},
    )
    assert statuses(
        "dalian-cg", case("dalian-cg", stage="decision", documents=(notice,)), "rights-notice-method"
    ) == ["missing"]
    xlt = case("xinglongtai-mz", stage="decision", documents=(notice,))
    assert statuses("xinglongtai-mz", xlt, "rights-notice-method") == ["satisfied"]


def test_given_gaochang_decision_without_investigation_final_report_then_blocked():
    """GIVEN a gaochang-sthj general case in investigation without 调查终结报告
    WHEN moving to decision THEN the gate blocks on investigation-final-report (§14)."""
    snapshot = case("gaochang-sthj", stage="investigation")
    blocking = {f.rule_id for f in gate(snapshot, profile("gaochang-sthj"), to_stage="decision", now=at(1))}
    assert "investigation-final-report" in blocking
    assert "investigation-final-report" not in {
        f.rule_id for f in gate(snapshot, profile("dalian-cg"), to_stage="decision", now=at(1))
    }


@pytest.mark.parametrize("profile_id", profiles_with("post-supervision-report"))
def test_given_gaochang_decision_then_post_supervision_report_required(profile_id):
    """GIVEN a decision in gaochang-sthj WHEN closing without 后督察报告 THEN missing; with it satisfied."""
    decided = case(profile_id, stage="closed", documents=(doc("penalty_decision"),))
    assert statuses(profile_id, decided, "post-supervision-report") == ["missing"]
    reported = case(
        profile_id, stage="closed", documents=(doc("penalty_decision"), doc("post_supervision_report"))
    )
    assert statuses(profile_id, reported, "post-supervision-report") == ["satisfied"]


def test_given_demand_notice_after_enforcement_then_violated_and_before_then_satisfied():
    """GIVEN an enforcement record WHEN the demand notice was made after it THEN violated (R1.10)."""
    enforcement = doc("enforcement_record", created_at=at(days=10), fields={"method": "surcharge"})
    late = case(
        "dalian-cg", stage="closed", documents=(enforcement, doc("demand_notice", created_at=at(days=11)))
    )
    assert statuses("dalian-cg", late, "demand-notice-before-enforcement") == ["violated"]
    early = case(
        "dalian-cg", stage="closed", documents=(enforcement, doc("demand_notice", created_at=at(days=2)))
    )
    assert statuses("dalian-cg", early, "demand-notice-before-enforcement") == ["satisfied"]


def test_given_xinglongtai_without_enforcement_power_then_own_enforcement_violates_and_court_required():
    """GIVEN xinglongtai-mz (no enforcement power, §22) and a party not performing after the demand
    THEN an own enforcement record is a violation and a court application is required."""
    snapshot = case(
        "xinglongtai-mz",
        stage="closed",
        flags={"non_performance"},
        documents=(doc("demand_notice"), doc("enforcement_record", fields={"method": "surcharge"})),
    )
    assert statuses("xinglongtai-mz", snapshot, "no-own-enforcement") == ["violated"]
    assert statuses("xinglongtai-mz", snapshot, "court-enforcement-application") == ["missing"]
    assert statuses("dalian-cg", snapshot, "no-own-enforcement") == []


@pytest.mark.parametrize("profile_id", profiles_with("summary-record-items"))
def test_given_summary_decision_missing_items_then_reported(profile_id):
    """GIVEN a summary decision lacking the party statements item THEN summary-record-items is missing."""
    items = {
        "applicability_basis": "事实清楚",
        "steps_documents": "出示证件",
        "party_statements": "",
        "statement_review": "不采纳",
        "filing_record": "已备案",
    }
    snapshot = case(
        profile_id, procedure="summary", stage="closed", documents=(doc("summary_decision", fields=items),)
    )
    assert statuses(profile_id, snapshot, "summary-record-items") == ["missing"]

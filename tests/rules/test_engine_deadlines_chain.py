"""Deadlines (emergency start, archive, rectification) and approval chains through the engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rules_factories import approval, at, case, doc, profile, profiles_with, statuses

from liuhen.rules import gate


@pytest.mark.parametrize("profile_id", profiles_with("emergency-late-approval-24h"))
def test_given_emergency_start_then_late_approval_due_in_24_hours(profile_id):
    """GIVEN an emergency start at T WHEN the late approval came at T+24h THEN satisfied;
    at T+24h+1s THEN violated; none yet THEN pending before and overdue after T+24h."""
    start = at()
    base = {"emergency_start": True, "emergency_started_at": start}
    on_time = case(
        profile_id, approvals=(approval("late_approval", when=start + timedelta(hours=24)),), **base
    )
    assert statuses(profile_id, on_time, "emergency-late-approval-24h") == ["satisfied"]
    late = case(
        profile_id,
        approvals=(approval("late_approval", when=start + timedelta(hours=24, seconds=1)),),
        **base,
    )
    assert statuses(profile_id, late, "emergency-late-approval-24h") == ["violated"]
    none = case(profile_id, stage="initiation", **base)
    assert statuses(profile_id, none, "emergency-late-approval-24h", now=start + timedelta(hours=23)) == [
        "pending"
    ]
    assert statuses(profile_id, none, "emergency-late-approval-24h", now=start + timedelta(hours=25)) == [
        "overdue"
    ]
    blocking = gate(none, profile(profile_id), to_stage="investigation", now=start + timedelta(hours=1))
    assert "emergency-late-approval-24h" in {f.rule_id for f in blocking}


@pytest.mark.parametrize("profile_id", profiles_with("archive-within-30-days"))
def test_given_enforcement_ended_then_archive_due_end_of_30th_calendar_day(profile_id):
    """GIVEN an enforcement act ended 1 March 2024 09:00 THEN archiving on 31 March 23:59 is on time
    and on 1 April 00:00 is late."""
    ended = at()
    in_time = case(
        profile_id,
        stage="archived",
        enforcement_ended_at=ended,
        archived_at=ended.replace(day=31, hour=23, minute=59),
    )
    assert statuses(profile_id, in_time, "archive-within-30-days") == ["satisfied"]
    late = case(
        profile_id,
        stage="archived",
        enforcement_ended_at=ended,
        archived_at=ended.replace(month=4, day=1, hour=0),
    )
    assert statuses(profile_id, late, "archive-within-30-days") == ["violated"]
    waiting = case(profile_id, stage="closed", enforcement_ended_at=ended)
    assert statuses(profile_id, waiting, "archive-within-30-days", now=ended + timedelta(days=31)) == [
        "overdue"
    ]


@pytest.mark.parametrize("profile_id", profiles_with("rectification-check-on-time"))
def test_given_rectification_due_date_then_check_by_end_of_that_day(profile_id):
    """GIVEN a rectification notice due 2024-03-10 THEN a check on the 10th is on time, the 11th late."""
    notice = doc("rectification_notice", fields={"due_date": "2024-03-10"})
    ok = case(
        profile_id,
        stage="closed",
        documents=(notice, doc("rectification_check_record", created_at=at(days=9, hours=14))),
    )
    assert statuses(profile_id, ok, "rectification-check-on-time") == ["satisfied"]
    late = case(
        profile_id,
        stage="closed",
        documents=(notice, doc("rectification_check_record", created_at=at(days=10))),
    )
    assert statuses(profile_id, late, "rectification-check-on-time") == ["violated"]


CHAIN = {"dalian-cg": "internal-approval-chain", "xinle-fg": "internal-approval-dated"}


@pytest.mark.parametrize(("profile_id", "rule_id"), sorted(CHAIN.items()))
def test_given_dated_ordered_chain_then_satisfied(profile_id, rule_id):
    """GIVEN handler → reviewer → approver, each dated, in order THEN the chain is satisfied."""
    chain = (
        approval("handler_proposal", when=at(1), actor="甲"),
        approval("review", when=at(2), actor="乙"),
        approval("approval", when=at(3), actor="丙"),
    )
    snapshot = case(
        profile_id, stage="service_enforcement", documents=(doc("penalty_decision"),), approvals=chain
    )
    assert statuses(profile_id, snapshot, rule_id) == ["satisfied"]


@pytest.mark.parametrize(("profile_id", "rule_id"), sorted(CHAIN.items()))
def test_given_undated_review_then_chain_unmet_and_gate_blocks(profile_id, rule_id):
    """GIVEN a review without a date THEN the chain is unmet and blocks leaving the decision stage."""
    chain = (
        approval("handler_proposal", when=at(1), actor="甲"),
        approval("review", when=None, actor="乙"),
        approval("approval", when=at(3), actor="丙"),
    )
    snapshot = case(profile_id, stage="decision", documents=(doc("penalty_decision"),), approvals=chain)
    assert statuses(profile_id, snapshot, rule_id) == ["pending"]
    blocking = gate(snapshot, profile(profile_id), to_stage="service_enforcement", now=at(5))
    assert rule_id in {f.rule_id for f in blocking}


def test_given_dalian_approver_before_reviewer_or_same_person_then_violated():
    """GIVEN the approver signing before the reviewer, or one person in two roles THEN dalian-cg§28 is violated."""
    disordered = (
        approval("handler_proposal", when=at(1), actor="甲"),
        approval("review", when=at(5), actor="乙"),
        approval("approval", when=at(3), actor="丙"),
    )
    snapshot = case("dalian-cg", stage="closed", documents=(doc("penalty_decision"),), approvals=disordered)
    assert statuses("dalian-cg", snapshot, "internal-approval-chain") == ["violated"]
    same = (
        approval("handler_proposal", when=at(1), actor="甲"),
        approval("review", when=at(2), actor="甲"),
        approval("approval", when=at(3), actor="丙"),
    )
    snapshot = case("dalian-cg", stage="closed", documents=(doc("penalty_decision"),), approvals=same)
    assert statuses("dalian-cg", snapshot, "internal-approval-chain") == ["violated"]


@pytest.mark.parametrize("profile_id", profiles_with("service-mail-record"))
def test_given_mail_service_then_method_specific_fields_checked(profile_id):
    """GIVEN a mail service receipt without the postal receipt number THEN missing; complete THEN satisfied."""
    base = {"method": "mail", "mail_type": "registered", "mailing_register_no": "R1"}
    bad = case(profile_id, stage="closed", documents=(doc("service_receipt", fields=base),))
    assert statuses(profile_id, bad, "service-mail-record") == ["missing"]
    good = case(
        profile_id,
        stage="closed",
        documents=(doc("service_receipt", fields={**base, "postal_receipt_no": "P1"}),),
    )
    assert statuses(profile_id, good, "service-mail-record") == ["satisfied"]


def test_given_ordinary_post_in_dalian_then_mail_type_not_allowed():
    """GIVEN mail service by ordinary post THEN dalian-cg§17 (registered or express only) reports it."""
    fields = {
        "method": "mail",
        "mail_type": "ordinary",
        "mailing_register_no": "R1",
        "postal_receipt_no": "P1",
    }
    snapshot = case("dalian-cg", stage="closed", documents=(doc("service_receipt", fields=fields),))
    assert statuses("dalian-cg", snapshot, "service-mail-record") == ["missing"]


def test_given_tamper_event_then_prohibition_violated_in_every_profile():
    """GIVEN an integrity event of a deleted record THEN no-deletion-or-alteration is violated everywhere."""
    from liuhen.rules.snapshot import IntegrityEventSnap

    event = IntegrityEventSnap(code="record_deleted", record_id="d9", detected_at=at())
    for profile_id in profiles_with("no-deletion-or-alteration"):
        snapshot = case(profile_id, integrity_events=(event,))
        assert statuses(profile_id, snapshot, "no-deletion-or-alteration") == ["violated"]
        assert statuses(profile_id, case(profile_id), "no-deletion-or-alteration") == ["satisfied"]

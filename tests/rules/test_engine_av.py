"""Mandatory A/V, the written-reason alternative, interruptions, labels and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rules_factories import at, case, doc, interruption, media, profiles_with, signed_record, statuses

from liuhen.rules.deadlines import CHINA_TZ


@pytest.mark.parametrize("profile_id", profiles_with("inspection-av"))
def test_given_inspection_with_linked_recording_then_satisfied_and_without_then_unmet(profile_id):
    """GIVEN an inspection record WHEN a linked inspection recording exists THEN satisfied;
    WHEN none exists and the case has moved on THEN missing."""
    record = signed_record("inspection_record")
    recorded = case(
        profile_id,
        stage="decision",
        documents=(record,),
        media=(media("inspection", document_ids=(record.id,)),),
    )
    assert statuses(profile_id, recorded, "inspection-av") == ["satisfied"]
    bare = case(profile_id, stage="decision", documents=(record,))
    assert statuses(profile_id, bare, "inspection-av") == ["missing"]


@pytest.mark.parametrize("profile_id", ["dalian-cg", "gaochang-sthj"])
def test_given_written_unsuitable_reason_then_av_rule_satisfied_where_profile_allows(profile_id):
    """GIVEN an inspection with no recording but an av_unsuitable_reason for activity inspection
    THEN dalian-cg§11 / gaochang-sthj§11 accept it."""
    record = signed_record("inspection_record")
    reason = doc("av_unsuitable_reason", fields={"activity": "inspection", "reason": "涉及隐私"})
    snapshot = case(profile_id, stage="decision", documents=(record, reason))
    assert statuses(profile_id, snapshot, "inspection-av") == ["satisfied"]


def test_given_written_reason_for_other_activity_or_in_longjiang_then_not_accepted():
    """GIVEN a written reason naming a different activity THEN dalian-cg still misses the recording;
    GIVEN longjiang-cg (§9, no written alternative) THEN a matching reason does not satisfy."""
    record = signed_record("inspection_record")
    wrong = doc("av_unsuitable_reason", fields={"activity": "sampling"})
    assert statuses(
        "dalian-cg", case("dalian-cg", stage="decision", documents=(record, wrong)), "inspection-av"
    ) == ["missing"]
    right = doc("av_unsuitable_reason", fields={"activity": "inspection"})
    assert statuses(
        "longjiang-cg", case("longjiang-cg", stage="decision", documents=(record, right)), "inspection-av"
    ) == ["missing"]


def test_given_longjiang_nine_activities_then_each_needs_av():
    """GIVEN longjiang-cg and records of §9 activities without A/V THEN each A/V rule is missing."""
    docs = (
        signed_record("inquiry_record"),
        signed_record("evidence_preservation_list"),
        doc("seizure_decision", fields={"measure": "seize_property"}),
        doc("seizure_decision", fields={"measure": "seal_premises"}),
        doc("hearing_record"),
        doc("enforcement_record", fields={"method": "removal_restoration", "demolition": True}),
        doc("service_receipt", fields={"method": "left_at_residence"}),
        doc("service_receipt", fields={"method": "public_notice"}),
    )
    snapshot = case("longjiang-cg", stage="closed", documents=docs, flags={"obstruction"})
    for rule_id in (
        "inquiry-av",
        "evidence-preservation-av",
        "seize-property-av",
        "seal-premises-av",
        "hearing-av",
        "forced-demolition-av",
        "service-left-av",
        "service-public-notice-av",
        "non-cooperation-av",
    ):
        assert statuses("longjiang-cg", snapshot, rule_id) == ["missing"], rule_id


def test_given_gaochang_summary_procedure_then_av_always_but_dalian_only_when_disputes_likely():
    """GIVEN a summary-procedure case without A/V THEN gaochang-sthj§20 requires A/V always,
    dalian-cg§16 only where disputes are likely."""
    summary = {"procedure": "summary", "stage": "closed"}
    assert statuses("gaochang-sthj", case("gaochang-sthj", **summary), "summary-av-always") == ["missing"]
    assert statuses("dalian-cg", case("dalian-cg", **summary), "summary-av") == []
    disputed = case("dalian-cg", flags={"dispute_likely"}, **summary)
    assert statuses("dalian-cg", disputed, "summary-av") == ["missing"]
    recorded = case("dalian-cg", flags={"dispute_likely"}, media=(media("summary_procedure"),), **summary)
    assert statuses("dalian-cg", recorded, "summary-av") == ["satisfied"]


def test_given_gaochang_rectification_check_then_av_required():
    """GIVEN a rectification check record in gaochang-sthj (§26) THEN it needs a linked recording."""
    check = doc("rectification_check_record")
    assert statuses(
        "gaochang-sthj", case("gaochang-sthj", stage="closed", documents=(check,)), "rectification-check-av"
    ) == ["missing"]
    filmed = case(
        "gaochang-sthj",
        stage="closed",
        documents=(check,),
        media=(media("rectification_check", document_ids=(check.id,)),),
    )
    assert statuses("gaochang-sthj", filmed, "rectification-check-av") == ["satisfied"]


def test_given_xinle_liberty_case_then_whole_process_av_required():
    """GIVEN a xinle-fg case touching personal liberty (§19) THEN whole-process A/V is required."""
    flagged = case("xinle-fg", stage="decision", flags={"liberty_life_health_property"})
    assert statuses("xinle-fg", flagged, "whole-process-av") == ["missing"]
    recorded = case(
        "xinle-fg",
        stage="decision",
        flags={"liberty_life_health_property"},
        media=(media("whole_operation"),),
    )
    assert statuses("xinle-fg", recorded, "whole-process-av") == ["satisfied"]


def test_given_longjiang_risky_operation_then_two_devices_required():
    """GIVEN a risky operation (§12) filmed by one body cam only THEN missing; two devices THEN satisfied."""
    one = case("longjiang-cg", flags={"risky_operation"}, media=(media("whole_operation", device_no="A"),))
    assert statuses("longjiang-cg", one, "risky-operation-multi-angle") == ["missing"]
    two = case(
        "longjiang-cg",
        flags={"risky_operation"},
        media=(media("whole_operation", device_no="A"), media("whole_operation", device_no="B")),
    )
    assert statuses("longjiang-cg", two, "risky-operation-multi-angle") == ["satisfied"]


@pytest.mark.parametrize("profile_id", profiles_with("interruption-written-statement"))
def test_given_unresumed_interruption_then_written_statement_required(profile_id):
    """GIVEN an interruption that never resumed THEN a linked interruption statement is required;
    GIVEN a resumed one without a spoken explanation THEN the explanation rule is unmet."""
    statement = doc("interruption_statement")
    open_gap = case(profile_id, interruptions=(interruption(resumed=False),))
    assert statuses(profile_id, open_gap, "interruption-written-statement") == ["missing"]
    explained = case(
        profile_id,
        documents=(statement,),
        interruptions=(interruption(resumed=False, statement_document_id=statement.id),),
    )
    assert statuses(profile_id, explained, "interruption-written-statement") == ["satisfied"]
    silent = case(profile_id, interruptions=(interruption(resumed=True),))
    assert statuses(profile_id, silent, "interruption-spoken-explanation") == ["missing"]
    spoken = case(profile_id, interruptions=(interruption(resumed=True, spoken_explanation=True),))
    assert statuses(profile_id, spoken, "interruption-spoken-explanation") == ["satisfied"]


def test_given_longjiang_media_then_retention_at_least_six_months_with_month_end_clamp():
    """GIVEN a recording made 31 Aug (local) THEN retention until 28 Feb (same time) is enough
    and one second less violates §19."""
    end = at().replace(year=2023, month=8, day=31, hour=10)
    ok_until = end.replace(year=2024, month=2, day=29)
    ok = case(
        "longjiang-cg",
        media=(
            media(
                "inspection",
                captured_start=end - timedelta(minutes=5),
                captured_end=end,
                retention_until=ok_until,
            ),
        ),
    )
    assert statuses("longjiang-cg", ok, "av-retention-minimum") == ["satisfied"]
    short = case(
        "longjiang-cg",
        media=(
            media(
                "inspection",
                captured_start=end - timedelta(minutes=5),
                captured_end=end,
                retention_until=ok_until - timedelta(seconds=1),
            ),
        ),
    )
    assert statuses("longjiang-cg", short, "av-retention-minimum") == ["violated"]


def test_given_longjiang_long_term_condition_then_indefinite_retention_and_disc_copy_required():
    """GIVEN a case flagged review_or_litigation (§19 long-term condition 2)
    THEN a fixed expiry violates, no disc copy is missing, indefinite with a disc copy satisfies."""
    fixed = case(
        "longjiang-cg",
        flags={"review_or_litigation"},
        media=(media("inspection", retention_until=at(days=400)),),
    )
    assert statuses("longjiang-cg", fixed, "av-retention-long-term") == ["violated"]
    no_disc = case("longjiang-cg", flags={"review_or_litigation"}, media=(media("inspection"),))
    assert statuses("longjiang-cg", no_disc, "av-retention-long-term") == ["missing"]
    kept = case(
        "longjiang-cg", flags={"review_or_litigation"}, media=(media("inspection", offline_copy=True),)
    )
    assert statuses("longjiang-cg", kept, "av-retention-long-term") == ["satisfied"]
    ordinary = case("longjiang-cg", media=(media("inspection", retention_until=at(days=400)),))
    assert statuses("longjiang-cg", ordinary, "av-retention-long-term") == []


def test_given_xinle_evidence_recording_then_disc_copy_required():
    """GIVEN xinle-fg evidence A/V (§28) without a disc copy THEN missing; with one THEN satisfied."""
    assert statuses(
        "xinle-fg",
        case("xinle-fg", flags={"evidence_used"}, media=(media("inquiry"),)),
        "evidence-av-on-disc",
    ) == ["missing"]
    kept = case("xinle-fg", flags={"evidence_used"}, media=(media("inquiry", offline_copy=True),))
    assert statuses("xinle-fg", kept, "evidence-av-on-disc") == ["satisfied"]


def test_given_longjiang_media_without_labels_then_label_rule_missing():
    """GIVEN a recording without unit / cause / party labels THEN av-labels (§18) is unmet."""
    bare = case("longjiang-cg", media=(media("inspection", officers=("王一",)),))
    assert statuses("longjiang-cg", bare, "av-labels") == ["missing"]
    labelled = case(
        "longjiang-cg",
        media=(
            media(
                "inspection",
                officers=("王一",),
                labels={"unit": "一中队", "case_cause": "占道", "party": "张三"},
            ),
        ),
    )
    assert statuses("longjiang-cg", labelled, "av-labels") == ["satisfied"]


def test_given_media_uploaded_late_then_violated_and_remote_work_counts_from_return():
    """GIVEN a recording uploaded 25 h after capture THEN violated; GIVEN remote work returned later
    and uploaded within 24 h of return THEN satisfied (dalian-cg§22)."""
    end = at()
    late = case(
        "dalian-cg", media=(media("inspection", captured_end=end, uploaded_at=end + timedelta(hours=25)),)
    )
    assert statuses("dalian-cg", late, "av-upload-within-24h") == ["violated"]
    remote = media(
        "inspection",
        captured_end=end,
        remote_work=True,
        returned_at=end + timedelta(days=3),
        uploaded_at=end + timedelta(days=3, hours=23),
    )
    assert statuses("dalian-cg", case("dalian-cg", media=(remote,)), "av-upload-within-24h") == ["satisfied"]
    pending = case("dalian-cg", media=(media("inspection", captured_end=end, uploaded_at=None),))
    assert statuses("dalian-cg", pending, "av-upload-within-24h", now=end + timedelta(hours=2)) == ["pending"]
    assert statuses(
        "dalian-cg", pending, "av-upload-within-24h", now=end + timedelta(hours=24, seconds=1)
    ) == ["overdue"]


def test_given_xinglongtai_remote_work_then_no_return_extension():
    """GIVEN xinglongtai-mz (§23 has no remote-work clause) THEN 24 h count from the capture."""
    end = at()
    remote = media(
        "inspection",
        captured_end=end,
        remote_work=True,
        returned_at=end + timedelta(days=3),
        uploaded_at=end + timedelta(days=3, hours=1),
    )
    assert statuses("xinglongtai-mz", case("xinglongtai-mz", media=(remote,)), "av-upload-within-24h") == [
        "violated"
    ]
    assert end.tzinfo is CHINA_TZ

"""Signature rules: roles and counts, refusals, amendments, two-officer statements."""

from __future__ import annotations

import pytest
from rules_factories import case, doc, profiles_with, refusal, sig, signed_record, statuses


@pytest.mark.parametrize("profile_id", profiles_with("investigation-signatures"))
def test_given_inquiry_record_signed_by_all_then_satisfied(profile_id):
    """GIVEN an inquiry record signed by two officers and the party THEN signatures are satisfied."""
    snapshot = case(profile_id, stage="decision", documents=(signed_record("inquiry_record"),))
    assert statuses(profile_id, snapshot, "investigation-signatures") == ["satisfied"]


@pytest.mark.parametrize("profile_id", profiles_with("investigation-signatures"))
def test_given_party_signature_missing_without_refusal_then_missing(profile_id):
    """GIVEN an inquiry record with officers' signatures only and no recorded refusal THEN missing."""
    record = signed_record("inquiry_record", signatures=(sig("officer"), sig("officer")))
    snapshot = case(profile_id, stage="decision", documents=(record,))
    assert statuses(profile_id, snapshot, "investigation-signatures") == ["missing"]


def test_given_refusal_cosigned_by_one_officer_then_dalian_accepts_but_xinle_requires_two():
    """GIVEN a party refusal noted and co-signed by one officer
    THEN dalian-cg (§10: refusal recorded) is satisfied and xinle-fg (§14: two officers) is not."""
    record = signed_record(
        "inquiry_record", signatures=(sig("officer"), sig("officer")), refusals=(refusal(cosigning=1),)
    )
    assert statuses(
        "dalian-cg", case("dalian-cg", stage="decision", documents=(record,)), "investigation-signatures"
    ) == ["satisfied"]
    assert statuses(
        "xinle-fg", case("xinle-fg", stage="decision", documents=(record,)), "investigation-signatures"
    ) == ["missing"]
    twice = signed_record(
        "inquiry_record", signatures=(sig("officer"), sig("officer")), refusals=(refusal(cosigning=2),)
    )
    assert statuses(
        "xinle-fg", case("xinle-fg", stage="decision", documents=(twice,)), "investigation-signatures"
    ) == ["satisfied"]


def test_given_xinle_amended_record_then_party_fingerprint_or_seal_required():
    """GIVEN an amended inquiry record signed by the party in handwriting only
    THEN xinle-fg (§14: 手印/盖章 at the change) reports it; with a fingerprint it is satisfied."""
    handwritten = signed_record("inquiry_record", amendments=1)
    assert statuses(
        "xinle-fg", case("xinle-fg", stage="decision", documents=(handwritten,)), "investigation-signatures"
    ) == ["missing"]
    marked = signed_record(
        "inquiry_record",
        amendments=1,
        signatures=(sig("officer"), sig("officer"), sig("party", "fingerprint")),
    )
    assert statuses(
        "xinle-fg", case("xinle-fg", stage="decision", documents=(marked,)), "investigation-signatures"
    ) == ["satisfied"]


def test_given_xinle_multi_page_record_without_cross_page_mark_then_missing():
    """GIVEN a three-page record without 骑缝 mark THEN cross-page-seal is missing; one page is exempt."""
    three = signed_record("inquiry_record", fields={"page_count": 3})
    one = signed_record("inquiry_record", fields={"page_count": 1})
    assert statuses(
        "xinle-fg", case("xinle-fg", stage="decision", documents=(three,)), "cross-page-seal"
    ) == ["missing"]
    assert statuses("xinle-fg", case("xinle-fg", stage="decision", documents=(one,)), "cross-page-seal") == []


@pytest.mark.parametrize("profile_id", profiles_with("service-left-signatures"))
def test_given_left_at_residence_service_then_server_and_witness_sign(profile_id):
    """GIVEN a 留置送达 receipt signed by the server only THEN missing; with a witness THEN satisfied."""
    fields = {"method": "left_at_residence", "refusal_reason": "拒收", "refusal_date": "2024-03-02"}
    alone = doc("service_receipt", fields=fields, signatures=(sig("server"),))
    witnessed = doc("service_receipt", fields=fields, signatures=(sig("server"), sig("witness")))
    assert statuses(
        profile_id, case(profile_id, stage="closed", documents=(alone,)), "service-left-signatures"
    ) == ["missing"]
    assert statuses(
        profile_id, case(profile_id, stage="closed", documents=(witnessed,)), "service-left-signatures"
    ) == ["satisfied"]


@pytest.mark.parametrize("profile_id", profiles_with("interruption-statement-two-officers"))
def test_given_interruption_statement_signed_by_one_officer_then_missing(profile_id):
    """GIVEN an interruption statement signed by one officer THEN the two-officer rule is missing."""
    one = doc("interruption_statement", signatures=(sig("officer"),))
    assert statuses(
        profile_id, case(profile_id, documents=(one,)), "interruption-statement-two-officers"
    ) == ["missing"]
    two = doc("interruption_statement", signatures=(sig("officer", name="a"), sig("officer", name="b")))
    assert statuses(
        profile_id, case(profile_id, documents=(two,)), "interruption-statement-two-officers"
    ) == ["satisfied"]

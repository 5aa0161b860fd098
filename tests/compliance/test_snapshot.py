"""The engine's snapshot is built from real rows, in a fixed number of queries."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liuhen.cases import services
from liuhen.compliance.snapshot import case_snapshot
from liuhen.core import clock
from liuhen.evidence.services.interruptions import interruption_record
from liuhen.evidence.services.media import media_record_create
from tests.factories import make_document

pytestmark = pytest.mark.django_db


_HASHES = itertools.count(1)


def _media(case, user, **extra):
    return media_record_create(
        case=case,
        uploaded_by=user,
        sha256=f"{next(_HASHES):064x}",  # one record per file on a case: a second of the same is refused
        size=10,
        storage_key="k",
        kind="video",
        title="询问录像",
        **extra,
    )


def _recorded_case(office):
    """A case with a signed, refused and amended record, an approval, linked A/V and an interruption."""
    case = office.case(flags=["dispute_likely"])
    form = office.approve_initiation(case)
    services.case_transition(case=case, by=office.officer, to_stage="investigation")
    inquiry = make_document(case, office.officer, "inquiry_record")
    for user in (office.officer, office.officer2):
        services.document_sign(
            document=inquiry,
            recorded_by=office.officer,
            signer_role="officer",
            signer_name=user.display_name,
            method="electronic",
            signer_user=user,
            cross_page_seal=True,
        )
    services.document_sign(
        document=inquiry,
        recorded_by=office.officer,
        signer_role="party",
        signer_name="王某某",
        method="handwritten_scan",
    )
    services.document_refusal_record(
        document=inquiry,
        recorded_by=office.officer,
        refuser_role="witness",
        refuser_name="路人甲",
        reason="拒绝签字",
        second_officer=office.officer2,
    )
    services.document_amend(
        document=inquiry,
        amended_by=office.officer,
        changes={"place": "黄浦路12号门前"},
        reason="地点笔误",
        party_ack_method="fingerprint",
        party_ack_name="王某某",
    )
    now = clock.now()
    clip = _media(
        case,
        office.officer,
        activity="inquiry",
        device_no="DSJ-01",
        officers=["张伟", "李娜"],
        captured_start=now - timedelta(hours=30),
        captured_end=now - timedelta(hours=29),
        remote_work=True,
        returned_at=now - timedelta(hours=2),
        linked_documents=[inquiry],
        location="黄浦路",
    )
    interruption_record(
        case=case,
        recorded_by=office.officer,
        reason="battery",
        interrupted_at=now - timedelta(hours=29, minutes=30),
        resumed_at=now - timedelta(hours=29, minutes=20),
        explanation_media=clip,
    )
    return case, form, inquiry, clip


def test_given_real_rows_when_building_the_snapshot_then_every_field_the_rules_read_is_mapped(dalian):
    case, form, inquiry, clip = _recorded_case(dalian)
    snap = case_snapshot(case)
    assert (snap.profile_id, snap.stage, snap.flags) == (
        "dalian-cg",
        "investigation",
        frozenset({"dispute_likely"}),
    )
    doc = next(d for d in snap.documents if d.id == f"document:{inquiry.pk}")
    assert doc.fields["place"] == "黄浦路12号门前"  # the amendment applied
    assert doc.fields["officers"] == inquiry.fields["officer_names"]  # the profiles' name for the field
    assert doc.fields["cross_page_seal"] is True
    assert doc.amendments == 1
    assert doc.refusals[0].signer_role == "witness" and doc.refusals[0].cosigning_officers == 2
    roles = sorted((s.role, s.method) for s in doc.signatures)
    assert roles == [
        ("officer", "electronic"),
        ("officer", "electronic"),
        ("party", "fingerprint"),
        ("party", "handwritten_scan"),
    ]
    approval = next(a for a in snap.approvals if a.kind == "head_approval")
    assert approval.document_id == f"document:{form.pk}" and approval.actor_name == "王局长"
    media = snap.media[0]
    assert media.id == f"media:{clip.pk}" and media.document_ids == (f"document:{inquiry.pk}",)
    assert (
        media.remote_work and media.returned_at == clip.returned_at and media.uploaded_at == clip.uploaded_at
    )
    assert media.labels["unit"] == "执法一中队" and media.labels["party"] == "王某某"
    assert media.labels["case_cause"] == case.cause and media.has_spoken_interruption_explanation
    assert [(t.from_stage, t.to_stage) for t in snap.transitions] == [("initiation", "investigation")]
    (interruption,) = snap.interruptions
    assert interruption.resumed and interruption.spoken_explanation and interruption.media_id == media.id


def test_given_more_records_when_building_the_snapshot_then_the_number_of_queries_does_not_grow(dalian):
    case, *_ = _recorded_case(dalian)
    with CaptureQueriesContext(connection) as small:
        case_snapshot(case)
    bigger, *_ = _recorded_case(dalian)
    _media(bigger, dalian.officer, activity="inspection")
    for _ in range(3):
        make_document(bigger, dalian.officer, "inspection_record")
    with CaptureQueriesContext(connection) as large:
        snap = case_snapshot(bigger)
    assert len(snap.documents) > len(case_snapshot(case).documents)
    assert len(large.captured_queries) == len(small.captured_queries) <= 11

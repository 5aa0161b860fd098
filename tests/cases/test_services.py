"""Case services: each write validates, records who/when/why, and appends its ledger entry atomically."""

import pytest
from django.db import transaction

from liuhen.cases import services
from liuhen.cases.models import Case, Document
from liuhen.cases.services.documents import document_current_fields
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.ledger.models import LedgerEntry
from tests.archive.archiving import archive_case
from tests.factories import make_agency, make_case, make_document, make_party, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return make_agency()


@pytest.fixture
def officer(agency):
    return make_user(agency, ["officer", "handler"], name="张伟")


def test_given_an_officer_when_opening_two_cases_then_numbers_follow_the_agency_prefix_and_year(officer):
    first, second = make_case(officer), make_case(officer)
    assert second.seq == first.seq + 1
    assert first.case_no.startswith(officer.agency.case_prefix) and f"〔{first.year}〕" in first.case_no
    assert first.stage == "initiation"


def test_given_a_case_opened_when_looking_at_the_ledger_then_one_entry_names_actor_and_case(officer):
    case = make_case(officer)
    entry = LedgerEntry.objects.filter(action="case.opened", case=case).get()
    assert b'"case.opened"' in bytes(entry.body) and case.case_no.encode() in bytes(entry.body)
    assert entry.actor == officer


def test_given_a_failure_after_the_write_when_the_transaction_rolls_back_then_no_entry_remains(officer):
    before = LedgerEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(officer)
        raise RuntimeError("boom")
    assert LedgerEntry.objects.count() == before
    assert not Case.objects.exists()


def test_given_a_general_case_when_skipping_investigation_then_conflict_and_nothing_recorded(officer):
    case = make_case(officer)
    with pytest.raises(Conflict):
        services.case_transition(case=case, by=officer, to_stage="decision")
    assert case.transitions.count() == 0


def test_given_an_early_close_without_reason_when_moving_then_the_reason_field_is_named(officer):
    case = make_case(officer)
    services.case_transition(case=case, by=officer, to_stage="investigation")
    with pytest.raises(ValidationFailed) as info:
        services.case_transition(case=case, by=officer, to_stage="closed")
    assert info.value.errors[0].field == "reason"


def test_given_a_transition_when_made_then_who_when_why_are_recorded(officer):
    case = make_case(officer)
    t = services.case_transition(case=case, by=officer, to_stage="investigation", reason="立案批准")
    case.refresh_from_db()
    assert (case.stage, t.from_stage, t.by, t.reason) == ("investigation", "initiation", officer, "立案批准")


def test_given_a_document_missing_required_fields_when_created_then_each_field_is_named(officer):
    case = make_case(officer)
    with pytest.raises(ValidationFailed) as info:
        services.document_create(case=case, created_by=officer, doc_type="inquiry_record", fields={})
    fields = {e.field for e in info.value.errors}
    assert {"fields.interviewee_name", "fields.qa_content", "fields.place"} <= fields
    assert not Document.objects.exists()


def test_given_an_unknown_document_type_when_created_then_doc_type_is_named(officer):
    case = make_case(officer)
    with pytest.raises(ValidationFailed) as info:
        services.document_create(case=case, created_by=officer, doc_type="love_letter", fields={})
    assert info.value.errors[0].field == "doc_type"


def test_given_a_refusal_when_the_recording_officer_is_also_the_second_then_refused(officer, agency):
    case = make_case(officer)
    doc = make_document(case, officer)
    with pytest.raises(ValidationFailed, match="second_officer_username"):
        services.document_refusal_record(
            document=doc,
            recorded_by=officer,
            refuser_role="party",
            refuser_name="王某某",
            reason="拒签",
            second_officer=officer,
        )


def test_given_a_refusal_when_a_non_officer_cosigns_then_refused(officer, agency):
    case = make_case(officer)
    doc = make_document(case, officer)
    clerk = make_user(agency, ["archivist"])
    with pytest.raises(ValidationFailed):
        services.document_refusal_record(
            document=doc,
            recorded_by=officer,
            refuser_role="party",
            refuser_name="王某某",
            reason="拒签",
            second_officer=clerk,
        )


def test_given_an_amendment_when_recorded_then_the_original_stays_and_the_change_is_attributed(officer):
    case = make_case(officer)
    doc = make_document(case, officer)
    original = dict(doc.fields)
    amendment = services.document_amend(
        document=doc,
        amended_by=officer,
        changes={"place": "黄浦路88号门前"},
        reason="地点笔误",
        party_ack_method="fingerprint",
        party_ack_name="王某某",
    )
    doc.refresh_from_db()
    assert doc.fields == original
    assert amendment.changes == {"place": {"from": original["place"], "to": "黄浦路88号门前"}}
    assert document_current_fields(doc)["place"] == "黄浦路88号门前"
    assert amendment.body_sha256 != doc.body_sha256


def test_given_a_party_signed_record_when_amended_without_party_fingerprint_then_refused(officer):
    case = make_case(officer)
    doc = make_document(case, officer)
    with pytest.raises(ValidationFailed) as info:
        services.document_amend(document=doc, amended_by=officer, changes={"place": "别处"}, reason="笔误")
    assert info.value.errors[0].field == "party_ack_method"


def test_given_an_officer_when_recording_head_approval_then_permission_denied(officer):
    case = make_case(officer)
    with pytest.raises(PermissionDenied):
        services.approval_record(
            case=case, actor=officer, kind="head_approval", decision="approve", opinion="同意"
        )


def test_given_the_head_when_approving_then_opinion_and_date_are_kept(officer, agency):
    head = make_user(agency, ["head"])
    case = make_case(officer)
    step = services.approval_record(
        case=case, actor=head, kind="head_approval", decision="approve", opinion="同意立案"
    )
    assert (step.actor_role, step.opinion) == ("head", "同意立案") and step.decided_at is not None


def test_given_a_user_of_another_agency_when_writing_to_the_case_then_permission_denied(officer):
    other = make_user(make_agency(), ["officer", "handler"])
    case = make_case(officer)
    with pytest.raises(PermissionDenied):
        make_document(case, other)


def test_given_an_archived_case_when_adding_a_record_then_conflict(officer, agency):
    case = make_case(officer, procedure="summary")
    make_document(case, officer)
    for stage in ("decision", "service_enforcement", "closed"):
        services.case_transition(case=case, by=officer, to_stage=stage)
    archive_case(case)
    case.refresh_from_db()
    with pytest.raises(Conflict):
        make_document(case, officer, "case_closing_report")


def test_given_a_party_of_another_agency_when_opening_a_case_then_party_ids_is_named(officer):
    foreign_party = make_party(make_user(make_agency()))
    with pytest.raises(ValidationFailed) as info:
        services.case_open(
            opened_by=officer,
            procedure="general",
            initiation_kind="ex_officio",
            cause="x",
            parties=[foreign_party],
        )
    assert info.value.errors[0].field == "party_ids"

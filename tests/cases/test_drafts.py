"""Drafts (草稿): saved incomplete, seen and changed only by their author and the case's handler, never
a record until finalised through document_create (full validation, its ledger entry)."""

from __future__ import annotations

import pytest

from liuhen.access import scope
from liuhen.accounts.roles import ROLE_PERMISSIONS, Permission
from liuhen.cases.draft_selectors import case_drafts, draft_get
from liuhen.cases.models import Document, DocumentDraft
from liuhen.cases.services.drafts import draft_discard, draft_finalise, draft_save
from liuhen.catalogue import example_fields
from liuhen.compliance.models import StoredFinding
from liuhen.compliance.services import compliance_refresh
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db

BEGUN = {"place": "询问室", "interviewee_name": "王某某", "qa_content": "问：你是否在此摆摊？\n答：是。"}


@pytest.fixture
def office():
    agency = make_agency()
    handler = make_user(agency, ["officer", "handler"], name="张伟")
    return {
        "agency": agency,
        "handler": handler,
        "author": make_user(agency, ["officer"], name="李娜"),
        "colleague": make_user(agency, ["officer"], name="王强"),
        "reviewer": make_user(agency, ["reviewer"]),
        "case": make_case(handler),
    }


def _draft(office, **content) -> DocumentDraft:
    return draft_save(
        by=office["author"],
        case=office["case"],
        doc_type="inquiry_record",
        fields=content or BEGUN,
    )


def test_given_a_half_written_inquiry_when_saved_as_draft_then_kept_without_a_record_or_entry(office):
    entries = LedgerEntry.objects.count()
    draft = _draft(office)
    assert draft.fields["place"] == "询问室" and not draft.finalised
    assert not Document.objects.filter(case=office["case"]).exists()
    assert LedgerEntry.objects.count() == entries


def test_given_a_wrong_value_when_saved_as_draft_then_refused_at_the_field_in_chinese(office):
    with pytest.raises(ValidationFailed) as failed:
        _draft(office, inquiry_started_at="下午三点", officer_count="两")
    by_field = {e.field: e.message for e in failed.value.errors}
    assert set(by_field) == {"fields.inquiry_started_at", "fields.officer_count"}
    assert "询问开始时间" in by_field["fields.inquiry_started_at"]


def test_given_mismatched_lists_in_a_draft_then_kept_until_finalised(office):
    """GIVEN two officer names and one certificate number so far THEN the draft keeps both as typed."""
    draft = _draft(
        office, officer_count=2, officer_names=["张伟", "李娜"], officer_certificate_nos=["2102001"]
    )
    assert draft.fields["officer_certificate_nos"] == ["2102001"]


def test_given_one_officer_so_far_in_a_draft_then_it_is_kept_until_finalised(office):
    """GIVEN an inquiry draft with one officer so far (the record needs two) THEN the draft keeps the count
    as typed; a negative count is still a wrong value."""
    draft = _draft(office, officer_count=1, officer_names=["张伟"], officer_certificate_nos=["2102001"])
    assert draft.fields["officer_count"] == 1
    with pytest.raises(ValidationFailed):
        _draft(office, officer_count=-1)


def test_only_the_author_and_the_handler_see_and_change_a_draft(office):
    draft = _draft(office)
    for who in ("author", "handler"):
        assert draft_get(user=office[who], draft_id=draft.pk, action="change") == draft
        assert list(case_drafts(user=office[who], case=office["case"])) == [draft]
    for who in ("colleague", "reviewer"):
        with pytest.raises(NotFound):
            draft_get(user=office[who], draft_id=draft.pk)
        assert not case_drafts(user=office[who], case=office["case"]).exists()
    with pytest.raises(PermissionDenied):
        draft_save(by=office["colleague"], draft=draft, fields=BEGUN)
    saved = draft_save(by=office["handler"], draft=draft, fields={**BEGUN, "place": "现场"})
    assert saved.fields["place"] == "现场"


def test_given_another_agency_then_its_officer_finds_no_draft(office):
    stranger = make_user(make_agency(), ["officer", "handler"])
    draft = _draft(office)
    with pytest.raises(NotFound):
        draft_get(user=stranger, draft_id=draft.pk)
    assert not scope.restrict(stranger, DocumentDraft).exists()


def test_every_role_that_sees_drafts_is_cleared_for_personal_data():
    """Drafts are shown unmasked (scope.drafts): that holds only while document.create implies personal.view."""
    for role, perms in ROLE_PERMISSIONS.items():
        if Permission.DOCUMENT_CREATE in perms:
            assert Permission.PERSONAL_DATA_VIEW in perms, role


def test_given_an_incomplete_draft_when_finalised_then_validated_in_full_and_nothing_recorded(office):
    draft = _draft(office)
    with pytest.raises(ValidationFailed) as failed:
        draft_finalise(draft=draft, by=office["author"])
    fields = {e.field for e in failed.value.errors}
    assert "fields.inquiry_started_at" in fields and "fields.place" not in fields
    draft.refresh_from_db()
    assert not draft.finalised and not Document.objects.exists()


def test_given_a_complete_draft_when_finalised_then_the_record_and_its_entry_exist(office):
    draft = _draft(office, **example_fields("inquiry_record"))
    document = draft_finalise(draft=draft, by=office["handler"])
    assert document.fields == draft.fields and document.created_by == office["handler"]
    entry = LedgerEntry.objects.get(action="document.created", object_type="document", object_id=document.pk)
    assert entry.actor_id == office["handler"].pk
    assert not LedgerEntry.objects.filter(object_type="draft").exists()
    draft.refresh_from_db()
    assert draft.finalised_document == document
    assert not case_drafts(user=office["author"], case=office["case"]).exists()


def test_given_a_finalised_draft_then_it_can_be_neither_edited_nor_discarded_nor_finalised_again(office):
    draft = _draft(office, **example_fields("inquiry_record"))
    draft_finalise(draft=draft, by=office["author"])
    with pytest.raises(Conflict):
        draft_save(by=office["author"], draft=draft, fields=BEGUN)
    with pytest.raises(Conflict):
        draft_discard(draft=draft, by=office["author"])
    with pytest.raises(Conflict):
        draft_finalise(draft=draft, by=office["author"])
    assert Document.objects.count() == 1


def test_a_draft_is_discarded_by_its_author_only(office):
    draft = _draft(office)
    with pytest.raises(PermissionDenied):
        draft_discard(draft=draft, by=office["handler"])
    draft_discard(draft=draft, by=office["author"])
    assert not DocumentDraft.objects.exists()


def test_given_an_archived_case_then_no_draft_is_saved(office):
    case = office["case"]
    case.stage = "archived"
    with pytest.raises(Conflict):
        draft_save(by=office["author"], case=case, doc_type="inquiry_record", fields=BEGUN)


def test_given_a_draft_of_the_required_form_then_compliance_still_finds_it_missing():
    """GIVEN dalian-cg, which requires an 立案审批表 (initiation-approval-form) WHEN only a draft of it
    exists THEN the rule stays pending; once it is finalised it is satisfied."""
    agency = make_agency(profile_id="dalian-cg")
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)

    def status() -> list[str]:
        rows = StoredFinding.objects.filter(case=case, rule_id="initiation-approval-form")
        return list(rows.values_list("status", flat=True))

    draft = draft_save(
        by=officer, case=case, doc_type="initiation_approval", fields=example_fields("initiation_approval")
    )
    compliance_refresh(case=case)
    assert status() == ["pending"]
    draft_finalise(draft=draft, by=officer)
    assert status() == ["satisfied"]

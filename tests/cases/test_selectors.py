"""Every read is scoped by agency, role and confidentiality (standing rule 3)."""

import json

import pytest

from liuhen.cases import selectors, services
from liuhen.cases.selectors import CaseFilters
from liuhen.catalogue import example_fields
from liuhen.core.errors import NotFound, PermissionDenied
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = make_agency(), make_agency()
    return {
        "a": a,
        "b": b,
        "officer_a": make_user(a, ["officer", "handler"]),
        "officer_a2": make_user(a, ["officer"]),
        "head_a": make_user(a, ["head"]),
        "officer_b": make_user(b, ["officer", "handler"]),
    }


def test_given_two_agencies_when_listing_then_each_sees_only_its_own(world):
    case_a, case_b = make_case(world["officer_a"]), make_case(world["officer_b"])
    assert list(selectors.case_list(user=world["officer_a"])) == [case_a]
    assert list(selectors.case_list(user=world["officer_b"])) == [case_b]
    with pytest.raises(NotFound):
        selectors.case_get(user=world["officer_a"], case_id=case_b.pk)


def test_given_a_supervisor_when_reading_then_sees_supervised_agencies_but_cannot_write(world):
    bureau = make_agency()
    supervisor = make_user(bureau, ["supervisor"])
    supervisor.supervised_agencies.set([world["a"]])
    case_a, _ = make_case(world["officer_a"]), make_case(world["officer_b"])
    assert list(selectors.case_list(user=supervisor)) == [case_a]
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case_a, by=supervisor, to_stage="investigation")


def test_given_a_confidential_case_when_a_colleague_lists_then_hidden_but_the_head_sees_it(world):
    secret = make_case(world["officer_a"], confidential=True)
    assert secret not in selectors.case_list(user=world["officer_a2"])
    assert secret in selectors.case_list(user=world["head_a"])
    assert secret in selectors.case_list(user=world["officer_a"])  # its handler


def test_given_list_filters_when_applied_then_stage_and_keyword_narrow_the_list(world):
    vending = make_case(world["officer_a"], cause="占道经营")
    building = make_case(world["officer_a"], cause="违法建设")
    services.case_transition(case=building, by=world["officer_a"], to_stage="investigation")
    officer = world["officer_a"]
    assert list(selectors.case_list(user=officer, filters=CaseFilters(stage="investigation"))) == [building]
    assert list(selectors.case_list(user=officer, filters=CaseFilters(q="占道"))) == [vending]


def test_given_a_confidential_document_when_read_then_the_read_is_a_ledger_entry(world):
    case = make_case(world["officer_a"])
    doc = services.document_create(
        case=case,
        created_by=world["officer_a"],
        doc_type="inspection_record",
        fields=example_fields("inspection_record"),
        confidential=True,
    )
    selectors.document_get(user=world["head_a"], document_id=doc.pk)
    entry = LedgerEntry.objects.filter(action="document.viewed").get()
    assert entry.actor == world["head_a"] and entry.object_id == doc.pk
    assert "confidential" in json.loads(bytes(entry.body))["details"]["reasons"]


def test_given_a_case_with_records_when_building_the_timeline_then_everything_is_in_time_order(world):
    officer = world["officer_a"]
    case = make_case(officer)
    doc = make_document(case, officer)
    services.document_sign(
        document=doc, recorded_by=officer, signer_role="party", signer_name="王某某", method="fingerprint"
    )
    services.approval_record(
        case=case, actor=world["head_a"], kind="head_approval", decision="approve", opinion="同意"
    )
    services.case_transition(case=case, by=officer, to_stage="investigation")
    items = selectors.case_timeline(user=officer, case=case)
    assert [i.kind for i in items] == ["opened", "document", "signature", "approval", "transition"]
    assert [i.at for i in items] == sorted(i.at for i in items)


def test_given_a_document_as_shown_to_an_uncleared_reader_when_amended_then_the_service_refuses_it():
    """GIVEN an inquiry record fetched for viewing by a role without personal.view (its ID number masked)
    WHEN that masked copy is handed to the amendment service THEN it refuses: an amendment computed from
    masked fields would record a wrong body. The stored row (action="change") is what services take."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    admin = make_user(agency, ["admin"])
    document = make_document(make_case(officer), officer)
    shown = selectors.document_get(user=admin, document_id=document.pk)
    assert "*" in shown.fields["interviewee_id_no"]

    with pytest.raises(TypeError, match="masked copy"):
        services.document_amend(
            document=shown, amended_by=officer, changes={"inquiry_place": "x"}, reason="r"
        )
    stored = selectors.document_get(user=officer, document_id=document.pk, action="change")
    assert stored.fields["interviewee_id_no"] == document.fields["interviewee_id_no"]


def test_given_three_records_with_personal_data_when_a_cleared_officer_lists_them_then_one_entry_lists_each():
    """GIVEN a case with three inquiry records (interviewees' ID numbers) WHEN an officer (personal.view)
    lists the case's documents THEN they come back in full and one `document.viewed` entry names the case
    and lists each record with the reason `personal`; an administrator gets them masked and no entry."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    admin = make_user(agency, ["admin"])
    case = make_case(officer)
    docs = [make_document(case, officer) for _ in range(3)]
    before = LedgerEntry.objects.count()

    shown = selectors.case_documents(user=officer, case=case)

    entries = list(LedgerEntry.objects.filter(index__gte=before))
    assert [d.fields["interviewee_id_no"] for d in shown] == [d.fields["interviewee_id_no"] for d in docs]
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [("document.viewed", "case", case.pk)]
    records = json.loads(bytes(entries[0].body))["details"]["records"]
    assert records == [{"id": d.pk, "reasons": ["personal"]} for d in docs]

    masked = selectors.case_documents(user=admin, case=case)
    assert all("*" in d.fields["interviewee_id_no"] for d in masked)
    assert LedgerEntry.objects.count() == before + 1

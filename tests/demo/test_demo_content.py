"""The demo cases read as real case files: each names only its own party, dates nothing after it was
recorded and is signed by officers of its own agency."""

import json
from datetime import date, datetime

import pytest

from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document
from liuhen.catalogue import get_type
from liuhen.core.clock import SHANGHAI
from liuhen.demo.load import load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Fields that name a time still to come when the form is issued (deadlines, a hearing's date).
FORWARD_FIELDS = {
    ("hearing_notice", "hearing_at"),
    ("penalty_decision", "payment_deadline"),
    ("rectification_notice", "due_date"),
    ("demand_notice", "performance_deadline"),
    ("evidence_request_notice", "provide_by"),
    ("supplement_notice", "supplement_deadline"),
    ("evidence_preservation_list", "decide_by"),
}
OFFICER_RECORDS = (
    "inquiry_record",
    "inspection_record",
    "sampling_record",
    "rectification_check_record",
    "enforcement_record",
    "summary_decision",
)


def test_given_the_loaded_demo_when_reading_its_case_files_then_each_reads_as_its_own_case(settings):
    """GIVEN the demo loaded once WHEN reading every document of the 11 cases THEN each names only its own
    party, dates nothing after it was recorded, and lists officers of its own agency."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    demo = list(Case.objects.select_related("agency").prefetch_related("parties", "documents"))
    _assert_no_other_cases_party(demo)
    _assert_party_fields_name_the_cases_party(demo)
    _assert_no_date_after_recording()
    _assert_officers_of_the_agency(demo)


def _names(case: Case) -> set[str]:
    return {n for p in case.parties.all() for n in (p.name, p.legal_representative) if n}


def _assert_no_other_cases_party(demo: list[Case]) -> None:
    assert len(demo) == 11
    for case in demo:
        own = _names(case)
        foreign = {n for other in demo if other.pk != case.pk for n in _names(other)}
        foreign = {n for n in foreign if not any(n in mine for mine in own)}
        for document in case.documents.all():
            text = json.dumps(document.fields, ensure_ascii=False)
            leaked = sorted(n for n in foreign if n in text)
            assert not leaked, f"{case.case_no} {document.doc_type} names {leaked}"


def _assert_party_fields_name_the_cases_party(demo: list[Case]) -> None:
    checked = 0
    for case in demo:
        parties = {p.name for p in case.parties.all()}
        for document in case.documents.all():
            if "party_name" in document.fields:
                checked += 1
                assert document.fields["party_name"] in parties, (case.case_no, document.doc_type)
    assert checked >= 30


def _assert_no_date_after_recording() -> None:
    """Deadlines and hearing dates are the only dates that may lie after the form was recorded."""
    checked = 0
    for document in Document.objects.all():
        recorded = document.created_at.astimezone(SHANGHAI)
        specs = get_type(document.doc_type).all_fields()
        for name, value in document.fields.items():
            kind = specs[name].kind
            if kind not in ("date", "datetime") or (document.doc_type, name) in FORWARD_FIELDS:
                continue
            checked += 1
            if kind == "date":
                assert date.fromisoformat(value) <= recorded.date(), (
                    document.doc_type,
                    name,
                    value,
                    recorded,
                )
            else:
                assert datetime.fromisoformat(value) <= recorded, (document.doc_type, name, value, recorded)
    assert checked >= 100


def _assert_officers_of_the_agency(demo: list[Case]) -> None:
    checked = 0
    for case in demo:
        certificates = dict(
            User.objects.filter(agency=case.agency)
            .exclude(certificate_no="")
            .values_list("full_name", "certificate_no")
        )
        for document in case.documents.filter(doc_type__in=OFFICER_RECORDS):
            names = document.fields["officer_names"]
            numbers = document.fields["officer_certificate_nos"]
            assert [certificates.get(n) for n in names] == numbers, (case.case_no, document.doc_type)
            checked += 1
    assert checked >= 20

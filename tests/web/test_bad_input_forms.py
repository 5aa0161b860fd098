"""Bad input on the web forms is a form error, never a 500: ids beyond 64 bits, digits that are not ASCII,
a NUL character in any input (PostgreSQL cannot store one)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.cases.models import Case
from liuhen.evidence.models import MediaRecord
from liuhen.web.forms import CaseFilterForm, CaseOpenForm, MediaForm, RefusalForm, SignForm
from tests.factories import make_case, make_party

pytestmark = pytest.mark.django_db

TOO_BIG = str(2**63)


@pytest.mark.parametrize("value", [TOO_BIG, str(2**64), "١", "²", "0", "-1", "1\x00"])
def test_given_a_bad_party_id_when_opening_a_case_then_422_with_the_error_at_the_parties(
    client_in, officer, value
):
    """GIVEN the case-opening form WHEN party_ids holds 2⁶³ (SQLite: "Python int too large"), a
    non-ASCII digit, 0 or a NUL THEN 422 with the error at 当事人, and no case is opened."""
    party = make_party(officer)
    data = {"procedure": "general", "initiation_kind": "ex_officio", "cause": "占道经营"}
    response = client_in.post("/cases/new/", {**data, "party_ids": [str(party.pk), value]})
    assert response.status_code == 422
    assert "party_ids" in response.context["form"].errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("value", [TOO_BIG, "١", "²", "1\x00"])
def test_given_a_bad_handler_when_opening_a_case_then_422_with_the_error_at_the_handler(
    client_in, officer, value
):
    """GIVEN the case-opening form WHEN handler is 2⁶³, a non-ASCII digit or holds a NUL THEN 422 with
    the error at 承办人."""
    data = {"procedure": "general", "initiation_kind": "ex_officio", "cause": "占道经营", "handler": value}
    response = client_in.post("/cases/new/", data)
    assert response.status_code == 422
    assert "handler" in response.context["form"].errors


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=%D9%A2%D9%A0%D9%A2%D9%A6", "year"),
        ("year=" + TOO_BIG, "year"),
        ("stage=%00", "stage"),
        ("q=a%00", "q"),
    ],
)
def test_given_bad_case_list_filters_when_listing_then_200_with_the_filter_refused(
    client_in, officer, query, field
):
    """GIVEN a case WHEN the case list is filtered with year ``٢٠٢٦`` (Django reads it as 2026), 2⁶³ or a
    NUL THEN the page answers 200, the filter field carries the error, and the list is unfiltered."""
    make_case(officer)
    response = client_in.get(f"/?{query}")
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert len(response.context["page"].object_list) == 1


def test_given_ascii_and_other_digits_when_the_year_filter_is_read_then_only_ascii_counts():
    """GIVEN the case filter form WHEN year is ``2026`` or ``٢٠٢٦`` THEN the first is 2026, the second
    an error."""
    ascii_year = CaseFilterForm({"year": "2026"})
    assert ascii_year.is_valid() and ascii_year.cleaned_data["year"] == 2026
    assert not CaseFilterForm({"year": "٢٠٢٦"}).is_valid()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("signer_role", "party\x00"),
        ("method", "seal\x00"),
        ("signed_at", "2026-03-02T09:30\x00"),
        ("signer_name", "王\x00某"),
    ],
)
def test_given_a_nul_in_any_sign_form_input_when_validated_then_the_field_has_an_error(field, value):
    """GIVEN the signing form WHEN any input — a choice, a datetime, text — holds a NUL THEN that field
    has an error (Django's CharField refuses text with NUL; the form refuses it everywhere)."""
    data = {
        "signer_role": "party",
        "signer_name": "王某某",
        "method": "seal",
        "signed_at": "2026-03-02T09:30",
    }
    form = SignForm({**data, field: value})
    assert not form.is_valid()
    assert field in form.errors


def test_given_a_nul_in_a_file_name_or_a_capture_time_when_uploading_footage_then_the_form_refuses_it():
    """GIVEN the footage form WHEN the file name or captured_start holds a NUL THEN that field has an error."""
    data = {"kind": MediaRecord.Kind.VIDEO, "title": "现场录像"}
    named = MediaForm(data, {"file": SimpleUploadedFile("clip\x00.mp4", b"x" * 16, content_type="video/mp4")})
    assert not named.is_valid() and "file" in named.errors
    timed = MediaForm(
        {**data, "captured_start": "2026-03-02T09:30\x00"},
        {"file": SimpleUploadedFile("clip.mp4", b"x" * 16, content_type="video/mp4")},
    )
    assert not timed.is_valid() and "captured_start" in timed.errors


def test_given_a_clean_footage_form_when_validated_then_it_passes():
    """GIVEN the footage form with ordinary values WHEN validated THEN it is valid (the NUL rule is quiet)."""
    form = MediaForm(
        {"kind": MediaRecord.Kind.VIDEO, "title": "现场录像", "captured_start": "2026-03-02T09:30"},
        {"file": SimpleUploadedFile("clip.mp4", b"x" * 16, content_type="video/mp4")},
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("field", ["second_officer_username", "second_officer_password"])
def test_given_a_nul_in_the_second_officers_credentials_when_refusal_is_recorded_then_the_field_has_an_error(
    field,
):
    """GIVEN the refusal form WHEN the second officer's username or password holds a NUL THEN that field
    has an error (nothing is authenticated with it)."""
    data = {
        "refuser_role": "party",
        "refuser_name": "王某某",
        "reason": "拒绝签字",
        "second_officer_username": "lina",
        "second_officer_password": "test-password-1",
    }
    form = RefusalForm({**data, field: "li\x00na"})
    assert not form.is_valid()
    assert field in form.errors


def test_given_valid_ids_when_opening_a_case_then_the_form_keeps_them(officer, colleague):
    """GIVEN a party and a colleague WHEN the case-opening form names them by id THEN it is valid."""
    party = make_party(officer)
    form = CaseOpenForm(
        {
            "procedure": "general",
            "initiation_kind": "ex_officio",
            "cause": "占道经营",
            "party_ids": [str(party.pk)],
            "handler": str(colleague.pk),
        },
        parties=type(party).objects.filter(pk=party.pk),
        colleagues=[officer, colleague],
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["party_ids"]) == [party] and form.cleaned_data["handler"] == colleague

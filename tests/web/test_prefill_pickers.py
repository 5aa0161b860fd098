"""No retyping (issue #11): a new document form starts from the case, officers and the served document
are picked, and the form refuses what the rule engine would flag later — the API the same."""

from __future__ import annotations

import json
import re

import pytest

from liuhen.accounts.services import token_issue
from liuhen.cases.models import Document
from liuhen.catalogue import example_fields
from liuhen.web.prefill import form_sources
from tests.factories import make_case, make_document, make_user
from tests.web.helpers import document_post

pytestmark = pytest.mark.django_db


def test_given_a_role_without_personal_view_when_sources_are_read_then_the_party_is_masked(agency, officer):
    """GIVEN a case whose party has an ID number WHEN the prefill sources are read for an officer and for an
    archivist (no personal.view) THEN the officer gets it whole, the archivist exactly the mask the
    selector gives; the cause and the name come through for both."""
    case = make_case(officer, cause="擅自占道经营")
    archivist = make_user(agency, ["archivist"])
    assert form_sources(user=officer, case=case)["party.id_number"] == "210203199001011234"
    masked = form_sources(user=archivist, case=case)
    assert masked["party.id_number"] != "210203199001011234" and masked["party.id_number"].endswith("1234")
    assert masked["case.cause"] == "擅自占道经营" and masked["party.name"] == "王某某"


def test_given_a_case_when_the_inquiry_form_opens_then_party_and_user_are_prefilled(client_in, officer):
    """GIVEN a case with a party WHEN the officer opens a new 询问笔录 THEN 被询问人 name/ID, 记录人 and the
    officer (ticked) are filled in; the 案由 fills a form that has one."""
    case = make_case(officer, cause="擅自占道经营")
    html = client_in.get(f"/cases/{case.pk}/documents/new", {"doc_type": "inquiry_record"}).content.decode()
    assert re.search(r'name="f_interviewee_name"[^>]*value="王某某"', html)
    assert re.search(r'name="f_interviewee_id_no"[^>]*value="210203199001011234"', html)
    assert re.search(r'name="f_recorder_name"[^>]*value="张伟"', html)
    assert re.search(rf'name="f_officer_pick" value="{officer.pk}" checked', html)
    hearing = client_in.get(
        f"/cases/{case.pk}/documents/new", {"doc_type": "hearing_notice"}
    ).content.decode()
    assert re.search(r'name="f_case_cause"[^>]*value="擅自占道经营"', hearing)


def _inquiry_post(**overrides) -> dict:
    data = document_post("inquiry_record")
    data.update({"f_officer_names": "", "f_officer_certificate_nos": "", **overrides})
    return data


def test_given_two_officers_ticked_when_saved_then_names_and_numbers_are_stored_in_order(
    client_in, officer, colleague
):
    """GIVEN two of the agency's officers ticked WHEN the 询问笔录 is saved THEN names and 执法证号 are
    stored in page order, one list matching the other, and 执法人员人数 is 2."""
    case = make_case(officer)
    page = client_in.get(f"/cases/{case.pk}/documents/new", {"doc_type": "inquiry_record"}).content.decode()
    order = re.findall(r'name="f_officer_pick" value="(\d+)"', page)
    assert set(order) == {str(officer.pk), str(colleague.pk)}
    response = client_in.post(f"/cases/{case.pk}/documents/new", _inquiry_post(f_officer_pick=order))
    assert response.status_code == 302
    fields = Document.objects.get(case=case).fields
    people = {str(officer.pk): officer, str(colleague.pk): colleague}
    assert fields["officer_names"] == [people[k].display_name for k in order]
    assert fields["officer_certificate_nos"] == [people[k].certificate_no for k in order]
    assert fields["officer_count"] == 2


def test_given_one_ticked_and_one_typed_officer_when_saved_then_both_are_stored(client_in, officer):
    """GIVEN one officer ticked and one from another agency typed WHEN saved THEN both are stored."""
    case = make_case(officer)
    data = _inquiry_post(
        f_officer_pick=[str(officer.pk)], f_officer_names="赵某", f_officer_certificate_nos="99001"
    )
    assert client_in.post(f"/cases/{case.pk}/documents/new", data).status_code == 302
    fields = Document.objects.get(case=case).fields
    assert fields["officer_names"] == ["张伟", "赵某"]
    assert fields["officer_certificate_nos"] == [officer.certificate_no, "99001"]


def test_given_one_officer_where_two_are_needed_when_posted_then_refused_at_the_picker(client_in, officer):
    """GIVEN a 询问笔录 with one officer ticked WHEN posted THEN 422 with the Chinese message at the officer
    picker, and nothing is saved."""
    case = make_case(officer)
    response = client_in.post(
        f"/cases/{case.pk}/documents/new", _inquiry_post(f_officer_pick=[str(officer.pk)])
    )
    assert response.status_code == 422
    assert re.search(r'id="id_f_officer_pick".*?执法人员人数不得小于2', response.content.decode(), re.S)
    assert not Document.objects.exists()


def test_given_a_future_service_time_when_posted_then_refused_at_the_field(client_in, officer):
    """GIVEN a 送达回证 whose 送达时间 is in 2099 WHEN posted THEN 422 with the message at 送达时间."""
    case = make_case(officer)
    data = document_post("service_receipt", served_at="2099-01-01T10:00:00+08:00")
    response = client_in.post(f"/cases/{case.pk}/documents/new", data)
    assert response.status_code == 422
    assert re.search(
        r'id="id_f_served_at".*?送达时间不得晚于当前时间（北京时间', response.content.decode(), re.S
    )


def test_given_a_case_with_documents_when_the_receipt_opens_then_only_issued_ones_are_offered(
    client_in, officer
):
    """GIVEN a case with a 责令改正通知书 (issued to the party) and a 询问笔录 (not) WHEN the 送达回证 form opens
    THEN only the notice is offered, with its 文号; choosing it stores its title and 文号."""
    case = make_case(officer)
    notice = make_document(case, officer, "rectification_notice")
    make_document(case, officer, "inquiry_record")
    page = client_in.get(f"/cases/{case.pk}/documents/new", {"doc_type": "service_receipt"}).content.decode()
    offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', page.split('name="f_served_doc"')[1])
    assert [key for key, _ in offered] == [str(notice.pk)]
    number = example_fields("rectification_notice")["doc_number"]
    assert "责令改正通知书" in offered[0][1] and number in offered[0][1]
    data = document_post("service_receipt", served_doc_title="", served_doc_number="")
    data["f_served_doc"] = str(notice.pk)
    assert client_in.post(f"/cases/{case.pk}/documents/new", data).status_code == 302
    receipt = Document.objects.get(case=case, doc_type="service_receipt")
    assert (receipt.fields["served_doc_title"], receipt.fields["served_doc_number"]) == (
        "责令改正通知书",
        number,
    )


def test_given_the_api_when_one_officer_or_a_future_time_is_sent_then_the_same_errors(client, officer):
    """GIVEN the API WHEN a 询问笔录 with one officer and a 送达回证 in 2099 are posted THEN 422 naming the
    same fields with the same Chinese messages as the form."""
    case = make_case(officer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=officer)}"}
    one = {**example_fields("inquiry_record"), "officer_count": 1}
    one.update(officer_names=["张伟"], officer_certificate_nos=["2102"])
    future = {**example_fields("service_receipt"), "served_at": "2099-01-01T10:00:00+08:00"}
    for code, fields, field, message in (
        ("inquiry_record", one, "fields.officer_count", "执法人员人数不得小于2"),
        ("service_receipt", future, "fields.served_at", "送达时间不得晚于当前时间（北京时间"),
    ):
        body = json.dumps({"doc_type": code, "fields": fields})
        response = client.post(
            f"/api/cases/{case.pk}/documents", body, content_type="application/json", **auth
        )
        assert response.status_code == 422
        assert any(e["field"] == field and message in e["message"] for e in response.json()["errors"]), (
            response.json()
        )

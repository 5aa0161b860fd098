"""The REST API through Django's test client: happy paths, scoping, and every kind of bad input.

Errors always come back as {"error", "message", "errors": [{"field", "reason", "message"}]} — never a 500."""

import json

import pytest

from liuhen.accounts.services import token_issue
from liuhen.catalogue import example_fields
from tests.factories import make_agency, make_case, make_party, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(make_agency(), ["officer", "handler"], name="张伟")


@pytest.fixture
def api(client, officer):
    """A client that authenticates with a bearer token, as a program would."""
    token = token_issue(user=officer)

    def call(method: str, path: str, body=None, raw: bytes | None = None, **headers):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}", **headers}
        if data is not None:
            kwargs["data"] = data
        return getattr(client, method)(f"/api{path}", **kwargs)

    return call


def _error_fields(response) -> set[str]:
    body = response.json()
    assert set(body) == {"error", "message", "errors"}, body
    return {e["field"] for e in body["errors"]}


def test_given_no_credentials_when_listing_cases_then_401_with_a_message(client):
    response = client.get("/api/cases")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_given_an_officer_when_opening_a_case_through_the_api_then_201_and_it_is_listed(api, officer):
    party = make_party(officer)
    response = api(
        "post",
        "/cases",
        {
            "procedure": "general",
            "initiation_kind": "ex_officio",
            "cause": "占道经营",
            "party_ids": [party.pk],
        },
    )
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["stage"] == "initiation" and case["handler"]["name"] == "张伟"
    listed = api("get", "/cases?stage=initiation").json()
    assert [c["case_no"] for c in listed["items"]] == [case["case_no"]]


def test_given_malformed_json_when_posting_then_400_naming_the_body(api):
    response = api("post", "/cases", raw=b'{"procedure": "general",')
    assert response.status_code == 400
    assert _error_fields(response) == {"body"}


def test_given_wrong_types_when_opening_a_case_then_422_naming_each_field(api):
    response = api(
        "post",
        "/cases",
        {"procedure": "quick", "initiation_kind": "ex_officio", "cause": 5, "emergency_start": "maybe"},
    )
    assert response.status_code == 422
    assert {"procedure", "cause", "emergency_start"} <= _error_fields(response)


def test_given_an_unknown_document_type_when_posting_then_422_naming_doc_type(api, officer):
    case = make_case(officer)
    response = api("post", f"/cases/{case.pk}/documents", {"doc_type": "love_letter", "fields": {}})
    assert response.status_code == 422
    assert any("doc_type" in f for f in _error_fields(response))


def test_given_missing_required_fields_when_posting_an_inquiry_then_422_naming_them(api, officer):
    case = make_case(officer)
    fields = example_fields("inquiry_record")
    del fields["qa_content"], fields["place"]
    response = api("post", f"/cases/{case.pk}/documents", {"doc_type": "inquiry_record", "fields": fields})
    assert response.status_code == 422
    assert {"fields.qa_content", "fields.place"} <= _error_fields(response)


def test_given_a_complete_inquiry_when_posting_then_201_and_on_the_timeline(api, officer):
    case = make_case(officer)
    response = api(
        "post",
        f"/cases/{case.pk}/documents",
        {"doc_type": "inquiry_record", "fields": example_fields("inquiry_record")},
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["body_sha256"]) == 64
    kinds = [item["kind"] for item in api("get", f"/cases/{case.pk}/timeline").json()]
    assert kinds == ["opened", "document"]


def test_given_a_transition_not_allowed_when_posting_then_409_with_the_allowed_targets(api, officer):
    case = make_case(officer)
    response = api("post", f"/cases/{case.pk}/transitions", {"to_stage": "decision"})
    assert response.status_code == 409
    assert "investigation" in response.json()["message"]


def test_given_another_agencys_case_when_read_or_written_then_404_not_403(api):
    stranger_case = make_case(make_user(make_agency(), ["officer", "handler"]))
    assert api("get", f"/cases/{stranger_case.pk}").status_code == 404
    assert api("get", f"/cases/{stranger_case.pk}/timeline").status_code == 404
    response = api("post", f"/cases/{stranger_case.pk}/transitions", {"to_stage": "investigation"})
    assert response.status_code == 404


def test_given_a_role_without_the_right_when_approving_as_head_then_403(api, officer):
    case = make_case(officer)
    response = api(
        "post",
        f"/cases/{case.pk}/approvals",
        {"kind": "head_approval", "decision": "approve", "opinion": "同意"},
    )
    assert response.status_code == 403
    assert response.json()["error"] == "permission_denied"


def test_given_an_oversized_body_when_posting_then_413(api, officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api(
        "post",
        "/cases",
        {"procedure": "general", "initiation_kind": "ex_officio", "cause": "x", "summary": "很" * 20_000},
    )
    assert response.status_code == 413
    assert _error_fields(response) == {"body"}


def test_given_a_refusal_without_the_second_officers_credentials_when_posting_then_422_naming_them(
    api, officer
):
    case = make_case(officer)
    doc = api(
        "post",
        f"/cases/{case.pk}/documents",
        {"doc_type": "inquiry_record", "fields": example_fields("inquiry_record")},
    ).json()
    response = api(
        "post",
        f"/documents/{doc['id']}/refusals",
        {"refuser_role": "party", "refuser_name": "王某某", "reason": "拒签", "cosigner_ids": [officer.pk]},
    )
    assert response.status_code == 422
    assert {"second_officer_username", "second_officer_password"} <= _error_fields(response)


def test_given_a_signature_and_an_amendment_when_posted_then_both_show_on_the_document(api, officer):
    case = make_case(officer)
    doc = api(
        "post",
        f"/cases/{case.pk}/documents",
        {"doc_type": "inquiry_record", "fields": example_fields("inquiry_record")},
    ).json()
    signed = api(
        "post",
        f"/documents/{doc['id']}/signatures",
        {"signer_role": "party", "signer_name": "王某某", "method": "fingerprint"},
    )
    assert signed.status_code == 201
    amended = api(
        "post",
        f"/documents/{doc['id']}/amendments",
        {
            "changes": {"place": "黄浦路88号"},
            "reason": "笔误",
            "party_ack_method": "fingerprint",
            "party_ack_name": "王某某",
        },
    )
    assert amended.status_code == 201, amended.json()
    shown = api("get", f"/documents/{doc['id']}").json()
    assert shown["fields"]["place"] != "黄浦路88号" and shown["current_fields"]["place"] == "黄浦路88号"
    assert len(shown["signatures"]) == 1 and len(shown["amendments"]) == 1


def test_given_the_openapi_document_then_it_lists_error_responses_and_per_type_document_schemas(client):
    spec = client.get("/api/openapi.json").json()
    create = spec["paths"]["/api/cases/{case_id}/documents"]["post"]
    assert {"201", "403", "404", "409", "422"} <= set(create["responses"])
    schemas = spec["components"]["schemas"]
    assert "InquiryRecordCreate" in schemas and "ServiceReceiptFields" in schemas


def test_given_the_session_of_a_logged_in_browser_when_posting_without_csrf_then_refused(client, officer):
    client.force_login(officer)
    assert client.get("/api/me").json()["username"] == officer.username
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    response = strict.post("/api/cases", data="{}", content_type="application/json")
    assert response.status_code in (401, 403)

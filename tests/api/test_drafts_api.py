"""Drafts through the REST API: save incomplete, change, finalise into the record, discard; scoped (404)
and in the one error shape."""

from __future__ import annotations

import json

import pytest

from liuhen.accounts.services import token_issue
from liuhen.cases.models import Document, DocumentDraft
from liuhen.catalogue import example_fields
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return make_agency()


@pytest.fixture
def as_user(client):
    def for_user(user):
        token = token_issue(user=user)

        def call(method: str, path: str, body=None):
            kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
            if body is not None:
                kwargs["data"] = json.dumps(body)
            return getattr(client, method)(f"/api{path}", **kwargs)

        return call

    return for_user


def test_a_draft_from_first_save_to_the_record(agency, as_user):
    """GIVEN an officer WHEN they save a half-written 询问笔录, read it back, finish it with PUT and
    finalise it THEN the draft says 'draft' until the record exists with its document.created entry."""
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    api = as_user(officer)
    created = api(
        "post", f"/cases/{case.pk}/drafts", {"doc_type": "inquiry_record", "fields": {"place": "询问室"}}
    )
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["fields"] == {"place": "询问室"}
    assert api("get", f"/cases/{case.pk}/drafts").json()[0]["id"] == draft["id"]

    early = api("post", f"/drafts/{draft['id']}/finalise")
    assert early.status_code == 422
    body = early.json()
    assert body["error"] == "validation_failed"
    assert any(e["field"] == "fields.qa_content" and "必填" in e["message"] for e in body["errors"])

    put = api(
        "put", f"/drafts/{draft['id']}", {"fields": example_fields("inquiry_record"), "number": "询2026-1"}
    )
    assert put.status_code == 200 and put.json()["number"] == "询2026-1"
    final = api("post", f"/drafts/{draft['id']}/finalise")
    assert final.status_code == 201, final.content
    document = Document.objects.get(pk=final.json()["id"])
    assert document.number == "询2026-1"
    assert LedgerEntry.objects.filter(action="document.created", object_id=document.pk).exists()
    after = api("get", f"/drafts/{draft['id']}").json()
    assert after["status"] == "finalised" and after["finalised_document_id"] == document.pk
    assert api("put", f"/drafts/{draft['id']}", {"fields": {}}).status_code == 409
    assert api("get", f"/cases/{case.pk}/drafts").json() == []


def test_a_wrong_value_is_refused_at_its_field(agency, as_user):
    officer = make_user(agency, ["officer"])
    case = make_case(officer)
    response = as_user(officer)(
        "post", f"/cases/{case.pk}/drafts", {"doc_type": "inquiry_record", "fields": {"officer_count": "两"}}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["fields.officer_count"]
    unknown = as_user(officer)("post", f"/cases/{case.pk}/drafts", {"doc_type": "no_such_form", "fields": {}})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "doc_type"


def test_others_find_no_draft_and_a_reviewer_may_not_write_one(agency, as_user):
    author = make_user(agency, ["officer"])
    case = make_case(make_user(agency, ["officer", "handler"]))
    draft = as_user(author)("post", f"/cases/{case.pk}/drafts", {"doc_type": "inquiry_record"}).json()
    colleague = as_user(make_user(agency, ["officer"]))
    stranger = as_user(make_user(make_agency(), ["officer", "handler"]))
    for api in (colleague, stranger):
        for method, path in (
            ("get", f"/drafts/{draft['id']}"),
            ("put", f"/drafts/{draft['id']}"),
            ("delete", f"/drafts/{draft['id']}"),
            ("post", f"/drafts/{draft['id']}/finalise"),
        ):
            response = api(method, path, {"fields": {}} if method == "put" else None)
            assert response.status_code == 404, (method, path)
            assert set(response.json()) == {"error", "message", "errors"}
    assert stranger("post", f"/cases/{case.pk}/drafts", {"doc_type": "inquiry_record"}).status_code == 404
    reviewer = as_user(make_user(agency, ["reviewer"]))
    assert reviewer("post", f"/cases/{case.pk}/drafts", {"doc_type": "inquiry_record"}).status_code == 403
    assert as_user(author)("delete", f"/drafts/{draft['id']}").status_code == 204
    assert not DocumentDraft.objects.exists()

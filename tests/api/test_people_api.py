"""Administration through the API: the same services and rules as the 人员与机构 pages."""

from __future__ import annotations

import json

import pytest

from liuhen.accounts.models import User
from liuhen.accounts.services import token_issue
from liuhen.archive.integrity import verify_all
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_user(make_agency(), ["admin"], name="系统管理员")


def _call(client, user, method, path, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}
    if body is None:
        return getattr(client, method)(f"/api{path}", **headers)
    return getattr(client, method)(
        f"/api{path}", data=json.dumps(body), content_type="application/json", **headers
    )


def test_an_administrator_adds_edits_and_deactivates_a_person_each_change_logged(client, admin):
    created = _call(
        client,
        admin,
        "post",
        "/people",
        {
            "username": "new_officer",
            "full_name": "新执法员",
            "roles": ["officer", "handler"],
            "certificate_no": "21001234",
            "password": "Lh-temp-2026-pass",
        },
    )
    assert created.status_code == 201, created.content
    person = created.json()
    assert person["role_labels"] == ["执法人员", "承办人"] and person["is_active"]

    unit = _call(client, admin, "post", "/units", {"name": "三中队", "kind": "squad"}).json()
    moved = _call(
        client,
        admin,
        "put",
        f"/people/{person['id']}",
        {"full_name": "新执法员", "certificate_no": "21001234", "unit_id": unit["id"]},
    )
    assert moved.status_code == 200 and moved.json()["unit_name"] == "三中队"
    off = _call(client, admin, "post", f"/people/{person['id']}/active", {"active": False, "reason": "调离"})
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert not User.objects.get(pk=person["id"]).is_active
    actions = set(LedgerEntry.objects.values_list("action", flat=True))
    assert {"user.created", "user.updated"} <= actions
    assert verify_all(files=False) == []


def test_bad_input_names_the_field_and_the_rules_of_the_pages_hold(client, admin):
    no_cert = _call(
        client,
        admin,
        "post",
        "/people",
        {"username": "x_officer", "full_name": "某", "roles": ["officer"], "password": "Lh-temp-2026-pass"},
    )
    assert no_cert.status_code == 422 and "certificate_no" in {e["field"] for e in no_cert.json()["errors"]}
    weak = _call(
        client,
        admin,
        "post",
        "/people",
        {"username": "y_user", "full_name": "某", "roles": ["archivist"], "password": "123"},
    )
    assert weak.status_code == 422 and "password" in {e["field"] for e in weak.json()["errors"]}
    myself = _call(client, admin, "post", f"/people/{admin.pk}/active", {"active": False, "reason": "试试"})
    assert myself.status_code == 422


def test_only_an_administrator_of_the_same_agency(client, admin):
    officer = make_user(admin.agency, ["officer", "handler"])
    stranger_admin = make_user(make_agency(), ["admin"])
    assert _call(client, officer, "get", "/people").status_code == 403
    assert (
        _call(
            client, officer, "put", "/agency", {"name": "x", "short_name": "x", "case_prefix": "x"}
        ).status_code
        == 403
    )
    assert _call(client, stranger_admin, "get", f"/people/{officer.pk}").status_code == 404
    assert _call(client, admin, "get", f"/people/{officer.pk}").json()["username"] == officer.username
    agency = _call(client, admin, "get", "/agency").json()
    assert agency["code"] == admin.agency.code

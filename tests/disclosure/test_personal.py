"""The requester's personal data at the desk (issue #13; standing rule 3): shown in full only to those
cleared, each full read logged, and named in the access log."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from liuhen.accesslog.selectors import log_rows
from liuhen.accounts.services import token_issue
from liuhen.ledger.models import LedgerEntry
from tests.disclosure.world import register


@pytest.mark.django_db
def test_given_a_request_when_the_desk_reads_it_then_the_full_id_is_a_logged_read_named_in_the_access_log(
    world,
):
    """GIVEN a registered request WHEN the desk (personal.view) reads it through the API THEN the ID number
    is shown in full, a ``disclosure_request.viewed`` entry names the request with the reason "personal",
    and the access log reads it as 查看依申请公开申请人信息「number」."""
    request = register(world)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=world.desk)}")
    before = LedgerEntry.objects.count()
    body = api.get(f"/api/disclosure-requests/{request.pk}").json()
    assert body["requester_id_number"] == "210203198001011234"
    [entry] = LedgerEntry.objects.filter(index__gt=before - 1, action="disclosure_request.viewed")
    details = json.loads(bytes(entry.body))["details"]
    assert entry.object_id == request.pk and details["reasons"] == ["personal"]
    [row] = log_rows(user=world.head, entries=[entry])
    assert "依申请公开申请人信息" in row.what and request.number in row.what

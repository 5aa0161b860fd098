"""GET /api/av-checklist: the user's own agency's 音像记录事项清单."""

from __future__ import annotations

import pytest

from liuhen.accounts.services import token_issue
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def _get(client, user, activity: str):
    return client.get(
        "/api/av-checklist", {"activity": activity}, HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}"
    )


def test_given_two_agencies_when_each_asks_then_each_gets_only_its_own_regulations_items(client):
    """GIVEN a longjiang-cg agency and a xinle-fg agency WHEN an officer of each asks for the inspection
    checklist THEN each gets items cited to its own regulation only."""
    longjiang = make_user(make_agency(profile_id="longjiang-cg"))
    xinle = make_user(make_agency(profile_id="xinle-fg"))
    mine = _get(client, longjiang, "inspection").json()
    theirs = _get(client, xinle, "inspection").json()
    assert mine and {i["citation"] for i in mine} == {"longjiang-cg§10"}
    assert mine[0]["citation_zh"].endswith("第10条")
    assert theirs and {i["citation"] for i in theirs} == {"xinle-fg§21"}


def test_given_no_profile_or_a_bad_activity_then_empty_or_422_at_the_field(client):
    """GIVEN an agency without a profile THEN its list is empty; GIVEN an unknown activity THEN 422 names
    the field in Chinese."""
    user = make_user(make_agency())
    assert _get(client, user, "inquiry").json() == []
    bad = _get(client, user, "karaoke")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "activity"

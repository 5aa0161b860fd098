"""The 调阅复制 pages (issue #13) as their users work them, through the real views."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from liuhen.grants.models import AccessRequest
from tests.grants.test_grants import world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_given_another_units_case_when_its_page_is_read_then_play_offers_a_request_instead(world):  # noqa: F811
    """GIVEN footage of squad one's case WHEN squad two's officer opens the case page THEN the clip offers
    「申请调阅后播放」 and 「申请复制」, not a play link; its own officer gets 播放."""
    other = _client(world.other).get(f"/cases/{world.case.pk}/").content.decode()
    assert "申请调阅后播放" in other and f'/api/media/{world.clip.pk}/content"' not in other
    mine = _client(world.mine).get(f"/cases/{world.case.pk}/").content.decode()
    assert f'/api/media/{world.clip.pk}/content">播放' in mine and "申请复制" in mine


def test_given_the_form_when_filed_decided_and_used_then_each_step_shows_where_it_belongs(world):  # noqa: F811
    """GIVEN squad two's officer WHEN they file a 调阅 of the clip on the form (first with no reason: the
    error is at the field, in Chinese) THEN the head sees it in the inbox and on the list, refuses to
    approve without an opinion (error at the field), approves; the officer then sees the clip under
    「依本授权可查看的记录」 and the history lists each step."""
    officer = _client(world.other)
    form = officer.get(f"/access-requests/new?case={world.case.pk}").content.decode()
    assert world.case.case_no in form and "现场检查录像" in form
    bad = officer.post(
        "/access-requests/new", {"case": world.case.pk, "kind": "view", "media": world.clip.pk, "days": 3}
    )
    assert bad.status_code == 422 and "请填写因何工作需要" in bad.content.decode()
    done = officer.post(
        "/access-requests/new",
        {"case": world.case.pk, "kind": "view", "media": world.clip.pk, "days": 3, "reason": "比对"},
    )
    request = AccessRequest.objects.get(requested_by=world.other)
    assert done.status_code == 302 and done["Location"] == f"/access-requests/{request.pk}/"

    head = _client(world.head)
    home = head.get("/").content.decode()
    assert "调阅复制审批" in home and request.number in home
    no_opinion = head.post(f"/access-requests/{request.pk}/decide", {"approved": "1", "days": 3})
    assert no_opinion.status_code == 422 and "请填写审批意见" in no_opinion.content.decode()
    head.post(f"/access-requests/{request.pk}/decide", {"approved": "1", "days": 2, "opinion": "同意"})

    page = officer.get(f"/access-requests/{request.pk}/").content.decode()
    assert "依本授权可查看的记录" in page and f"/api/media/{world.clip.pk}/content" in page
    assert "提出申请" in page and "批准" in page and "已批准，使用中" in page
    shown = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>")[0])
    assert not {"head", "view", "live", "pending"} & set(re.findall(r"[a-z_]+", shown))  # no internal codes


def test_given_someone_elses_request_when_opened_then_404(world):  # noqa: F811
    """GIVEN squad one's officer WHEN opening squad two's officer's request THEN 404 (not theirs to see)."""
    client = _client(world.other)
    client.post(
        "/access-requests/new",
        {"case": world.case.pk, "kind": "view", "whole": "1", "days": 3, "reason": "复核"},
    )
    request = AccessRequest.objects.get(requested_by=world.other)
    assert _client(world.mine).get(f"/access-requests/{request.pk}/").status_code == 404

"""Governed access (issue #13): standing rights to A/V content, requests, grants and their expiry."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from liuhen.accounts.models import OrgUnit
from liuhen.accounts.services import org_unit_create, token_issue, user_create
from liuhen.archive.integrity import verify_all
from liuhen.cases.services import document_create
from liuhen.catalogue import example_fields
from liuhen.core import clock
from liuhen.grants.models import AccessRequest
from liuhen.grants.services import ItemSpec, access_request_decide, access_request_file, access_request_revoke
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_user
from tests.grants.granting import recorded

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _unit_user(agency, unit: OrgUnit, roles: list[str]):
    n = next(_n)
    return user_create(
        username=f"unit-user-{n}",
        password="test-password-1",
        agency=agency,
        roles=roles,
        full_name=f"中队队员{n}",
        certificate_no=f"23{n:08d}" if "officer" in roles else "",
        unit=unit,
    )


def _clip(case, officer, tmp_path: Path, *, confidential: bool = False):
    n = next(_n)
    path = tmp_path / f"clip-{n}.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64 + n.to_bytes(4, "big"))
    return recorded(
        case, officer, path, "video", "video/mp4", title="现场检查录像", confidential=confidential
    )


@pytest.fixture
def world(tmp_path):
    """Agency with two squads: a case of squad one with a recording; an officer of each squad; a head."""
    agency = make_agency()
    one = OrgUnit.objects.get(agency=agency)
    two = org_unit_create(by=None, agency=agency, name="执法二中队", kind=OrgUnit.Kind.SQUAD)
    mine = _unit_user(agency, one, ["officer", "handler"])
    other = _unit_user(agency, two, ["officer", "handler"])
    head = make_user(agency, ["head"])
    case = make_case(mine)
    clip = _clip(case, mine, tmp_path)
    return type(
        "W", (), {"agency": agency, "mine": mine, "other": other, "head": head, "case": case, "clip": clip}
    )


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")


def _play(user, media_id: int, *, download: bool = False):
    suffix = "?download=true" if download else ""
    return _api(user).get(f"/api/media/{media_id}/content{suffix}")


def test_given_another_units_case_when_played_then_403_naming_the_request_to_file(world):
    """GIVEN footage of squad one's case WHEN its own officer and an officer of squad two play it THEN
    the first plays (200), the second gets 403 telling them to file a 调阅 request and who decides it."""
    assert _play(world.mine, world.clip.pk).status_code == 200
    refused = _play(world.other, world.clip.pk)
    assert refused.status_code == 403
    assert "调阅申请" in refused.json()["message"] and "机关负责人" in refused.json()["message"]


def test_given_a_view_request_when_approved_used_and_expired_then_plays_logged_then_refused(world):
    """GIVEN squad two's officer files a 调阅 request for the clip WHEN the head approves it for 3 days
    THEN the officer plays it, the read entry names the grant's number; a download (a copy) is still
    refused; after 3 days the play is 403 saying the grant expired on that date."""
    start = clock.now()
    with clock.frozen(start) as move:
        request = access_request_file(
            by=world.other,
            kind="view",
            reason="比对同类案件",
            days=3,
            items=[ItemSpec(case_id=world.case.pk, media_id=world.clip.pk)],
        )
        assert request.number.startswith("调阅〔") and _play(world.other, world.clip.pk).status_code == 403
        access_request_decide(request=request, by=world.head, approved=True, opinion="同意调阅")

        played = _play(world.other, world.clip.pk)
        assert played.status_code == 200
        entry = LedgerEntry.objects.filter(action="media.viewed", actor=world.other).latest("index")
        assert request.number.encode() in bytes(entry.body)
        assert _play(world.other, world.clip.pk, download=True).status_code == 403

        move(start + timedelta(days=3, seconds=1))
        expired = _play(world.other, world.clip.pk)
        assert expired.status_code == 403
        assert request.number in expired.json()["message"] and "到期" in expired.json()["message"]
    assert verify_all(files=False) == []


def test_given_a_live_grant_when_revoked_then_it_stops_at_once_with_the_reason(world):
    """GIVEN an approved 调阅 WHEN the head revokes it THEN the next play is 403 naming the revocation."""
    request = access_request_file(
        by=world.other, kind="view", reason="复核", days=5, items=[ItemSpec(case_id=world.case.pk)]
    )
    access_request_decide(request=request, by=world.head, approved=True, opinion="同意")
    assert _play(world.other, world.clip.pk).status_code == 200  # a whole-case grant covers its A/V
    access_request_revoke(request=request, by=world.head, reason="用途已完成")
    refused = _play(world.other, world.clip.pk)
    assert refused.status_code == 403 and "已被撤销" in refused.json()["message"]


def test_given_a_confidential_record_when_a_whole_case_grant_is_approved_then_it_becomes_visible(
    world, tmp_path
):
    """GIVEN a confidential document and recording an officer not cleared cannot see (404) WHEN a
    whole-case grant is approved THEN both are visible and playable; refused grants give nothing."""
    secret_doc = document_create(
        case=world.case,
        created_by=world.mine,
        doc_type="inquiry_record",
        fields=example_fields("inquiry_record"),
        confidential=True,
    )
    secret_clip = _clip(world.case, world.mine, tmp_path, confidential=True)
    reader = _unit_user(world.agency, OrgUnit.objects.filter(agency=world.agency).first(), ["officer"])
    api = _api(reader)
    assert api.get(f"/api/documents/{secret_doc.pk}").status_code == 404
    assert api.get(f"/api/media/{secret_clip.pk}").status_code == 404

    refused = access_request_file(
        by=reader, kind="view", reason="查阅", days=2, items=[ItemSpec(world.case.pk)]
    )
    access_request_decide(request=refused, by=world.head, approved=False, opinion="与工作无关")
    assert api.get(f"/api/documents/{secret_doc.pk}").status_code == 404

    request = access_request_file(
        by=reader, kind="view", reason="案件复核", days=2, items=[ItemSpec(world.case.pk)]
    )
    access_request_decide(request=request, by=world.head, approved=True, opinion="同意")
    assert api.get(f"/api/documents/{secret_doc.pk}").status_code == 200
    assert _play(reader, secret_clip.pk).status_code == 200


def test_given_longjiang_rules_when_the_head_decides_then_403_and_the_legal_unit_decides(tmp_path):
    """GIVEN an agency under longjiang-cg (§20: 调阅、复制 approved by 法制股) WHEN the head decides THEN 403
    naming 法制审核; the legal unit decides; the requester never decides their own request."""
    agency = make_agency(profile_id="longjiang-cg")
    officer = make_user(agency)
    case = make_case(officer)
    request = access_request_file(by=officer, kind="copy", reason="移送", days=3, items=[ItemSpec(case.pk)])
    legal = make_user(agency, ["legal_unit"])
    api = _api(make_user(agency, ["head"]))
    refused = api.post(
        f"/api/access-requests/{request.pk}/decision",
        {"approved": True, "opinion": "同意"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "法制审核" in refused.json()["message"]
    decided = _api(legal).post(
        f"/api/access-requests/{request.pk}/decision",
        {"approved": True, "opinion": "同意复制", "days": 2},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "live"
    assert "《龙江县城市管理综合执法大队行政执法全过程记录制度》第20条" in decided.json()["decision"]["basis"]


def test_given_bad_requests_when_filed_then_4xx_naming_the_field_without_revealing_existence(world):
    """GIVEN requests naming a case that does not exist, another agency's case, too many days, a release
    without a recipient THEN 404 at items[0] (the same for both), 422 at days, 422 at recipient."""
    elsewhere = make_case(make_user(make_agency()))
    api = _api(world.other)
    body = {"kind": "view", "reason": "查阅", "days": 3}
    for case_id in (999_999, elsewhere.pk):
        missing = api.post(
            "/api/access-requests", {**body, "items": [{"case_id": case_id}]}, content_type="application/json"
        )
        assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "items[0]"
        assert missing.json()["message"] == "所申请的案件不存在"
    too_long = api.post(
        "/api/access-requests",
        {**body, "days": 300, "items": [{"case_id": world.case.pk}]},
        content_type="application/json",
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "days"
    release = api.post(
        "/api/access-requests",
        {**body, "kind": "release", "items": [{"case_id": world.case.pk}]},
        content_type="application/json",
    )
    assert release.status_code == 422 and release.json()["errors"][0]["field"] == "recipient"
    assert not AccessRequest.objects.filter(requested_by=world.other).exists()


def test_given_own_request_when_the_requester_decides_then_403(world):
    """GIVEN a head files a request WHEN the same head decides it THEN 403; another head may."""
    request = access_request_file(
        by=world.head, kind="copy", reason="上报", days=1, items=[ItemSpec(world.case.pk)]
    )
    refused = _api(world.head).post(
        f"/api/access-requests/{request.pk}/decision",
        {"approved": True, "opinion": "同意"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "本人" in refused.json()["message"]


def test_given_a_confidential_case_the_requester_cannot_see_when_named_then_404_as_for_none(world):
    """GIVEN a confidential case an officer not cleared cannot see WHEN they name it in a request THEN
    404 at items[0], worded as for a case that does not exist (the request tells nothing)."""
    secret_case = make_case(world.mine, confidential=True)
    reader = make_user(world.agency, ["officer"])
    answer = _api(reader).post(
        "/api/access-requests",
        {"kind": "view", "reason": "x", "days": 1, "items": [{"case_id": secret_case.pk}]},
        content_type="application/json",
    )
    assert answer.status_code == 404 and answer.json()["message"] == "所申请的案件不存在"


def test_given_another_units_case_when_its_documents_are_read_then_404_until_a_grant(world):
    """GIVEN a 询问笔录 of squad one's case WHEN squad two's officer reads it THEN 404 (documents are read
    by one's own unit); the head (who oversees) reads it; after a whole-case 调阅 the officer reads it."""
    document = document_create(
        case=world.case,
        created_by=world.mine,
        doc_type="inquiry_record",
        fields=example_fields("inquiry_record"),
    )
    assert _api(world.other).get(f"/api/documents/{document.pk}").status_code == 404
    assert _api(world.head).get(f"/api/documents/{document.pk}").status_code == 200
    request = access_request_file(
        by=world.other, kind="view", reason="比对", days=2, items=[ItemSpec(world.case.pk)]
    )
    access_request_decide(request=request, by=world.head, approved=True, opinion="同意")
    assert _api(world.other).get(f"/api/documents/{document.pk}").status_code == 200


def test_given_an_archived_case_file_then_only_its_handler_custodian_and_overseers_read_it_without_a_grant():
    """GIVEN a case signed off into the archive WHEN a colleague of its officer reads its documents THEN
    404 (an archived case file is consulted under a 调阅); its own officer, the archivist and the head
    read them; after a grant the colleague does."""
    from tests.archive.archiving import archive_case
    from tests.archive.test_core_services import closed_case

    agency = make_agency()
    officer = make_user(agency)
    head = make_user(agency, ["head"])
    case = closed_case(officer, head)
    document = case.documents.order_by("pk").first()
    archive_case(case)
    colleague = make_user(agency)
    archivist = make_user(agency, ["archivist"])
    assert _api(colleague).get(f"/api/documents/{document.pk}").status_code == 404
    for reader in (officer, archivist, head):
        assert _api(reader).get(f"/api/documents/{document.pk}").status_code == 200
    request = access_request_file(
        by=colleague, kind="view", reason="参照办案", days=1, items=[ItemSpec(case.pk)]
    )
    access_request_decide(request=request, by=head, approved=True, opinion="同意")
    assert _api(colleague).get(f"/api/documents/{document.pk}").status_code == 200

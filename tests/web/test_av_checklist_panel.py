"""The 音像记录事项清单 in the case page's 上传音像记录 panel."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


def _media_panel(client, user) -> str:
    client.force_login(user)
    html = client.get(f"/cases/{make_case(user).pk}/").content.decode()
    found = re.search(r'<details class="card action" id="panel-media".*?</form>\s*</details>', html, re.S)
    assert found, "no media panel"
    return found.group(0)


def test_given_a_longjiang_case_then_the_media_panel_lists_the_checklist_with_chinese_citations(client):
    """GIVEN a case of a longjiang-cg agency WHEN its page opens THEN the upload panel holds the checklist,
    collapsed, each activity marked for the script, items cited to the regulation's article in words."""
    panel = _media_panel(client, make_user(make_agency(profile_id="longjiang-cg")))
    assert "音像记录事项清单" in panel
    assert 'data-activity="inquiry"' in panel and "陈述申辩" in panel
    assert "《龙江县城市管理综合执法大队行政执法全过程记录制度》第10条" in panel
    assert "longjiang-cg§" not in panel
    assert "web/avchecklist" in panel


def test_given_an_agency_without_a_profile_then_the_panel_shows_no_checklist(client):
    """GIVEN an agency without a rule profile THEN its upload panel shows no checklist at all."""
    panel = _media_panel(client, make_user(make_agency()))
    assert "上传" in panel and "音像记录事项清单" not in panel


def test_given_a_xinle_officer_then_the_resumable_upload_page_shows_the_checklist_and_the_phrase_guide(
    client,
):
    """GIVEN an officer of a xinle-fg agency WHEN the resumable upload page opens THEN the same 事项清单 and
    执法行为用语指引 as on the case page are beside its 执法环节 choice, narrowed by the same script."""
    client.force_login(make_user(make_agency(profile_id="xinle-fg")))
    page = client.get("/evidence/upload/").content.decode()
    assert "音像记录事项清单" in page and "执法行为用语指引" in page
    assert "音像记录设备" in page  # xinle-fg§25: tell the party the recording is on
    assert "web/avchecklist" in page and '<option value="">— 请选择 —</option>' in page


def test_given_an_agency_without_a_profile_then_the_upload_page_shows_no_guide(client):
    client.force_login(make_user(make_agency()))
    page = client.get("/evidence/upload/").content.decode()
    assert "执法环节" in page and "音像记录事项清单" not in page and "执法行为用语指引" not in page

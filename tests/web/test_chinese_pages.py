"""Chinese throughout (issue #11): the 500 page in the site layout, the favicon, Beijing time in pickers,
citations of the agency's own regulation in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import RequestFactory

from liuhen.core import clock
from liuhen.rules.citations import citations_for, cite_zh
from liuhen.web.casepage import document_choices
from liuhen.web.diskfull_middleware import server_error
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_the_500_page_is_chinese_in_the_site_layout():
    request = RequestFactory().get("/cases/1/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误（500）" in page and "留痕" in page and "boom" not in page


def test_every_page_names_the_favicon(client):
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_document_pickers_show_beijing_time_not_utc():
    user = make_user(make_agency(), ["officer", "handler"])
    case = make_case(user)
    with clock.frozen(datetime(2026, 11, 30, 11, 42, tzinfo=UTC)):  # 19:42 in Beijing
        document = make_document(case, user, "inquiry_record")
    [(_, label)] = document_choices([document])
    assert label.endswith("（11-30 19:42）")


def test_citations_read_as_the_agencys_own_regulation_and_article():
    assert cite_zh("longjiang-cg§19") == "《龙江县城市管理综合执法大队行政执法全过程记录制度》第19条"
    assert citations_for(("dalian-cg§8", "longjiang-cg§10", "xinle-fg§14"), "longjiang-cg") == [
        "《龙江县城市管理综合执法大队行政执法全过程记录制度》第10条"
    ]
    assert citations_for(("dalian-cg§8",), "") == []


def test_a_form_on_a_longjiang_case_cites_only_longjiangs_articles(client):
    agency = make_agency(profile_id="longjiang-cg")
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/documents/new?doc_type=inquiry_record").content.decode()
    assert "§" not in page and "dalian" not in page


@pytest.mark.parametrize(("profile", "said"), [("dalian-cg", "24 小时内上传"), ("gaochang-sthj", None)])
def test_the_upload_panel_states_the_agencys_own_deadline_or_none(client, profile, said):
    officer = make_user(make_agency(profile_id=profile), ["officer", "handler"])
    client.force_login(officer)
    page = client.get(f"/cases/{make_case(officer).pk}/").content.decode()
    assert "不可删除或替换" in page
    if said:
        assert f"本机关规定音像记录应在拍摄结束后 {said}" in page
    else:
        assert "小时内上传" not in page

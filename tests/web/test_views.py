"""The web pages, through Django's test client: login, the case list, opening a case, adding a document
through the generated form, errors shown at their fields, and scope (404). Data comes from the services."""

from __future__ import annotations

import re

import pytest

from liuhen.cases import services
from liuhen.cases.models import Case, Document
from tests.factories import make_agency, make_case, make_document, make_user
from tests.web.helpers import document_post, text_of

pytestmark = pytest.mark.django_db

# --- login ---------------------------------------------------------------------------------------


def test_given_no_login_when_any_page_is_opened_then_it_redirects_to_the_login_page(client, officer):
    """GIVEN an anonymous visitor WHEN they open the case list, a case page or the new-case page THEN each
    redirects to /login/ with ?next=, and the login page itself is shown in Chinese."""
    case = make_case(officer)
    for url in ["/", f"/cases/{case.pk}/", "/cases/new/", f"/cases/{case.pk}/documents/new"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    page = client.get("/login/")
    assert page.status_code == 200 and "登录" in page.content.decode()


def test_given_the_login_form_when_the_password_is_right_then_the_case_list_follows(client, officer):
    """GIVEN an officer WHEN they log in with the right password THEN they land on the case list, which shows
    their agency, name and role labels."""
    response = client.post("/login/", {"username": "zhangwei", "password": "test-password-1"}, follow=True)
    body = text_of(response)
    assert response.status_code == 200
    assert "案件列表" in body and "张伟" in body and "执法人员" in body and "承办人" in body
    assert "大连高新技术产业园区城市管理行政执法局" in body


def test_given_a_logged_in_officer_when_logging_out_then_the_login_page_follows(client_in):
    """GIVEN a logged-in officer WHEN they press 退出 (a POST) THEN they are back at /login/ and the case
    list asks for a login again."""
    response = client_in.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client_in.get("/")["Location"].startswith("/login/")


# --- case list -----------------------------------------------------------------------------------


def test_given_cases_when_the_list_is_filtered_then_only_matching_cases_show(client_in, officer):
    """GIVEN a general case in investigation and a summary case WHEN the list is filtered by procedure, stage,
    keyword or year THEN only the matching cases are listed, with 案号、案由、程序、阶段、承办人."""
    general = make_case(officer, cause="违规设置户外广告")
    services.case_transition(case=general, by=officer, to_stage="investigation")
    summary = make_case(officer, procedure="summary", cause="占道经营")
    all_cases = text_of(client_in.get("/"))
    assert general.case_no in all_cases and summary.case_no in all_cases
    assert "调查取证" in all_cases and "张伟" in all_cases and "简易程序" in all_cases

    def listed(query: dict) -> set[str]:
        body = text_of(client_in.get("/", query))
        return {c.case_no for c in (general, summary) if c.case_no in body}

    assert listed({"procedure": "summary"}) == {summary.case_no}
    assert listed({"stage": "investigation"}) == {general.case_no}
    assert listed({"q": "户外广告"}) == {general.case_no}
    assert listed({"year": general.year}) == {general.case_no, summary.case_no}
    assert listed({"year": 2001}) == set()


def test_given_a_bad_year_when_filtering_then_the_list_says_so_instead_of_failing(client_in, officer):
    """GIVEN year=abc WHEN the list is requested THEN it is shown (200) with the field's error."""
    make_case(officer)
    response = client_in.get("/", {"year": "abc"})
    assert response.status_code == 200
    assert "输入整数" in response.content.decode()


# --- opening a case ------------------------------------------------------------------------------


def test_given_the_new_case_form_when_posted_with_a_new_party_then_the_case_is_opened(client_in, officer):
    """GIVEN the new-case form with a party registered inline WHEN posted THEN the case is opened with that
    party, the browser goes to the case page and the timeline starts with 立案."""
    response = client_in.post(
        "/cases/new/",
        {
            "procedure": "general",
            "initiation_kind": "ex_officio",
            "cause": "擅自占用城市道路",
            "summary": "巡查发现",
            "source": "日常巡查",
            "new_party_kind": "person",
            "new_party_name": "赵某",
            "new_party_id_type": "居民身份证",
            "new_party_id_number": "210203199001011234",
            "emergency_start": "on",
        },
    )
    case = Case.objects.get(cause="擅自占用城市道路")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert [p.name for p in case.parties.all()] == ["赵某"] and case.emergency_start
    page = text_of(client_in.get(response["Location"]))
    assert case.case_no in page and "全过程时间轴" in page and "立案/程序启动" in page and "赵某" in page


def test_given_a_new_case_without_cause_when_posted_then_the_error_is_shown_and_nothing_is_saved(client_in):
    """GIVEN the new-case form without 案由 but with an inline party WHEN posted THEN the page comes back (422)
    with the error at 案由, and neither a case nor the party was saved."""
    response = client_in.post(
        "/cases/new/",
        {
            "procedure": "general",
            "initiation_kind": "ex_officio",
            "cause": "",
            "new_party_kind": "person",
            "new_party_name": "钱某",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="id_cause".*?案由为必填项', response.content.decode(), re.S)
    assert not Case.objects.exists()


def test_given_an_inline_party_without_name_when_posted_then_the_service_error_is_at_that_field(client_in):
    """GIVEN an inline party with a type but no name WHEN the case is opened THEN party_create's error
    appears at the party's name field, and no case exists."""
    response = client_in.post(
        "/cases/new/",
        {
            "procedure": "general",
            "initiation_kind": "ex_officio",
            "cause": "占道经营",
            "new_party_kind": "person",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id_new_party_name".*?当事人名称为必填项', response.content.decode(), re.S)
    assert not Case.objects.exists()


# --- documents -----------------------------------------------------------------------------------


def test_given_a_case_when_an_inquiry_record_is_added_through_the_generated_form_then_it_is_on_the_timeline(
    client_in, officer
):
    """GIVEN a case WHEN the officer opens the generated 询问笔录 form and posts it filled in THEN the document
    is saved with typed values and shows on the case page's timeline and document list."""
    case = make_case(officer)
    form_page = client_in.get(f"/cases/{case.pk}/documents/new", {"doc_type": "inquiry_record"})
    html = form_page.content.decode()
    assert 'name="f_inquiry_started_at"' in html and 'type="datetime-local"' in html
    assert 'name="f_rights_notified"' in html and "询问地点" in html

    response = client_in.post(f"/cases/{case.pk}/documents/new", document_post("inquiry_record"))
    document = Document.objects.get(case=case)
    assert response.status_code == 302 and response["Location"].endswith(f"#doc-{document.pk}")
    assert document.fields["officer_count"] == 2 and document.fields["certificates_shown"] is True
    page = text_of(client_in.get(f"/cases/{case.pk}/"))
    assert "询问(调查)笔录：被询问人 王某某" in page
    assert "逐问逐答" not in page and "我们是大连高新区城市管理行政执法局的执法人员" in page


def test_given_a_document_form_with_errors_when_posted_then_each_error_is_shown_at_its_field(
    client_in, officer
):
    """GIVEN the 询问笔录 form without 询问地点 and with one officer (the record needs two) WHEN posted THEN
    the page comes back (422) with the catalogue's messages next to those inputs, and nothing is saved."""
    case = make_case(officer)
    data = document_post("inquiry_record", place="", officer_names=["张伟"], officer_certificate_nos=["2102"])
    response = client_in.post(f"/cases/{case.pk}/documents/new", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id="id_f_place".*?询问地点为必填项', html, re.S)
    assert re.search(r'id="id_f_officer_pick".*?执法人员人数不得小于2', html, re.S)
    assert 'value="王某某"' in html  # what was typed is kept
    assert not Document.objects.exists()


# --- scope ---------------------------------------------------------------------------------------


def test_given_another_agencys_case_when_opened_then_every_page_answers_404(client_in, officer):
    """GIVEN a case of another agency WHEN the officer opens its page, its document form, or posts to it
    THEN each answers 404, and the case is not in the officer's list."""
    other_agency = make_agency()
    stranger = make_user(other_agency)
    case = make_case(stranger, cause="他局案件")
    document = make_document(case, stranger)
    assert client_in.get(f"/cases/{case.pk}/").status_code == 404
    assert client_in.get(f"/cases/{case.pk}/documents/new", {"doc_type": "inquiry_record"}).status_code == 404
    assert (
        client_in.post(f"/cases/{case.pk}/documents/new", document_post("inquiry_record")).status_code == 404
    )
    assert client_in.post(f"/cases/{case.pk}/transitions", {"to_stage": "investigation"}).status_code == 404
    assert client_in.get(f"/documents/{document.pk}/amend").status_code == 404
    assert client_in.post(f"/documents/{document.pk}/sign", {}).status_code == 404
    assert "他局案件" not in text_of(client_in.get("/"))
    assert Document.objects.filter(case=case).count() == 1


def test_given_a_supervisor_when_viewing_a_case_then_no_write_forms_are_shown(client, officer, agency):
    """GIVEN a justice-bureau supervisor of the agency WHEN they open a case THEN they see it (timeline) but
    no forms to change it."""
    from liuhen.accounts.services import user_create

    bureau = make_agency()
    supervisor = user_create(
        username="jianducha",
        password="test-password-1",
        agency=bureau,
        roles=["supervisor"],
        full_name="监督员",
        supervised=[agency],
    )
    case = make_case(officer)
    client.force_login(supervisor)
    response = client.get(f"/cases/{case.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "全过程时间轴" in html
    assert 'id="panel-document"' not in html and f"/cases/{case.pk}/transitions" not in html

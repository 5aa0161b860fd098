"""Each role writes its own part, and the case page offers each role only what it may do (issue #11)."""

from __future__ import annotations

import pytest

from liuhen.cases.models import Document
from liuhen.catalogue import example_fields
from tests.factories import make_case, make_user
from tests.web.helpers import document_post

pytestmark = pytest.mark.django_db


def test_the_legal_unit_writes_its_own_legal_review_opinion_and_nothing_else(client, agency, officer):
    legal = make_user(agency, ["legal_unit"], name="法制科赵某")
    case = make_case(officer)
    client.force_login(legal)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "制作文书" in page and 'value="legal_review_opinion"' in page
    assert 'value="inquiry_record"' not in page  # the chooser offers only what the role writes
    assert client.get(f"/cases/{case.pk}/documents/new?doc_type=legal_review_opinion").status_code == 200
    assert client.get(f"/cases/{case.pk}/documents/new?doc_type=inquiry_record").status_code == 403

    response = client.post(f"/cases/{case.pk}/documents/new", document_post("legal_review_opinion"))
    assert response.status_code == 302
    [written] = Document.objects.filter(doc_type="legal_review_opinion")
    assert written.created_by == legal


def test_an_officer_no_longer_types_the_legal_units_opinion(client_in, officer):
    case = make_case(officer)
    assert client_in.get(f"/cases/{case.pk}/documents/new?doc_type=legal_review_opinion").status_code == 403
    data = {"doc_type": "legal_review_opinion", **example_fields("legal_review_opinion")}
    assert client_in.post(f"/cases/{case.pk}/documents/new", data).status_code == 403
    assert not Document.objects.exists()


def test_the_head_writes_the_head_approval_form(client, agency, officer):
    head = make_user(agency, ["head"], name="局长钱某")
    case = make_case(officer)
    client.force_login(head)
    assert client.post(f"/cases/{case.pk}/documents/new", document_post("head_approval")).status_code == 302
    assert Document.objects.get(doc_type="head_approval").created_by == head


@pytest.mark.parametrize(
    ("roles", "shown", "hidden"),
    [
        (["archivist"], [], ["制作文书", "填写审批意见", "上传音像记录"]),
        (["device_custodian"], [], ["制作文书", "填写审批意见", "阶段流转", "上传音像记录"]),
        (["legal_unit"], ["制作文书", "填写审批意见"], ["上传音像记录"]),
        (["officer", "handler"], ["制作文书", "上传音像记录"], []),
    ],
)
def test_the_case_page_offers_each_role_only_what_it_may_do(client, agency, officer, roles, shown, hidden):
    case = make_case(officer)
    client.force_login(make_user(agency, roles))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    for summary in shown:
        assert f"<summary>{summary}</summary>" in page or f">{summary}<" in page, summary
    for summary in hidden:
        assert f"<summary>{summary}</summary>" not in page, summary


def test_the_officers_initiation_form_leaves_the_unit_and_head_blocks_to_them(client_in, officer):
    """GIVEN the officer writing a 立案审批表 THEN the form has no input for the unit's or the head's opinion
    and says who gives them; typing the head's opinion anyway is refused at that field."""
    case = make_case(officer)
    page = client_in.get(f"/cases/{case.pk}/documents/new?doc_type=initiation_approval").content.decode()
    assert 'name="f_head_opinion"' not in page and 'name="f_unit_opinion"' not in page
    assert "负责人意见、负责人签署日期：由签署人本人以「负责人审批」或「紧急启动补报审批」填写" in page
    typed = {**document_post("initiation_approval"), "f_head_opinion": "同意。"}  # a hand-made post
    response = client_in.post(f"/cases/{case.pk}/documents/new", typed)
    assert not Document.objects.exists()
    assert response.status_code == 422
    assert (
        "负责人意见由签署人本人以「负责人审批」或「紧急启动补报审批」填写，制作文书时不填"
        in response.content.decode()
    )


def test_the_case_page_shows_the_heads_block_in_the_heads_words_with_who_and_when(client, agency, officer):
    from liuhen.cases import services

    case = make_case(officer)
    client.force_login(officer)
    assert (
        client.post(f"/cases/{case.pk}/documents/new", document_post("initiation_approval")).status_code
        == 302
    )
    form = Document.objects.get(doc_type="initiation_approval")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "待签署人以「负责人审批」或「紧急启动补报审批」填写" in page
    head = make_user(agency, ["head"], name="局长钱某")
    services.approval_record(
        case=case,
        actor=head,
        kind="head_approval",
        decision="approve",
        opinion="同意立案调查。",
        document=form,
    )
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert '同意立案调查。<br><span class="signed-by">签署：局长钱某 ' in page
    assert "待签署人以「负责人审批」" not in page and "待签署人以「审核意见」填写" in page

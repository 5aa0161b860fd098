"""The resumable upload page inside the site: case and document pickers, the camera, the late-cause field."""

from __future__ import annotations

import re

import pytest
from django.utils.timezone import localtime

from liuhen.cases import services
from liuhen.catalogue import example_fields
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def _page(client, user, **query):
    client.force_login(user)
    response = client.get("/evidence/upload/", query)
    assert response.status_code == 200
    return response.content.decode()


def _options(html: str, name: str) -> dict[str, str]:
    """``value -> label`` of the ``<select name=NAME>``'s options."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select.group(0)))


def _ticks(html: str) -> list[str]:
    return re.findall(r'name="linked_document_ids" value="(\d+)"', html)


def test_given_an_officer_when_the_page_opens_then_it_sits_in_the_site_layout_with_the_camera_input(
    client, officer
):
    """GIVEN an officer WHEN /evidence/upload/ opens THEN the site header and navigation surround it, and
    the file input takes video, audio and images with ``capture`` (a phone offers its camera)."""
    html = _page(client, officer)

    assert 'aria-label="主导航"' in html and "待关联音像" in html and 'class="topbar"' in html
    file_input = re.search(r'<input name="file"[^>]*>', html)
    assert file_input and 'accept="video/*,audio/*,image/*"' in file_input.group(0)
    assert "capture=" in file_input.group(0)
    assert 'name="case_id"' not in html  # no raw ids to type any more


def test_given_cases_of_several_agencies_and_stages_when_the_picker_lists_them_then_only_own_open_ones(
    client, agency, officer, case
):
    """GIVEN the officer's open case, an archived case of the same agency and another agency's case
    WHEN the page opens THEN the case picker offers the open case by 案号 and 案由, and neither of the others."""
    archived = make_case(officer, cause="违法建设")
    type(archived).objects.filter(pk=archived.pk).update(stage="archived")  # current-state row, test setup
    stranger = make_case(make_user(make_agency(), name="李四"), cause="噪声扰民")

    offered = _options(_page(client, officer), "case")

    assert offered == {str(case.pk): f"{case.case_no} · {case.cause}"}
    assert str(archived.pk) not in offered and str(stranger.pk) not in offered


def test_given_a_chosen_case_when_the_page_opens_then_the_document_picker_lists_its_visible_documents(
    client, officer, case
):
    """GIVEN a case with a document and a confidential one (the officer's role may not read confidential
    records), and another case with its own document WHEN ``?case=`` names the first THEN it is selected
    and the picker offers only its visible document, by title and Beijing time; with no case, none."""
    shown = make_document(case, officer)
    secret = services.document_create(
        case=case,
        created_by=officer,
        doc_type="inquiry_record",
        fields=example_fields("inquiry_record"),
        confidential=True,
    )
    make_document(make_case(officer), officer)

    html = _page(client, officer, case=case.pk)

    assert re.search(rf'<option value="{case.pk}" selected>', html)
    assert _ticks(html) == [str(shown.pk)] and str(secret.pk) not in _ticks(html)
    made = localtime(shown.created_at)
    assert f"询问(调查)笔录（{made:%m-%d %H:%M}）" in html and str(made.tzinfo) == "Asia/Shanghai"
    assert _ticks(_page(client, officer)) == []


@pytest.mark.parametrize(("profile_id", "hours"), [("dalian-cg", 24), ("gaochang-sthj", None)])
def test_given_an_agency_profile_when_the_page_opens_then_the_late_cause_field_follows_its_upload_rule(
    client, profile_id, hours
):
    """GIVEN an agency on dalian-cg (24-hour upload rule) or gaochang-sthj (none) WHEN its officer opens
    the page THEN 逾期上传原因 is asked for, naming the 24 hours, only where the regulation sets a deadline."""
    officer = make_user(make_agency(profile_id=profile_id), name="孙七")

    html = _page(client, officer)

    if hours is None:
        assert 'name="late_cause"' not in html and "逾期上传原因" not in html
    else:
        assert 'name="late_cause"' in html and f"应在 {hours} 小时内上传" in html


def test_given_another_agencys_case_when_named_then_the_page_is_404(client, officer):
    """GIVEN another agency's case WHEN ``?case=`` names it THEN 404 (its existence does not leak)."""
    stranger = make_case(make_user(make_agency(), name="李四"))
    client.force_login(officer)

    assert client.get("/evidence/upload/", {"case": stranger.pk}).status_code == 404

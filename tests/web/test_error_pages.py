"""Refusals in the browser are Chinese pages, not Django's English defaults."""

import pytest
from django.test import Client

from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


def test_given_a_role_without_the_right_when_it_opens_a_form_then_a_chinese_403_page():
    """GIVEN the administrator (no document.create) WHEN they open the new-document form of a case of
    their agency THEN 403 with a Chinese explanation and the site's header, not "403 Forbidden"."""
    agency = make_agency()
    case = make_case(make_user(agency, ["officer", "handler"]))
    client = Client()
    client.force_login(make_user(agency, ["admin"]))
    response = client.get(f"/cases/{case.pk}/documents/new")
    page = response.content.decode()
    assert response.status_code == 403 and "无权执行此操作" in page and "Forbidden" not in page


def test_given_another_agencys_case_when_opened_then_a_chinese_404_page():
    """GIVEN a case of another agency WHEN an officer opens it THEN 404 in Chinese: it is not there."""
    case = make_case(make_user(make_agency(), ["officer", "handler"]))
    client = Client()
    client.force_login(make_user(make_agency(), ["officer"]))
    response = client.get(f"/cases/{case.pk}/")
    page = response.content.decode()
    assert response.status_code == 404 and "不存在" in page and "Not Found" not in page

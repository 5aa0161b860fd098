"""``/evidence/upload/?case=``: any value that names no case the user may see is 404, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, officer):
    client.force_login(officer)
    return client


def test_given_the_officers_own_case_when_named_then_it_is_preselected(browser, case):
    """GIVEN the officer's own open case WHEN ``?case=<id>`` THEN 200 with the case preselected."""
    page = browser.get(f"/evidence/upload/?case={case.pk}")

    assert page.status_code == 200 and page.context["case"] == case


def test_given_no_case_when_the_page_opens_then_it_has_no_preselected_case(browser):
    """GIVEN no ``case`` parameter (or an empty one) WHEN the page opens THEN 200 without a case."""
    assert browser.get("/evidence/upload/").context["case"] is None
    assert browser.get("/evidence/upload/?case=").context["case"] is None


@pytest.mark.parametrize(
    "value", ["abc", "-1", "1.0", "١", "１", "²", "9223372036854775808", "9" * 40, "1%00", "0x1", " 1"]
)
def test_given_a_value_that_is_no_id_when_the_page_opens_then_404(browser, case, value):
    """GIVEN ``?case=`` that is not an ASCII id, or one too large for any id WHEN the page opens THEN
    404 — ``١`` is not case 1, and no value reaches the database as an out-of-range number."""
    assert browser.get("/evidence/upload/", {"case": value}).status_code == 404


def test_given_another_agencys_or_a_missing_case_when_named_then_404(browser, case):
    """GIVEN another agency's case and an id no case has WHEN named THEN 404, like the case page."""
    stranger = make_case(make_user(make_agency(), ["officer", "handler"], name="李四"))

    assert browser.get(f"/evidence/upload/?case={stranger.pk}").status_code == 404
    assert browser.get("/evidence/upload/?case=987654321").status_code == 404


def test_given_a_confidential_case_of_someone_else_when_named_then_never_a_500(
    browser, officer, agency, case
):
    """GIVEN a confidential case of the same agency handled by someone else WHEN the officer names it
    THEN never a 500: 404 where the selector keeps it from them, else the case preselected."""
    other = make_user(agency, ["officer", "handler"], name="王五")
    secret = make_case(other, confidential=True)

    response = browser.get(f"/evidence/upload/?case={secret.pk}")

    assert response.status_code in (200, 404)
    if response.status_code == 200:  # the access layer lets this officer see it: then it is preselected
        assert response.context["case"] == secret

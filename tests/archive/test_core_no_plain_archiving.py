"""归档 only through the signed-off case file (issue #12): the stage service, the case page's stage panel
and the API's transition refuse a plain move to 归档 and point to 案卷归档."""

from __future__ import annotations

import pytest

from liuhen.archive import services
from liuhen.cases import services as case_services
from liuhen.cases.models import Case, StageTransition
from liuhen.core.errors import ValidationFailed
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    return officer, head, make_user(agency, ["archivist"]), make_user(agency, ["archivist"])


def test_given_a_closed_case_when_an_archivist_moves_it_to_archived_then_refused_at_to_stage(office):
    officer, head, archivist, _ = office
    case = closed_case(officer, head)
    with pytest.raises(ValidationFailed) as info:
        case_services.case_transition(case=case, by=archivist, to_stage="archived", reason="归档")
    assert [(e.field, e.reason) for e in info.value.errors] == [("to_stage", "case_file_required")]
    assert "案卷归档" in info.value.errors[0].message
    assert Case.objects.get(pk=case.pk).stage == "closed"
    assert not StageTransition.objects.filter(case=case, to_stage="archived").exists()


def test_given_another_cases_case_file_when_passed_to_the_move_then_still_refused(office):
    """The sign-off's case file opens 归档 for its own case only."""
    officer, head, compiler, checker = office
    signed = closed_case(officer, head)
    services.case_file_compile(case=signed, by=compiler)
    case_file = services.case_file_sign(case=signed, by=checker)
    other = closed_case(officer, head)
    with pytest.raises(ValidationFailed):
        case_services.case_transition(case=other, by=checker, to_stage="archived", case_file=case_file)
    assert Case.objects.get(pk=other.pk).stage == "closed"


def test_given_the_api_when_an_archivist_posts_a_move_to_archived_then_422_naming_to_stage(client, office):
    officer, head, archivist, _ = office
    case = closed_case(officer, head)
    client.force_login(archivist)
    response = client.post(
        f"/api/cases/{case.pk}/transitions",
        {"to_stage": "archived", "reason": "归档"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["to_stage"]
    assert "案卷归档" in response.json()["errors"][0]["message"]
    assert Case.objects.get(pk=case.pk).stage == "closed"


def test_given_a_closed_case_when_the_archivist_opens_the_stage_panel_then_it_links_to_the_case_file(
    client, office
):
    officer, head, archivist, _ = office
    case = closed_case(officer, head)
    client.force_login(archivist)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/archive/cases/{case.pk}/"' in page and "前往案卷归档" in page
    assert 'value="archived"' not in page
    posted = client.post(f"/cases/{case.pk}/transitions", {"to_stage": "archived", "reason": "归档"})
    assert posted.status_code == 422 and "案卷归档" in posted.content.decode()
    assert "archived" not in posted.content.decode().split("panel-transition", 1)[1].split("</details>", 1)[0]
    assert Case.objects.get(pk=case.pk).stage == "closed"
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "由档案管理员整理案卷并签署后归档" in page and "前往案卷归档" not in page

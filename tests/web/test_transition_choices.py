"""The stage-move panel offers only the moves the role table allows (issue #9 point 5, on the page)."""

import pytest

from liuhen.web.casepage import transition_choices
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


def test_given_each_role_when_the_stage_panel_is_built_then_only_its_own_moves_and_override_are_offered():
    """GIVEN a case in investigation WHEN the panel is built for the legal unit, the head, the archivist
    and an officer THEN the legal unit (gate but no case.transition) gets no move and no override box,
    the head gets the moves and the box, the archivist nothing but archiving (none from here), the
    officer the moves without the box."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    case.stage = "investigation"
    by_role = {
        role: transition_choices(make_user(agency, [role]), case)
        for role in ("legal_unit", "head", "archivist", "officer")
    }

    assert by_role["legal_unit"] == {"targets": [], "can_override": False}
    assert by_role["head"]["targets"] and by_role["head"]["can_override"] is True
    assert by_role["archivist"] == {"targets": [], "can_override": False}
    assert by_role["officer"]["targets"] == by_role["head"]["targets"]
    assert by_role["officer"]["can_override"] is False


def test_given_the_legal_unit_when_it_posts_an_override_move_on_the_page_then_403_and_nothing_moves():
    """GIVEN the legal unit WHEN it posts a move with override on the case page THEN 403, nothing moves."""
    from django.test import Client

    agency = make_agency()
    case = make_case(make_user(agency, ["officer", "handler"]))
    client = Client()
    client.force_login(make_user(agency, ["legal_unit"]))
    response = client.post(
        f"/cases/{case.pk}/transitions", {"to_stage": "archived", "override": "on", "reason": "越权"}
    )
    case.refresh_from_db()
    assert response.status_code == 403 and case.stage == "initiation"

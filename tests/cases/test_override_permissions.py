"""A gate override waives unmet rules; it never grants a move the role table does not (issue #9 point 5).

Every role × {an ordinary move, archiving} × {with, without override}, the expected outcome derived
from ``ROLE_PERMISSIONS``: the move needs ``case.transition`` (archiving ``case.archive``), and an
override needs ``case.override_gate`` as well."""

from __future__ import annotations

import pytest

from liuhen.accounts.roles import ROLE_PERMISSIONS, Permission, Role
from liuhen.cases import services
from liuhen.cases.models import StageTransition
from liuhen.cases.services.cases import move_permission
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.ledger.models import LedgerEntry
from tests.factories import ALL_CASE_ROLES, make_agency, make_case, make_user

pytestmark = pytest.mark.django_db

MOVES = {"move": ("initiation", "investigation"), "archive": ("closed", "archived")}


def may(role: Role, to_stage: str, override: bool) -> bool:
    needed = {move_permission(to_stage)} | ({Permission.CASE_OVERRIDE_GATE} if override else set())
    return needed <= ROLE_PERMISSIONS[role]


def case_in(stage: str, agency):
    worker = make_user(agency, ALL_CASE_ROLES)
    case = make_case(worker)
    if stage == "closed":
        services.case_transition(case=case, by=worker, to_stage="closed", reason="不予立案")
        case.refresh_from_db()
    return case


@pytest.mark.parametrize("override", [False, True], ids=["plain", "override"])
@pytest.mark.parametrize("move", sorted(MOVES))
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_given_a_role_when_moving_a_case_then_allowed_exactly_as_the_role_table_says(role, move, override):
    """GIVEN a user holding one role of the case's agency (no rule profile: nothing blocks)
    WHEN they move the case (or archive it), with or without ``override``
    THEN the move is made exactly when the role holds the move's permission (and, for an override,
    case.override_gate too); otherwise 403 and no transition and no entry. Archiving is never a plain
    move: a role that may archive is refused at ``to_stage`` (the case file's sign-off archives)."""
    agency = make_agency()
    from_stage, to_stage = MOVES[move]
    case = case_in(from_stage, agency)
    actor = make_user(agency, [role.value])
    entries = LedgerEntry.objects.count()
    call = {"case": case, "by": actor, "to_stage": to_stage, "reason": "理由", "override": override}
    if may(role, to_stage, override) and move == "move":
        transition = services.case_transition(**call)
        assert (transition.from_stage, transition.to_stage, transition.override) == (
            from_stage,
            to_stage,
            False,
        )
    else:
        refusal = ValidationFailed if may(role, to_stage, override) else PermissionDenied
        with pytest.raises(refusal) as info:
            services.case_transition(**call)
        if refusal is ValidationFailed:
            assert [e.field for e in info.value.errors] == ["to_stage"]
            assert "案卷归档" in info.value.errors[0].message
        case.refresh_from_db()
        assert case.stage == from_stage
        assert not StageTransition.objects.filter(case=case, to_stage=to_stage).exists()
        assert LedgerEntry.objects.count() == entries


def test_the_role_table_still_lets_someone_override_an_ordinary_move():
    """GIVEN the role table THEN some role may override an ordinary move (the head), so the matrix above
    tests both outcomes; nobody may override archiving (no role holds case.archive and the gate)."""
    assert [r for r in Role if may(r, "investigation", True)] == [Role.HEAD]
    assert [r for r in Role if may(r, "archived", True)] == []


@pytest.fixture
def gated():
    """An agency with a rule profile: an empty case may not leave initiation (two rules unmet)."""
    agency = make_agency(profile_id="dalian-cg")
    officer = make_user(agency, ["officer", "handler"])
    return agency, make_case(officer)


def test_given_unmet_rules_when_the_legal_unit_overrides_then_403_not_a_move(gated):
    """GIVEN an empty case with unmet mandatory rules WHEN the legal unit (case.override_gate but no
    case.transition) moves it with override THEN 403, the case stays where it was."""
    agency, case = gated
    legal = make_user(agency, ["legal_unit"])
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, by=legal, to_stage="investigation", override=True, reason="同意")
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, by=legal, to_stage="archived", override=True, reason="同意")
    case.refresh_from_db()
    assert case.stage == "initiation" and not case.transitions.exists()


def test_given_unmet_rules_when_the_head_overrides_then_moved_but_archiving_is_still_refused(gated):
    """GIVEN an empty case with unmet rules WHEN the head (case.transition + case.override_gate)
    overrides THEN the move is made as an override; WHEN the head tries to archive THEN 403 (no
    case.archive), and an archivist without the gate cannot override either."""
    agency, case = gated
    head = make_user(agency, ["head"])
    transition = services.case_transition(
        case=case, by=head, to_stage="investigation", override=True, reason="紧急情况"
    )
    assert transition.override is True
    services.case_transition(case=case, by=head, to_stage="closed", override=True, reason="不予处罚")
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, by=head, to_stage="archived", override=True, reason="归档")
    archivist = make_user(agency, ["archivist"])
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, by=archivist, to_stage="archived", override=True, reason="归档")


def test_given_a_move_the_stage_table_refuses_when_overridden_then_409_still(gated):
    """GIVEN a case in initiation WHEN the head asks to jump to archived with override THEN refused: the
    head may not archive (403) — and a move the stage table lacks is 409 for a role that may move."""
    agency, case = gated
    head = make_user(agency, ["head"])
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, by=head, to_stage="archived", override=True, reason="x")
    with pytest.raises(Conflict):
        services.case_transition(case=case, by=head, to_stage="decision", override=True, reason="x")

"""Stage moves are gated by the agency's rule profile; the head or legal unit may override with a reason."""

import json

import pytest

from liuhen.cases import services
from liuhen.cases.models import StageTransition
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_given_no_initiation_approval_when_moving_to_investigation_then_refused_listing_each_rule(dalian):
    case = dalian.case()
    with pytest.raises(Conflict) as refused:
        services.case_transition(case=case, by=dalian.officer, to_stage="investigation")
    errors = {e.as_dict()["rule_id"]: e.as_dict() for e in refused.value.errors}
    assert set(errors) == {"initiation-approval-form", "initiation-head-approval"}
    assert errors["initiation-approval-form"]["citation"] == "dalian-cg§6"
    assert "立案/程序启动审批表" in errors["initiation-approval-form"]["message"]
    case.refresh_from_db()
    assert case.stage == "initiation"
    assert not StageTransition.objects.filter(case=case).exists()


def test_given_the_form_approved_by_the_head_when_moving_then_the_gate_lets_it_through(dalian):
    case = dalian.case()
    dalian.approve_initiation(case)
    transition = services.case_transition(case=case, by=dalian.officer, to_stage="investigation")
    assert (transition.to_stage, transition.override, transition.overridden_findings) == (
        "investigation",
        False,
        [],
    )


def test_given_an_agency_without_profile_when_moving_then_no_gate(dalian):
    dalian.agency.profile_id = ""
    dalian.agency.save()
    case = dalian.case()
    assert services.case_transition(case=case, by=dalian.officer, to_stage="investigation").override is False


def test_given_unmet_rules_when_the_head_overrides_with_a_reason_then_findings_and_ledger_action_are_recorded(
    dalian,
):
    case = dalian.case()
    transition = services.case_transition(
        case=case, by=dalian.head, to_stage="investigation", override=True, reason="紧急情况，先行调查"
    )
    assert transition.override is True
    assert {f["rule_id"] for f in transition.overridden_findings} == {
        "initiation-approval-form",
        "initiation-head-approval",
    }
    assert all(f["citation"] == "dalian-cg§6" for f in transition.overridden_findings)
    entry = LedgerEntry.objects.filter(case=case).order_by("-pk").first()
    assert entry.action == "case.override"
    details = json.loads(bytes(entry.body))["details"]
    assert set(details["overridden"]) == {"initiation-approval-form", "initiation-head-approval"}
    assert details["reason"] == "紧急情况，先行调查"


def test_given_unmet_rules_when_the_legal_unit_overrides_then_permission_denied(dalian):
    """GIVEN unmet rules WHEN the legal unit (case.override_gate, but no case.transition) overrides
    THEN 403: an override waives rules, it never grants a move the role may not make (issue #9)."""
    case = dalian.case()
    with pytest.raises(PermissionDenied):
        services.case_transition(
            case=case, by=dalian.legal, to_stage="investigation", override=True, reason="法制股审核同意"
        )


def test_given_nothing_to_override_when_the_legal_unit_asks_to_override_then_it_is_an_ordinary_move_it_may_not_make(
    dalian,
):
    case = dalian.case()
    dalian.approve_initiation(case)
    with pytest.raises(PermissionDenied):
        services.case_transition(
            case=case, by=dalian.legal, to_stage="investigation", override=True, reason="x"
        )


def test_given_an_officer_when_overriding_then_permission_denied(dalian):
    with pytest.raises(PermissionDenied):
        services.case_transition(
            case=dalian.case(), by=dalian.officer, to_stage="investigation", override=True, reason="想跳过"
        )


def test_given_the_head_when_overriding_without_a_reason_then_validation_failed(dalian):
    with pytest.raises(ValidationFailed) as failed:
        services.case_transition(case=dalian.case(), by=dalian.head, to_stage="investigation", override=True)
    assert failed.value.errors[0].field == "reason"


def test_given_unmet_rules_when_moving_through_the_api_then_409_lists_rule_citation_and_message(
    dalian, api_as
):
    case = dalian.case()
    response = api_as(dalian.officer)("post", f"/cases/{case.pk}/transitions", {"to_stage": "investigation"})
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict"
    by_rule = {e["rule_id"]: e for e in body["errors"]}
    assert set(by_rule) == {"initiation-approval-form", "initiation-head-approval"}
    assert by_rule["initiation-head-approval"]["citation"] == "dalian-cg§6"
    assert by_rule["initiation-head-approval"]["field"] == "rules.initiation-head-approval"
    assert by_rule["initiation-head-approval"]["message"]


def test_given_the_api_when_an_officer_overrides_then_403_and_the_head_without_reason_422(dalian, api_as):
    case = dalian.case()
    path = f"/cases/{case.pk}/transitions"
    body = {"to_stage": "investigation", "override": True}
    assert api_as(dalian.officer)("post", path, {**body, "reason": "跳过"}).status_code == 403
    assert api_as(dalian.head)("post", path, body).status_code == 422
    ok = api_as(dalian.head)("post", path, {**body, "reason": "负责人决定先行调查"})
    assert ok.status_code == 201 and ok.json()["override"] is True

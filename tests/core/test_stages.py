"""The stage machine is a pure table: tested without a database."""

import pytest

from liuhen.core.stages import Stage, TransitionNotAllowed, allowed_targets, check_transition, next_stage

GENERAL_PATH = ["initiation", "investigation", "decision", "service_enforcement", "closed", "archived"]
SUMMARY_PATH = ["initiation", "decision", "service_enforcement", "closed", "archived"]


@pytest.mark.parametrize(("procedure", "path"), [("general", GENERAL_PATH), ("summary", SUMMARY_PATH)])
def test_given_each_procedure_when_following_next_stage_then_the_whole_path_is_walked(procedure, path):
    walked = [path[0]]
    while (following := next_stage(procedure, walked[-1])) is not None:
        walked.append(following)
    assert walked == path


def test_given_summary_procedure_when_moving_to_investigation_then_refused_with_the_allowed_targets():
    with pytest.raises(TransitionNotAllowed) as info:
        check_transition("summary", "initiation", "investigation")
    assert info.value.allowed == (Stage.DECISION,)
    assert "调查取证" in str(info.value)


def test_given_general_case_when_skipping_from_initiation_to_decision_then_refused():
    with pytest.raises(TransitionNotAllowed):
        check_transition("general", "initiation", "decision")


def test_given_archived_case_when_moving_anywhere_then_refused():
    assert allowed_targets("general", "archived") == ()
    with pytest.raises(TransitionNotAllowed):
        check_transition("general", "archived", "closed")


def test_given_unknown_target_stage_when_checked_then_refused_not_crashed():
    with pytest.raises(TransitionNotAllowed):
        check_transition("general", "initiation", "nowhere")


def test_given_early_close_when_checked_then_a_reason_is_required_but_not_for_a_normal_close():
    assert check_transition("general", "investigation", "closed").reason_required
    assert not check_transition("general", "service_enforcement", "closed").reason_required
    assert not check_transition("general", "initiation", "investigation").reason_required

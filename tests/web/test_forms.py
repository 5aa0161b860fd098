"""Putting service errors back on the web forms (no database)."""

from __future__ import annotations

from liuhen.core.errors import Conflict, FieldError, invalid
from liuhen.web.forms import SignForm, TransitionForm, add_service_errors


def test_given_a_field_error_when_added_then_it_sits_at_that_field_only():
    """GIVEN a ValidationFailed naming ``reason`` WHEN put on the transition form THEN the message is at 理由
    and nothing is added above the form."""
    form = TransitionForm({"to_stage": "closed"}, targets=["closed"])
    assert form.is_valid()
    add_service_errors(form, invalid("reason", "required", "转入「结案」须说明理由"))
    assert form.errors["reason"] == ["转入「结案」须说明理由"]
    assert form.non_field_errors() == []


def test_given_blocking_rules_when_added_then_the_heading_and_each_rule_are_above_the_form():
    """GIVEN a 409 whose errors are rules (no such inputs) WHEN put on the form THEN the summary message and
    every rule's message are shown above the form, in that order."""
    form = TransitionForm({"to_stage": "closed"}, targets=["closed"])
    assert form.is_valid()
    exc = Conflict(
        "有 2 项强制性规则未满足，不能转入「结案」",
        errors=[
            FieldError("rules.av_inspection", "missing", "现场检查须有音像记录（dalian-cg§11）"),
            FieldError("rules.hearing_record", "missing", "听证须有笔录（xinle-fg§16）"),
        ],
    )
    add_service_errors(form, exc)
    assert form.non_field_errors() == [
        "有 2 项强制性规则未满足，不能转入「结案」",
        "现场检查须有音像记录（dalian-cg§11）",
        "听证须有笔录（xinle-fg§16）",
    ]


def test_given_indexed_service_names_when_added_then_aliases_map_them_to_inputs():
    """GIVEN ``strokes`` from the marks service WHEN put on the sign form with its alias THEN the message
    is at the signature pad's input."""
    form = SignForm({})
    form.is_valid()
    add_service_errors(form, invalid("strokes", "invalid", "笔画记录无效"), {"strokes": "stroke_png"})
    assert "笔画记录无效" in form.errors["stroke_png"]


def test_given_an_officer_without_override_right_when_the_form_is_built_then_there_is_no_override_box():
    """GIVEN a user without case.override_gate WHEN the transition form is built THEN it has no override
    input; with the right it has one."""
    assert "override" not in TransitionForm(targets=["closed"]).fields
    assert "override" in TransitionForm(targets=["closed"], can_override=True).fields

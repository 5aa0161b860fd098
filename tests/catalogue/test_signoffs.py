"""Sign-off blocks: the parts of a shared form another role gives under its own login (issue #11)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from liuhen.catalogue import get_type
from liuhen.catalogue.fields import CatalogueDefinitionError, date, longtext
from liuhen.catalogue.signoffs import Step, signed_blocks, with_signoffs
from liuhen.catalogue.types import DocumentType, SignoffBlock, requires

FORM = get_type("initiation_approval")


def _step(kind: str, opinion: str, hour: int, signer: str = "王局长") -> Step:
    return Step(kind, opinion, datetime(2026, 3, 2, hour, 0, tzinfo=UTC), signer)


def test_given_no_step_on_the_form_then_no_block_is_given_and_the_fields_are_as_written():
    assert signed_blocks(FORM, []) == []
    assert with_signoffs(FORM, {"case_cause": "占道经营"}, []) == {"case_cause": "占道经营"}


def test_given_the_heads_approval_then_its_block_takes_the_opinion_and_the_beijing_date():
    """16:30 UTC on 2 March is 00:30 on 3 March in Beijing: the form's date is the Beijing one."""
    step = Step("head_approval", "同意立案。", datetime(2026, 3, 2, 16, 30, tzinfo=UTC), "王局长")
    fields = with_signoffs(FORM, {"case_cause": "占道经营"}, [step])
    assert fields == {"case_cause": "占道经营", "head_opinion": "同意立案。", "head_signed_on": "2026-03-03"}
    (given,) = signed_blocks(FORM, [step])
    assert given.attribution == "王局长 2026年03月03日 00:30"


def test_given_two_steps_of_the_block_then_the_latest_one_is_on_the_form_and_other_kinds_are_ignored():
    steps = [
        _step("head_approval", "同意。", 9),
        _step("legal_review", "合法。", 10, "赵法制"),
        _step("late_approval", "补报，同意。", 11),
        _step("review", "同意承办人意见。", 8, "孙科长"),
    ]
    fields = with_signoffs(FORM, {}, steps)
    assert fields["head_opinion"] == "补报，同意。"  # the emergency start's 补报审批 is the head's block too
    assert fields["unit_opinion"] == "同意承办人意见。"
    assert "legal_review" not in str(fields) and "合法。" not in fields.values()


def test_given_a_block_with_a_signer_field_then_the_signers_name_fills_it():
    report = get_type("investigation_final_report")
    fields = with_signoffs(report, {}, [_step("review", "同意。", 9, "孙科长")])
    assert (fields["unit_opinion"], fields["unit_reviewer"], fields["unit_reviewed_on"]) == (
        "同意。",
        "孙科长",
        "2026-03-02",
    )


@pytest.mark.parametrize(
    "block, why",
    [
        (SignoffBlock(("no_such_step",), opinion="opinion", signed_on="on"), "unknown approval kinds"),
        (SignoffBlock(("review",), opinion="required_opinion", signed_on="on"), "optional longtext"),
        (SignoffBlock(("review",), opinion="opinion", signed_on=""), "optional date"),
    ],
)
def test_given_a_bad_block_then_the_catalogue_refuses_it_at_import(block, why):
    with pytest.raises(CatalogueDefinitionError, match=why):
        DocumentType(
            code="sample",
            title="样表",
            stages=("initiation",),
            procedures=("general",),
            fields=(
                longtext("opinion", "意见", required=False),
                longtext("required_opinion", "意见二"),
                date("on", "日期", required=False),
            ),
            citations=("dalian-cg§6",),
            signoffs=(block,),
        )


def test_given_a_check_on_a_block_field_then_the_catalogue_refuses_it():
    """The author never fills a block, so a form check on it could never run."""
    with pytest.raises(CatalogueDefinitionError, match="checks on sign-off fields"):
        DocumentType(
            code="sample",
            title="样表",
            stages=("initiation",),
            procedures=("general",),
            fields=(
                longtext("opinion", "意见", required=False),
                longtext("other", "其他", required=False),
                date("on", "日期", required=False),
            ),
            citations=("dalian-cg§6",),
            checks=(requires("opinion", "other"),),
            signoffs=(SignoffBlock(("review",), opinion="opinion", signed_on="on"),),
        )

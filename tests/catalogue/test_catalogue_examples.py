"""Example fillings validate clean for every type and variant; summaries are one Chinese line."""

from __future__ import annotations

import re

import pytest

from liuhen.catalogue import (
    CATALOGUE,
    example_fields,
    example_variants,
    get_type,
    summary,
    validate_fields,
)
from liuhen.core.canonical import canonical_bytes

CASES = [(code, variant) for code in sorted(CATALOGUE) for variant in (example_variants(code) or (None,))]


@pytest.mark.parametrize(("code", "variant"), CASES)
def test_given_an_example_when_validated_then_clean_and_canonical(code, variant):
    """GIVEN the example filling of a type (each variant) WHEN validated THEN no errors, every
    filled field kept, and the clean values encode as canonical JSON."""
    doc_type = get_type(code)
    data = example_fields(code, variant=variant)
    clean, errors = validate_fields(doc_type, data)
    assert errors == []
    assert set(clean) == set(data)
    assert canonical_bytes(clean)


def test_given_variant_types_when_examples_listed_then_every_variant_has_one():
    """GIVEN the types with variants WHEN example variants listed THEN each variant value has an example."""
    for doc_type in CATALOGUE.values():
        if doc_type.variant_field:
            assert set(example_variants(doc_type.code)) == set(doc_type.variants)


def test_given_an_example_when_mutated_then_the_next_call_is_unaffected():
    """GIVEN an example dict WHEN the caller changes it THEN a fresh call returns the original."""
    first = example_fields("inquiry_record")
    first["officer_names"].append("某人")
    assert example_fields("inquiry_record")["officer_names"] == ["张伟", "李娜"]


def test_given_an_inquiry_when_summarised_then_the_timeline_line_reads_naturally():
    """GIVEN a clean inquiry record WHEN summarised THEN "询问(调查)笔录：被询问人 王某某，2026-03-02 09:30"."""
    doc_type = get_type("inquiry_record")
    clean, _ = validate_fields(doc_type, example_fields("inquiry_record"))
    assert summary(doc_type, clean) == "询问(调查)笔录：被询问人 王某某，2026-03-02 09:30"


def test_given_a_choice_in_the_summary_when_summarised_then_its_chinese_label_is_shown():
    """GIVEN a service receipt by mail WHEN summarised THEN the method reads 邮寄送达, not "mail"."""
    doc_type = get_type("service_receipt")
    clean, _ = validate_fields(doc_type, example_fields("service_receipt", variant="mail"))
    line = summary(doc_type, clean)
    assert "邮寄送达" in line and "mail" not in line


def test_given_an_empty_optional_field_when_summarised_then_its_part_is_left_out():
    """GIVEN a summary decision with a warning (no fine) WHEN summarised THEN no dangling "元" part."""
    doc_type = get_type("summary_decision")
    data = example_fields("summary_decision")
    data["penalty"] = "warning"
    del data["fine_amount"]
    clean, errors = validate_fields(doc_type, data)
    assert errors == []
    line = summary(doc_type, clean)
    assert "警告" in line and "元" not in line


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_given_any_example_when_summarised_then_one_chinese_line_starting_with_the_title(code):
    """GIVEN any type's clean example WHEN summarised THEN a single line: 标题：details (no raw ISO 'T')."""
    doc_type = get_type(code)
    clean, _ = validate_fields(doc_type, example_fields(code))
    line = summary(doc_type, clean)
    assert line.startswith(doc_type.title + "：")
    assert "\n" not in line
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", line)


def test_given_nothing_filled_when_summarised_then_the_title_alone():
    """GIVEN an empty clean dict WHEN summarised THEN just the title."""
    assert summary(get_type("hearing_record"), {}) == "听证笔录"

"""The scoring sheet is profile data: inherited by the five profiles, overridable by id, and a bad
item is a located error of ``liuhen rules validate``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.rules import load_profile
from liuhen.rules.codes import PROFILE_IDS
from liuhen.rules.profile import PROFILES_DIR

BAD = """
id = "bad-sheet"
extends = "{parent}"
name_zh = "测试"

[[review_items]]
id = "no-initiation-form"
category = "procedure"
kind = "deduction"
points = 1.5
text_zh = "无立案审批表"
basis = "某市扣分细则"

[[review_items]]
id = "mystery"
category = "astrology"
kind = "deduction"
points = 2
colour = "red"
text_zh = "某项"
basis = "无"
auto = "mind_reading"
"""


def test_every_profile_inherits_the_baseline_sheet_with_vetoes_and_categories():
    """GIVEN the five profiles THEN each has the baseline's 25–35 items: vetoes and deductions in all
    six categories, each with a basis, and the automatic items name known scorers."""
    for profile_id in PROFILE_IDS:
        items = load_profile(profile_id).review_items
        assert 25 <= len(items) <= 35
        assert {i.kind for i in items} == {"veto", "deduction"}
        assert {i.category for i in items} == {
            "subject",
            "facts_evidence",
            "law",
            "procedure",
            "documents",
            "file_management",
        }
        assert all(i.basis or i.citation for i in items)


def test_given_bad_items_when_validated_then_each_problem_is_located(tmp_path):
    """GIVEN a profile that overrides 无立案审批表 to 1.5 points and adds an item with an unknown key,
    category and scorer WHEN ``liuhen rules validate`` runs THEN it fails naming each at its place."""
    path = tmp_path / "bad-sheet.toml"
    path.write_text(BAD.format(parent=PROFILES_DIR / "dalian-cg.toml"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("rules", "validate", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "review_items[1].colour: unknown review item key" in lines
    assert any(line.startswith("review_items[1].category: category must be one of") for line in lines)
    assert "review_items[1].auto: unknown scorer 'mind_reading'" in lines
    assert not any(line.startswith("review_items[0]") for line in lines)  # the override is fine


def test_a_profile_overrides_an_items_points_by_listing_its_id(tmp_path):
    """GIVEN a profile listing no-initiation-form again with 1.5 points THEN its sheet has the item once,
    in place, with 1.5 points."""
    path = tmp_path / "dalian-cg.toml"
    own = (PROFILES_DIR / "dalian-cg.toml").read_text(encoding="utf-8")
    extra = BAD.split('id = "bad-sheet"')[1].split("name_zh")[1].split('[[review_items]]\nid = "mystery"')[0]
    path.write_text(own + "\n" + extra.split("\n", 1)[1], encoding="utf-8")
    items = load_profile(path).review_items
    same = [i for i in items if i.id == "no-initiation-form"]
    assert len(same) == 1 and same[0].points == 1.5
    assert len(items) == len(load_profile("dalian-cg").review_items)

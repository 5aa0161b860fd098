"""Shipped profiles validate, quote their regulation faithfully, render, and broken copies fail loudly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rules_factories import ALL_PROFILES
from rules_seeds import normalise, seed_text

from liuhen.rules import (
    ProfileInvalid,
    load_profile,
    render_profile,
    shipped_profile_ids,
    validate_profile_file,
)
from liuhen.rules.profile import PROFILES_DIR

NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    if text.startswith("十"):
        text = "一" + text
    if "十" in text:
        tens, _, units = text.partition("十")
        return NUMERALS[tens] * 10 + (NUMERALS[units] if units else 0)
    return NUMERALS[text]


def articles(profile_id: str) -> dict[int, str]:
    text = normalise(seed_text(profile_id) or "")
    parts = re.split(r"第([一二三四五六七八九十]+)条", text)
    found: dict[int, str] = {}
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        found.setdefault(chinese_number(number), body)
    return found


def test_every_shipped_profile_validates_with_zero_errors():
    """GIVEN the shipped profile files THEN each validates cleanly and all five are shipped."""
    assert shipped_profile_ids() == sorted(ALL_PROFILES)
    for path in sorted(PROFILES_DIR.glob("*.toml")):
        assert validate_profile_file(path) == [], path.name


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_every_quote_is_in_the_cited_article_of_the_profiles_own_regulation(profile_id):
    """GIVEN a loaded profile THEN each rule cites its own regulation and its quote occurs in that article."""
    if seed_text(profile_id) is None:
        pytest.skip("seeds not available")
    by_article = articles(profile_id)
    for rule in load_profile(profile_id).rules:
        assert rule.citation.startswith(f"{profile_id}§"), rule.id
        body = by_article[rule.article]
        assert normalise(rule.quote) in body, f"{rule.id}: {rule.quote!r} not in {rule.citation}"


def test_given_broken_profile_copy_then_located_errors(tmp_path: Path):
    """GIVEN a copy of dalian-cg with an unknown kind, a bad citation, an unknown document type and
    a non-integer hours parameter THEN each error names its location."""
    text = (PROFILES_DIR / "dalian-cg.toml").read_text(encoding="utf-8")
    text = text.replace('kind = "required_av"', 'kind = "required_video"', 1)
    text = text.replace('citation = "dalian-cg§13"', 'citation = "dalian 13"', 1)
    text = text.replace('document_type = ["hearing_record"]', 'document_type = ["hearing_minutes"]', 1)
    text += (
        '\n[[rules]]\nid = "x"\nkind = "deadline"\nseverity = "error"\ncitation = "dalian-cg§22"\n'
        'quote = "q"\ntitle_zh = "t"\ntitle_en = "t"\n'
        'params = { anchor = "case.opened_at", complete = "case.archived_at", hours = "24" }\n'
    )
    (tmp_path / "baseline.toml").write_text((PROFILES_DIR / "baseline.toml").read_text(encoding="utf-8"))
    broken = tmp_path / "dalian-cg.toml"
    broken.write_text(text, encoding="utf-8")
    errors = {(e.location, e.message) for e in validate_profile_file(broken)}
    locations = {location for location, _ in errors}
    assert "rules[0].kind" in locations
    assert "rules[3].citation" in locations
    assert "rules[2].applies_to.document_type" in locations
    assert "rules[6].params.hours" in locations
    with pytest.raises(ProfileInvalid):
        load_profile(broken)


def test_given_inherited_rule_not_recited_then_error_says_so(tmp_path: Path):
    """GIVEN a profile extending baseline without re-citing a rule THEN the error asks to re-cite or disable."""
    (tmp_path / "baseline.toml").write_text((PROFILES_DIR / "baseline.toml").read_text(encoding="utf-8"))
    child = tmp_path / "xinle-fg.toml"
    child.write_text('id = "xinle-fg"\nextends = "baseline"\ndisable = ["no-such-rule"]\n', encoding="utf-8")
    errors = validate_profile_file(child)
    assert any(e.location == "disable[0]" for e in errors)
    assert any("re-cite or disable" in e.message and e.location.endswith(".citation") for e in errors)


@pytest.mark.parametrize("profile_id", ALL_PROFILES)
def test_render_lists_every_rule_with_citation(profile_id):
    """GIVEN a profile THEN its rendering names every rule id and citation, in Chinese and English."""
    profile = load_profile(profile_id)
    text = render_profile(profile)
    assert profile.name_zh in text
    for rule in profile.rules:
        assert f"`{rule.id}`" in text and rule.citation in text

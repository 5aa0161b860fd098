"""The 音像记录事项清单 in the rule profiles: loaded with citations, refused loudly when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from liuhen.rules import ProfileInvalid, load_profile, shipped_profile_ids
from liuhen.rules.profile import PROFILES_DIR
from liuhen.rules.validate import validate_profile_file


def _profile_with(tmp_path: Path, checklist: str) -> Path:
    path = tmp_path / "longjiang-cg.toml"
    path.write_text(
        f'id = "longjiang-cg"\nextends = "{PROFILES_DIR / "baseline.toml"}"\n'
        f"disable = {list(_baseline_ids())!r}\n".replace("'", '"')
        + checklist,
        encoding="utf-8",
    )
    return path


def _baseline_ids() -> list[str]:
    import tomllib

    return [r["id"] for r in tomllib.loads((PROFILES_DIR / "baseline.toml").read_text("utf-8"))["rules"]]


def test_given_the_shipped_profiles_then_each_loads_with_a_checklist_cited_to_its_own_regulation():
    """GIVEN the five shipped profiles THEN each loads, has checklist items, and every item cites its own
    regulation."""
    for profile_id in shipped_profile_ids():
        profile = load_profile(profile_id)
        assert profile.av_checklist, profile_id
        assert all(item.citation.startswith(f"{profile_id}§") for item in profile.av_checklist)


@pytest.mark.parametrize(
    ("checklist", "location", "message"),
    [
        (
            '[[av_checklist]]\nactivity = "karaoke"\nitems = [{ text_zh = "x", citation = "longjiang-cg§10" }]\n',
            "av_checklist[0].activity",
            "unknown A/V activity",
        ),
        (
            '[[av_checklist]]\nactivity = "inquiry"\nitems = [{ text_zh = "x", citation = "longjiang-cg 10" }]\n',
            "av_checklist[0].items[0].citation",
            "not in the form",
        ),
        (
            '[[av_checklist]]\nactivity = "inquiry"\nitems = [{ text_zh = "x", citation = "dalian-cg§10" }]\n',
            "av_checklist[0].items[0].citation",
            "not to longjiang-cg",
        ),
        (
            '[[av_checklist]]\nactivity = "inquiry"\nitems = [{ text_zh = " ", citation = "longjiang-cg§10" }]\n',
            "av_checklist[0].items[0].text_zh",
            "non-empty",
        ),
        ('[[av_checklist]]\nactivity = "inquiry"\nitems = []\n', "av_checklist[0].items", "non-empty list"),
        (
            '[[av_checklist]]\nactivity = "inquiry"\nitems = [{ text = "x", citation = "longjiang-cg§10" }]\n',
            "av_checklist[0].items[0].text",
            "unknown checklist item key",
        ),
    ],
)
def test_given_a_bad_checklist_when_loading_then_the_loader_refuses_it_at_its_location(
    tmp_path, checklist, location, message
):
    """GIVEN a profile whose checklist names an unknown activity, a malformed or foreign citation, an empty
    text or no items WHEN it is loaded THEN ProfileInvalid names the place and the problem."""
    path = _profile_with(tmp_path, checklist)
    with pytest.raises(ProfileInvalid) as raised:
        load_profile(path)
    found = [e for e in raised.value.errors if e.location == location]
    assert found and message in found[0].message, raised.value.errors


def test_given_a_good_checklist_in_a_file_then_it_validates(tmp_path):
    """GIVEN the same file with a well-formed checklist THEN it is valid (the refusals above are not the
    harness failing)."""
    path = _profile_with(
        tmp_path,
        '[[av_checklist]]\nactivity = "inquiry"\nitems = [{ text_zh = "x", citation = "longjiang-cg§10" }]\n',
    )
    assert validate_profile_file(path) == []
    assert [i.activity for i in load_profile(path).av_checklist] == ["inquiry"]

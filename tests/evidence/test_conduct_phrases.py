"""The 执法行为用语指引 (xinle-fg§20): profile data beside the 音像记录事项清单, validated by the loader,
read per activity, served at ``GET /api/conduct-phrases`` (issue 11, A/V at work)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from liuhen.evidence.checklist import conduct_guide, conduct_phrases
from liuhen.rules import ProfileInvalid, load_profile, shipped_profile_ids
from liuhen.rules.profile import PROFILES_DIR
from liuhen.rules.validate import validate_profile_file
from tests.factories import make_agency


def _profile_with(tmp_path: Path, block: str) -> Path:
    baseline = tomllib.loads((PROFILES_DIR / "baseline.toml").read_text("utf-8"))["rules"]
    path = tmp_path / "xinle-fg.toml"
    disabled = ", ".join(f'"{r["id"]}"' for r in baseline)
    path.write_text(
        f'id = "xinle-fg"\nextends = "{PROFILES_DIR / "baseline.toml"}"\ndisable = [{disabled}]\n' + block,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("block", "location", "message"),
    [
        (
            '[[conduct_phrases]]\nactivity = "karaoke"\nitems = [{ text_zh = "x", citation = "xinle-fg§25" }]\n',
            "conduct_phrases[0].activity",
            "unknown A/V activity",
        ),
        (
            '[[conduct_phrases]]\nactivity = "inquiry"\nitems = [{ text_zh = "x" }]\n',
            "conduct_phrases[0].items[0].citation",
            "citation is required",
        ),
        ('conduct_phrases = "告知"\n', "conduct_phrases", "array of tables"),
    ],
)
def test_given_a_bad_guide_when_loading_then_the_loader_refuses_it_at_its_location(
    tmp_path, block, location, message
):
    """GIVEN a guide naming an unknown activity, a line without its citation, or not a table array WHEN
    loaded THEN ProfileInvalid names the place and the problem."""
    with pytest.raises(ProfileInvalid) as raised:
        load_profile(_profile_with(tmp_path, block))
    found = [e for e in raised.value.errors if e.location == location]
    assert found and message in found[0].message, raised.value.errors


def test_given_a_good_guide_in_a_file_then_it_validates(tmp_path):
    """GIVEN the same file with a well-formed guide THEN it is valid and loads its line."""
    path = _profile_with(
        tmp_path,
        '[[conduct_phrases]]\nactivity = "inquiry"\nitems = [{ text_zh = "x", citation = "xinle-fg§25" }]\n',
    )
    assert validate_profile_file(path) == []
    assert [i.activity for i in load_profile(path).conduct_phrases] == ["inquiry"]


def test_given_the_shipped_profiles_then_only_xinle_has_a_guide_each_line_cited_to_its_own_articles():
    """GIVEN the shipped profiles THEN xinle-fg (whose §20 asks for the guide) has one, cited to its own
    §8 (showing the certificate, telling the rights) and §25 (telling that a recorder runs); the others
    have none."""
    for profile_id in shipped_profile_ids():
        phrases = load_profile(profile_id).conduct_phrases
        if profile_id != "xinle-fg":
            assert phrases == (), profile_id
            continue
        assert {p.citation for p in phrases} == {"xinle-fg§8", "xinle-fg§25"}
        inquiry = [p.text_zh for p in phrases if p.activity == "inquiry"]
        assert any("出示执法证件" in t for t in inquiry)
        assert any("音像记录设备" in t for t in inquiry)
        assert any("陈述和申辩" in t for t in inquiry)


@pytest.mark.django_db
def test_given_agencies_then_the_selector_and_the_api_serve_the_guide_only_where_the_profile_has_one(client):
    """GIVEN a xinle-fg agency and a longjiang-cg one WHEN the guide is read THEN xinle's inquiry lines come
    with Chinese citations (selector and API), longjiang's is empty; an unknown activity is 422."""
    from liuhen.accounts.services import token_issue
    from tests.factories import make_user

    xinle, longjiang = make_agency(profile_id="xinle-fg"), make_agency(profile_id="longjiang-cg")
    assert conduct_guide(longjiang) == [] and conduct_phrases(longjiang, "inquiry") == []
    guide = conduct_guide(xinle)
    assert guide[0].activity == "inspection"
    assert all("§" not in cite and cite.endswith("条") for cl in guide for _, cite in cl.items)

    headers = {"Authorization": f"Bearer {token_issue(user=make_user(xinle))}"}
    served = client.get("/api/conduct-phrases", {"activity": "inquiry"}, headers=headers)
    assert served.status_code == 200
    assert [i["citation"] for i in served.json()] == ["xinle-fg§8", "xinle-fg§25", "xinle-fg§8"]
    assert served.json()[1]["citation_zh"].endswith("第25条")
    assert client.get("/api/conduct-phrases", {"activity": "x"}, headers=headers).status_code == 422
    other = {"Authorization": f"Bearer {token_issue(user=make_user(longjiang))}"}
    assert client.get("/api/conduct-phrases", {"activity": "inquiry"}, headers=other).json() == []

"""Judges: the checklist's pre-filled verdicts follow the stored findings and the records, with evidence."""

from __future__ import annotations

import pytest

from liuhen.compliance.models import StoredFinding
from liuhen.compliance.profiles import agency_profile
from liuhen.rules.profile import load_profile
from liuhen.rules.spot_checklist import AUTO_JUDGES
from liuhen.spotchecks.judges import JUDGES, CaseFacts, suggest
from tests.factories import make_document
from tests.grants.granting import recorded
from tests.spotchecks.world import checked_agency

PROFILES = ["dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg"]


def test_the_registered_judges_are_the_implemented_ones():
    """GIVEN the rule module's AUTO_JUDGES and the judges module WHEN compared THEN the same codes."""
    assert set(AUTO_JUDGES) == set(JUDGES)


@pytest.mark.parametrize("profile_id", PROFILES)
def test_every_profile_has_a_checklist_of_8_to_12_items_with_their_basis(profile_id):
    """GIVEN each concrete profile WHEN loaded THEN 8–12 spot-check items, each with a citation or basis,
    and every findings judge names the rules it reads."""
    items = load_profile(profile_id).spot_check_items
    assert 8 <= len(items) <= 12
    assert all(i.basis_zh for i in items)
    assert all(i.rules for i in items if i.auto == "findings")
    assert {i.scope for i in items} <= {"av", "text", "both"}


def _items(agency) -> dict:
    return {i.id: i for i in agency_profile(agency).spot_check_items}


@pytest.mark.django_db
def test_missing_av_fails_with_the_finding_as_evidence():
    """GIVEN a 龙江 case with an inspection record and no footage WHEN judged THEN 'A/V where mandatory'
    is 不合格 and the evidence names the missing finding of that case."""
    world = checked_agency(1)
    case = world.cases[0]
    make_document(case, world.handler, "inspection_record")
    items = _items(world.agency)
    got = suggest(items["av-where-mandatory"], CaseFacts.load(case))
    missing = StoredFinding.objects.get(case=case, rule_id="whole-operation-bodycam")
    assert missing.status == "missing"
    assert got is not None and got.verdict == "fail"
    assert {e["finding_id"] for e in got.evidence} == {missing.pk}
    assert (
        "查处违法行为应佩戴执法记录仪全程录音录像" in got.evidence[0]["text"]
        and got.evidence[0]["case_id"] == case.pk
    )


@pytest.mark.django_db
def test_satisfied_rules_pass_and_no_rule_is_not_applicable():
    """GIVEN a fresh 龙江 case WHEN judged THEN 'no unrelated recording' passes on its satisfied
    finding, archiving is 不适用 before the enforcement ends, an item without a judge has none, and
    documents still pending leave the verdict to the checker."""
    world = checked_agency(1)
    case = world.cases[0]
    facts = CaseFacts.load(case)
    items = _items(world.agency)
    unrelated = suggest(items["no-unrelated-recording"], facts)
    assert unrelated is not None and unrelated.verdict == "pass"
    assert (
        unrelated.evidence[0]["finding_id"]
        == StoredFinding.objects.get(case=case, rule_id="no-unrelated-recording").pk
    )
    archived = suggest(items["archived-in-time"], facts)
    assert archived is not None and archived.verdict == "na" and "尚未终结" in archived.evidence[0]["text"]
    assert suggest(items["signatures-complete"], facts) is None
    documents = suggest(items["text-recorded"], facts)
    assert documents is not None and documents.verdict == ""
    interruptions = suggest(items["av-interruptions-explained"], facts)
    assert interruptions is not None and interruptions.verdict == "na"


@pytest.mark.django_db
def test_footage_without_a_text_record_fails_the_link_item(tmp_path):
    """GIVEN a case whose footage is tied to no text record WHEN judged THEN 'linked to its text record'
    is 不合格 naming the footage; with no footage at all it is 不适用."""
    world = checked_agency(2)
    case, bare = world.cases
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    media = recorded(case, world.handler, path, "video", "video/mp4", title="现场检查录像")
    item = _items(world.agency)["av-linked-to-text"]
    got = suggest(item, CaseFacts.load(case))
    assert got is not None and got.verdict == "fail"
    assert got.evidence[0]["media_id"] == media.pk and "现场检查录像" in got.evidence[0]["text"]
    none = suggest(item, CaseFacts.load(bare))
    assert none is not None and none.verdict == "na"
    other = tmp_path / "secret.mp4"
    other.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(255, -1, -1)) * 8)
    secret = recorded(
        case, world.handler, other, "video", "video/mp4", title="涉密录像标题", confidential=True
    )
    texts = [e["text"] for e in suggest(item, CaseFacts.load(case)).evidence]
    assert f"第{secret.pk}号音像记录（涉密）未关联文字记录" in texts and not any(
        "涉密录像标题" in t for t in texts
    )

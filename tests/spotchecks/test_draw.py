"""The draw of a spot check: pure, recomputable from the log, refused when empty or repeated."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest

from liuhen.core.errors import Conflict, ValidationFailed
from liuhen.ledger.models import LedgerCheckpoint, LedgerEntry
from liuhen.spotchecks import draw
from liuhen.spotchecks.models import SpotCheckSample
from liuhen.spotchecks.services import announcement_entry, draw_entry, spot_check_draw
from tests.spotchecks.world import announced, checked_agency


def test_sample_is_the_k_lowest_ranks_by_the_standard_library_alone():
    """GIVEN a seed and keys WHEN sampled THEN the k keys of lowest SHA-256(seed‖key), lowest first."""
    seed = hashlib.sha256(b"root" + "抽查〔2026〕1号".encode()).digest()
    keys = [f"龙城罚〔2026〕{i}号" for i in range(1, 40)]
    expected = sorted(keys, key=lambda k: hashlib.sha256(seed + k.encode()).digest())[:5]
    assert draw.sample(seed, keys, 5) == expected
    assert draw.sample(seed, list(reversed(keys)), 5) == expected  # order of the input does not matter
    assert draw.sample(seed, keys, 100) == sorted(
        keys, key=lambda k: hashlib.sha256(seed + k.encode()).digest()
    )
    assert draw.sample(hashlib.sha256(b"other").digest(), keys, 5) != expected


def test_population_digest_is_over_sorted_keys():
    """GIVEN keys in any order WHEN digested THEN SHA-256 of the sorted keys one per line."""
    assert draw.population_digest(["b", "a"]) == hashlib.sha256(b"a\nb").hexdigest()


@pytest.mark.django_db
def test_draw_uses_a_checkpoint_after_the_announcement_and_logs_what_recomputes_it():
    """GIVEN an announced check WHEN drawn THEN the seed comes from a checkpoint covering the
    announcement, and the entry's figures recompute the stored sample."""
    world = checked_agency(6)
    check = announced(world.legal, sample_size=3)
    announced_at = announcement_entry(check).index
    drawn = spot_check_draw(check=check, by=world.legal)
    assert drawn.checkpoint_size > announced_at
    details = json.loads(bytes(draw_entry(check).body))["details"]
    checkpoint = LedgerCheckpoint.objects.get(pk=drawn.checkpoint_id)
    assert details["checkpoint_root"] == bytes(checkpoint.root_hash).hex()
    seed = draw.seed_of(bytes(checkpoint.root_hash), check.number)
    keys = sorted(c.case_no for c in world.cases)
    assert details["population_count"] == 6
    assert details["population_sha256"] == draw.population_digest(keys)
    assert details["sample"] == draw.sample(seed, keys, 3)
    stored = list(
        SpotCheckSample.objects.filter(check_ref=check).order_by("position").values_list("key", flat=True)
    )
    assert stored == details["sample"]
    assert LedgerEntry.objects.filter(action="spot_check.sampled", object_id=check.pk).count() == 3


@pytest.mark.django_db
def test_draw_twice_is_a_conflict():
    """GIVEN a drawn check WHEN drawn again THEN 409 and nothing changes."""
    world = checked_agency(3)
    check = announced(world.legal, sample_size=2)
    spot_check_draw(check=check, by=world.legal)
    with pytest.raises(Conflict):
        spot_check_draw(check=check, by=world.legal)
    assert SpotCheckSample.objects.filter(check_ref=check).count() == 2


@pytest.mark.django_db
def test_empty_population_is_a_422_naming_the_scope():
    """GIVEN a check whose period holds no case WHEN drawn THEN 422 at population, naming the scope."""
    world = checked_agency(2)
    today = world.cases[0].opened_at.date()
    check = announced(
        world.legal, period_from=today - timedelta(days=400), period_to=today - timedelta(days=300)
    )
    with pytest.raises(ValidationFailed) as caught:
        spot_check_draw(check=check, by=world.legal)
    error = caught.value.errors[0]
    assert error.field == "population"
    assert "抽查范围内没有案件" in error.message and world.agency.name in error.message

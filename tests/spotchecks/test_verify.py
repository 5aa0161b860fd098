"""The draw recomputed from the log, and rows changed behind the services' back."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from liuhen.spotchecks.models import SpotCheckSample
from liuhen.spotchecks.services import spot_check_draw
from tests.ledger.test_verify_rows import drop_all_triggers, verify_command
from tests.spotchecks.world import announced, checked_agency

pytestmark = pytest.mark.django_db


def _verify_draw(number: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("spotcheck", "verify-draw", number, stdout=out)
        return 0, out.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()


def _drawn():
    world = checked_agency(6)
    check = announced(world.legal, sample_size=3)
    spot_check_draw(check=check, by=world.legal)
    return world, check


def test_the_draw_recomputed_from_the_log_matches():
    """GIVEN a drawn check WHEN verify-draw recomputes it THEN match, listing the same sample."""
    world, check = _drawn()
    code, out = _verify_draw(check.number)
    stored = list(
        SpotCheckSample.objects.filter(check_ref=check).order_by("position").values_list("key", flat=True)
    )
    assert code == 0 and out.startswith(f"match: {check.number}: ")
    assert out.strip().endswith(", ".join(stored))
    code, lines = verify_command()
    assert not [line for line in lines if "spot_check" in line], lines


def test_a_tampered_stored_sample_is_detected_by_verify_draw_and_by_verify():
    """GIVEN a drawn check WHEN someone with the database swaps a sampled case for another THEN
    verify-draw says mismatch (exit 1) and liuhen verify names the changed row."""
    world, check = _drawn()
    sample = SpotCheckSample.objects.filter(check_ref=check).order_by("position").first()
    chosen = set(SpotCheckSample.objects.filter(check_ref=check).values_list("case_id", flat=True))
    other = next(c for c in world.cases if c.pk not in chosen)
    drop_all_triggers("spotchecks_spotchecksample")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE spotchecks_spotchecksample SET case_id = %s, key = %s WHERE id = %s",
            [other.pk, other.case_no, sample.pk],
        )
    code, out = _verify_draw(check.number)
    assert code == 1 and "mismatch" in out and "stored sample differs" in out
    code, lines = verify_command()
    assert code == 1
    assert any(line.startswith(f"modified: spot_check_sample {sample.pk}:") for line in lines)


def test_a_population_changed_after_the_draw_is_reported():
    """GIVEN a drawn check WHEN a case of its scope is added afterwards THEN verify-draw reports that
    the population changed (the draw cannot be recomputed from today's cases)."""
    world, check = _drawn()
    from tests.factories import make_case

    make_case(world.handler)
    code, out = _verify_draw(check.number)
    assert code == 1 and "population changed" in out

"""The draw recomputed from the log, and rows changed behind the services' back."""

from __future__ import annotations

import io
import json

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


def test_a_case_joining_the_scope_after_the_draw_is_noted_and_the_draw_still_recomputes():
    """GIVEN a drawn check WHEN a case of its scope is added afterwards THEN verify-draw still recomputes
    the draw from the population stored with it (match) and notes the case that joined."""
    world, check = _drawn()
    from tests.factories import make_case

    late = make_case(world.handler)
    code, out = _verify_draw(check.number)
    assert code == 0 and "match" in out and "mismatch" not in out
    assert "joined the scope after the draw" in out and late.case_no in out


def test_a_stored_population_edited_behind_the_services_is_a_mismatch():
    """GIVEN a drawn check WHEN its stored population is rewritten in the database (a case dropped)
    THEN verify-draw reports that it is not the population logged at the draw, and liuhen verify names
    the draw row."""
    from liuhen.spotchecks.models import SpotCheckDraw

    world, check = _drawn()
    drawn = SpotCheckDraw.objects.get(check_ref=check)
    drop_all_triggers("spotchecks_spotcheckdraw")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE spotchecks_spotcheckdraw SET population = %s WHERE id = %s",
            [json.dumps(drawn.population[1:]), drawn.pk],
        )
    code, out = _verify_draw(check.number)
    assert code == 1 and "not the one logged at the draw" in out
    code, lines = verify_command()
    assert code == 1
    assert any(line.startswith(f"modified: spot_check_draw {drawn.pk}:") for line in lines)


def test_a_receiver_recomputes_the_sample_with_the_standard_library(client):
    """GIVEN a drawn check WHEN a receiver takes the signed checkpoint's root from the log, the check's
    number and the population served by the API, and ranks the keys with hashlib alone THEN they get the
    stored sample, and the population's digest is the one in the draw's ledger entry."""
    import hashlib

    from liuhen.ledger.models import LedgerCheckpoint
    from liuhen.spotchecks.services import draw_entry

    world, check = _drawn()
    client.force_login(world.legal)
    got = client.get(f"/api/spot-checks/{check.pk}/population.txt")
    assert got.status_code == 200 and got["Content-Type"].startswith("text/plain")
    keys = got.content.decode("utf-8").splitlines()
    assert sorted(keys) == sorted(c.case_no for c in world.cases)
    logged = json.loads(bytes(draw_entry(check).body))["details"]
    note = LedgerCheckpoint.objects.get(size=logged["checkpoint_size"]).note
    root = bytes(LedgerCheckpoint.objects.get(size=logged["checkpoint_size"]).root_hash)
    assert root.hex() == logged["checkpoint_root"] and note  # the note is what the log's witnesses cosign
    seed = hashlib.sha256(root + check.number.encode()).digest()
    ranked = sorted(keys, key=lambda k: hashlib.sha256(seed + k.encode()).digest())
    stored = list(
        SpotCheckSample.objects.filter(check_ref=check).order_by("position").values_list("key", flat=True)
    )
    assert ranked[: check.sample_size] == stored == logged["sample"]
    assert hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest() == logged["population_sha256"]


def test_the_population_of_a_check_not_yet_drawn_is_not_found(client):
    """GIVEN an announced check WHEN its population is asked for before the draw THEN 404 in the one shape."""
    world = checked_agency(2)
    check = announced(world.legal)
    client.force_login(world.legal)
    got = client.get(f"/api/spot-checks/{check.pk}/population.txt")
    assert got.status_code == 404 and got.json()["error"] == "not_found"

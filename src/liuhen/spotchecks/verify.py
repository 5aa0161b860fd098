"""Recompute a check's draw from the log alone and compare it with what is stored.

From the draw's ledger entry (``spot_check.drawn``): the checkpoint's size and root, the seed, the
population's count and digest, the chosen keys. From the log's signed checkpoint note of that size:
the root (its signature checked with the log's keys). From the database: the check's number, the
population stored with the draw (whose digest must be the logged one), and the stored sample. Every
disagreement is one problem; cases that joined the check's scope after the draw (a case whose
enforcement ended later, say) are noted, not counted against it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings

from liuhen.ledger import keys
from liuhen.ledger.models import LedgerCheckpoint
from liuhen.spotchecks import draw
from liuhen.spotchecks.models import SpotCheck, SpotCheckDraw, SpotCheckSample
from liuhen.spotchecks.services import announcement_entry, draw_entry, population_keys
from liuhen.tlog.checkpoint import open_checkpoint


@dataclass
class DrawCheck:
    number: str
    sample: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_draw(check: SpotCheck) -> DrawCheck:
    out = DrawCheck(check.number)
    entry = draw_entry(check)
    if entry is None:
        out.problems.append("no draw entry in the log: the check has not been drawn")
        return out
    logged = json.loads(bytes(entry.body))["details"]
    announced = announcement_entry(check).index
    size, root_hex = int(logged["checkpoint_size"]), str(logged["checkpoint_root"])
    if size <= announced:
        out.problems.append(f"checkpoint size {size} does not cover the announcement (entry {announced})")
    note = LedgerCheckpoint.objects.filter(size=size).order_by("id").values_list("note", flat=True).first()
    if note is None:
        out.problems.append(f"no signed checkpoint of size {size} in the log")
    else:
        try:
            signed, _ = open_checkpoint(note, keys.verifiers(), origin=settings.LIUHEN_LOG_ORIGIN)
        except ValueError as exc:
            out.problems.append(f"checkpoint of size {size} does not verify: {exc}")
        else:
            if signed.root_hash.hex() != root_hex:
                out.problems.append("the entry's checkpoint root differs from the signed checkpoint's")
    seed = draw.seed_of(bytes.fromhex(root_hex), check.number)
    if seed.hex() != logged["seed"]:
        out.problems.append("the logged seed is not SHA-256(root ‖ number)")
    stored_draw = SpotCheckDraw.objects.filter(check_ref=check).first()
    population = list(stored_draw.population) if stored_draw is not None else []
    if (
        len(population) != logged["population_count"]
        or draw.population_digest(population) != logged["population_sha256"]
    ):
        out.problems.append(
            f"the stored population ({len(population)} cases) is not the one logged at the draw "
            f"({logged['population_count']} cases; digest differs)"
        )
    now = {key for key, _ in population_keys(check)}
    joined, left = sorted(now - set(population)), sorted(set(population) - now)
    if joined:
        out.notes.append(f"{len(joined)} case(s) joined the scope after the draw: {', '.join(joined[:10])}")
    if left:
        out.problems.append(
            f"{len(left)} case(s) of the drawn population are no longer in scope: {', '.join(left[:10])}"
        )
    out.sample = draw.sample(seed, population, check.sample_size)
    if out.sample != logged["sample"]:
        out.problems.append("the recomputed sample differs from the sample logged at the draw")
    stored = list(
        SpotCheckSample.objects.filter(check_ref=check)
        .order_by("position")
        .values_list("key", "case__case_no")
    )
    if [key for key, _ in stored] != logged["sample"] or any(key != case_no for key, case_no in stored):
        out.problems.append("the stored sample differs from the sample logged at the draw")
    return out

"""The compliance engine: pure functions over a :class:`CaseSnapshot` and a :class:`Profile`."""

from __future__ import annotations

from datetime import datetime

from liuhen.rules.codes import STAGE_INDEX
from liuhen.rules.compile import CompiledProfile, compile_profile
from liuhen.rules.context import CaseIndex
from liuhen.rules.deadlines import to_local
from liuhen.rules.findings import Finding
from liuhen.rules.profile import Profile
from liuhen.rules.snapshot import CaseSnapshot


def _compiled(profile: Profile) -> CompiledProfile:
    if profile.compiled is None:
        object.__setattr__(profile, "compiled", compile_profile(profile))
    return profile.compiled


def _run(ctx: CaseIndex, compiled: CompiledProfile, now: datetime) -> list[Finding]:
    findings: list[Finding] = []
    append = findings.append
    for crule in compiled.rules:
        if not crule.applies(ctx):
            continue
        evaluate = crule.evaluate
        for instance in crule.select(ctx):
            finding = evaluate(crule, ctx, instance, now)
            if finding is not None:
                append(finding)
    return findings


def evaluate(snapshot: CaseSnapshot, profile: Profile, *, now: datetime) -> list[Finding]:
    """Every applicable rule's finding for ``snapshot`` as of ``now`` (an aware datetime)."""
    to_local(now)  # refuses a naive clock early
    ctx = CaseIndex(snapshot, profile_params=profile.params)
    return _run(ctx, _compiled(profile), now)


def gate(snapshot: CaseSnapshot, profile: Profile, *, to_stage: str, now: datetime) -> list[Finding]:
    """The unmet ``error`` findings that block moving ``snapshot`` to ``to_stage``.

    A rule guards the stage named in its ``guards``: it must be met before the case enters any later
    stage. The rules are evaluated as if the case were already at ``to_stage``; findings that are
    ``violated`` (done late, or a detected prohibited act) are reported by :func:`evaluate` but do not
    block, since no later action can cure them.
    """
    to_local(now)
    target = STAGE_INDEX[to_stage]
    ctx = CaseIndex(snapshot, stage=to_stage, profile_params=profile.params)
    return [
        finding
        for finding in _run(ctx, _compiled(profile), now)
        if finding.severity == "error"
        and finding.unmet
        and finding.guards is not None
        and STAGE_INDEX[finding.guards] < target
    ]


def summarise(findings: list[Finding]) -> dict[str, int]:
    """Counts by status, for dashboards and the CLI."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.status] = counts.get(finding.status, 0) + 1
    return counts

"""Computing, storing and enforcing compliance: the case services call :func:`compliance_refresh` at
the end of every write and :func:`compliance_gate` before a stage move; the scheduler calls
:func:`compliance_refresh_all` so that deadlines that pass with no write are caught too."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from liuhen.accounts.models import Agency
from liuhen.cases.models import Case
from liuhen.compliance.models import CaseCompliance, ComplianceDaily, StoredFinding
from liuhen.compliance.profiles import agency_profile
from liuhen.compliance.snapshot import case_snapshot
from liuhen.core import clock
from liuhen.core.errors import Conflict
from liuhen.rules import Finding, Profile, evaluate, gate
from liuhen.rules.codes import STATUSES
from liuhen.stats.counters import stats_case_refresh  # statistics follow every refresh (#14)

logger = logging.getLogger(__name__)


def compliance_gate(*, case: Case, to_stage: str, now: datetime | None = None) -> list[Finding]:
    """The unmet mandatory findings that block moving ``case`` to ``to_stage`` (none without a profile)."""
    profile = agency_profile(case.agency)
    if profile is None:
        return []
    return gate(case_snapshot(case), profile, to_stage=to_stage, now=now or clock.now())


def compliance_evaluate(*, case: Case, now: datetime | None = None) -> tuple[Profile, list[Finding]] | None:
    profile = agency_profile(case.agency)
    if profile is None:
        return None
    return profile, evaluate(case_snapshot(case), profile, now=now or clock.now())


@transaction.atomic
def compliance_refresh(*, case: Case, now: datetime | None = None) -> CaseCompliance | None:
    """Recompute ``case``'s findings and replace the stored ones; ``None`` where the agency has no
    profile (any stored results are then removed)."""
    now = now or clock.now()
    try:
        profile = agency_profile(case.agency)
    except Conflict:
        logger.warning("compliance not computed for case %s: agency profile unusable", case.pk)
        profile = None
    if profile is None:
        StoredFinding.objects.filter(case_id=case.pk).delete()
        CaseCompliance.objects.filter(case_id=case.pk).delete()
        stats_case_refresh(case=case)  # statistics counters follow the case in this transaction (#14)
        return None
    snapshot = case_snapshot(case)
    findings = evaluate(snapshot, profile, now=now)
    media = {m.id: (m.device_no, list(m.officers)) for m in snapshot.media}
    _replace_findings(case, [_stored(case, profile, f, media) for f in findings])
    counts = Counter(f.status for f in findings)
    due = [f.due_at for f in findings if f.due_at is not None and f.status == "pending"]
    values = {
        "agency_id": case.agency_id,
        "profile_id": profile.id,
        "computed_at": now,
        **{status: counts.get(status, 0) for status in STATUSES},
        "next_due_at": min(due) if due else None,
    }
    if not CaseCompliance.objects.filter(case_id=case.pk).update(**values):
        CaseCompliance.objects.create(case_id=case.pk, **values)
    stats_case_refresh(case=case, snapshot=snapshot, profile=profile)  # statistics counters (#14)
    return CaseCompliance(case_id=case.pk, **values)


_KEY_FIELDS = (
    "rule_id",
    "rule_kind",
    "title",
    "severity",
    "status",
    "citation",
    "quote",
    "message",
    "record_ids",
    "due_at",
    "guards",
    "av_upload",
    "device_no",
    "officers",
)


def _key(values: dict) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in (values[f] for f in _KEY_FIELDS))


def _replace_findings(case: Case, rows: list[dict]) -> None:
    """Make the stored findings equal ``rows``, touching only those that changed (a change to a
    case usually changes a handful of its findings)."""
    stale: dict[tuple, list[int]] = {}
    for values in StoredFinding.objects.filter(case_id=case.pk).values("id", *_KEY_FIELDS):
        stale.setdefault(_key(values), []).append(values["id"])
    fresh = []
    for row in rows:
        ids = stale.get(_key(row))
        if ids:
            ids.pop()
        else:
            fresh.append(StoredFinding(case_id=case.pk, agency_id=case.agency_id, **row))
    gone = [pk for ids in stale.values() for pk in ids]
    if gone:
        StoredFinding.objects.filter(pk__in=gone).delete()
    if fresh:
        StoredFinding.objects.bulk_create(fresh)


def _stored(case: Case, profile: Profile, finding: Finding, media: dict) -> dict:
    rule = profile.rule(finding.rule_id)
    device_no, officers = media.get(finding.record_ids[0] if finding.record_ids else "", ("", []))
    return {
        "rule_id": finding.rule_id,
        "rule_kind": rule.kind,
        "title": rule.title_zh,
        "severity": finding.severity,
        "status": finding.status,
        "citation": finding.citation,
        "quote": finding.quote,
        "message": finding.message_zh,
        "record_ids": list(finding.record_ids),
        "due_at": finding.due_at,
        "guards": finding.guards or "",
        "av_upload": rule.kind == "deadline" and rule.params.get("complete") == "media.uploaded_at",
        "device_no": device_no,
        "officers": officers,
    }


def compliance_refresh_all(*, agency: Agency | None = None, now: datetime | None = None) -> int:
    """Recompute every case (of ``agency``, or of all agencies with a profile) and write today's
    per-agency totals for the trend. Returns the number of cases refreshed."""
    now = now or clock.now()
    agencies = Agency.objects.exclude(profile_id="")
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
    total = 0
    for each in agencies:
        for case in Case.objects.filter(agency=each).select_related("agency").iterator():
            compliance_refresh(case=case, now=now)
            total += 1
        compliance_daily_record(agency=each, now=now)
    return total


def compliance_refresh_due(*, now: datetime | None = None) -> int:
    """Recompute only the cases whose next deadline has passed, or that were never computed."""
    now = now or clock.now()
    stale = Case.objects.exclude(agency__profile_id="").filter(
        Q(compliance__isnull=True) | Q(compliance__next_due_at__lte=now)
    )
    total = 0
    for case in stale.select_related("agency").iterator():
        compliance_refresh(case=case, now=now)
        total += 1
    return total


def compliance_daily_record(*, agency: Agency, now: datetime) -> ComplianceDaily:
    """Write (or rewrite) ``agency``'s totals for today (Asia/Shanghai)."""
    rows = CaseCompliance.objects.filter(agency=agency)
    counts = {status: 0 for status in STATUSES}
    cases = with_problems = 0
    for row in rows.values(*STATUSES):
        cases += 1
        with_problems += (row["missing"] + row["overdue"] + row["violated"]) > 0
        for status in STATUSES:
            counts[status] += row[status]
    daily, _ = ComplianceDaily.objects.update_or_create(
        agency=agency,
        day=now.astimezone(clock.SHANGHAI).date(),
        defaults={"cases": cases, "cases_with_problems": with_problems, "computed_at": now, **counts},
    )
    return daily

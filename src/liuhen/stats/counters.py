"""Keeping the counters current: :func:`stats_case_refresh` (called by the compliance refresh at the end
of every case write, in its transaction) replaces one case's tags and moves the counters by the
difference; :func:`rebuild_all` recomputes every tag and counter from the records (``liuhen stats
rebuild``; the scale bench calls it after loading cases by SQL)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.db import connection, transaction

from liuhen.cases.models import Case, Document, StageTransition
from liuhen.compliance.models import StoredFinding
from liuhen.compliance.profiles import agency_profile
from liuhen.compliance.snapshot import case_snapshot, media_ref
from liuhen.core.errors import Conflict
from liuhen.evidence.models import Interruption, MediaAssignment, MediaRecord
from liuhen.rules import Profile
from liuhen.rules.snapshot import CaseSnapshot
from liuhen.stats import figures
from liuhen.stats.figures import FindingRow, Mark, Tags
from liuhen.stats.models import CaseTag, Counter

_TAG = CaseTag._meta.db_table
_COUNTER = Counter._meta.db_table


def archive_rule_ids(profile: Profile | None) -> frozenset[str]:
    """The profile's archive deadline rules (complete = the case archived)."""
    if profile is None:
        return frozenset()
    return frozenset(
        r.id for r in profile.rules if r.kind == "deadline" and r.params.get("complete") == "case.archived_at"
    )


def _profile(case: Case) -> Profile | None:
    try:
        return agency_profile(case.agency)
    except Conflict:
        return None


def compute_tags(case: Case, snapshot: CaseSnapshot | None = None, profile: Profile | None = None) -> Tags:
    """Every tag of ``case`` from its records as they stand now."""
    case = Case.objects.select_related("handler").get(pk=case.pk)
    tags = figures.case_tags(
        opened_at=case.opened_at,
        stage=case.stage,
        procedure=case.procedure,
        initiation_kind=case.initiation_kind,
        cause=case.cause,
        confidential=case.confidential,
    )
    tags.update(_record_tags(case, snapshot or case_snapshot(case), profile or _profile(case)))
    return tags


def _record_tags(case: Case, snapshot: CaseSnapshot, profile: Profile | None) -> Tags:
    findings = [
        FindingRow(*row)
        for row in StoredFinding.objects.filter(case_id=case.pk).values_list(
            "rule_id", "rule_kind", "status", "av_upload", "device_no", "officers", "record_ids"
        )
    ]
    devices = list(Interruption.objects.filter(case_id=case.pk).values_list("device_no", flat=True))
    secret = MediaRecord.objects.filter(case_id=case.pk, confidential=True).values_list("pk", flat=True)
    return figures.record_tags(
        snapshot,
        findings,
        archive_rule_ids=archive_rule_ids(profile),
        handler_name=case.handler.full_name or case.handler.username,
        interruption_devices=devices,
        confidential_media=frozenset(media_ref(pk) for pk in secret),
    )


@transaction.atomic
def stats_case_refresh(
    *, case: Case, snapshot: CaseSnapshot | None = None, profile: Profile | None = None
) -> None:
    """Make ``case``'s stored tags equal its records and move the counters by the difference."""
    fresh = compute_tags(case, snapshot, profile)
    unit_id, confidential = Case.objects.filter(pk=case.pk).values_list("unit_id", "confidential").get()
    unit_id = unit_id or 0
    stored = {(t.dimension, t.value): t for t in CaseTag.objects.filter(case_id=case.pk)}
    gone = [
        t
        for key, t in stored.items()
        if fresh.get(key) != Mark(t.day, t.amount_fen)
        or (t.unit_id, t.confidential) != (unit_id, confidential)
    ]
    changes: list[tuple[int, int, date, str, str, int, int]] = []
    for t in gone:
        changes.append((t.agency_id, t.unit_id, t.day, t.dimension, t.value, -1, -t.amount_fen))
    kept = {(t.dimension, t.value) for t in stored.values()} - {(t.dimension, t.value) for t in gone}
    added = [(key, mark) for key, mark in fresh.items() if key not in kept]
    for (dimension, value), mark in added:
        changes.append((case.agency_id, unit_id, mark.day, dimension, value, 1, mark.amount_fen))
    if gone:
        CaseTag.objects.filter(pk__in=[t.pk for t in gone]).delete()
    if added:
        CaseTag.objects.bulk_create(
            _tag(case.pk, case.agency_id, unit_id, confidential, dimension, value, mark)
            for (dimension, value), mark in added
        )
    _bump(changes)


def _tag(
    case_id: int, agency_id: int, unit_id: int, confidential: bool, dimension: str, value: str, mark: Mark
) -> CaseTag:
    return CaseTag(
        case_id=case_id,
        agency_id=agency_id,
        unit_id=unit_id,
        confidential=confidential,
        day=mark.day,
        month=figures.month_of(mark.day),
        dimension=dimension,
        value=value,
        amount_fen=mark.amount_fen,
    )


def counter_unit(dimension: str, unit_id: int) -> int:
    """Counters keep the unit only for the figures shown by unit (fewer rows to sum for the others)."""
    return unit_id if dimension in figures.UNIT_DIMENSIONS else 0


def _bump(changes: Iterable[tuple[int, int, date, str, str, int, int]]) -> None:
    """Add to the month's and the day's counters (an upsert: created at the first case)."""
    sql = (
        f"INSERT INTO {_COUNTER} (agency_id, unit_id, grain, start, dimension, value, n, amount_fen) "  # noqa: S608 - constants; values are parameters
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (agency_id, unit_id, grain, start, dimension, value) DO UPDATE SET "
        f"n = {_COUNTER}.n + excluded.n, amount_fen = {_COUNTER}.amount_fen + excluded.amount_fen"
    )
    params = []
    for agency_id, unit, day, dimension, value, n, amount in changes:
        unit_id = counter_unit(dimension, unit)
        params.append((agency_id, unit_id, "m", figures.month_of(day), dimension, value, n, amount))
        params.append((agency_id, unit_id, "d", day, dimension, value, n, amount))
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


# ---------------------------------------------------------------- rebuild


def _base_tags_sql() -> str:
    """INSERT … SELECT of every case's own dimensions, the Beijing day computed by the database (run
    without parameters, so a ``%`` is written as itself)."""
    if connection.vendor == "postgresql":
        day = "(c.opened_at AT TIME ZONE 'Asia/Shanghai')::date"
        month = "date_trunc('month', c.opened_at AT TIME ZONE 'Asia/Shanghai')::date"
    else:
        day = "date(c.opened_at, '+8 hours')"
        month = "strftime('%Y-%m-01', c.opened_at, '+8 hours')"
    columns = "(case_id, agency_id, unit_id, confidential, day, month, dimension, value, amount_fen)"
    selects = [
        f"SELECT c.id, c.agency_id, COALESCE(c.unit_id, 0), c.confidential, {day}, {month}, '{dim}', {expr}, 0 "  # noqa: S608 - constants only
        f"FROM cases_case c"
        for dim, expr in (
            ("stage", "c.stage"),
            ("procedure", "c.procedure"),
            ("initiation", "c.initiation_kind"),
            ("cause", f"CASE WHEN c.confidential THEN '{figures.CONFIDENTIAL_CAUSE}' ELSE TRIM(c.cause) END"),
        )
    ]
    return f"INSERT INTO {_TAG} {columns} " + " UNION ALL ".join(selects)


def _cases_with_records() -> Iterator[int]:
    """The cases whose records may add tags beyond their own dimensions."""
    problem = StoredFinding.objects.filter(status__in=figures.PROBLEM_STATUSES).values_list(
        "case_id", flat=True
    )
    docs = Document.objects.filter(
        doc_type__in=[*figures.DECISION_TYPES, *(t for _, ts in figures.ACT_FIGURES.values() for t in ts)]
    ).values_list("case_id", flat=True)
    refused = Document.objects.filter(refusals__isnull=False).values_list("case_id", flat=True)
    overrides = StageTransition.objects.filter(override=True).values_list("case_id", flat=True)
    media = MediaRecord.objects.filter(case_id__isnull=False).values_list("case_id", flat=True)
    assigned = MediaAssignment.objects.values_list("case_id", flat=True)
    interrupted = Interruption.objects.values_list("case_id", flat=True)
    ids: set[int] = set()
    for qs in (problem, docs, refused, overrides, media, assigned, interrupted):
        ids.update(qs.distinct().iterator())
    yield from sorted(ids)


@transaction.atomic
def rebuild_all() -> int:
    """Recompute every tag and counter from the records; returns the number of tags written."""
    CaseTag.objects.all().delete()
    Counter.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_base_tags_sql())
    profiles: dict[int, Profile | None] = {}
    batch: list[CaseTag] = []
    for case in (
        Case.objects.filter(pk__in=list(_cases_with_records())).select_related("agency", "handler").iterator()
    ):
        if case.agency_id not in profiles:
            profiles[case.agency_id] = _profile(case)
        for (dimension, value), mark in _record_tags(
            case, case_snapshot(case), profiles[case.agency_id]
        ).items():
            batch.append(
                _tag(case.pk, case.agency_id, case.unit_id or 0, case.confidential, dimension, value, mark)
            )
        if len(batch) >= 2000:
            CaseTag.objects.bulk_create(batch)
            batch = []
    CaseTag.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        shown = ", ".join(f"'{d}'" for d in sorted(figures.UNIT_DIMENSIONS))
        unit = f"CASE WHEN dimension IN ({shown}) THEN unit_id ELSE 0 END"
        for grain, column in (("m", "month"), ("d", "day")):
            cursor.execute(
                f"INSERT INTO {_COUNTER} (agency_id, unit_id, grain, start, dimension, value, n, amount_fen) "  # noqa: S608 - constants only
                f"SELECT agency_id, {unit}, '{grain}', {column}, dimension, value, COUNT(*), SUM(amount_fen) "
                f"FROM {_TAG} GROUP BY agency_id, {unit}, {column}, dimension, value"
            )
    return CaseTag.objects.count()

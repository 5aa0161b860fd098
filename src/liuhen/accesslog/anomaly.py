"""Anomaly flags on the access log (R7.3: leaking), as rules whose thresholds are profile params
(:func:`liuhen.grants.policy.agency_policy`):

* ``volume`` — a person's reads on one day above ``anomaly_daily_factor`` × their usual daily level (the
  median of their daily counts over the ``anomaly_window_days`` working days before it) and at least
  ``anomaly_daily_min``;
* ``off_hours`` — reads outside ``anomaly_working_hours`` (Beijing time) or on a day off of the holiday
  calendar (:mod:`liuhen.rules.workdays`; Monday–Friday for a year it has no calendar for);
* ``other_unit`` — reads of a case of another unit than the reader's own, not made under a grant.

Counted per entry (a grouped read of a case's documents is one read). Each flag says why in Chinese,
naming the rule's threshold.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncTime

from liuhen.accesslog.selectors import LogFilters, access_log_filtered, entry_data
from liuhen.accounts.models import Agency, User
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.grants.policy import AccessPolicy, agency_policy

RULE_LABELS = {"volume": "读取量异常", "off_hours": "非工作时间读取", "other_unit": "跨单位读取未经批准"}
DEFAULT_DAYS = 7  # the period looked at when the filters name none: the last week


@dataclass(frozen=True)
class Anomaly:
    rule: str  # volume | off_hours | other_unit
    agency: str
    person_id: int | None
    person: str
    day: date
    count: int
    message: str  # why, in Chinese, with the rule's threshold
    case_no: str = ""

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "label": self.label,
            "agency": self.agency,
            "person": {"id": self.person_id, "name": self.person},
            "date": self.day.isoformat(),
            "count": self.count,
            "case_no": self.case_no,
            "message": self.message,
        }


def _working_day(day: date) -> bool:
    """A working day of the official holiday calendar; Monday–Friday for a year it has none for."""
    try:
        from liuhen.rules.workdays import CalendarMissing, is_working_day
    except ImportError:  # pragma: no cover - the calendar module ships with the app
        return day.weekday() < 5
    try:
        return is_working_day(day)
    except CalendarMissing:
        return day.weekday() < 5


def anomaly_period(filters: LogFilters, today: date | None = None) -> tuple[date, date]:
    """The days looked at: the filters' period, or the last :data:`DEFAULT_DAYS` days up to today."""
    today = today or clock.now().astimezone(SHANGHAI).date()
    end = filters.date_to or (
        today if filters.date_from is None else filters.date_from + timedelta(DEFAULT_DAYS - 1)
    )
    start = filters.date_from or end - timedelta(days=DEFAULT_DAYS - 1)
    return start, end


def access_anomalies(*, user: User, filters: LogFilters) -> list[Anomaly]:
    """Every flag raised by the entries ``user`` may see that match ``filters`` (the period: see
    :func:`anomaly_period`), per agency under its own profile's thresholds, newest day first."""
    start, end = anomaly_period(filters)
    period = LogFilters(**{**filters.__dict__, "date_from": start, "date_to": end})
    agencies = Agency.objects.filter(
        pk__in=access_log_filtered(user=user, filters=period).order_by().values("agency_id").distinct()
    )
    found: list[Anomaly] = []
    for agency in agencies:
        policy = agency_policy(agency)
        scoped = LogFilters(**{**period.__dict__, "agency": agency.pk})
        found += _volume(user, agency, policy, scoped)
        found += _off_hours(user, agency, policy, scoped)
        found += _other_unit(user, agency, scoped)
    return sorted(found, key=lambda a: (a.day, a.rule, a.person), reverse=True)


_ACTOR = ("actor_id", "actor__full_name", "actor__username")  # read with the (scoped) entries themselves


def _name(full_name: str | None, username: str | None) -> str:
    return full_name or username or "系统"


def _daily_counts(user: User, filters: LogFilters) -> tuple[dict[tuple[int | None, date], int], dict]:
    """Reads per (actor, Beijing day), and the actors' names."""
    qs = access_log_filtered(user=user, filters=filters).order_by()
    rows = (
        qs.annotate(day=TruncDate("created_at", tzinfo=SHANGHAI))
        .values(*_ACTOR, "day")
        .annotate(n=Count("id"))
        .values_list(*_ACTOR, "day", "n")
    )
    counts, names = {}, {}
    for actor, full, username, day, n in rows:
        counts[actor, day] = n
        names[actor] = _name(full, username)
    return counts, names


def _volume(user: User, agency: Agency, policy: AccessPolicy, filters: LogFilters) -> list[Anomaly]:
    assert filters.date_from is not None and filters.date_to is not None
    window = policy.anomaly_window_days
    history = LogFilters(**{**filters.__dict__, "date_from": filters.date_from - timedelta(days=window)})
    counts, names = _daily_counts(user, history)
    per_actor: dict[int | None, dict[date, int]] = defaultdict(dict)
    for (actor, day), n in counts.items():
        per_actor[actor][day] = n
    flagged: list[tuple[int | None, date, int, float, float]] = []
    for actor, days in per_actor.items():
        for day, n in days.items():
            if not filters.date_from <= day <= filters.date_to or n < policy.anomaly_daily_min:
                continue
            before = [day - timedelta(days=k) for k in range(1, window + 1)]
            usual = statistics.median([days.get(d, 0) for d in before if _working_day(d)] or [0])
            if n > policy.anomaly_daily_factor * usual:
                flagged.append((actor, day, n, usual, policy.anomaly_daily_factor))
    return [
        Anomaly(
            rule="volume",
            agency=agency.name,
            person_id=actor,
            person=names.get(actor, ""),
            day=day,
            count=n,
            message=(
                f"当日读取 {n} 次，超过其前 {window} 天日常水平（工作日中位数 {usual:g} 次/日）的 "
                f"{factor:g} 倍，且不少于 {policy.anomaly_daily_min} 次"
            ),
        )
        for actor, day, n, usual, factor in flagged
    ]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def _off_hours(user: User, agency: Agency, policy: AccessPolicy, filters: LogFilters) -> list[Anomaly]:
    assert filters.date_from is not None and filters.date_to is not None
    begin, finish = policy.anomaly_working_hours
    days_off = [d for d in _days(filters.date_from, filters.date_to) if not _working_day(d)]
    qs = (
        access_log_filtered(user=user, filters=filters)
        .order_by()
        .annotate(
            day=TruncDate("created_at", tzinfo=SHANGHAI), clock=TruncTime("created_at", tzinfo=SHANGHAI)
        )
        .filter(Q(clock__lt=begin) | Q(clock__gte=finish) | Q(day__in=days_off))
    )
    grouped: dict[tuple[int | None, date], list[datetime]] = defaultdict(list)
    names: dict[int | None, str] = {}
    for actor, full, username, at in qs.values_list(*_ACTOR, "created_at"):
        local = at.astimezone(SHANGHAI)
        grouped[actor, local.date()].append(local)
        names[actor] = _name(full, username)
    hours = f"{begin:%H:%M}–{finish:%H:%M}"
    found = []
    for (actor, day), times in grouped.items():
        shown = "、".join(f"{t:%H:%M}" for t in sorted(times)[:5]) + ("等" if len(times) > 5 else "")
        why = f"非工作日（{day:%m月%d日}）" if day in days_off else f"工作时间（{hours}）以外"
        found.append(
            Anomaly(
                rule="off_hours",
                agency=agency.name,
                person_id=actor,
                person=names.get(actor, ""),
                day=day,
                count=len(times),
                message=f"{why}读取 {len(times)} 次（{shown}）；规则：工作日 {hours} 以外或节假日的读取",
            )
        )
    return found


def _other_unit(user: User, agency: Agency, filters: LogFilters) -> list[Anomaly]:
    qs = (
        access_log_filtered(user=user, filters=filters)
        .order_by()
        .filter(case__unit__isnull=False, actor__unit__isnull=False)
        .exclude(case__unit_id=F("actor__unit_id"))
        .values_list(*_ACTOR, "created_at", "case__case_no", "case__unit__name", "body")
    )
    grouped: dict[tuple[int | None, date, str], list[str]] = defaultdict(list)
    names: dict[int | None, str] = {}
    for actor, full, username, at, case_no, unit, body in qs:
        if entry_data(body).get("details", {}).get("grant"):
            continue
        grouped[actor, at.astimezone(SHANGHAI).date(), case_no].append(unit)
        names[actor] = _name(full, username)
    return [
        Anomaly(
            rule="other_unit",
            agency=agency.name,
            person_id=actor,
            person=names.get(actor, ""),
            day=day,
            count=len(units),
            case_no=case_no,
            message=(
                f"读取{units[0]}承办的案件 {case_no} 共 {len(units)} 次，非本人所在单位且无调阅批准；"
                "规则：跨单位读取案件须经批准"
            ),
        )
        for (actor, day, case_no), units in grouped.items()
    ]

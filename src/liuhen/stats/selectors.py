"""Reading the statistics: the dashboard's figures summed from the counters (never from the cases), and
the cases behind any number (the drill-down), both for the agencies the user may see."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet, Sum

from liuhen.access import scope
from liuhen.access.scope_stats import stats_agency_ids, stats_case_tags, stats_counters, stats_units
from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.core.errors import PermissionDenied, invalid
from liuhen.stats import figures
from liuhen.stats.figures import (
    BREAKDOWN_LABELS,
    BREAKDOWNS,
    CASE_DIMENSIONS,
    COMPLIANCE_FIGURES,
    VALUE_LABELS,
    breakdown_dimension,
)

MAX_PAGE = 200
MAX_PERIOD_DAYS = 3653  # ten years: the monthly series stay a readable size
TOP = 20  # officers, devices and causes listed per figure


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    agencies: tuple[Agency, ...]
    unit_id: int | None = None
    picked: bool = False  # one agency chosen (``agency`` given)

    @property
    def agency_ids(self) -> list[int]:
        return [a.pk for a in self.agencies]

    def as_query(self) -> dict[str, str]:
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if len(self.agencies) == 1 and self.picked:
            query["agency"] = self.agencies[0].code
        if self.unit_id is not None:
            query["unit"] = str(self.unit_id)
        return query


def require_stats(user: User) -> None:
    if not user.can(Permission.SUPERVISION_VIEW):
        raise PermissionDenied("您的角色无权查看执法统计")


def visible_agencies(user: User) -> list[Agency]:
    """The enforcement agencies whose figures ``user`` sees (a bureau's own agency has no cases)."""
    return list(
        Agency.objects.filter(pk__in=stats_agency_ids(user), kind=Agency.Kind.ENFORCEMENT).order_by("name")
    )


def _day(params: Mapping[str, str], name: str, label: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else _bad(name, label)
    except ValueError:
        return _bad(name, label)


def _bad(name: str, label: str) -> date:
    raise invalid(name, "invalid", f"{label}格式应为 年-月-日，如 2026-03-01")


def parse_period(
    user: User, params: Mapping[str, str], *, default_start: date | None = None, by_unit: bool = False
) -> Period:
    """The period (``from``/``to``, Beijing days, both included; this year so far by default) and the
    agency (``agency`` = its code; all visible ones if absent); a bad one raises ``invalid`` naming it."""
    require_stats(user)
    today = clock.now().astimezone(SHANGHAI).date()
    start = _day(params, "from", "起始日期") or default_start or today.replace(month=1, day=1)
    end = _day(params, "to", "截止日期") or max(today, start)
    if start > end:
        raise invalid("from", "after_to", "起始日期不得晚于截止日期")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise invalid("from", "too_long", "统计期间不得超过十年")
    if start.year < 1990 or end.year > 2200:
        raise invalid("from" if start.year < 1990 else "to", "out_of_range", "日期超出可统计的范围")
    agencies = visible_agencies(user)
    code = (params.get("agency") or "").strip()
    picked = False
    if code:
        agencies = [a for a in agencies if a.code == code]
        if not agencies:
            raise invalid("agency", "unknown", "无此机关或无权查看其统计")
        picked = True
    unit_id = None
    raw_unit = (params.get("unit") or "").strip() if by_unit else ""
    if raw_unit:
        if not (raw_unit.isascii() and raw_unit.isdigit()) or not (
            raw_unit == "0" or stats_units(user).filter(pk=int(raw_unit), agency__in=agencies).exists()
        ):
            raise invalid("unit", "unknown", "无此科室或无权查看其统计")
        unit_id = int(raw_unit)
    return Period(start, end, tuple(agencies), unit_id, picked)


def period_q(start: date, end: date) -> Q:
    """The counters that cover exactly ``start``–``end``: whole months by month, the rest by day."""
    first_full = start if start.day == 1 else _next_month(start)
    last_full_end = (
        end
        if end.day == calendar.monthrange(end.year, end.month)[1]
        else end.replace(day=1) - timedelta(days=1)
    )
    if first_full > last_full_end:
        return Q(grain="d", start__gte=start, start__lte=end)
    q = Q(grain="m", start__gte=first_full, start__lte=last_full_end.replace(day=1))
    if start < first_full:
        q |= Q(grain="d", start__gte=start, start__lt=first_full)
    if end > last_full_end:
        q |= Q(grain="d", start__gt=last_full_end, start__lte=end)
    return q


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_between(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months


def counters(user: User, period: Period, dimensions: list[str]) -> QuerySet:
    qs = stats_counters(user).filter(period_q(period.start, period.end), agency_id__in=period.agency_ids)
    if period.unit_id is not None:
        qs = qs.filter(unit_id=period.unit_id)
    return qs.filter(dimension__in=dimensions).exclude(n=0)


def _summed(qs: QuerySet, *keys: str) -> list[tuple]:
    return list(qs.values(*keys).annotate(total=Sum("n")).values_list(*keys, "total"))


def value_label(dimension: str, value: str) -> str:
    if dimension == ALL_CASES:
        return ""
    base = dimension.split(":", 1)[0]
    if base in VALUE_LABELS:
        return VALUE_LABELS[base].get(value, value)
    if base == "penalty" and not value:
        return "全部行政处罚"
    if base == "penalty":
        return figures.GROUP_LABELS.get(
            value, figures.NON_PENALTY_LABEL if value == figures.NON_PENALTY else value
        )
    if base == "cause" and value == figures.CONFIDENTIAL_CAUSE:
        return figures.CONFIDENTIAL_CAUSE_LABEL
    return value or "（未填写）"


def dashboard(*, user: User, period: Period) -> dict:
    """Every figure of the dashboard for ``period``: the cases by their dimensions (totals and by month)
    and recording compliance (totals, by agency, unit, officer and device, and by month)."""
    compliance = list(COMPLIANCE_FIGURES)
    broken = [breakdown_dimension(f, by) for f in compliance for by in BREAKDOWNS]
    total: dict[tuple[str, str], int] = defaultdict(int)
    monthly: dict[tuple[str, str, date], int] = defaultdict(int)
    by_agency: dict[tuple[int, str], int] = defaultdict(int)
    by_unit: dict[tuple[int, int, str], int] = defaultdict(int)
    # three sums in the database: by value and period start (months, and the days of partial months),
    # the breakdowns by value, and the figures shown by unit by agency and unit
    for dimension, value, start, n in _summed(
        counters(user, period, [*CASE_DIMENSIONS, *compliance]), "dimension", "value", "start"
    ):
        total[(dimension, value)] += n
        monthly[(dimension, value, start.replace(day=1))] += n
    for dimension, value, n in _summed(counters(user, period, broken), "dimension", "value"):
        total[(dimension, value)] += n
    for agency_id, unit_id, dimension, n in _summed(
        counters(user, period, sorted(figures.UNIT_DIMENSIONS)), "agency_id", "unit_id", "dimension"
    ):
        key = "cases" if dimension == "stage" else dimension
        by_agency[(agency_id, key)] += n
        by_unit[(agency_id, unit_id, key)] += n
    months = months_between(period.start, period.end)
    cases = sum(n for (dimension, _), n in total.items() if dimension == "stage")
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "agencies": [{"code": a.code, "name": a.name} for a in period.agencies],
        "cases": cases,
        "months": [f"{m:%Y-%m}" for m in months],
        "dimensions": [_dimension(d, total, monthly, months) for d in CASE_DIMENSIONS],
        "compliance": {
            "figures": [
                {
                    "figure": f,
                    "label": label,
                    "count": total.get((f, ""), 0),
                    "rate": round(total.get((f, ""), 0) / cases, 4) if cases else None,
                    "monthly": [monthly.get((f, "", m), 0) for m in months],
                }
                for f, label in COMPLIANCE_FIGURES.items()
            ],
            "by_agency": [
                {
                    "agency": a.code,
                    "name": a.name,
                    "cases": by_agency.get((a.pk, "cases"), 0),
                    "counts": {f: by_agency.get((a.pk, f), 0) for f in compliance},
                }
                for a in period.agencies
            ],
            "by_unit": _by_unit(user, period, by_unit, compliance),
            **{f"by_{by}": _breakdown(total, by) for by in BREAKDOWNS},
        },
    }


def _dimension(dimension: str, total: dict, monthly: dict, months: list[date]) -> dict:
    values = sorted(
        ((value, n) for (d, value), n in total.items() if d == dimension and n),
        key=lambda vn: (-vn[1], vn[0]),
    )
    shown = values[:TOP] if dimension == "cause" else values
    return {
        "dimension": dimension,
        "label": CASE_DIMENSIONS[dimension],
        "items": [
            {
                "value": value,
                "label": value_label(dimension, value),
                "count": n,
                "monthly": [monthly.get((dimension, value, m), 0) for m in months],
            }
            for value, n in shown
        ],
        "more": len(values) - len(shown),
    }


def _by_unit(user: User, period: Period, by_unit: dict, compliance: list[str]) -> list[dict]:
    names = dict(stats_units(user).filter(agency__in=period.agency_ids).values_list("pk", "name"))
    agencies = {a.pk: a for a in period.agencies}
    keys = sorted(
        {(a, u) for a, u, _ in by_unit}, key=lambda au: (agencies[au[0]].name, names.get(au[1], ""))
    )
    return [
        {
            "agency": agencies[a].code,
            "agency_name": agencies[a].short_name or agencies[a].name,
            "unit": u,
            "name": names.get(u, "未分配科室") if u else "未分配科室",
            "cases": by_unit.get((a, u, "cases"), 0),
            "counts": {f: by_unit.get((a, u, f), 0) for f in compliance},
        }
        for a, u in keys
    ]


def _breakdown(total: dict, by: str) -> list[dict]:
    result = []
    for figure, label in COMPLIANCE_FIGURES.items():
        dimension = breakdown_dimension(figure, by)
        items = sorted(
            ((value, n) for (d, value), n in total.items() if d == dimension and n),
            key=lambda vn: (-vn[1], vn[0]),
        )
        if items:
            result.append(
                {
                    "figure": figure,
                    "dimension": dimension,
                    "label": f"{label}（按{BREAKDOWN_LABELS[by]}）",
                    "items": [{"value": v, "label": v, "count": n} for v, n in items[:TOP]],
                }
            )
    return result


# ---------------------------------------------------------------- drill-down


ALL_CASES = "cases"  # every case opened in the period (each case has exactly one stage tag)


def known_dimensions() -> set[str]:
    return {
        ALL_CASES,
        *CASE_DIMENSIONS,
        *COMPLIANCE_FIGURES,
        *(breakdown_dimension(f, by) for f in COMPLIANCE_FIGURES for by in BREAKDOWNS),
        *figures.ANNUAL_DIMENSIONS,
    }


def figure_label(dimension: str) -> str:
    if dimension == ALL_CASES:
        return "立案数"
    base, _, by = dimension.partition(":")
    label = CASE_DIMENSIONS.get(base) or COMPLIANCE_FIGURES.get(base)
    if label is None:
        label = "行政处罚" if base == "penalty" else figures.ACT_FIGURES.get(base, (base,))[0]
    return f"{label}（{BREAKDOWN_LABELS[by]}）" if by else label


@dataclass(frozen=True)
class Drill:
    dimension: str
    value: str
    period: Period
    after: int | None
    limit: int


def parse_drill(user: User, params: Mapping[str, str]) -> Drill:
    dimension = (params.get("figure") or "").strip()
    if dimension not in known_dimensions():
        raise invalid("figure", "unknown", "无此统计项")
    value = params.get("value") or ""
    if len(value) > 200:
        raise invalid("value", "too_long", "统计值过长")
    period = parse_period(user, params, by_unit=True)
    if period.unit_id is not None and dimension not in (ALL_CASES, *figures.UNIT_DIMENSIONS):
        raise invalid("unit", "not_by_unit", "该统计项不按科室统计")
    after = _positive(params, "after", "翻页位置")
    limit = _positive(params, "limit", "每页条数") or 50
    if limit > MAX_PAGE:
        raise invalid("limit", "too_large", f"每页条数不得超过 {MAX_PAGE}")
    return Drill(dimension, value, period, after, limit)


def _positive(params: Mapping[str, str], name: str, label: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 2**62:
        raise invalid(name, "invalid", f"{label}应为正整数")
    return int(raw)


def drill_tags(user: User, drill: Drill) -> QuerySet:
    """The tags of the cases behind the number (every case has one ``stage`` tag: all cases)."""
    p = drill.period
    tags = stats_case_tags(user).filter(agency_id__in=p.agency_ids, day__gte=p.start, day__lte=p.end)
    if drill.dimension == ALL_CASES:
        tags = tags.filter(dimension="stage")
    elif drill.dimension == "penalty" and not drill.value:  # every administrative penalty
        tags = tags.filter(dimension="penalty").exclude(value=figures.NON_PENALTY)
    else:
        tags = tags.filter(dimension=drill.dimension, value=drill.value)
    return tags if p.unit_id is None else tags.filter(unit_id=p.unit_id)


def drill_count(user: User, drill: Drill) -> int:
    """The number the dashboard shows for the figure (the same counters, summed the same way)."""
    if drill.dimension == ALL_CASES:
        qs = counters(user, drill.period, ["stage"])
    elif drill.dimension == "penalty" and not drill.value:
        qs = counters(user, drill.period, ["penalty"]).exclude(value=figures.NON_PENALTY)
    else:
        qs = counters(user, drill.period, [drill.dimension]).filter(value=drill.value)
    return qs.aggregate(total=Sum("n"))["total"] or 0


@dataclass(frozen=True)
class DrillPage:
    count: int  # the cases behind the number (equals the dashboard's figure)
    listed: int  # of which the user may open (a confidential case may be counted, not listed)
    cases: list[Case]
    next_after: int | None


def _all_cases(user: User, drill: Drill) -> QuerySet[Case]:
    """All cases opened in the period, straight from the cases (the same as their ``stage`` tags)."""
    p = drill.period
    qs = scope.cases(user).filter(
        agency_id__in=p.agency_ids,
        opened_at__gte=day_bounds(p.start),
        opened_at__lt=day_bounds(p.end + timedelta(days=1)),
    )
    if p.unit_id is not None:
        qs = qs.filter(unit_id=p.unit_id or None)
    return qs


def drill_page(*, user: User, drill: Drill) -> DrillPage:
    """The cases behind one number, newest first, ``limit`` at a time after case id ``after``: walked
    through the figure's tags in case-id order (an index), keeping those the access layer shows."""
    tags = drill_tags(user, drill)
    hidden = 0
    if not user.can(Permission.CONFIDENTIAL_VIEW):  # who holds it opens every confidential case counted
        secret = list(tags.filter(confidential=True).values_list("case_id", flat=True))
        hidden = len(secret) - scope.cases(user).filter(pk__in=secret).count() if secret else 0
    count = drill_count(user, drill)
    want = drill.limit + 1
    found: list[Case] = []
    after = drill.after
    if drill.dimension == ALL_CASES:
        page = _all_cases(user, drill).order_by("-pk")
        found = list(
            (page if after is None else page.filter(pk__lt=after)).prefetch_related(
                "agency", "unit", "handler"
            )[:want]
        )
    else:
        while len(found) < want:
            walk = tags.order_by("-case_id")
            ids = list(
                (walk if after is None else walk.filter(case_id__lt=after)).values_list("case_id", flat=True)[
                    : want * 2
                ]
            )
            if not ids:
                break
            seen = {
                c.pk: c
                for c in scope.cases(user).filter(pk__in=ids).prefetch_related("agency", "unit", "handler")
            }
            found += [seen[i] for i in ids if i in seen]
            after = ids[-1]
        found = found[:want]
    more = len(found) > drill.limit
    cases = found[: drill.limit]
    return DrillPage(
        count=count, listed=count - hidden, cases=cases, next_after=cases[-1].pk if more and cases else None
    )


def drill_rows(*, user: User, drill: Drill):  # type: ignore[no-untyped-def]
    """Every listed case (for the export), newest first, read in keyset batches."""
    after = drill.after
    while True:
        page = drill_page(user=user, drill=Drill(drill.dimension, drill.value, drill.period, after, MAX_PAGE))
        yield from page.cases
        if page.next_after is None:
            return
        after = page.next_after


def beijing_text(at: datetime | None) -> str:
    return clock.local_text(at) if at else ""


def day_bounds(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)

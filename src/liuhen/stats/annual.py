"""The 统计年报 tables: administrative penalties in the 12 categories (a combined penalty counted once,
under its heaviest kind: :data:`liuhen.stats.figures.PENALTY_CATEGORIES`), 罚没金额, the counts of
许可 / 强制 / 检查 (what Liuhen does not record is said so, never shown as 0) and 持证率 — from the
counters, for one year (Beijing) and the agencies the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from liuhen.access.scope_stats import stats_officers
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.core.errors import invalid
from liuhen.stats import figures
from liuhen.stats.selectors import Period, counters, parse_period

# who is an enforcement officer for 持证率: the roles that do enforcement work on cases
OFFICER_ROLES = (Role.OFFICER.value, Role.HANDLER.value)


@dataclass(frozen=True)
class AnnualAsk:
    year: int
    period: Period


def parse_annual(user: User, params: Mapping[str, str]) -> AnnualAsk:
    raw = (params.get("year") or "").strip()
    this_year = clock.now().astimezone(SHANGHAI).year
    if not raw:
        year = this_year
    elif raw.isascii() and raw.isdigit() and 1990 <= int(raw) <= this_year + 1:
        year = int(raw)
    else:
        raise invalid("year", "invalid", f"年度应为 1990–{this_year + 1} 之间的四位数字")
    query = {"from": f"{year}-01-01", "to": f"{year}-12-31"}
    if params.get("agency"):
        query["agency"] = params["agency"]
    return AnnualAsk(year, parse_period(user, query))


def yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def annual_report(*, user: User, ask: AnnualAsk) -> dict:
    period = ask.period
    rows = counters(user, period, list(figures.ANNUAL_DIMENSIONS)).values_list(
        "agency_id", "dimension", "value", "n", "amount_fen"
    )
    count: dict[tuple[str, str], int] = defaultdict(int)
    amount: dict[str, int] = defaultdict(int)
    per_agency: dict[tuple[int, str], int] = defaultdict(int)
    per_agency_amount: dict[int, int] = defaultdict(int)
    for agency_id, dimension, value, n, fen in rows:
        count[(dimension, value)] += n
        if dimension == "penalty":
            amount[value] += fen
            if value != figures.NON_PENALTY:
                per_agency[(agency_id, "penalty")] += n
                per_agency_amount[agency_id] += fen
        else:
            per_agency[(agency_id, dimension)] += n
    groups = [
        {
            "group": g,
            "label": figures.GROUP_LABELS[g],
            "count": count.get(("penalty", g), 0),
            "amount_yuan": yuan(amount.get(g, 0)),
        }
        for g in figures.PENALTY_GROUPS
    ]
    return {
        "year": ask.year,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "agencies": [{"code": a.code, "name": a.name} for a in period.agencies],
        "counting_rule": figures.PENALTY_COUNTING_RULE,
        "severity_basis": figures.PENALTY_SEVERITY_BASIS,
        "categories": [
            {
                "category": c.code,
                "label": c.label,
                "group": c.group,
                "recorded": bool(c.group),
                "note": "" if c.group else figures.NOT_RECORDED,
            }
            for c in figures.PENALTY_CATEGORIES
        ],
        "penalties": groups,
        "penalty_total": sum(g["count"] for g in groups),
        "non_penalty": count.get(("penalty", figures.NON_PENALTY), 0),
        "fines_confiscations_yuan": yuan(sum(v for k, v in amount.items() if k != figures.NON_PENALTY)),
        "acts": [
            *(
                {"act": act, "label": label, "recorded": True, "count": count.get((act, ""), 0), "note": ""}
                for act, (label, _types) in figures.ACT_FIGURES.items()
            ),
            *(
                {"act": act, "label": label, "recorded": False, "count": None, "note": figures.NOT_RECORDED}
                for act, label in figures.NOT_RECORDED_ACTS.items()
            ),
        ],
        "by_agency": _by_agency(user, period, per_agency, per_agency_amount),
    }


def _by_agency(user: User, period: Period, per_agency: dict, per_agency_amount: dict) -> list[dict]:
    holders: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for agency_id, roles, certificate in (
        stats_officers(user)
        .filter(agency_id__in=period.agency_ids)
        .values_list("agency_id", "roles", "certificate_no")
    ):
        if any(r in OFFICER_ROLES for r in roles or ()):
            holders[agency_id][0] += 1
            holders[agency_id][1] += bool((certificate or "").strip())
    result = []
    for a in period.agencies:
        officers, certified = holders[a.pk]
        result.append(
            {
                "agency": a.code,
                "name": a.name,
                "penalties": per_agency.get((a.pk, "penalty"), 0),
                "amount_yuan": yuan(per_agency_amount.get(a.pk, 0)),
                **{act: per_agency.get((a.pk, act), 0) for act in figures.ACT_FIGURES},
                "officers": officers,
                "certified": certified,
                "certified_rate": round(certified / officers, 4) if officers else None,
            }
        )
    return result


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)

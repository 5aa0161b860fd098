"""Isolation-table rows of issue #14 (stats): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables).

The statistics are counts over whole agencies: ``supervision.view`` holders (the legal unit, the head;
the bureau's supervisor for the agencies it supervises) get their visible agencies' figures, everyone
else a 403. No marker of what a principal may not see may appear: another agency's causes, a
confidential case's cause (shown as 涉密案件), confidential footage's officers and device numbers.
The drill-down lists cases from the access layer (a confidential case is counted, not listed, for who
may not open it)."""

from __future__ import annotations

from tests.access.test_isolation import LOGIN, Check

_STATS = ("supervision.view",)


def _drill_query(w, p, o) -> dict:
    return {"figure": "cases", "from": "2020-01-01"}


def _period(w, p, o) -> dict:
    return {"from": "2020-01-01"}


API: dict = {
    ("GET", "/api/statistics/dashboard"): Check(
        "GET", "/api/statistics/dashboard", needs=_STATS, query=_period
    ),
    ("GET", "/api/statistics/annual-report"): Check("GET", "/api/statistics/annual-report", needs=_STATS),
    ("GET", "/api/statistics/cases"): Check("GET", "/api/statistics/cases", needs=_STATS, query=_drill_query),
    ("GET", "/api/statistics/report.pdf"): Check(
        "GET", "/api/statistics/report.pdf", needs=_STATS, query=_period
    ),
}
WEB: dict = {
    "stats:dashboard": [Check("GET", "/statistics/", needs=_STATS, anon=LOGIN, web=True, query=_period)],
    "stats:annual": [Check("GET", "/statistics/annual/", needs=_STATS, anon=LOGIN, web=True)],
    "stats:cases": [
        Check("GET", "/statistics/cases/", needs=_STATS, anon=LOGIN, web=True, query=_drill_query)
    ],
    "stats:report": [
        Check("GET", "/statistics/report.pdf", needs=_STATS, anon=LOGIN, web=True, query=_period)
    ],
}

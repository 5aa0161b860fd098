"""Scheduled compliance work (django-tasks, run by ``liuhen db_worker``).

Findings are recomputed whenever a case changes; these tasks catch what changes with no write at
all — a deadline passing. ``refresh_due`` (every few minutes) recomputes the cases whose next
deadline has passed; ``refresh_all`` (daily) recomputes every case and writes the day's totals
for the trend, then refreshes the database's planner statistics (:func:`planner_statistics`).
``liuhen scheduler`` calls :func:`compliance_tick` on each round.
"""

from __future__ import annotations

import time

from django.db import connection
from django_tasks import task

from liuhen.compliance.services import compliance_refresh_all, compliance_refresh_due

DUE_EVERY_S = 300.0
ALL_EVERY_S = 86_400.0
_next = {"due": 0.0, "all": 0.0}


@task()
def refresh_due() -> int:
    return compliance_refresh_due()


@task()
def refresh_all() -> int:
    refreshed = compliance_refresh_all()
    planner_statistics()
    return refreshed


def planner_statistics() -> None:
    """SQLite keeps no table statistics unless asked: without them, at a million cases, it picks an index
    that makes a supervisor's case list 100 times slower (docs/scale.md). ``ANALYZE`` once a day
    refreshes them. PostgreSQL's autovacuum does this by itself."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def compliance_tick(monotonic: float | None = None) -> list[str]:
    """Enqueue whichever compliance task is due (the first round enqueues both); returns their names."""
    at = time.monotonic() if monotonic is None else monotonic
    enqueued = []
    if at >= _next["all"]:
        refresh_all.enqueue()
        _next["all"] = at + ALL_EVERY_S
        _next["due"] = at + DUE_EVERY_S
        enqueued.append("refresh_all")
    elif at >= _next["due"]:
        refresh_due.enqueue()
        _next["due"] = at + DUE_EVERY_S
        enqueued.append("refresh_due")
    return enqueued

"""Example cases for each agency, at different stages, played through the services.

Each function receives a :class:`CaseScript` whose clock starts at the case's opening time (Asia/Shanghai);
what its documents say lives in :mod:`liuhen.demo.content`, one module per agency.
"""

from __future__ import annotations

from collections.abc import Callable

from liuhen.demo.content import dalian, gaochang, longjiang, xinglongtai, xinle
from liuhen.demo.script import CaseScript

CASES: dict[str, tuple[tuple[str, Callable[[CaseScript], None]], ...]] = {
    "dalian-cg": (
        ("2026-09-14T09:10", dalian.street_vending),  # ends in investigation
        ("2026-10-08T14:30", dalian.illegal_building),  # decision, after a hearing
        ("2026-11-03T16:05", dalian.litter_summary),  # summary procedure, closed
    ),
    "gaochang-sthj": (
        ("2026-09-02T10:00", gaochang.emissions),  # service_enforcement, rectification checked
        ("2026-11-10T11:20", gaochang.no_eia),  # investigation
    ),
    "longjiang-cg": (
        ("2026-04-13T08:40", longjiang.demolition),  # service_enforcement, forced demolition
        ("2026-11-21T07:50", longjiang.emergency_vending),  # initiation, late approval overdue
    ),
    "xinglongtai-mz": (
        ("2026-09-22T09:30", xinglongtai.annual_check),  # decision
        ("2026-11-05T15:00", xinglongtai.cemetery),  # investigation
    ),
    "xinle-fg": (
        ("2026-10-12T10:15", xinle.price_tags),  # investigation, party refused to sign
        ("2026-07-06T09:00", xinle.energy_review),  # archived
    ),
}

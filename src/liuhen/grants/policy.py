"""What an agency's rule profile says about governed access (issue #13): who approves staff requests
and external release, how long a grant may run, the party-request clock, and the access-log anomaly
thresholds. Rules are data (standing rule 4): every key is a profile param over the baseline's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any

from liuhen.accounts.models import Agency
from liuhen.compliance.profiles import agency_profile
from liuhen.rules.citations import cite_zh
from liuhen.rules.profile import Profile, profile_path, resolve_raw


@dataclass(frozen=True)
class AccessPolicy:
    approver_roles: tuple[str, ...]  # who decides a staff 调阅/复制 request
    basis: str  # the rule, as the page shows it
    release_approver_roles: tuple[str, ...]  # who decides an external release (对外提供)
    release_basis: str
    max_days: int  # the longest a grant may run
    disclosure_basis: str
    disclosure_working_days: int  # a party's request is answered within this many working days
    disclosure_extension_days: int  # extended once, with approval, by at most this many
    disclosure_approver_role: str  # "" = the desk's decision stands without a further approval
    anomaly_daily_factor: float
    anomaly_daily_min: int
    anomaly_window_days: int
    anomaly_working_hours: tuple[time, time]


@cache
def _baseline_params() -> dict[str, Any]:
    return dict(resolve_raw(profile_path("baseline")).params)


_LEADING_CITATION = re.compile(r"^([a-z][a-z0-9-]*§\d+)")


def readable(basis: str) -> str:
    """A basis as people read it: a leading citation (``longjiang-cg§20：…``) named in Chinese
    (《龙江县…制度》第20条：…)."""
    return _LEADING_CITATION.sub(lambda m: cite_zh(m[1]), basis)


def policy_of(profile: Profile | None) -> AccessPolicy:
    """The profile's access keys over the baseline's; raises ``ValueError`` on a value it cannot use."""
    p = {**_baseline_params(), **(dict(profile.params) if profile else {})}
    start, end = (time.fromisoformat(v) for v in p["access_anomaly_working_hours"])
    if not start < end:
        raise ValueError("access_anomaly_working_hours: the start must come before the end")
    policy = AccessPolicy(
        approver_roles=tuple(p["access_approver_roles"]),
        basis=readable(str(p["access_basis"])),
        release_approver_roles=tuple(p["access_release_approver_roles"]),
        release_basis=readable(str(p["access_release_basis"])),
        max_days=int(p["access_max_days"]),
        disclosure_basis=readable(str(p["disclosure_basis"])),
        disclosure_working_days=int(p["disclosure_working_days"]),
        disclosure_extension_days=int(p["disclosure_extension_days"]),
        disclosure_approver_role=str(p["disclosure_approver_role"]),
        anomaly_daily_factor=float(p["access_anomaly_daily_factor"]),
        anomaly_daily_min=int(p["access_anomaly_daily_min"]),
        anomaly_window_days=int(p["access_anomaly_window_days"]),
        anomaly_working_hours=(start, end),
    )
    if not policy.approver_roles or not policy.release_approver_roles:
        raise ValueError("access_approver_roles and access_release_approver_roles must name a role")
    if policy.max_days < 1 or policy.disclosure_working_days < 1:
        raise ValueError("access_max_days and disclosure_working_days must be at least 1")
    return policy


def agency_policy(agency: Agency) -> AccessPolicy:
    """The agency's access policy (the baseline's for an agency without a profile)."""
    return policy_of(agency_profile(agency))


def deciding_roles(agency: Agency) -> frozenset[str]:
    """The roles that decide some kind of staff request in ``agency`` (调阅/复制 or 对外提供)."""
    policy = agency_policy(agency)
    return frozenset(policy.approver_roles) | frozenset(policy.release_approver_roles)

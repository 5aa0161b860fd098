"""Test helper: an agency with a profile, its legal unit, handlers and cases; a check announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from liuhen.accounts.models import Agency, User
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.spotchecks.models import SpotCheck
from liuhen.spotchecks.services import Announcement, spot_check_announce
from tests.factories import make_agency, make_case, make_user


@dataclass
class Checked:
    agency: Agency
    legal: User
    handler: User
    cases: list[Case]


def checked_agency(n_cases: int = 6, profile_id: str = "longjiang-cg") -> Checked:
    agency = make_agency(profile_id=profile_id)
    legal = make_user(agency, ["legal_unit"], name="法制股甲")
    handler = make_user(agency, ["officer", "handler"], name="承办人乙")
    cases = [make_case(handler, cause=f"占道经营{i}") for i in range(n_cases)]
    return Checked(agency, legal, handler, cases)


def announced(by: User, *, sample_size: int = 3, target: Agency | None = None, **extra: object) -> SpotCheck:
    today = clock.now().astimezone(clock.SHANGHAI).date()
    fields: dict = {
        "title": "2026年第一季度执法记录抽查",
        "period_basis": "opened",
        "period_from": today - timedelta(days=30),
        "period_to": today,
        "sample_size": sample_size,
        "what": "both",
        "target_agency_id": target.pk if target is not None else None,
        **extra,
    }
    return spot_check_announce(by=by, announcement=Announcement(**fields))

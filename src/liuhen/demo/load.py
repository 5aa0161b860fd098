"""Load the demo: agencies, units, people, example cases. Idempotent: what exists is left alone."""

from __future__ import annotations

import zlib
from datetime import datetime
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.services import agency_create, org_unit_create, user_create
from liuhen.core.clock import SHANGHAI
from liuhen.demo.access import governed_access
from liuhen.demo.agencies import AGENCIES, DEMO_PASSWORD, DemoAgency
from liuhen.demo.cases import CASES
from liuhen.demo.filereview import demo_filereview
from liuhen.demo.publication import demo_publication
from liuhen.demo.script import CaseScript
from liuhen.demo.spotchecks import demo_spotchecks


def load_demo() -> list[tuple[str, str, str]]:
    """Create whatever of the demo is missing; return (agency, username, roles) of every demo login."""
    logins = []
    for spec in AGENCIES:
        with transaction.atomic():
            agency, people = _agency(spec)
            if not agency.cases.exists():
                for opened, play in CASES.get(spec.code, ()):
                    start = datetime.fromisoformat(opened).replace(tzinfo=SHANGHAI)
                    play(CaseScript(people, start))
                governed_access(agency, people)
                demo_spotchecks(agency, people)
                demo_filereview(agency, people)
                demo_publication(agency, people)
        logins += [(spec.code, u.username, ",".join(u.roles)) for u in people.values()]
    return logins


def _agency(spec: DemoAgency) -> tuple[Agency, dict[str, User]]:
    agency = Agency.objects.filter(code=spec.code).first() or agency_create(
        code=spec.code,
        name=spec.name,
        short_name=spec.short_name,
        case_prefix=spec.case_prefix,
        profile_id=spec.code,
        province=spec.province,
        kind=Agency.Kind.ENFORCEMENT,
    )
    units = {}
    for name, kind in spec.units:
        existing = OrgUnit.objects.filter(agency=agency, name=name).first()
        units[kind] = existing or org_unit_create(by=None, agency=agency, name=name, kind=kind)
    bureau = Agency.objects.filter(code=f"{spec.login}-sfj").first() or agency_create(
        code=f"{spec.login}-sfj",
        name=spec.justice_bureau,
        short_name=spec.justice_bureau[-6:],
        case_prefix="—",
        kind=Agency.Kind.SUPERVISION,
        province=spec.province,
    )
    people: dict[str, User] = {}
    for n, (suffix, full_name, roles) in enumerate(spec.people, start=1):
        role_list = roles.split(",")
        unit = units.get("legal") if "legal_unit" in role_list else units.get("squad") or units.get("section")
        if "head" in role_list or "approver" in role_list:
            unit = units.get("leadership", unit)
        people[suffix] = _user(
            f"{spec.login}_{suffix}",
            agency,
            role_list,
            full_name,
            unit,
            f"{spec.case_prefix[:1]}{zlib.crc32(spec.code.encode()) % 90 + 10:02d}{n:06d}"
            if "officer" in role_list
            else "",
        )
    people["supervisor"] = _user(
        f"{spec.login}_supervisor",
        bureau,
        ["supervisor"],
        f"{spec.justice_bureau}监督员",
        None,
        "",
        supervised=[agency],
    )
    return agency, people


@cache
def _demo_hash() -> str:
    """Hash the one demo password once: PBKDF2 per user would dominate the load time."""
    return make_password(DEMO_PASSWORD)


def _user(username, agency, roles, full_name, unit, cert, supervised=()) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return user_create(
        username=username,
        password_hash=_demo_hash(),
        agency=agency,
        roles=roles,
        full_name=full_name,
        certificate_no=cert,
        unit=unit,
        supervised=supervised,
    )

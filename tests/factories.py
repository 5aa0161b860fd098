"""Factories for tests: build agencies, users, parties, cases and records through the services."""

from __future__ import annotations

import itertools
from typing import Any

from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.services import agency_create, org_unit_create, user_create
from liuhen.cases import services
from liuhen.cases.models import Case, Document, Party
from liuhen.catalogue import example_fields

_seq = itertools.count(1)

ALL_CASE_ROLES = ["officer", "handler", "reviewer", "approver", "legal_unit", "head"]


def make_agency(code: str | None = None, *, profile_id: str = "", name: str | None = None) -> Agency:
    """An agency with one squad; no rule profile unless ``profile_id`` names one (then stage moves are gated)."""
    n = next(_seq)
    code = code or f"agency-{n}"
    agency = agency_create(
        code=code,
        name=name or f"测试执法局{n}",
        short_name=f"测试{n}",
        case_prefix=f"测{n}罚",
        profile_id=profile_id,
    )
    org_unit_create(by=None, agency=agency, name="执法一中队", kind=OrgUnit.Kind.SQUAD)
    return agency


def make_user(
    agency: Agency, roles: list[str] | None = None, *, username: str | None = None, name: str | None = None
) -> User:
    n = next(_seq)
    roles = roles or ["officer", "handler"]
    return user_create(
        username=username or f"user{n}",
        password="test-password-1",
        agency=agency,
        roles=roles,
        full_name=name or f"执法员{n}",
        certificate_no=f"21{n:08d}" if "officer" in roles else "",
    )


def make_party(user: User, name: str = "王某某", **extra: Any) -> Party:
    return services.party_create(
        created_by=user,
        kind=extra.pop("kind", "person"),
        name=name,
        id_type="居民身份证",
        id_number=extra.pop("id_number", "210203199001011234"),
        **extra,
    )


def make_case(user: User, *, procedure: str = "general", **extra: Any) -> Case:
    party = make_party(user)
    return services.case_open(
        opened_by=user,
        procedure=procedure,
        initiation_kind=extra.pop("initiation_kind", "ex_officio"),
        cause=extra.pop("cause", "占道经营"),
        summary=extra.pop("summary", "当事人在人行道上摆摊经营。"),
        parties=[party],
        **extra,
    )


def make_document(case: Case, user: User, doc_type: str = "inquiry_record", **overrides: Any) -> Document:
    fields = {**example_fields(doc_type), **overrides}
    return services.document_create(case=case, created_by=user, doc_type=doc_type, fields=fields)

"""A small world for the access-log tests: one agency with two squads, its officers, its legal unit and
head, a supervising justice bureau, and another agency; reads are made with an injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from liuhen.access.reads import Read, log_reads
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.services import org_unit_create, user_create
from liuhen.cases.models import Case, Document
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from tests.factories import make_agency, make_case, make_document


@dataclass
class World:
    agency: Agency
    squad1: OrgUnit
    squad2: OrgUnit
    officer: User  # squad 1
    officer2: User  # squad 2
    legal: User
    head: User
    supervisor: User
    other_legal: User  # the legal unit of another agency
    case1: Case  # squad 1's case
    case2: Case  # squad 2's case
    doc1: Document  # on case 1
    doc2: Document  # on case 1


def bj(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def read_at(at: datetime, *, user: User, reads: list[Read], purpose: str = "viewed", grant: str = "") -> None:
    with clock.frozen(at):
        log_reads(user=user, reads=reads, purpose=purpose, grant=grant)


def doc_read(doc: Document) -> Read:
    return Read(doc, ("personal",), case=doc.case)


@pytest.fixture
def world(settings) -> World:
    agency = make_agency(name="测试城市管理行政执法局")
    squad1 = agency.units.get()
    squad2 = org_unit_create(by=None, agency=agency, name="执法二中队", kind=OrgUnit.Kind.SQUAD)
    legal_unit = org_unit_create(by=None, agency=agency, name="法制股", kind=OrgUnit.Kind.LEGAL)

    def person(username: str, roles: list[str], name: str, unit: OrgUnit | None, **kw) -> User:
        cert = "2100000" + str(abs(hash(username)) % 1000).zfill(3) if "officer" in roles else ""
        return user_create(
            username=username,
            password="test-password-1",
            agency=agency,
            roles=roles,
            full_name=name,
            unit=unit,
            certificate_no=cert,
            **kw,
        )

    officer = person("al_officer", ["officer", "handler"], "张伟", squad1)
    officer2 = person("al_officer2", ["officer", "handler"], "李娜", squad2)
    legal = person("al_legal", ["legal_unit"], "王法制", legal_unit)
    head = person("al_head", ["head"], "赵局长", None)
    bureau = Agency.objects.create(
        code="al-bureau",
        name="测试区司法局",
        short_name="司法",
        case_prefix="司",
        kind=Agency.Kind.SUPERVISION,
    )
    supervisor = user_create(
        username="al_supervisor",
        password="test-password-1",
        agency=bureau,
        roles=["supervisor"],
        full_name="司法局监督员",
        supervised=[agency],
    )
    other = make_agency(name="另一执法局")
    other_legal = user_create(
        username="al_other_legal",
        password="test-password-1",
        agency=other,
        roles=["legal_unit"],
        full_name="乙法制",
    )
    with clock.frozen(bj(2026, 3, 2, 18)):
        case1 = make_case(officer, unit=squad1)
        case2 = make_case(officer2, unit=squad2)
        doc1 = make_document(case1, officer)
        doc2 = make_document(case1, officer, doc_type="inspection_record")
    return World(
        agency,
        squad1,
        squad2,
        officer,
        officer2,
        legal,
        head,
        supervisor,
        other_legal,
        case1,
        case2,
        doc1,
        doc2,
    )

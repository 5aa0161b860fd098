"""A publishing agency (legal unit, head, an officer), a justice bureau's supervisor of it, another
agency, and decision documents made with an injected clock (Beijing dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from liuhen.accounts.models import Agency, User
from liuhen.accounts.services import agency_create, user_create
from liuhen.cases.models import Case, Document
from liuhen.core import clock
from tests.factories import make_agency, make_case, make_document, make_user


def bj(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=clock.SHANGHAI)  # type: ignore[misc]


@dataclass
class World:
    agency: Agency
    other: Agency
    officer: User
    legal: User
    head: User
    supervisor: User
    other_legal: User

    def decision(
        self, decided_on: str, *, case: Case | None = None, agency_user: User | None = None, **fields: Any
    ) -> Document:
        """A 行政处罚决定书 of a legal person (the catalogue's example) decided on ``decided_on``."""
        user = agency_user or self.officer
        case = case or make_case(user)
        values = {"decided_on": decided_on, "issued_on": decided_on, "payment_deadline": "2027-12-31"}
        return make_document(case, user, "penalty_decision", **{**values, **fields})

    def person_decision(self, decided_on: str, **fields: Any) -> Document:
        """The same decision on a natural person (ID number, address and phone given)."""
        return self.decision(
            decided_on,
            party_type="natural_person",
            party_name="赵某某",
            party_id_no="210204199001011234",
            party_legal_rep="",
            party_address="大连市高新区某某小区5号楼",
            party_phone="13800001111",
            **fields,
        )

    def summary(self, decided_at: str, **fields: Any) -> Document:
        case = make_case(self.officer, procedure="summary")
        return make_document(case, self.officer, "summary_decision", decided_at=decided_at, **fields)


@pytest.fixture
def frozen():
    with clock.frozen(bj(2026, 9, 29, 10)) as move:
        yield move


@pytest.fixture
def world(db, frozen) -> World:
    agency = make_agency(name="测试城管局")
    bureau = agency_create(
        code="pub-bureau",
        name="测试区司法局",
        short_name="司法",
        case_prefix="司",
        kind=Agency.Kind.SUPERVISION,
    )
    supervisor = user_create(
        username="pub_supervisor",
        password="test-password-1",
        agency=bureau,
        roles=["supervisor"],
        full_name="司法局监督员",
        supervised=[agency],
    )
    other = make_agency(name="另一执法局")
    return World(
        agency=agency,
        other=other,
        officer=make_user(agency, ["officer", "handler"], name="张伟"),
        legal=make_user(agency, ["legal_unit"], name="王法制"),
        head=make_user(agency, ["head"], name="赵局长"),
        supervisor=supervisor,
        other_legal=make_user(other, ["legal_unit"], name="乙法制"),
    )

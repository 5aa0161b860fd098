"""Fixtures for compliance tests: an agency under an explicit rule profile with the whole staff."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from liuhen.accounts.models import Agency, User
from liuhen.accounts.services import token_issue
from liuhen.cases import services
from liuhen.cases.models import Case, Document
from tests.factories import make_agency, make_case, make_document, make_user


@dataclass
class Office:
    agency: Agency
    officer: User
    officer2: User
    head: User
    legal: User
    reviewer: User

    def case(self, **extra) -> Case:
        return make_case(self.officer, **extra)

    def approve_initiation(self, case: Case) -> Document:
        """Record what dalian-cg§6 requires before investigating: the form, with the unit's opinion
        and the head's approval given by each under their own login."""
        form = make_document(case, self.officer, "initiation_approval")
        services.approval_record(
            case=case,
            actor=self.reviewer,
            kind="review",
            decision="approve",
            opinion="同意立案",
            document=form,
        )
        services.approval_record(
            case=case,
            actor=self.head,
            kind="head_approval",
            decision="approve",
            opinion="同意立案",
            document=form,
        )
        return form


def office(profile_id: str) -> Office:
    agency = make_agency(profile_id=profile_id)
    officer = make_user(agency, ["officer", "handler"], name="张伟")
    officer.unit = agency.units.get()  # 执法一中队: the case's unit, on every A/V label
    officer.save(update_fields=["unit"])
    return Office(
        agency=agency,
        officer=officer,
        officer2=make_user(agency, ["officer"], name="李娜"),
        head=make_user(agency, ["head"], name="王局长"),
        legal=make_user(agency, ["legal_unit"], name="赵法制"),
        reviewer=make_user(agency, ["reviewer"], name="孙科长"),
    )


@pytest.fixture
def dalian() -> Office:
    return office("dalian-cg")


@pytest.fixture
def api_as(client):
    """``api_as(user)("post", path, body)``: the REST API with the user's bearer token."""

    def for_user(user: User):
        token = token_issue(user=user)

        def call(method: str, path: str, body=None):
            kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
            if body is not None:
                kwargs["data"] = json.dumps(body)
            return getattr(client, method)(f"/api{path}", **kwargs)

        return call

    return for_user

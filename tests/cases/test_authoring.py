"""Each role writes its own part (issue #11): the catalogue names who authors a type; the service holds it."""

from __future__ import annotations

import pytest

from liuhen.accounts.roles import Role, may_author
from liuhen.catalogue import CATALOGUE
from liuhen.core.codes import ROLE_CODES
from liuhen.core.errors import PermissionDenied
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_the_roles_a_catalogue_entry_may_name_are_the_role_tables():
    assert set(ROLE_CODES) == {r.value for r in Role}
    named = {role for spec in CATALOGUE.values() for role in spec.author_roles}
    assert named <= set(ROLE_CODES) and {"legal_unit", "head"} <= named


@pytest.mark.parametrize(
    ("roles", "doc_type", "allowed"),
    [
        (["legal_unit"], "legal_review_opinion", True),
        (["officer", "handler"], "legal_review_opinion", False),  # no longer typed by the officer
        (["head"], "head_approval", True),
        (["approver"], "head_approval", False),
        (["head"], "collective_discussion_record", True),
        (["legal_unit"], "collective_discussion_record", True),
        (["officer"], "inquiry_record", True),
        (["legal_unit"], "inquiry_record", False),
        (["archivist"], "inquiry_record", False),
    ],
)
def test_who_writes_which_type(roles, doc_type, allowed):
    assert may_author(roles, CATALOGUE[doc_type].author_roles) is allowed
    officer = make_user(make_agency(), ["officer", "handler"])
    case = make_case(officer)
    writer = make_user(officer.agency, roles)
    if allowed:
        document = make_document(case, writer, doc_type)
        assert document.created_by == writer
    else:
        with pytest.raises(PermissionDenied, match="您的角色不能制作"):
            make_document(case, writer, doc_type)

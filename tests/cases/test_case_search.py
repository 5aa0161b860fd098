"""Case list search (issue 11): by a party's name, a party's full ID number (only for roles cleared
for personal data) and a document's 文号, through the access layer."""

from __future__ import annotations

import pytest

from liuhen.cases import services
from liuhen.cases.selectors import CaseFilters, case_list
from tests.factories import make_agency, make_case, make_document, make_party, make_user

pytestmark = pytest.mark.django_db
ID = "210203198801015678"


@pytest.fixture
def world():
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    archivist = make_user(agency, ["archivist"])
    party = make_party(officer, "刘某某商行", id_number=ID)
    case = services.case_open(
        opened_by=officer,
        procedure="general",
        initiation_kind="ex_officio",
        cause="占道经营",
        parties=[party],
    )
    other = make_case(officer, cause="违章搭建")
    make_document(other, officer, "rectification_notice", doc_number="测责改〔2026〕7号")
    stranger = make_user(make_agency(), ["officer", "handler"])
    return {"officer": officer, "archivist": archivist, "case": case, "other": other, "stranger": stranger}


def _found(user, q):
    return {c.pk for c in case_list(user=user, filters=CaseFilters(q=q))}


def test_party_name_contains(world):
    """GIVEN a case of 刘某某商行 WHEN searching 某某商 THEN that case (and only it) is found."""
    assert _found(world["officer"], "某某商") == {world["case"].pk}
    assert _found(world["stranger"], "某某商") == set()


def test_full_id_number_only_for_personal_view(world):
    """GIVEN the party's ID number WHEN the officer (personal.view) searches it in full THEN the case is
    found; part of it finds nothing; the archivist (no personal.view) finds nothing by it."""
    assert _found(world["officer"], ID) == {world["case"].pk}
    assert _found(world["officer"], ID[:10]) == set()
    assert _found(world["archivist"], ID) == set()
    assert _found(world["archivist"], "刘某某") == {world["case"].pk}


def test_document_number(world):
    """GIVEN a 责令改正通知书 numbered 测责改〔2026〕7号 WHEN searching the 文号 THEN its case is found."""
    assert _found(world["officer"], "测责改〔2026〕7号") == {world["other"].pk}
    assert _found(world["stranger"], "测责改〔2026〕7号") == set()


def test_web_search_box(client, world):
    """WHEN the home page is searched by a party's name THEN the case list shows that case."""
    client.force_login(world["officer"])
    body = client.get("/", {"q": "刘某某"}).content.decode()
    assert f'href="/cases/{world["case"].pk}/"' in body and f'href="/cases/{world["other"].pk}/"' not in body

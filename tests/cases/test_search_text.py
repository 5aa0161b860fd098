"""Case search in Chinese through the trigram indexes (issue 14): SQLite FTS5 ``trigram`` tables kept by
triggers, PostgreSQL ``pg_trgm``; searches shorter than three characters; the masking rules of the list
(a confidential case is found by its number only; an ID number only by roles cleared for it)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection

from liuhen.cases import search, services
from liuhen.cases.selectors import CaseFilters, case_list
from tests.factories import make_agency, make_document, make_party, make_user

pytestmark = pytest.mark.django_db


_numbers = itertools.count(1)


def _open(user, cause: str, *names: str, **extra):
    parties = [make_party(user, name, id_number=f"21020319900101{next(_numbers):04d}") for name in names]
    return services.case_open(
        opened_by=user,
        procedure="general",
        initiation_kind="ex_officio",
        cause=cause,
        parties=parties,
        **extra,
    )


@pytest.fixture
def world():
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    legal = make_user(agency, ["legal_unit"])
    archivist = make_user(agency, ["archivist"])
    cases = {
        "stall": _open(officer, "占道经营", "张三丰商行"),
        "wangwu": _open(officer, "违法建设", "王五"),
        "wangwuliu": _open(officer, "乱倒垃圾", "王五六"),
        "zhangwangwu": _open(officer, "无照经营", "张王五"),
        "secret": _open(officer, "涉密违法排污", "李秘密公司", confidential=True),
    }
    stranger = make_user(make_agency(), ["officer", "handler"])
    _open(stranger, "占道经营（他局）", "张三丰商行")
    return {"officer": officer, "legal": legal, "archivist": archivist, "stranger": stranger, **cases}


def _found(world, user, q) -> set[str]:
    ids = {c.pk for c in case_list(user=world[user], filters=CaseFilters(q=q))}
    return {name for name, case in world.items() if hasattr(case, "case_no") and case.pk in ids}


def test_given_a_party_name_when_searched_by_three_characters_or_more_then_found_anywhere_in_it(world):
    """GIVEN 张三丰商行 party to one case here (and to one of another agency) WHEN searched by 三丰商 (its
    middle) or 商行 … THEN that case only; the other agency's officer finds only theirs."""
    assert _found(world, "officer", "三丰商") == {"stall"}
    assert _found(world, "officer", "张三丰商行") == {"stall"}
    assert _found(world, "stranger", "三丰商") == set()


def test_given_two_character_names_when_searched_by_two_characters_then_names_beginning_with_them(world):
    """GIVEN parties 王五, 王五六 and 张王五 WHEN searched by 王五 (shorter than a trigram) THEN the names
    that begin with it (王五, 王五六), not 张王五; by 张王五 (three) THEN that one."""
    assert _found(world, "officer", "王五") == {"wangwu", "wangwuliu"}
    assert _found(world, "officer", "张王五") == {"zhangwangwu"}
    assert _found(world, "officer", "王") == {"wangwu", "wangwuliu"}


def test_given_causes_when_searched_by_any_part_then_found(world):
    """GIVEN causes 占道经营, 无照经营 … WHEN searched by 道经营 (three, through the index), 经营 (two, row by
    row) or 垃圾 THEN the cases whose cause contains it."""
    assert _found(world, "officer", "道经营") == {"stall"}
    assert _found(world, "officer", "经营") == {"stall", "zhangwangwu"}
    assert _found(world, "officer", "垃圾") == {"wangwuliu"}


def test_given_a_case_number_when_searched_by_part_of_it_then_found_on_any_case(world):
    """GIVEN the confidential case's number WHEN searched by it in full or by its end (three characters
    or more, or fewer) THEN found, even though the case is confidential (its number is listed)."""
    number = world["secret"].case_no
    assert _found(world, "legal", number) == {"secret"}
    assert "secret" in _found(world, "legal", number[-4:])


def test_given_a_confidential_case_when_searched_by_its_cause_or_party_then_not_found(world):
    """GIVEN a confidential case (cause 涉密违法排污, party 李秘密公司) WHEN the legal unit, who sees it,
    searches its cause or its party's name THEN nothing: its listing hides what it is about."""
    assert "secret" in {n for n in _found(world, "legal", world["secret"].case_no)}
    assert _found(world, "legal", "违法排污") == set()
    assert _found(world, "legal", "李秘密公司") == set()
    assert _found(world, "legal", "排污") == set()


def test_given_an_id_number_when_searched_then_only_cleared_roles_find_it_and_only_in_full(world):
    """GIVEN 王五's ID number WHEN the officer (personal.view) searches it in full THEN found; by its
    first twelve digits (more than a trigram) THEN nothing; the archivist (no personal.view) THEN
    nothing."""
    number = world["wangwu"].parties.get().id_number
    assert _found(world, "officer", number) == {"wangwu"}
    assert _found(world, "officer", number[:12]) == set()
    assert _found(world, "archivist", number) == set()


def test_given_a_case_opened_now_when_searched_then_the_index_has_it(world):
    """GIVEN a case opened after the others (the index kept by the triggers / GIN on insert) WHEN searched
    by its party's name and its cause THEN found at once."""
    new = _open(world["officer"], "擅自砍伐树木", "赵六七八")
    assert new.pk in {c.pk for c in case_list(user=world["officer"], filters=CaseFilters(q="六七八"))}
    assert new.pk in {c.pk for c in case_list(user=world["officer"], filters=CaseFilters(q="砍伐树"))}


def test_given_many_hits_when_searched_then_the_index_is_probed_in_list_order(world, monkeypatch):
    """GIVEN the threshold of ids read at once lowered to one WHEN a word of two cases is searched
    THEN the same two cases (through the subquery the list probes row by row, not an id list)."""
    monkeypatch.setattr(search, "SPARSE", 1)
    assert _found(world, "officer", "经营") == {"stall", "zhangwangwu"}
    assert _found(world, "officer", "道经营") == {"stall"}
    assert _found(world, "officer", "王五六") == {"wangwuliu"}


@pytest.mark.parametrize(
    "q", ['"占道', '占道"经营', "a OR b", "NEAR(占道 经营)", "*", "经营*", "'", "%", "_"]
)
def test_given_search_syntax_when_searched_then_taken_as_plain_text(world, q):
    """GIVEN text that means something to FTS5 or LIKE (quotes, OR, NEAR, *, %, _) WHEN searched THEN
    no error, and nothing found (no cause or name holds it)."""
    assert _found(world, "officer", q) == set()


def test_given_the_database_when_searched_then_the_trigram_index_is_used():
    """GIVEN the migrated database WHEN its schema is read THEN SQLite has the FTS5 trigram tables and
    their insert triggers, PostgreSQL the pg_trgm GIN indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'cases_%_fts%' ORDER BY name")
            names = {row[0] for row in cursor.fetchall()}
            assert {
                "cases_case_fts",
                "cases_party_fts",
                "cases_case_fts_insert",
                "cases_party_fts_insert",
            } <= names
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'cases_%_trgm'")
            assert {row[0] for row in cursor.fetchall()} == {
                "cases_case_cause_trgm",
                "cases_case_case_no_trgm",
                "cases_party_name_trgm",
            }


@pytest.mark.parametrize("few", [20, 0])
def test_given_a_document_number_when_searched_then_found_through_the_access_layer(world, monkeypatch, few):
    """GIVEN a 责令改正通知书 numbered 测责改〔2026〕9号 on one case WHEN searched by the 文号, with its cases
    checked one by one (``FEW`` 20) or in one query (``FEW`` 0) THEN that case for the officer, nothing
    for another agency's officer."""
    monkeypatch.setattr(search, "FEW", few)
    make_document(world["wangwu"], world["officer"], "rectification_notice", doc_number="测责改〔2026〕9号")
    assert _found(world, "officer", "测责改〔2026〕9号") == {"wangwu"}
    assert _found(world, "stranger", "测责改〔2026〕9号") == set()


def test_given_short_words_when_searched_then_found_anywhere_in_cause_and_number(world):
    """GIVEN causes 占道经营 … and a case opened now (the bigram index kept by its trigger on SQLite)
    WHEN searched by one or two characters of a cause (垃, 砍伐) or of a case number, punctuation
    included (〕1) THEN exactly the cases whose cause or number holds them."""
    new = _open(world["officer"], "擅自砍伐树木", "赵六七八")
    assert _found(world, "officer", "垃") == {"wangwuliu"}
    assert new.pk in {c.pk for c in case_list(user=world["officer"], filters=CaseFilters(q="砍伐"))}
    tail = new.case_no[new.case_no.index("〕") : new.case_no.index("〕") + 2]  # 〕 and the first digit
    numbered = {c.pk for c in case_list(user=world["officer"], filters=CaseFilters(q=tail))}
    assert new.pk in numbered
    assert all(tail in c.case_no for c in case_list(user=world["officer"], filters=CaseFilters(q=tail)))

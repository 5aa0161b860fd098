"""Case list read a page at a time by keyset (issue 14, "fast at a million cases"): every case once,
whatever is inserted meanwhile; a cursor a client spoiled is a 422 naming ``cursor``; the former
``offset`` pages still answer, bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liuhen.accounts.services import token_issue
from liuhen.api import cases as cases_api
from liuhen.cases.models import Case
from liuhen.cases.selectors import CaseFilters, case_list
from liuhen.core import clock, keyset
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def world():
    """Eleven cases of one agency, in pairs opened at the same instant (ties broken by id), and one
    case of another agency."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    with clock.frozen(START) as move:
        for n in range(11):
            move(START + timedelta(minutes=n // 2))
            make_case(officer, cause=f"占道经营{n}")
        make_case(make_user(make_agency()), cause="他局案件")
    return {"officer": officer, "agency": agency}


def _expected(agency) -> list[int]:
    return list(Case.objects.filter(agency=agency).order_by("-opened_at", "-id").values_list("pk", flat=True))


def _walk(user, size: int, filters: CaseFilters | None = None) -> tuple[list[list[int]], list[str | None]]:
    """The pages read by following ``next`` from the first, and each page's ``prev`` cursor."""
    pages, prevs, cursor = [], [], None
    while True:
        page = keyset.page(case_list(user=user, filters=filters), cursor=cursor, size=size)
        pages.append([c.pk for c in page.items])
        prevs.append(page.prev)
        if page.next is None:
            return pages, prevs
        cursor = page.next


def test_given_eleven_cases_when_walked_three_at_a_time_then_each_once_in_order(world):
    """GIVEN eleven cases, pairs of them opened at the same instant WHEN the list is walked by ``next``
    three at a time THEN four pages hold every case of the agency exactly once, newest first, ties by
    id; the first page has no ``prev``, the others do."""
    pages, prevs = _walk(world["officer"], 3)
    assert [len(p) for p in pages] == [3, 3, 3, 2]
    assert [pk for p in pages for pk in p] == _expected(world["agency"])
    assert prevs[0] is None and all(prevs[1:])


def test_given_the_last_page_when_walked_back_by_prev_then_the_same_pages_in_reverse(world):
    """GIVEN the pages walked forward WHEN walked back from the last by ``prev`` THEN the same pages come
    back, and the first page has no ``prev`` again."""
    user = world["officer"]
    forward, prevs = _walk(user, 3)
    back, cursor = [], prevs[-1]
    while cursor:
        page = keyset.page(case_list(user=user), cursor=cursor, size=3)
        back.append([c.pk for c in page.items])
        cursor = page.prev
    assert back == forward[-2::-1]


def test_given_a_walk_under_way_when_cases_are_opened_then_no_case_repeats_or_is_missed(world):
    """GIVEN the first page read WHEN a new case is opened (the newest) before the next page is read
    THEN the rest of the walk holds every case that was there, once, and not the new one (it is on top,
    where a walk from the first page finds it)."""
    user = world["officer"]
    before = _expected(world["agency"])
    first = keyset.page(case_list(user=user), cursor=None, size=4)
    with clock.frozen(START + timedelta(days=1)):
        newest = make_case(user, cause="新开案件")
    seen, cursor = [c.pk for c in first.items], first.next
    while cursor:
        page = keyset.page(case_list(user=user), cursor=cursor, size=4)
        seen += [c.pk for c in page.items]
        cursor = page.next
    assert seen == before
    assert keyset.page(case_list(user=user), cursor=None, size=4).items[0].pk == newest.pk


def test_given_a_filter_when_walked_then_only_matching_cases_once(world):
    """GIVEN a search that matches four of the eleven causes WHEN walked two at a time THEN those four,
    once each, in order."""
    for n in range(4):
        make_case(world["officer"], cause=f"违法建设{n}")
    pages, _ = _walk(world["officer"], 2, CaseFilters(q="违法建设"))
    found = [pk for p in pages for pk in p]
    assert len(found) == 4 and found == sorted(found, reverse=True)
    assert {c.cause for c in Case.objects.filter(pk__in=found)} == {f"违法建设{n}" for n in range(4)}


@pytest.fixture
def auth(world):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=world['officer'])}"}


def test_given_the_api_when_walked_by_cursor_then_each_case_once(client, world, auth):
    """GIVEN /api/cases WHEN walked by ``cursor`` four at a time THEN every visible case once, newest
    first, and no count is computed (keyset pages carry none)."""
    seen, url = [], "/api/cases?limit=4"
    while url:
        body = client.get(url, **auth).json()
        assert set(body) == {"items", "next", "prev"}, body
        seen += [item["id"] for item in body["items"]]
        url = f"/api/cases?limit=4&cursor={body['next']}" if body["next"] else None
    assert seen == _expected(world["agency"])


@pytest.mark.parametrize(
    "cursor", ["nonsense", "eyJkIjoibmV4dCJ9", "e30", "%00", "eyJkIjoibmV4dCIsImsiOlsiIiwxXX0"]
)
def test_given_a_spoiled_cursor_when_listing_then_422_naming_cursor(client, world, auth, cursor):
    """GIVEN a cursor that is not one the list gave (garbage, a JSON without the key, a key without a
    time) WHEN /api/cases is asked with it THEN 422 naming ``cursor``, never a 500."""
    response = client.get(f"/api/cases?cursor={cursor}", **auth)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_given_offset_pages_when_listing_then_they_still_answer_with_the_count_and_are_bounded(
    client, world, auth, monkeypatch
):
    """GIVEN eleven visible cases WHEN /api/cases is asked by offset THEN the former page and count;
    past the rows there, an empty page; deeper than MAX_OFFSET into rows that are there, 422 naming
    ``offset`` (the cursor reads those)."""
    expected = _expected(world["agency"])
    body = client.get("/api/cases?offset=3&limit=4", **auth).json()
    assert body == {"items": body["items"], "count": 11}
    assert [i["id"] for i in body["items"]] == expected[3:7]
    assert client.get("/api/cases?offset=11", **auth).json() == {"items": [], "count": 11}
    monkeypatch.setattr(cases_api, "MAX_OFFSET", 5)
    response = client.get("/api/cases?offset=6", **auth)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["offset"]


def test_given_the_web_list_when_paged_then_links_carry_cursors_and_a_spoiled_one_says_so(client, world):
    """GIVEN 31 cases WHEN the case list page is read THEN 30 rows, 共 31 件 and a 下一页 link whose
    cursor shows the last case; a spoiled cursor shows the first page and says the link is no good."""
    for n in range(20):
        make_case(world["officer"], cause=f"乱堆物料{n}")
    client.force_login(world["officer"])
    first = client.get("/")
    assert len(first.context["page"].items) == 30 and "共 31 件" in first.content.decode()
    second = client.get("/", {"cursor": first.context["page"].next})
    assert [c.pk for c in second.context["page"].items] == _expected(world["agency"])[30:]
    assert "上一页" in second.content.decode()
    spoiled = client.get("/", {"cursor": "garbage"})
    assert spoiled.status_code == 200 and keyset.BAD_CURSOR in spoiled.content.decode()
    assert len(spoiled.context["page"].items) == 30

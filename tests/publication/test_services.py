"""Publication records on the database: the clock rows made from the decisions, publication on time
and late, withdrawal, who may write, the list's order and filters, and the records append-only."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, transaction

from liuhen.cases.services import document_amend
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from liuhen.ledger.models import LedgerEntry
from liuhen.publication.models import Publication, PublicationClock
from liuhen.publication.selectors import ListFilters, parse_filters, publication_page
from liuhen.publication.services import PublicationFacts, publication_record, publication_withdraw
from tests.publication.conftest import bj

pytestmark = pytest.mark.django_db


def publish(world, doc, on: date, channel: str = "portal", by=None) -> Publication:
    facts = PublicationFacts(doc.pk, channel, on, "https://www.example.gov.cn/zfgs/1.html")
    return publication_record(by=by or world.legal, facts=facts)


def states(world, user=None) -> dict[int, str]:
    page = publication_page(user=user or world.legal, filters=ListFilters())
    return {row.clock.document_id: row.state for row in page.rows}


def test_given_a_decision_then_its_clock_row_has_both_deadlines_on_the_calendar(world):
    """GIVEN a penalty on a company decided Tue 2026-09-29 WHEN the list is read THEN it is 待公示, due
    10-14, credit platform due 11-02 (the calendar's 国庆 holiday and 调休 Saturday counted)."""
    doc = world.decision("2026-09-29")
    page = publication_page(user=world.legal, filters=ListFilters())
    [row] = page.rows
    assert row.clock.document_id == doc.pk
    assert (row.clock.due_on, row.clock.credit_due_on) == (date(2026, 10, 14), date(2026, 11, 2))
    assert (row.state, row.credit_state) == ("pending", "pending")


def test_given_publications_on_time_late_and_none_then_states_and_overdue_first(world, frozen):
    """GIVEN three decisions of 09-29 WHEN one is published on 10-14, one on 10-16, one never and the
    clock is at 10-20 THEN 已公示 / 逾期公示 / 逾期未公示, the unpublished one listed first."""
    on_time, late, never = (world.decision("2026-09-29") for _ in range(3))
    frozen(bj(2026, 10, 20, 9))
    publish(world, on_time, date(2026, 10, 14))
    publish(world, late, date(2026, 10, 16))
    page = publication_page(user=world.legal, filters=ListFilters())
    assert [r.clock.document_id for r in page.rows][0] == never.pk
    assert states(world) == {on_time.pk: "published", late.pk: "late", never.pk: "overdue"}
    only_late = publication_page(user=world.legal, filters=ListFilters(state="late"))
    assert [r.clock.document_id for r in only_late.rows] == [late.pk]


def test_given_a_publication_when_withdrawn_then_a_new_row_with_the_reason_and_the_state_is_withdrawn(world):
    """GIVEN a published decision WHEN withdrawn (the decision revoked) THEN a withdrawal row with the
    reason, the publication row unchanged, the state 已撤下; a second withdrawal is a 409."""
    doc = world.decision("2026-09-22")
    publication = publish(world, doc, date(2026, 9, 28))
    publication_withdraw(
        by=world.head,
        publication_id=publication.pk,
        withdrawn_on=date(2026, 9, 29),
        reason="决定已被复议机关撤销",
    )
    assert states(world) == {doc.pk: "withdrawn"}
    assert Publication.objects.get(pk=publication.pk).published_on == date(2026, 9, 28)
    with pytest.raises(Conflict):
        publication_withdraw(
            by=world.head, publication_id=publication.pk, withdrawn_on=date(2026, 9, 29), reason="再撤"
        )
    actions = list(
        LedgerEntry.objects.filter(action__startswith="publication.").values_list("action", flat=True)
    )
    assert actions == ["publication.recorded", "publication.withdrawn"]


def test_given_bad_input_then_422_naming_the_field(world):
    """GIVEN a decision WHEN recorded with a future date, no reference, before the decision, an unknown
    channel, or on a document that is not a decision THEN 422 naming the field."""
    doc = world.decision("2026-09-22")
    other_doc = world.decision("2026-09-22", doc_number="X")  # any
    cases = [
        (PublicationFacts(doc.pk, "portal", date(2026, 10, 1), "u"), "published_on"),
        (PublicationFacts(doc.pk, "portal", date(2026, 9, 28), "  "), "reference"),
        (PublicationFacts(doc.pk, "portal", date(2026, 9, 21), "u"), "published_on"),
        (PublicationFacts(doc.pk, "tv", date(2026, 9, 28), "u"), "channel"),
    ]
    for facts, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            publication_record(by=world.legal, facts=facts)
        assert caught.value.errors[0].field == field
    from tests.factories import make_document

    record = make_document(other_doc.case, world.officer)  # an inquiry record
    with pytest.raises(ValidationFailed) as caught:
        publication_record(
            by=world.legal, facts=PublicationFacts(record.pk, "portal", date(2026, 9, 28), "u")
        )
    assert caught.value.errors[0].field == "document_id"
    with pytest.raises(ValidationFailed) as caught:
        publication_withdraw(by=world.legal, publication_id=1, withdrawn_on=date(2026, 9, 28), reason=" ")
    assert caught.value.errors[0].field == "reason"
    with pytest.raises(ValidationFailed) as caught:
        parse_filters(world.legal, {"state": "done", "from": "2026-13-01"})
    assert {e.field for e in caught.value.errors} == {"state", "from"}


def test_given_the_supervisor_then_it_reads_the_list_but_never_records(world):
    """GIVEN the bureau's supervisor of the agency WHEN it reads THEN it sees the decision; WHEN it
    records or withdraws THEN forbidden; another agency's legal unit sees nothing and gets 404."""
    doc = world.decision("2026-09-22")
    assert states(world, world.supervisor) == {doc.pk: "pending"}
    with pytest.raises(PermissionDenied):
        publish(world, doc, date(2026, 9, 28), by=world.supervisor)
    publication = publish(world, doc, date(2026, 9, 28))
    with pytest.raises(PermissionDenied):
        publication_withdraw(
            by=world.supervisor, publication_id=publication.pk, withdrawn_on=date(2026, 9, 28), reason="x"
        )
    assert states(world, world.other_legal) == {}
    with pytest.raises(NotFound):
        publish(world, doc, date(2026, 9, 28), by=world.other_legal)
    with pytest.raises(NotFound):
        publication_withdraw(
            by=world.other_legal, publication_id=publication.pk, withdrawn_on=date(2026, 9, 28), reason="x"
        )
    with pytest.raises(PermissionDenied):
        publish(world, doc, date(2026, 9, 28), by=world.officer)


def test_given_an_amended_decision_date_then_the_clock_follows_it(world):
    """GIVEN a decision of 09-22 WHEN its decision date is amended to 09-29 THEN the deadline moves to 10-14."""
    doc = world.decision("2026-09-22")
    assert publication_page(user=world.legal, filters=ListFilters()).rows[0].clock.due_on == date(2026, 10, 9)
    document_amend(
        document=doc,
        amended_by=world.officer,
        changes={"decided_on": "2026-09-29", "issued_on": "2026-09-29"},
        reason="决定日期笔误",
    )
    assert publication_page(user=world.legal, filters=ListFilters()).rows[0].clock.due_on == date(
        2026, 10, 14
    )


def test_given_many_decisions_then_keyset_pages_cover_each_once_in_order(world):
    """GIVEN 7 decisions WHEN read 3 at a time by cursor THEN every one once, in the list's order."""
    docs = [world.decision(f"2026-09-{d:02d}") for d in (21, 8, 15, 1, 22, 9, 2)]
    seen, cursor = [], ""
    while True:
        page = publication_page(user=world.legal, filters=ListFilters(), cursor=cursor, limit=3)
        seen += [r.clock for r in page.rows]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(c.document_id for c in seen) == sorted(d.pk for d in docs)
    assert [c.sort_on for c in seen] == sorted(c.sort_on for c in seen)


def test_publication_rows_are_append_only(world):
    """GIVEN a publication row WHEN updated or deleted in the database THEN refused."""
    publication = publish(world, world.decision("2026-09-22"), date(2026, 9, 28))
    for attempt in (
        lambda: Publication.objects.filter(pk=publication.pk).update(reference="伪造"),
        lambda: Publication.objects.filter(pk=publication.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert PublicationClock.objects.count() == 1


def test_given_a_year_without_a_calendar_then_the_list_says_the_deadline_is_unknown(world, client):
    """GIVEN a decision dated 2031 (no holiday calendar for 2031) WHEN listed THEN no deadline, 待公示,
    listed after every decision with a deadline, and the page says 无法计算（缺少该年度节假日安排）."""
    dated = world.decision("2026-09-22")
    unknown = world.decision("2031-03-03", payment_deadline="2031-12-31")
    rows = publication_page(user=world.legal, filters=ListFilters()).rows
    assert [r.clock.document_id for r in rows] == [dated.pk, unknown.pk]
    assert (rows[1].clock.due_on, rows[1].state) == (None, "pending")
    client.force_login(world.legal)
    html = client.get("/publications/").content.decode()
    assert "无法计算" in html and "缺少该年度节假日安排" in html

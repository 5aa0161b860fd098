"""The inbox section of 执法公示 (wired into the inbox by liuhen.compliance.inbox): decisions of the
user's own agency not yet published, overdue first, for publication.manage holders only."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from liuhen.core import clock
from liuhen.publication.inbox import section, shown
from liuhen.publication.services import PublicationFacts, publication_record
from tests.publication.conftest import bj

pytestmark = pytest.mark.django_db


def ask(user, counts_only: bool = False):
    return SimpleNamespace(user=user, now=clock.now(), counts_only=counts_only)


def test_given_decisions_then_the_unpublished_are_due_overdue_first_and_the_published_gone(world, frozen):
    """GIVEN decisions of 09-22 (due 10-09) and 10-12 (due 10-21) and one published WHEN the inbox is
    read on 10-12 THEN two items, the overdue one first with its deadline in Beijing time, linking to
    the publication list; the officer and the supervisor have no such section."""
    old = world.decision("2026-09-22")
    published = world.decision("2026-09-22")
    frozen(bj(2026, 10, 12, 9))
    new = world.decision("2026-10-12")
    publication_record(
        by=world.legal, facts=PublicationFacts(published.pk, "portal", date(2026, 10, 9), "https://x/1")
    )
    found = section(ask(world.legal))
    assert found.count == 2 and found.title == "执法公示"
    first, second = found.items
    assert (first.ref_id, first.overdue, first.place) == (old.pk, True, "publication")
    assert first.due_at == bj(2026, 10, 9, 23, 59) and "7个工作日" in first.why
    assert (second.ref_id, second.overdue) == (new.pk, False)
    assert section(ask(world.head, counts_only=True)).count == 2
    assert section(ask(world.head, counts_only=True)).items == []
    assert shown(world.legal) and shown(world.head)
    assert not shown(world.officer) and not shown(world.supervisor)

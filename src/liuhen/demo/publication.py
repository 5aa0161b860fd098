"""执法公示 in the demo (issue #14): the legal unit finds one decision already published (on the
agency's portal, within its 7 working days) and the others waiting with their clocks running — so
the list, the inbox and the 双公示 export have something to show on first login."""

from __future__ import annotations

from liuhen.accounts.models import Agency, User
from liuhen.publication.clock import clock_sync, today
from liuhen.publication.models import PublicationClock
from liuhen.publication.services import PublicationFacts, publication_record


def demo_publication(agency: Agency, people: dict[str, User]) -> None:
    """Publish the agency's earliest decision (if it has two or more: one published, the rest due);
    called per agency after its cases are played, in its transaction. Does nothing twice."""
    legal = people.get("legal")
    if legal is None or agency.kind != Agency.Kind.ENFORCEMENT:
        return
    clock_sync([agency.pk])
    rows = list(PublicationClock.objects.filter(agency=agency).order_by("decided_on", "id"))
    if len(rows) < 2 or any(not r.open for r in rows):
        return
    first = rows[0]
    if first.decided_on is None:
        return
    on = min(today(), first.due_on or first.decided_on)
    publication_record(
        by=legal,
        facts=PublicationFacts(
            document_id=first.document_id,
            channel="portal",
            published_on=max(on, first.decided_on),
            reference=f"{agency.name}门户网站·行政执法公示·{first.doc_number or first.case.case_no}",
        ),
    )

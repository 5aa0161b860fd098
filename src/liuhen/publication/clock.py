"""The publication clock: each decision's deadlines on the holiday calendar, its state, and the sync
that keeps :class:`~liuhen.publication.models.PublicationClock` in step with the documents.

Deadlines (国办发〔2018〕118号: "自执法决定作出之日起7个工作日内"): the decision date is not counted;
``due_on`` is the ``publication_working_days``-th working day after it
(:func:`liuhen.rules.workdays.add_working_days`, the same counting as a party's request in
:mod:`liuhen.disclosure`); a deadline read on a provisional calendar is flagged ``provisional``; with
no calendar for the year the deadline is unknown (never guessed) and the row says so.

The pure part (:func:`decision_date`, :func:`deadlines`, :func:`state_of`) imports no Django model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from liuhen.core import clock as core_clock
from liuhen.rules.workdays import CalendarMissing, add_working_days, is_provisional

SYNC_BATCH = 2000
FAR = date(9999, 12, 31)  # sort key of a row whose deadline is unknown: after every known one

STATES: dict[str, str] = {
    "pending": "待公示",
    "overdue": "逾期未公示",
    "published": "已公示",
    "late": "逾期公示",
    "withdrawn": "已撤下",
}
CREDIT_STATES: dict[str, str] = {
    "": "无需报送",
    "exempt": "按规定不报送",
    "pending": "待报送",
    "overdue": "逾期未报送",
    "done": "已报送",
    "late": "逾期报送",
}


def today() -> date:
    return core_clock.now().astimezone(core_clock.SHANGHAI).date()


def decision_date(doc_type: str, fields: Mapping[str, Any]) -> date | None:
    """The date the decision was made (Beijing): ``decided_on``, else the date of ``decided_at``
    (简易程序: 处罚时间), else ``issued_on``; ``None`` when none can be read."""
    for key in ("decided_on", "decided_at", "issued_on"):
        raw = fields.get(key)
        if not isinstance(raw, str) or not raw:
            continue
        try:
            if "T" in raw or " " in raw:
                moment = datetime.fromisoformat(raw)
                if moment.tzinfo is not None:
                    moment = moment.astimezone(core_clock.SHANGHAI)
                return moment.date()
            return date.fromisoformat(raw)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Deadlines:
    due_on: date | None
    credit_due_on: date | None
    provisional: bool


def deadlines(decided_on: date | None, working_days: int, credit_working_days: int | None) -> Deadlines:
    """The publication deadline and (``credit_working_days`` given) the credit-platform deadline."""
    if decided_on is None:
        return Deadlines(None, None, False)
    try:
        due = add_working_days(decided_on, working_days)
        credit = add_working_days(decided_on, credit_working_days) if credit_working_days else None
        provisional = is_provisional(decided_on, credit or due)
    except CalendarMissing:
        return Deadlines(None, None, False)
    return Deadlines(due, credit, provisional)


def state_of(*, due_on: date | None, published_on: date | None, withdrawn: bool, on: date) -> str:
    """待公示 / 逾期未公示 / 已公示 / 逾期公示 / 已撤下 (a key of :data:`STATES`) on the day ``on``."""
    if published_on is not None:
        return "late" if due_on is not None and published_on > due_on else "published"
    if withdrawn:
        return "withdrawn"
    return "overdue" if due_on is not None and on > due_on else "pending"


def credit_state_of(
    *, credit_due_on: date | None, credit_published_on: date | None, exempt: bool, on: date
) -> str:
    """The credit-platform state (a key of :data:`CREDIT_STATES`); "" when no push is due."""
    if exempt:
        return "exempt"
    if credit_due_on is None:
        return ""
    if credit_published_on is not None:
        return "late" if credit_published_on > credit_due_on else "done"
    return "overdue" if on > credit_due_on else "pending"


# --- the sync (Django) -----------------------------------------------------------------------------


def clock_sync(agency_ids: Iterable[int]) -> int:
    """Add a clock row for every decision document of the agencies that has none yet, and recompute
    the rows whose document was amended since; return the number of rows added or recomputed.

    Incremental: documents are read above the highest document id the clock holds for the agency
    (an index lookup), amendments above the agency's :class:`PublicationSyncCursor` (a rowid range),
    so a sync with nothing new is three small queries per agency. Rows are added with
    ``ignore_conflicts`` so two requests syncing at once do not collide."""
    from liuhen.accounts.models import Agency
    from liuhen.cases.models import Amendment, Document
    from liuhen.publication.models import PublicationClock, PublicationSyncCursor
    from liuhen.publication.policy import agency_policy

    done = 0
    for agency in Agency.objects.filter(pk__in=list(agency_ids), kind=Agency.Kind.ENFORCEMENT):
        policy = agency_policy(agency)
        held = PublicationClock.objects.filter(agency=agency)
        last_doc = held.aggregate(m=Max("document_id"))["m"] or 0  # index pubclock_sync
        cursor, _ = PublicationSyncCursor.objects.get_or_create(agency=agency)
        memo: dict[tuple[date | None, bool], Deadlines] = {}
        while True:  # in batches, so that a first sync after a bulk import holds little in memory
            batch = list(
                Document.objects.filter(case__agency=agency, doc_type__in=policy.doc_types, pk__gt=last_doc)
                .select_related("case")
                .prefetch_related("amendments")
                .order_by("pk")[:SYNC_BATCH]
            )
            if not batch:
                break
            rows = [_row(doc, policy, memo) for doc in batch]
            PublicationClock.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
            done += len(rows)
            last_doc = batch[-1].pk
        # amendments since the last sync (a rowid range), those of this agency's decisions recomputed
        fresh = list(
            Amendment.objects.filter(pk__gt=cursor.amendment_id)
            .order_by("pk")
            .values_list("pk", "document_id")[: SYNC_BATCH * 10]
        )
        if fresh:
            amended = set(
                held.filter(document_id__in={d for _, d in fresh}).values_list("document_id", flat=True)
            )
            if amended:
                done += _recompute(agency.pk, amended, policy)
            PublicationSyncCursor.objects.filter(pk=cursor.pk).update(amendment_id=fresh[-1][0])
    return done


def _fields(doc: Any) -> tuple[dict[str, Any], int]:
    """The document's current fields (after its amendments) and the id of its last amendment."""
    amendments = list(doc.amendments.all())
    fields = dict(doc.versions()[-1].fields) if amendments else dict(doc.fields)
    return fields, max((a.pk for a in amendments), default=0)


def _row(doc: Any, policy: Any, memo: dict) -> Any:
    from liuhen.publication.models import PublicationClock

    fields, last_amendment = _fields(doc)
    values = _values(doc, fields, policy, memo)
    return PublicationClock(
        agency_id=doc.case.agency_id,
        case_id=doc.case_id,
        document_id=doc.pk,
        doc_type=doc.doc_type,
        amendment_seen=last_amendment,
        **values,
    )


def _values(doc: Any, fields: Mapping[str, Any], policy: Any, memo: dict | None = None) -> dict[str, Any]:
    decided_on = decision_date(doc.doc_type, fields)
    party_type = str(fields.get("party_type") or "")
    kinds = set(fields.get("penalty_kinds") or ([fields["penalty"]] if fields.get("penalty") else []))
    exempt = policy.credit_exempt(party_type=party_type, doc_type=doc.doc_type, kinds=kinds)
    credit_days = policy.credit_working_days if policy.credit_due(party_type) and not exempt else None
    key = (decided_on, credit_days is not None)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = deadlines(decided_on, policy.working_days, credit_days)
        if memo is not None:
            memo[key] = found
    return {
        "decided_on": decided_on,
        "due_on": found.due_on,
        "credit_due_on": found.credit_due_on,
        "sort_on": found.due_on or FAR,
        "provisional": found.provisional,
        "party_type": party_type,
        "party_name": str(fields.get("party_name", ""))[:200],
        "doc_number": str(fields.get("doc_number") or doc.number or "")[:64],
        "credit_exempt": exempt,
    }


@transaction.atomic
def _recompute(agency_id: int, document_ids: set[int], policy: Any) -> int:
    from liuhen.cases.models import Document
    from liuhen.publication.models import PublicationClock

    count = 0
    docs = Document.objects.filter(pk__in=document_ids).select_related("case").prefetch_related("amendments")
    for doc in docs:
        fields, last_amendment = _fields(doc)
        count += PublicationClock.objects.filter(agency_id=agency_id, document_id=doc.pk).update(
            amendment_seen=last_amendment, **_values(doc, fields, policy)
        )
    return count

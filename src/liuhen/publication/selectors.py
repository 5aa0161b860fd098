"""Reads of publication: the list of decisions with their deadlines and states (overdue first),
filters, keyset pages, and the list's export rows. Every read starts from
:func:`liuhen.access.scope_publication.publication_clocks`, after :func:`clock_sync` of the user's
visible agencies (incremental: nothing to do when no decision is new)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import F, Q, QuerySet

from liuhen.access import scope
from liuhen.access.scope_publication import publication_clocks
from liuhen.accounts.models import User
from liuhen.catalogue import get_type
from liuhen.core.errors import FieldError, ValidationFailed
from liuhen.publication.clock import (
    CREDIT_STATES,
    FAR,
    STATES,
    clock_sync,
    credit_state_of,
    state_of,
    today,
)
from liuhen.publication.models import Publication, PublicationClock

MAX_LIMIT = 200
PARTY_TYPES = {
    "natural_person": "自然人",
    "individual_business": "个体工商户",
    "legal_person": "法人",
    "other_organization": "其他组织",
}


@dataclass(frozen=True)
class ListFilters:
    state: str = ""
    agency: int | None = None
    decided_from: date | None = None
    decided_to: date | None = None

    def as_query(self) -> dict[str, str]:
        out = {"state": self.state, "agency": str(self.agency or "")}
        out["from"] = self.decided_from.isoformat() if self.decided_from else ""
        out["to"] = self.decided_to.isoformat() if self.decided_to else ""
        return {k: v for k, v in out.items() if v}


def parse_date(data: Mapping[str, str], name: str) -> date | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            "参数有误", errors=[FieldError(name, "invalid", "日期格式应为 2026-03-02")]
        ) from None


def parse_filters(user: User, data: Mapping[str, str]) -> ListFilters:
    """The filters from a query; each bad one is a 422 naming it."""
    errors: list[FieldError] = []
    state = (data.get("state") or "").strip()
    if state and state not in STATES:
        errors.append(FieldError("state", "invalid", "状态须为：" + "、".join(STATES.values())))
    agency = None
    raw_agency = (data.get("agency") or "").strip()
    if raw_agency:
        if not raw_agency.isdigit() or int(raw_agency) not in scope.visible_agency_ids(user):
            errors.append(FieldError("agency", "invalid", "机关不存在或不在您可查看的范围内"))
        else:
            agency = int(raw_agency)
    dates: dict[str, date | None] = {}
    for name in ("from", "to"):
        try:
            dates[name] = parse_date(data, name)
        except ValidationFailed as exc:
            errors += exc.errors
    if dates.get("from") and dates.get("to") and dates["from"] > dates["to"]:  # type: ignore[operator]
        errors.append(FieldError("to", "before_from", "截止日期不能早于起始日期"))
    if errors:
        raise ValidationFailed("参数有误", errors=errors)
    return ListFilters(state, agency, dates.get("from"), dates.get("to"))


def _state_q(state: str, on: date) -> Q:
    if state == "pending":
        return Q(open=True, sort_on__gte=on)
    if state == "overdue":
        return Q(open=True, sort_on__lt=on)
    if state == "withdrawn":
        return Q(open=False, withdrawn=True)
    late = Q(published_on__gt=F("due_on"))
    if state == "late":
        return Q(open=False, published_on__isnull=False) & late
    return Q(open=False, published_on__isnull=False) & ~late  # published


def filtered(user: User, filters: ListFilters) -> QuerySet[PublicationClock]:
    """The user's decisions to publish matching ``filters``, overdue and soonest-due first."""
    qs = publication_clocks(user)
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency)
    if filters.state:
        qs = qs.filter(_state_q(filters.state, today()))
    if filters.decided_from:
        qs = qs.filter(decided_on__gte=filters.decided_from)
    if filters.decided_to:
        qs = qs.filter(decided_on__lte=filters.decided_to)
    return qs.order_by("-open", "sort_on", "id")


@dataclass(frozen=True)
class PublicationRow:
    clock: PublicationClock
    state: str
    credit_state: str
    publications: list[Publication] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def credit_label(self) -> str:
        return CREDIT_STATES[self.credit_state]

    @property
    def overdue(self) -> bool:
        return self.state in ("overdue", "late") or self.credit_state in ("overdue", "late")

    @property
    def title(self) -> str:
        found = get_type(self.clock.doc_type)
        return found.title if found else "决定书"

    @property
    def party_type_label(self) -> str:
        return PARTY_TYPES.get(self.clock.party_type, "")

    def as_json(self) -> dict:
        c = self.clock
        return {
            "document_id": c.document_id,
            "case_id": c.case_id,
            "case_no": c.case.case_no,
            "agency_id": c.agency_id,
            "doc_type": c.doc_type,
            "doc_number": c.doc_number,
            "party_name": c.party_name,
            "party_type": c.party_type,
            "decided_on": c.decided_on,
            "due_on": c.due_on,
            "due_provisional": c.provisional,
            "credit_due_on": c.credit_due_on,
            "state": self.state,
            "state_label": self.state_label,
            "credit_state": self.credit_state,
            "credit_state_label": self.credit_label,
            "published_on": c.published_on,
            "credit_published_on": c.credit_published_on,
            "publications": [
                {
                    "id": p.pk,
                    "channel": p.channel,
                    "published_on": p.published_on,
                    "reference": p.reference,
                    "withdrawn_on": p.withdrawal.withdrawn_on if _has_withdrawal(p) else None,
                    "withdrawal_reason": p.withdrawal.reason if _has_withdrawal(p) else "",
                }
                for p in self.publications
            ],
        }


def _has_withdrawal(p: Publication) -> bool:
    try:
        p.withdrawal  # noqa: B018
    except Exception:  # no withdrawal row
        return False
    return True


def _rows(clocks: list[PublicationClock], on: date) -> list[PublicationRow]:
    return [
        PublicationRow(
            clock=c,
            state=state_of(due_on=c.due_on, published_on=c.published_on, withdrawn=c.withdrawn, on=on),
            credit_state=credit_state_of(
                credit_due_on=c.credit_due_on,
                credit_published_on=c.credit_published_on,
                exempt=c.credit_exempt,
                on=on,
            ),
            publications=list(getattr(c, "records", [])),
        )
        for c in clocks
    ]


@dataclass(frozen=True)
class Page:
    rows: list[PublicationRow]
    next_cursor: str  # "" on the last page


def encode_cursor(c: PublicationClock) -> str:
    return f"{int(c.open)}.{c.sort_on.isoformat()}.{c.pk}"


def decode_cursor(raw: str) -> tuple[bool, date, int]:
    try:
        flag, day, pk = raw.split(".")
        if flag not in ("0", "1"):
            raise ValueError(flag)
        return flag == "1", date.fromisoformat(day), int(pk)
    except ValueError:
        raise ValidationFailed(
            "参数有误", errors=[FieldError("cursor", "invalid", "翻页参数无效，请从第一页开始")]
        ) from None


def publication_page(*, user: User, filters: ListFilters, cursor: str = "", limit: int = 50) -> Page:
    """One keyset page (``cursor`` from the previous page) of at most ``limit`` rows.

    One query per visible agency, each walking the index ``pubclock_list`` (agency, -open, sort_on,
    id) from the cursor, merged here: a supervisor of several agencies gets index scans, not a sort
    of every row of them all."""
    agency_ids = [filters.agency] if filters.agency is not None else scope.visible_agency_ids(user)
    clock_sync(agency_ids)
    limit = max(1, min(limit, MAX_LIMIT))
    after = Q()
    if cursor:
        is_open, sort_on, pk = decode_cursor(cursor)
        later = Q(sort_on__gt=sort_on) | Q(sort_on=sort_on, id__gt=pk)
        after = (Q(open=True) & later) | Q(open=False) if is_open else Q(open=False) & later
    found: list[PublicationClock] = []
    for agency_id in agency_ids:
        each = filtered(user, replace(filters, agency=agency_id)).filter(after)
        found += each.select_related("case")[: limit + 1]
    found.sort(key=lambda c: (not c.open, c.sort_on, c.pk))
    _attach_publications(found[:limit])
    more = len(found) > limit
    return Page(_rows(found[:limit], today()), encode_cursor(found[limit - 1]) if more else "")


def _attach_publications(clocks: list[PublicationClock]) -> None:
    by_doc: dict[int, list[Publication]] = {}
    records = Publication.objects.filter(document_id__in=[c.document_id for c in clocks]).select_related(
        "withdrawal"
    )
    for p in records.order_by("id"):
        by_doc.setdefault(p.document_id, []).append(p)
    for c in clocks:
        c.records = by_doc.get(c.document_id, [])  # type: ignore[attr-defined]


def count(*, user: User, filters: ListFilters) -> int:
    return filtered(user, filters).count()


EXPORT_HEADERS = (
    "机关",
    "案件编号",
    "决定书",
    "决定书文号",
    "当事人",
    "当事人类型",
    "决定日期",
    "公示期限",
    "状态",
    "公示日期",
    "报送信用平台期限",
    "信用平台报送",
    "期限暂定",
)


def export_rows(*, user: User, filters: ListFilters) -> Iterator[tuple[str, ...]]:
    """The list as export rows (all matching, in the list's order), in chunks of 500."""
    on = today()
    names = dict(scope.agencies(user).values_list("pk", "name"))
    chunk: list[PublicationClock] = []
    for clock in filtered(user, filters).select_related("case").iterator(chunk_size=500):
        chunk.append(clock)
        if len(chunk) == 500:
            yield from (_cells(r, names) for r in _rows(chunk, on))
            chunk = []
    yield from (_cells(r, names) for r in _rows(chunk, on))


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _cells(row: PublicationRow, names: dict[int, str]) -> tuple[str, ...]:
    c = row.clock
    return (
        names.get(c.agency_id, ""),
        c.case.case_no,
        row.title,
        c.doc_number,
        c.party_name,
        row.party_type_label,
        _day(c.decided_on),
        _day(c.due_on) if c.sort_on != FAR else "无法计算（缺少节假日安排）",
        row.state_label,
        _day(c.published_on),
        _day(c.credit_due_on),
        row.credit_label,
        "是" if c.provisional else "",
    )

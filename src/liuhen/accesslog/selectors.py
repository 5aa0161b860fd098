"""Reading the access log: the filters (parsed once, for the page, the API and the exports), the
filtered entries newest first, and each entry as a row in Chinese.

Everything starts from :func:`liuhen.access.scope.access_log_entries`; the filters only narrow it, in SQL
on indexed columns (actor, case, created_at, action, object_type/object_id), and entry bodies are decoded
for the rows of one page only — except a record filter, which also decodes the grouped reads (one entry
listing several records) of the cases that record is on, a bounded set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from liuhen.access import scope
from liuhen.access.reads import READ_PURPOSES
from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document
from liuhen.catalogue import get_type
from liuhen.core.clock import SHANGHAI
from liuhen.core.errors import invalid
from liuhen.evidence.models import MediaAssignment, MediaRecord
from liuhen.ledger.models import LedgerEntry

KINDS = ("case", "document", "media", "party", "disclosure_request")
KIND_LABELS = {
    "case": "案件",
    "document": "文书",
    "media": "音像记录",
    "party": "当事人信息",
    "disclosure_request": "依申请公开申请人信息",
}
PURPOSE_LABELS = {
    "viewed": "查看",
    "listed": "列表浏览",
    "prefilled": "填表引用",
    "printed": "打印",
    "downloaded": "下载",
    "exported": "导出",
    "archiving": "归档读取",
    "copied": "复制",
    "released": "对外提供",
}
REASON_LABELS = {"av": "音像", "confidential": "涉密", "personal": "个人信息"}
MAX_PERIOD_DAYS = 366  # the longest period one request may name (anomalies read every day of it)


@dataclass(frozen=True)
class LogFilters:
    """What the access log is narrowed to. Dates are Beijing calendar days, both ends included."""

    person: int | None = None
    case: str = ""  # a case id, or its 案件编号
    record_kind: str = ""
    record_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    purpose: str = ""
    agency: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as the query parameters that produced them (for links and the export's entry)."""
        pairs = {
            "person": self.person,
            "case": self.case,
            "record_kind": self.record_kind,
            "record_id": self.record_id,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "purpose": self.purpose,
            "agency": self.agency,
        }
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


def _positive_int(params: Mapping[str, str], name: str, label: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise invalid(name, "invalid", f"{label}须为正整数")
    return int(raw)


def _date(params: Mapping[str, str], name: str, label: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid(name, "invalid", f"{label}须为日期（如 2026-03-02）") from None


def parse_filters(user: User, params: Mapping[str, str]) -> LogFilters:
    """The filters of a request's query; a bad one raises ``invalid`` naming its parameter (422)."""
    kind = (params.get("record_kind") or "").strip()
    if kind and kind not in KINDS:
        raise invalid("record_kind", "unknown", "记录类别须为案件、文书、音像记录或当事人信息之一")
    record_id = _positive_int(params, "record_id", "记录编号")
    if bool(kind) != (record_id is not None):
        name = "record_id" if kind else "record_kind"
        raise invalid(name, "required", "按记录筛选须同时选择记录类别并填写记录编号")
    purpose = (params.get("purpose") or "").strip()
    if purpose and purpose not in READ_PURPOSES:
        raise invalid(
            "purpose", "unknown", "用途须为查看、列表浏览、打印、下载、导出、归档读取、复制或对外提供之一"
        )
    date_from, date_to = _date(params, "from", "起始日期"), _date(params, "to", "截止日期")
    if date_from and date_to and date_from > date_to:
        raise invalid("from", "after_to", "起始日期不得晚于截止日期")
    if date_from and date_to and (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise invalid("from", "too_long", f"查询期间不得超过 {MAX_PERIOD_DAYS} 天")
    agency = _positive_int(params, "agency", "机关")
    if agency is not None and agency not in scope.visible_agency_ids(user):
        raise invalid("agency", "unknown", "无此机关或无权查看其访问日志")
    case = (params.get("case") or "").strip()
    if len(case) > 64:
        raise invalid("case", "too_long", "案件编号过长")
    return LogFilters(
        person=_positive_int(params, "person", "人员编号"),
        case=case,
        record_kind=kind,
        record_id=record_id,
        date_from=date_from,
        date_to=date_to,
        purpose=purpose,
        agency=agency,
    )


def day_start(day: date) -> datetime:
    """Midnight in Beijing at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def access_log_filtered(*, user: User, filters: LogFilters) -> QuerySet[LedgerEntry]:
    """The read entries ``user`` may see that match ``filters``, newest first."""
    qs = scope.access_log_entries(user)
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency)
    if filters.person is not None:
        qs = qs.filter(actor_id=filters.person)
    if filters.case:
        by_no = Q(case__case_no=filters.case)
        qs = qs.filter(Q(case_id=int(filters.case)) | by_no if filters.case.isdigit() else by_no)
    if filters.date_from is not None:
        qs = qs.filter(created_at__gte=day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(created_at__lt=day_start(filters.date_to + timedelta(days=1)))
    if filters.purpose:
        qs = qs.filter(action__in=[f"{kind}.{filters.purpose}" for kind in KINDS])
    if filters.record_kind and filters.record_id is not None:
        qs = _of_record(qs, filters.record_kind, filters.record_id)
    return qs.order_by("-created_at", "-index")


def _of_record(qs: QuerySet[LedgerEntry], kind: str, record_id: int) -> QuerySet[LedgerEntry]:
    """Entries naming the record itself, or grouped reads (one entry per case) listing it."""
    named = Q(object_type=kind, object_id=record_id)
    if kind == "case":
        return qs.filter(named)
    grouped = qs.filter(
        object_type="case", action__startswith=f"{kind}.", case_id__in=_cases_of(kind, record_id)
    )
    listing = [pk for pk, body in grouped.values_list("pk", "body") if record_id in _listed_ids(body)]
    return qs.filter(named | Q(pk__in=listing))


def _cases_of(kind: str, record_id: int) -> list[int]:
    """The cases a record is on (where a grouped read of it would be filed). Only narrows the scoped
    entries: a record of another agency yields cases whose entries the scope has already left out."""
    if kind == "document":
        return list(Document.objects.filter(pk=record_id).values_list("case_id", flat=True))
    if kind == "party":
        return list(Case.objects.filter(parties__pk=record_id).values_list("pk", flat=True))
    direct = MediaRecord.objects.filter(pk=record_id, case__isnull=False).values_list("case_id", flat=True)
    linked = MediaAssignment.objects.filter(media_id=record_id).values_list("case_id", flat=True)
    return [*direct, *linked]


def entry_data(body: bytes | memoryview) -> dict[str, Any]:
    """An entry's canonical JSON body, decoded."""
    return json.loads(bytes(body))


def _listed_ids(body: bytes | memoryview) -> set[int]:
    records = entry_data(body).get("details", {}).get("records", [])
    return {r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), int)}


# --- rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogRow:
    """One read entry as the page, the API and the exports show it (Chinese, Beijing time)."""

    index: int
    at: datetime  # in Beijing time
    person_id: int | None
    person: str
    unit: str
    agency: str
    kind: str
    purpose: str
    what: str  # e.g. 播放音像记录「现场执法录像」
    case_no: str
    reasons: tuple[str, ...]  # 音像 / 涉密 / 个人信息
    grant: str
    records: tuple[int, ...] = field(default=())

    @property
    def at_text(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def reasons_text(self) -> str:
        return "、".join(self.reasons)

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "time": self.at.isoformat(),
            "person": {"id": self.person_id, "name": self.person, "unit": self.unit},
            "agency": self.agency,
            "record_kind": self.kind,
            "purpose": self.purpose,
            "what": self.what,
            "case_no": self.case_no,
            "reasons": list(self.reasons),
            "grant": self.grant,
            "record_ids": list(self.records),
        }


def log_rows(*, user: User, entries: Iterable[LedgerEntry]) -> list[LogRow]:
    """The rows of ``entries`` (one page, or one chunk of an export): bodies decoded, record titles read
    through the access layer (a record the user may not see is named without its title)."""
    entries = list(entries)
    decoded = [(e, entry_data(e.body)) for e in entries]
    ids: dict[str, set[int]] = {k: set() for k in KINDS}
    for entry, data in decoded:
        kind = entry.action.split(".", 1)[0]
        ids[kind].update(_record_ids(entry, data))
    titles = _titles(user, ids)
    return [_row(entry, data, titles) for entry, data in decoded]


def _record_ids(entry: LedgerEntry, data: Mapping[str, Any]) -> list[int]:
    records = data.get("details", {}).get("records")
    if records:
        return [r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), int)]
    return [entry.object_id] if entry.object_id is not None else []


def _titles(user: User, ids: Mapping[str, set[int]]) -> dict[tuple[str, int], str]:
    titles: dict[tuple[str, int], str] = {}
    if ids["document"]:
        for doc in scope.documents(user).filter(pk__in=ids["document"]).only("pk", "doc_type"):
            titles["document", doc.pk] = get_type(doc.doc_type).title
    if ids["media"]:
        for media in scope.media(user).filter(pk__in=ids["media"]).only("pk", "title", "kind"):
            titles["media", media.pk] = media.title
            titles["media-kind", media.pk] = media.kind
    if ids["party"]:
        for party in scope.parties(user).filter(pk__in=ids["party"]).only("pk", "name"):
            titles["party", party.pk] = party.name
    if ids["case"]:
        for case in scope.cases(user).filter(pk__in=ids["case"]).only("pk", "case_no"):
            titles["case", case.pk] = case.case_no
    if ids["disclosure_request"]:
        found = scope.disclosure_requests(user).filter(pk__in=ids["disclosure_request"]).only("pk", "number")
        for request in found:
            titles["disclosure_request", request.pk] = request.number
    return titles


def _verb(kind: str, purpose: str, media_kinds: Iterable[str]) -> str:
    if kind == "media" and purpose == "viewed":
        return "查看" if set(media_kinds) <= {"photo"} and media_kinds else "播放"
    return PURPOSE_LABELS.get(purpose, "读取")


def _row(entry: LedgerEntry, data: Mapping[str, Any], titles: Mapping[tuple[str, int], str]) -> LogRow:
    kind, purpose = entry.action.split(".", 1)
    details = data.get("details", {})
    record_ids = _record_ids(entry, data)
    named = [titles.get((kind, rid)) for rid in record_ids]
    shown = [f"「{t}」" for t in named if t]
    hidden = len(named) - len(shown)
    media_kinds = [titles.get(("media-kind", rid), "") for rid in record_ids] if kind == "media" else []
    what = _verb(kind, purpose, [k for k in media_kinds if k]) + KIND_LABELS[kind]
    if shown:
        what += "".join(shown[:3]) + (f"等 {len(named)} 件" if len(named) > 3 else "")
    if hidden:
        what += f"{'，另' if shown else ''} {hidden} 件（无权查看其标题）"
    reasons: list[str] = list(details.get("reasons", []))
    for item in details.get("records", []) or []:
        reasons += [r for r in item.get("reasons", []) if r not in reasons]
    actor = entry.actor
    local = entry.created_at.astimezone(SHANGHAI)
    return LogRow(
        index=entry.index,
        at=local,
        person_id=entry.actor_id,
        person=actor.display_name if actor is not None else "系统",
        unit=actor.unit.name if actor is not None and actor.unit is not None else "",
        agency=entry.agency.name if entry.agency is not None else "",
        kind=kind,
        purpose=purpose,
        what=what,
        case_no=str(data.get("case") or ""),
        reasons=tuple(dict.fromkeys(REASON_LABELS.get(r, "其他") for r in reasons)),
        grant=str(details.get("grant") or ""),
        records=tuple(record_ids),
    )


def with_relations(qs: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    """The entries with what a row shows joined in (the actor, their unit, the agency)."""
    return qs.select_related("actor__unit", "agency")


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    total: int
    offset: int
    limit: int


def access_log_page(*, user: User, filters: LogFilters, offset: int = 0, limit: int = 50) -> LogPage:
    """One page of the filtered log, newest first, with the number of matching entries."""
    qs = access_log_filtered(user=user, filters=filters)
    total = qs.count()
    rows = log_rows(user=user, entries=with_relations(qs)[offset : offset + limit])
    return LogPage(rows=rows, total=total, offset=offset, limit=limit)


def iter_rows(*, user: User, filters: LogFilters, chunk: int = 500) -> Iterator[LogRow]:
    """Every matching row, newest first, decoded ``chunk`` entries at a time (for the exports). Pages by
    keyset (created_at, index) so a long export never re-reads what it has passed."""
    qs = with_relations(access_log_filtered(user=user, filters=filters))
    last: tuple[datetime, int] | None = None
    while True:
        page = qs
        if last is not None:
            at, index = last
            page = qs.filter(Q(created_at__lt=at) | Q(created_at=at, index__lt=index))
        batch = list(page[:chunk])
        if not batch:
            return
        yield from log_rows(user=user, entries=batch)
        last = (batch[-1].created_at, batch[-1].index)

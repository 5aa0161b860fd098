"""Reads of spot checks: every one starts from :mod:`liuhen.access.scope_spotchecks`.

The check register (检查台账) is one row per judged item (its latest judgement) of every sampled case,
with the rectification that followed, read newest first by keyset (``before`` = the last row's id), so
its first page costs the same at any size. The annual assessment (年度考评) rolls the latest judgements
and the rectifications of one year's checks up per unit and per officer (the case's unit and handler)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from liuhen.access import scope_spotchecks
from liuhen.accounts.models import User
from liuhen.core import clock
from liuhen.core.errors import NotFound, PermissionDenied, invalid
from liuhen.rules.spot_checklist import SpotCheckItem
from liuhen.spotchecks import services
from liuhen.spotchecks.judges import CaseFacts, Suggestion, suggest
from liuhen.spotchecks.models import (
    Rectification,
    RectificationReview,
    SpotCheck,
    SpotCheckJudgement,
    SpotCheckSample,
)

REGISTER_PAGE = 100
RECT_STATES = {"none": "无整改", "open": "整改中", "overdue": "整改逾期", "closed": "已办结"}


def check_list(*, user: User) -> QuerySet[SpotCheck]:
    return (
        scope_spotchecks.spot_checks(user)
        .select_related("agency", "target_agency", "announced_by", "draw")
        .order_by("-announced_at", "-id")
    )


def check_get(*, user: User, check_id: int) -> SpotCheck:
    found = check_list(user=user).filter(pk=check_id).first()
    if found is None:
        raise NotFound(f"抽查 {check_id} 不存在")
    return found


def check_for_change(*, user: User, check_id: int) -> SpotCheck:
    """A check to draw, judge or rectify: not found unless the user's agencies check or are checked by
    it; refused (403) unless the user runs the checking agency's checks."""
    if not scope_spotchecks.spot_check_known(user).filter(pk=check_id).exists():
        raise NotFound(f"抽查 {check_id} 不存在")
    if not scope_spotchecks.spot_checks(user, "change").filter(pk=check_id).exists():
        raise PermissionDenied("本次抽查由组织抽查机关的法制股或执法监督人员办理")
    return check_get(user=user, check_id=check_id)


def rectification_for_change(*, user: User, rectification_id: int) -> Rectification:
    """A rectification to close or return: as :func:`check_for_change`, by its check."""
    check_id = (
        Rectification.objects.filter(
            pk=rectification_id, check_ref__in=scope_spotchecks.spot_check_known(user)
        )
        .values_list("check_ref_id", flat=True)
        .first()
    )
    if check_id is None:
        raise NotFound(f"整改通知 {rectification_id} 不存在")
    check_for_change(user=user, check_id=check_id)
    return rectification_get(user=user, rectification_id=rectification_id)


def sample_get(*, user: User, check: SpotCheck, sample_id: int) -> SpotCheckSample:
    found = (
        scope_spotchecks.spot_check_samples(user)
        .filter(check_ref=check, pk=sample_id)
        .select_related("case__unit", "case__handler", "check_ref__target_agency", "check_ref__agency")
        .first()
    )
    if found is None:
        raise NotFound(f"抽中案件 {sample_id} 不存在", errors=[])
    return found


@dataclass
class ItemRow:
    item: SpotCheckItem
    suggestion: Suggestion | None
    latest: SpotCheckJudgement | None
    history: list[SpotCheckJudgement]
    rectification: Rectification | None = None
    rectification_state: str = ""


@dataclass
class SampleSheet:
    sample: SpotCheckSample
    items: list[ItemRow] = field(default_factory=list)

    @property
    def judged(self) -> int:
        return sum(1 for row in self.items if row.latest is not None)

    @property
    def failed(self) -> int:
        return sum(1 for row in self.items if row.latest is not None and row.latest.verdict == "fail")


def sample_sheet(sample: SpotCheckSample, items: tuple[SpotCheckItem, ...]) -> SampleSheet:
    """The checklist of one sampled case: each item's suggestion (from the stored findings and the
    records), its latest judgement and history, and the rectification that followed."""
    facts = CaseFacts.load(sample.case)
    judgements: dict[str, list[SpotCheckJudgement]] = defaultdict(list)
    for j in SpotCheckJudgement.objects.filter(sample=sample).select_related("judged_by").order_by("-id"):
        judgements[j.item_id].append(j)
    rects: dict[str, Rectification] = {}
    for r in Rectification.objects.filter(sample=sample).select_related("judgement").order_by("id"):
        rects[r.judgement.item_id] = r
    sheet = SampleSheet(sample)
    for item in items:
        history = judgements.get(item.id, [])
        rect = rects.get(item.id)
        sheet.items.append(
            ItemRow(
                item=item,
                suggestion=suggest(item, facts),
                latest=history[0] if history else None,
                history=history,
                rectification=rect,
                rectification_state=services.rectification_state(rect) if rect else "",
            )
        )
    return sheet


def suggestion_for(sample: SpotCheckSample, item_id: str) -> tuple[SpotCheckItem, Suggestion | None]:
    item = next((i for i in services.checklist(sample.check_ref) if i.id == item_id), None)
    if item is None:
        raise invalid("item_id", "unknown", "本次抽查的检查表中没有这一项")
    return item, suggest(item, CaseFacts.load(sample.case))


def samples_of(check: SpotCheck) -> QuerySet[SpotCheckSample]:
    return SpotCheckSample.objects.filter(check_ref=check).select_related("case__unit", "case__handler")


# --- rectifications ---------------------------------------------------------------------------------


def rectification_get(*, user: User, rectification_id: int) -> Rectification:
    found = (
        scope_spotchecks.rectifications(user)
        .filter(pk=rectification_id)
        .select_related(
            "check_ref__agency",
            "check_ref__target_agency",
            "sample__case",
            "judgement",
            "addressee_user",
            "addressee_unit",
            "issued_by",
        )
        .first()
    )
    if found is None:
        raise NotFound(f"整改通知 {rectification_id} 不存在")
    return found


def rectification_to_answer(*, user: User, rectification_id: int) -> Rectification:
    """A rectification as its addressee answers it. One of the user's own agency that is not theirs
    to answer is refused (403: the agency's people know its rectifications exist); anything else is
    not found."""
    found = scope_spotchecks.rectifications(user).filter(pk=rectification_id).exists()
    known = Rectification.objects.filter(
        pk=rectification_id, check_ref__in=scope_spotchecks.spot_check_known(user)
    )
    if not found and known.exists():
        raise PermissionDenied("整改情况由整改通知的接收人报告")
    return rectification_get(user=user, rectification_id=rectification_id)


def rectification_is_overdue(r: Rectification, state: str, today: date | None = None) -> bool:
    today = today or clock.now().astimezone(clock.SHANGHAI).date()
    return state != "closed" and r.due_on < today


def addressed_open(*, user: User) -> list[tuple[Rectification, str]]:
    """The rectifications the user answers that are not closed, overdue first then by due date."""
    qs = (
        scope_spotchecks.rectifications_addressed(user)
        .exclude(Exists(RectificationReview.objects.filter(rectification=OuterRef("pk"), closed=True)))
        .select_related("sample__case", "judgement", "check_ref")
        .order_by("due_on", "id")[:200]
    )
    return [(r, services.rectification_state(r)) for r in qs]


# --- the register -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    period_from: date | None = None
    period_to: date | None = None
    unit_id: int | None = None
    officer_id: int | None = None
    result: str = ""  # pass / fail / na
    rectification: str = ""  # none / open / overdue / closed
    check_id: int | None = None


def register_rows(
    *, user: User, filters: RegisterFilters, before: int | None = None
) -> QuerySet[SpotCheckJudgement]:
    """The latest judgement of every judged item, newest first (keyset: ``before`` an id)."""
    later = SpotCheckJudgement.objects.filter(
        sample=OuterRef("sample"), item_id=OuterRef("item_id"), id__gt=OuterRef("id")
    )
    rect = Rectification.objects.filter(
        sample=OuterRef("sample"), judgement__item_id=OuterRef("item_id")
    ).order_by("-id")
    closed = RectificationReview.objects.filter(rectification=OuterRef("rect_id"), closed=True)
    qs = (
        scope_spotchecks.spot_check_judgements(user)
        .exclude(Exists(later))
        .annotate(
            rect_id=Subquery(rect.values("id")[:1]),
            rect_number=Subquery(rect.values("number")[:1]),
            rect_due=Subquery(rect.values("due_on")[:1]),
        )
        .annotate(rect_closed=Exists(closed))
        .select_related(
            "sample__case__unit", "sample__case__handler", "sample__check_ref__target_agency", "judged_by"
        )
    )
    f = filters
    if f.check_id is not None:
        qs = qs.filter(sample__check_ref_id=f.check_id)
    tz = clock.SHANGHAI
    if f.period_from is not None:
        qs = qs.filter(sample__check_ref__announced_at__gte=datetime.combine(f.period_from, time.min, tz))
    if f.period_to is not None:
        qs = qs.filter(sample__check_ref__announced_at__lte=datetime.combine(f.period_to, time.max, tz))
    if f.unit_id is not None:
        qs = qs.filter(sample__case__unit_id=f.unit_id)
    if f.officer_id is not None:
        qs = qs.filter(sample__case__handler_id=f.officer_id)
    if f.result:
        if f.result not in services.VERDICTS:
            raise invalid("result", "invalid", "检查结论须为合格、不合格或不适用")
        qs = qs.filter(verdict=f.result)
    if f.rectification:
        today = clock.now().astimezone(tz).date()
        states = {
            "none": Q(rect_id__isnull=True),
            "open": Q(rect_id__isnull=False, rect_closed=False, rect_due__gte=today),
            "overdue": Q(rect_id__isnull=False, rect_closed=False, rect_due__lt=today),
            "closed": Q(rect_id__isnull=False, rect_closed=True),
        }
        if f.rectification not in states:
            raise invalid("rectification", "invalid", "整改状态须为无整改、整改中、整改逾期或已办结")
        qs = qs.filter(states[f.rectification])
    if before is not None:
        qs = qs.filter(id__lt=before)
    return qs.order_by("-id")


def register_state(row: SpotCheckJudgement, today: date | None = None) -> str:
    if getattr(row, "rect_id", None) is None:
        return "none"
    if row.rect_closed:  # type: ignore[attr-defined]
        return "closed"
    today = today or clock.now().astimezone(clock.SHANGHAI).date()
    return "overdue" if row.rect_due < today else "open"  # type: ignore[attr-defined]


REGISTER_HEADERS = [
    "抽查编号",
    "抽查名称",
    "被检查机关",
    "案件编号",
    "承办单位",
    "承办人",
    "检查项",
    "检查结论",
    "系统预判",
    "依据的检查结果",
    "问题或说明",
    "整改通知",
    "整改期限",
    "整改状态",
    "检查人",
    "检查时间",
]


def register_cells(row: SpotCheckJudgement, today: date | None = None) -> list[object]:
    from liuhen.issuing.report import beijing

    case = row.sample.case
    check = row.sample.check_ref
    due = getattr(row, "rect_due", None)
    return [
        check.number,
        check.title,
        check.target_agency.name,
        case.case_no,
        case.unit.name if case.unit else "",
        case.handler.display_name if case.handler else "",
        row.item_text,
        services.VERDICTS[row.verdict],
        services.VERDICTS.get(row.auto_verdict, "人工检查"),
        "；".join(e.get("text", "") for e in row.evidence),
        row.remark,
        getattr(row, "rect_number", None) or "",
        f"{due:%Y-%m-%d}" if due else "",
        RECT_STATES[register_state(row, today)],
        row.judged_by.display_name,
        beijing(row.judged_at),
    ]


def register_iter(*, user: User, filters: RegisterFilters, chunk: int = 1000) -> Iterator[list[object]]:
    """Every row, newest first, in keyset chunks (an export never holds the whole register)."""
    before: int | None = None
    today = clock.now().astimezone(clock.SHANGHAI).date()
    while True:
        rows = list(register_rows(user=user, filters=filters, before=before)[:chunk])
        for row in rows:
            yield register_cells(row, today)
        if len(rows) < chunk:
            return
        before = rows[-1].pk


# --- the annual assessment --------------------------------------------------------------------------


@dataclass
class Tally:
    name: str
    cases: set[int] = field(default_factory=set)
    passed: int = 0
    failed: int = 0
    na: int = 0
    rect_overdue: int = 0
    rect_closed: int = 0
    rect_open: int = 0

    @property
    def pass_rate(self) -> float | None:
        judged = self.passed + self.failed
        return None if judged == 0 else round(100 * self.passed / judged, 1)

    def cells(self) -> list[object]:
        rate = self.pass_rate
        return [
            self.name,
            len(self.cases),
            self.passed + self.failed + self.na,
            self.failed,
            "—" if rate is None else f"{rate}%",
            self.rect_open,
            self.rect_overdue,
            self.rect_closed,
        ]


ASSESSMENT_HEADERS = [
    "单位或人员",
    "抽查案件数",
    "检查项数",
    "不合格项数",
    "合格率",
    "整改中",
    "整改逾期",
    "整改已办结",
]


@dataclass
class Assessment:
    year: int
    units: list[Tally]
    officers: list[Tally]
    total: Tally


def assessment(*, user: User, year: int) -> Assessment:
    """Per unit and per officer of the checked cases: cases checked, items judged and failed, pass rate
    (合格 / (合格 + 不合格)), rectifications open, overdue and closed — of the checks announced in ``year``
    (Beijing time) that the user sees."""
    if not 2000 <= year <= 2100:
        raise invalid("year", "out_of_range", "年度应为 2000 至 2100 年")
    tz = clock.SHANGHAI
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    checks = scope_spotchecks.spot_checks(user).filter(announced_at__gte=start, announced_at__lt=end)
    units: dict[int | None, Tally] = {}
    officers: dict[int | None, Tally] = {}
    total = Tally("合计")

    def tallies(
        unit_id: int | None, unit_name: str, handler_id: int | None, handler_name: str
    ) -> list[Tally]:
        u = units.setdefault(unit_id, Tally(unit_name or "未分配单位"))
        o = officers.setdefault(handler_id, Tally(handler_name or "未指定承办人"))
        return [u, o, total]

    later = SpotCheckJudgement.objects.filter(
        sample=OuterRef("sample"), item_id=OuterRef("item_id"), id__gt=OuterRef("id")
    )
    latest = (
        SpotCheckJudgement.objects.filter(sample__check_ref__in=checks)
        .exclude(Exists(later))
        .values_list(
            "sample__case_id",
            "verdict",
            "sample__case__unit_id",
            "sample__case__unit__name",
            "sample__case__handler_id",
            "sample__case__handler__full_name",
            "sample__case__handler__username",
        )
    )
    for case_id, verdict, unit_id, unit_name, handler_id, full_name, username in latest.iterator():
        for t in tallies(unit_id, unit_name, handler_id, full_name or username):
            t.cases.add(case_id)
            if verdict == "pass":
                t.passed += 1
            elif verdict == "fail":
                t.failed += 1
            else:
                t.na += 1
    today = clock.now().astimezone(tz).date()
    closed = RectificationReview.objects.filter(rectification=OuterRef("pk"), closed=True)
    rects = (
        Rectification.objects.filter(check_ref__in=checks)
        .annotate(closed=Exists(closed))
        .values_list(
            "closed",
            "due_on",
            "sample__case__unit_id",
            "sample__case__unit__name",
            "sample__case__handler_id",
            "sample__case__handler__full_name",
            "sample__case__handler__username",
        )
    )
    for is_closed, due_on, unit_id, unit_name, handler_id, full_name, username in rects.iterator():
        for t in tallies(unit_id, unit_name, handler_id, full_name or username):
            if is_closed:
                t.rect_closed += 1
            elif due_on < today:
                t.rect_overdue += 1
            else:
                t.rect_open += 1
    by_name = lambda t: t.name  # noqa: E731
    return Assessment(
        year, sorted(units.values(), key=by_name), sorted(officers.values(), key=by_name), total
    )

"""Announce and draw spot checks, judge their items, issue rectifications and follow them to closure.

Each change is one transaction with its ledger entry, whose first object is the check (or, for what the
addressee of a rectification does, the rectification), carrying the new rows' state. Who may: the
``spot_check.manage`` holders of the checking agency (the legal unit; the justice bureau's supervisor
for the agencies it supervises); the addressee answers a rectification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from liuhen.access import scope, scope_spotchecks
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.cases.models import Case
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, NotFound, PermissionDenied, invalid
from liuhen.core.stages import PROCEDURE_LABELS
from liuhen.ledger.checkpoints import checkpoint_covering
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.services import ledger_append
from liuhen.rules import workdays
from liuhen.rules.spot_checklist import SpotCheckItem
from liuhen.spotchecks import draw as drawing
from liuhen.spotchecks.judges import Suggestion
from liuhen.spotchecks.models import (
    Rectification,
    RectificationResponse,
    RectificationReview,
    SpotCheck,
    SpotCheckDraw,
    SpotCheckJudgement,
    SpotCheckSample,
)

MAX_SAMPLE = 500
VERDICTS = {v.value: v.label for v in SpotCheckJudgement.Verdict}


@dataclass(frozen=True)
class Announcement:
    title: str
    period_basis: str
    period_from: date
    period_to: date
    sample_size: int
    what: str
    target_agency_id: int | None = None  # None: the announcer's own agency
    unit_ids: Sequence[int] = ()
    officer_ids: Sequence[int] = ()
    procedures: Sequence[str] = ()


def require_manager(by: User) -> None:
    """Refuse (403) who may not run spot checks, before looking anything up."""
    if not scope_spotchecks.runs_spot_checks(by):
        raise PermissionDenied("只有法制股或司法局执法监督人员可以组织和办理抽查")


def _manager(by: User) -> Agency:
    require_manager(by)
    assert by.agency is not None
    return by.agency


def _target(by: User, own: Agency, target_id: int | None) -> Agency:
    if own.kind == Agency.Kind.SUPERVISION and target_id in (None, own.pk):
        raise invalid("target_agency_id", "required", "请选择要抽查的被监督机关")
    if target_id is None or target_id == own.pk:
        return own
    if target_id in scope.visible_agency_ids(by) and by.supervised_agencies.filter(pk=target_id).exists():
        return Agency.objects.get(pk=target_id)
    raise NotFound(
        "被检查机关不存在，或不是本局监督的机关",
        errors=[FieldError("target_agency_id", "not_found", "只能抽查本机关或本局监督的行政执法机关")],
    )


def _validate(a: Announcement, target: Agency) -> tuple[list[int], list[int], list[str]]:
    if not a.title.strip():
        raise invalid("title", "required", "请填写抽查名称")
    if a.period_basis not in SpotCheck.PeriodBasis.values:
        raise invalid("period_basis", "invalid", "请选择按立案时间或执法行为终结时间抽查")
    if a.period_to < a.period_from:
        raise invalid("period_to", "before_start", "截止日期不能早于起始日期")
    if a.what not in SpotCheck.What.values:
        raise invalid("what", "invalid", "请选择检查文字记录、音像记录或两者")
    if not 1 <= a.sample_size <= MAX_SAMPLE:
        raise invalid("sample_size", "out_of_range", f"抽查数量应为 1 至 {MAX_SAMPLE} 件")
    units = sorted(set(a.unit_ids))
    if len(units) != OrgUnit.objects.filter(agency=target, pk__in=units).count():
        raise invalid("unit_ids", "unknown", f"所选单位不属于{target.name}")
    officers = sorted(set(a.officer_ids))
    if len(officers) != User.objects.filter(agency=target, pk__in=officers).count():
        raise invalid("officer_ids", "unknown", f"所选执法人员不属于{target.name}")
    procedures = sorted(set(a.procedures))
    if any(p not in PROCEDURE_LABELS for p in procedures):
        raise invalid("procedures", "unknown", "请选择一般程序或简易程序")
    return units, officers, procedures


def _next_number(agency: Agency, year: int) -> str:
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # orders numbering per agency
    prefix = f"抽查〔{year}〕"
    taken = SpotCheck.objects.filter(agency=agency, number__startswith=prefix).count()
    return f"{prefix}{taken + 1}号"


def spot_check_announce(*, by: User, announcement: Announcement) -> SpotCheck:
    """Announce a check: its scope is fixed (and logged) before any checkpoint that seeds its draw."""
    own = _manager(by)
    target = _target(by, own, announcement.target_agency_id)
    units, officers, procedures = _validate(announcement, target)
    now = clock.now()
    with transaction.atomic():
        check = SpotCheck.objects.create(
            agency=own,
            target_agency=target,
            number=_next_number(own, now.astimezone(clock.SHANGHAI).year),
            title=announcement.title.strip(),
            period_basis=announcement.period_basis,
            period_from=announcement.period_from,
            period_to=announcement.period_to,
            unit_ids=units,
            officer_ids=officers,
            procedures=procedures,
            what=announcement.what,
            sample_size=announcement.sample_size,
            announced_by=by,
            announced_at=now,
        )
        ledger_append(
            action="spot_check.announced",
            actor=by,
            agency=own,
            objects={"spot_check": check.pk},
            details={
                "number": check.number,
                "target_agency": target.code,
                "period_basis": check.period_basis,
                "period": [check.period_from.isoformat(), check.period_to.isoformat()],
                "units": units,
                "officers": officers,
                "procedures": procedures,
                "what": check.what,
                "sample_size": check.sample_size,
                STATE_KEY: row_states(spot_check=check.pk),
            },
            at=now,
        )
    return check


def announcement_entry(check: SpotCheck) -> LedgerEntry:
    return LedgerEntry.objects.get(
        object_type="spot_check", object_id=check.pk, action="spot_check.announced"
    )


def draw_entry(check: SpotCheck) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(
        object_type="spot_check", object_id=check.pk, action="spot_check.drawn"
    ).first()


def _may_change(by: User, check: SpotCheck) -> None:
    if not scope_spotchecks.spot_checks(by, "change").filter(pk=check.pk).exists():
        raise PermissionDenied(f"{check.number} 由组织抽查的机关的法制股或执法监督人员办理")


def scope_text(check: SpotCheck) -> str:
    """The check's scope in words (for messages and reports)."""
    basis = SpotCheck.PeriodBasis(check.period_basis).label
    parts = [
        f"{check.target_agency.name}",
        f"{basis}{check.period_from:%Y年%m月%d日}至{check.period_to:%Y年%m月%d日}",
    ]
    if check.unit_ids:
        names = OrgUnit.objects.filter(pk__in=check.unit_ids).order_by("id").values_list("name", flat=True)
        parts.append("单位：" + "、".join(names))
    if check.officer_ids:
        people = User.objects.filter(pk__in=check.officer_ids).order_by("id")
        parts.append("承办人：" + "、".join(u.display_name for u in people))
    if check.procedures:
        parts.append("程序：" + "、".join(PROCEDURE_LABELS[p] for p in check.procedures))
    parts.append("检查：" + SpotCheck.What(check.what).label)
    return "，".join(parts)


def population_keys(check: SpotCheck) -> list[tuple[str, int]]:
    """(case_no, case id) of the population, sorted by case number."""
    return sorted(scope_spotchecks.spot_check_population(check).values_list("case_no", "pk"))


def spot_check_draw(*, check: SpotCheck, by: User) -> SpotCheckDraw:
    """Draw the sample with a seed from a signed checkpoint that covers the announcement (issued now if
    none does yet). Once only (409)."""
    _may_change(by, check)
    now = clock.now()
    with transaction.atomic():
        SpotCheck.objects.select_for_update().filter(pk=check.pk).first()
        if SpotCheckDraw.objects.filter(check_ref=check).exists():
            raise Conflict(f"{check.number} 已抽签，不能重新抽取")
        population = population_keys(check)
        if not population:
            raise invalid("population", "empty", f"抽查范围内没有案件，无法抽取：{scope_text(check)}")
        announced = announcement_entry(check)
        checkpoint = checkpoint_covering(announced.index)
        root = bytes(checkpoint.root_hash)
        seed = drawing.seed_of(root, check.number)
        keys = [key for key, _ in population]
        chosen = drawing.sample(seed, keys, check.sample_size)
        ids = dict(population)
        drawn = SpotCheckDraw.objects.create(
            check_ref=check,
            checkpoint=checkpoint,
            checkpoint_size=checkpoint.size,
            checkpoint_root=root.hex(),
            seed=seed.hex(),
            population_count=len(keys),
            population_sha256=drawing.population_digest(keys),
            population=sorted(keys),
            drawn_by=by,
            drawn_at=now,
        )
        samples = [
            SpotCheckSample.objects.create(check_ref=check, case_id=ids[key], key=key, position=n)
            for n, key in enumerate(chosen, start=1)
        ]
        ledger_append(
            action="spot_check.drawn",
            actor=by,
            agency=check.agency,
            objects={"spot_check": check.pk, "spot_check_draw": drawn.pk},
            details={
                "number": check.number,
                "announced_index": announced.index,
                "checkpoint_size": checkpoint.size,
                "checkpoint_root": root.hex(),
                "seed": seed.hex(),
                "population_count": len(keys),
                "population_sha256": drawn.population_sha256,
                "sample": chosen,
                STATE_KEY: row_states(spot_check_draw=drawn.pk),
            },
            at=now,
        )
        cases = Case.objects.in_bulk([s.case_id for s in samples])
        for s in samples:
            ledger_append(
                action="spot_check.sampled",
                actor=by,
                agency=check.agency,
                case=cases[s.case_id],
                objects={"spot_check": check.pk, "spot_check_sample": s.pk},
                details={
                    "number": check.number,
                    "position": s.position,
                    STATE_KEY: row_states(spot_check_sample=s.pk),
                },
                at=now,
            )
    return drawn


def checklist(check: SpotCheck) -> tuple[SpotCheckItem, ...]:
    """The items of the checked agency's profile that this check covers (A/V, text or both)."""
    profile = agency_profile(check.target_agency)
    items = profile.spot_check_items if profile is not None else ()
    wanted = {"both", "av", "text"} if check.what == "both" else {"both", check.what}
    return tuple(i for i in items if i.scope in wanted)


def spot_check_judge(
    *,
    sample: SpotCheckSample,
    item_id: str,
    by: User,
    verdict: str,
    remark: str,
    suggestion: Suggestion | None,
) -> SpotCheckJudgement:
    """Record the checker's verdict on one item; the remark is required when it is 不合格 or differs
    from the system's suggestion. A later judgement of the same item supersedes this one."""
    check = sample.check_ref
    _may_change(by, check)
    item = next((i for i in checklist(check) if i.id == item_id), None)
    if item is None:
        raise invalid("item_id", "unknown", "本次抽查的检查表中没有这一项")
    if verdict not in VERDICTS:
        raise invalid("verdict", "invalid", "请选择合格、不合格或不适用")
    auto = suggestion.verdict if suggestion is not None else ""
    overridden = bool(auto) and verdict != auto
    if not remark.strip() and (verdict == SpotCheckJudgement.Verdict.FAIL or overridden):
        message = "判定为不合格须写明问题" if verdict == "fail" else "与系统预判不同，须说明理由"
        raise invalid("remark", "required", message)
    now = clock.now()
    with transaction.atomic():
        row = SpotCheckJudgement.objects.create(
            sample=sample,
            item_id=item.id,
            item_text=item.text_zh,
            verdict=verdict,
            auto_verdict=auto,
            evidence=list(suggestion.evidence) if suggestion is not None else [],
            overridden=overridden,
            remark=remark.strip(),
            judged_by=by,
            judged_at=now,
        )
        ledger_append(
            action="spot_check.judged",
            actor=by,
            agency=check.agency,
            case=sample.case,
            objects={"spot_check": check.pk, "spot_check_judgement": row.pk},
            details={
                "number": check.number,
                "item": item.id,
                "verdict": verdict,
                "auto": auto,
                "overridden": overridden,
                STATE_KEY: row_states(spot_check_judgement=row.pk),
            },
            at=now,
        )
    return row


def latest_judgement(sample: SpotCheckSample, item_id: str) -> SpotCheckJudgement | None:
    return SpotCheckJudgement.objects.filter(sample=sample, item_id=item_id).order_by("-id").first()


def _params(agency: Agency) -> tuple[int, str]:
    from liuhen.grants.policy import _baseline_params

    profile = agency_profile(agency)
    params = {**_baseline_params(), **(dict(profile.params) if profile else {})}
    return int(params["spot_check_rectification_working_days"]), str(params["spot_check_basis"])


def rectification_issue(
    *,
    sample: SpotCheckSample,
    item_id: str,
    by: User,
    requirement: str,
    to_handler: bool = True,
    unit_id: int | None = None,
) -> Rectification:
    """A rectification request (整改通知) from the item's latest judgement, which must be 不合格: to the
    case's handler, or to a unit of the checked agency; due the profile's working days from today."""
    check = sample.check_ref
    _may_change(by, check)
    judgement = latest_judgement(sample, item_id)
    if judgement is None or judgement.verdict != SpotCheckJudgement.Verdict.FAIL:
        raise invalid("item_id", "not_failed", "只有判定为不合格的检查项才能发出整改通知")
    if not requirement.strip():
        raise invalid("requirement", "required", "请写明整改要求")
    user, unit = None, None
    if unit_id is not None:
        unit = OrgUnit.objects.filter(pk=unit_id, agency_id=check.target_agency_id).first()
        if unit is None:
            raise invalid("unit_id", "unknown", f"所选单位不属于{check.target_agency.name}")
    elif to_handler:
        user = sample.case.handler
    days, basis = _params(check.target_agency)
    now = clock.now()
    today = now.astimezone(clock.SHANGHAI).date()
    try:
        due = workdays.add_working_days(today, days)
    except workdays.CalendarMissing as exc:
        raise Conflict(f"缺少{today.year}年节假日安排，无法计算整改期限：{exc}") from exc
    with transaction.atomic():
        SpotCheck.objects.select_for_update().filter(pk=check.pk).first()
        open_one = [
            r
            for r in Rectification.objects.filter(sample=sample, judgement__item_id=item_id)
            if rectification_state(r) != "closed"
        ]
        if open_one:
            raise Conflict(f"该检查项已有未办结的整改通知 {open_one[0].number}")
        seq = Rectification.objects.filter(check_ref=check).count() + 1
        row = Rectification.objects.create(
            check_ref=check,
            sample=sample,
            judgement=judgement,
            number=f"{check.number}整改{seq}",
            addressee_user=user,
            addressee_unit=unit,
            requirement=requirement.strip(),
            due_on=due,
            basis=f"{basis}；整改期限{days}个工作日",
            issued_by=by,
            issued_at=now,
        )
        ledger_append(
            action="spot_check.rectification_issued",
            actor=by,
            agency=check.agency,
            case=sample.case,
            objects={"rectification": row.pk, "spot_check": check.pk},
            details={
                "number": row.number,
                "item": item_id,
                "due_on": due.isoformat(),
                "to_user": user.pk if user else None,
                "to_unit": unit.pk if unit else None,
                STATE_KEY: row_states(rectification=row.pk),
            },
            at=now,
        )
    return row


STATE_LABELS = {"open": "待整改", "answered": "已报告待复核", "returned": "退回重新整改", "closed": "已办结"}


def rectification_state(r: Rectification) -> str:
    """open (nothing answered), answered (awaiting review), returned, closed."""
    review = RectificationReview.objects.filter(rectification=r).order_by("-id").first()
    response = RectificationResponse.objects.filter(rectification=r).order_by("-id").first()
    if response is None:
        return "open"
    if review is None or review.response_id != response.pk:
        return "answered"
    return "closed" if review.closed else "returned"


def _addressee(by: User, r: Rectification) -> bool:
    return r.addressee_user_id == by.pk or (
        r.addressee_unit_id is not None and r.addressee_unit_id == by.unit_id
    )


def rectification_respond(*, rectification: Rectification, by: User, text: str) -> RectificationResponse:
    """The addressee says what was done (again, after a return)."""
    if not _addressee(by, rectification):
        raise PermissionDenied("整改情况由整改通知的接收人报告")
    if not text.strip():
        raise invalid("text", "required", "请写明整改情况")
    now = clock.now()
    with transaction.atomic():
        Rectification.objects.select_for_update().filter(pk=rectification.pk).first()
        state = rectification_state(rectification)
        if state not in ("open", "returned"):
            raise Conflict(f"{rectification.number} {STATE_LABELS[state]}，无需再报告")
        row = RectificationResponse.objects.create(
            rectification=rectification, text=text.strip(), by=by, at=now
        )
        ledger_append(
            action="spot_check.rectification_answered",
            actor=by,
            agency=rectification.check_ref.target_agency,
            case=rectification.sample.case,
            objects={"rectification": rectification.pk, "rectification_response": row.pk},
            details={"number": rectification.number, STATE_KEY: row_states(rectification_response=row.pk)},
            at=now,
        )
    return row


def rectification_review(
    *, rectification: Rectification, by: User, closed: bool, remark: str
) -> RectificationReview:
    """The checker closes the rectification (整改完成) or returns it (退回, remark required)."""
    _may_change(by, rectification.check_ref)
    if not closed and not remark.strip():
        raise invalid("remark", "required", "退回须写明理由")
    now = clock.now()
    with transaction.atomic():
        Rectification.objects.select_for_update().filter(pk=rectification.pk).first()
        state = rectification_state(rectification)
        if state != "answered":
            raise Conflict(f"{rectification.number} {STATE_LABELS[state]}，没有待复核的整改报告")
        response = RectificationResponse.objects.filter(rectification=rectification).order_by("-id").first()
        assert response is not None
        row = RectificationReview.objects.create(
            rectification=rectification,
            response=response,
            closed=closed,
            remark=remark.strip(),
            by=by,
            at=now,
        )
        ledger_append(
            action="spot_check.rectification_reviewed",
            actor=by,
            agency=rectification.check_ref.agency,
            case=rectification.sample.case,
            objects={"rectification": rectification.pk, "rectification_review": row.pk},
            details={
                "number": rectification.number,
                "closed": closed,
                STATE_KEY: row_states(rectification_review=row.pk),
            },
            at=now,
        )
    return row

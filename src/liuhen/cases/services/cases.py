"""Opening cases, registering parties, moving stages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from django.db import transaction
from django.db.models import Max

from liuhen.accounts.models import OrgUnit, User
from liuhen.accounts.roles import Permission
from liuhen.cases.models import CASE_FLAG_CHOICES, INITIATION_KIND_CHOICES, Case, Party, StageTransition
from liuhen.cases.services.common import refresh_compliance, require, require_same_agency
from liuhen.core import clock
from liuhen.core.errors import Conflict, invalid
from liuhen.core.stages import STAGE_LABELS, Procedure, Stage, TransitionNotAllowed, check_transition
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append

_KNOWN_FLAGS = {code for code, _ in CASE_FLAG_CHOICES}
_INITIATION_KINDS = {code for code, _ in INITIATION_KIND_CHOICES}


@transaction.atomic
def party_create(
    *,
    created_by: User,
    kind: str,
    name: str,
    id_type: str = "",
    id_number: str = "",
    legal_representative: str = "",
    address: str = "",
    phone: str = "",
) -> Party:
    require(created_by, Permission.CASE_OPEN)
    if created_by.agency is None:
        raise Conflict("用户未归属任何机关，不能登记当事人")
    if kind not in Party.Kind.values:
        raise invalid("kind", "invalid", f"当事人类型须为 {'/'.join(Party.Kind.values)}")
    if not name.strip():
        raise invalid("name", "required", "当事人名称为必填项")
    party = Party.objects.create(
        agency=created_by.agency,
        kind=kind,
        name=name.strip(),
        id_type=id_type,
        id_number=id_number,
        legal_representative=legal_representative,
        address=address,
        phone=phone,
        created_at=clock.now(),
        created_by=created_by,
    )
    ledger_append(
        action="party.created",
        actor=created_by,
        agency=created_by.agency,
        objects={"party": party.pk},
        details={"kind": kind, "name": party.name, STATE_KEY: row_states(party=party.pk)},
    )
    return party


def _next_case_number(agency, year: int) -> tuple[int, str]:
    seq = (Case.objects.filter(agency=agency, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
    return seq, f"{agency.case_prefix}〔{year}〕{seq}号"


@transaction.atomic
def case_open(
    *,
    opened_by: User,
    procedure: str,
    initiation_kind: str,
    cause: str,
    summary: str = "",
    source: str = "",
    parties: Sequence[Party] = (),
    handler: User | None = None,
    unit: OrgUnit | None = None,
    emergency_start: bool = False,
    is_real_name_complaint: bool = False,
    confidential: bool = False,
    flags: Sequence[str] = (),
) -> Case:
    """Open a case in the ``initiation`` stage and give it the agency's next case number."""
    require(opened_by, Permission.CASE_OPEN)
    if opened_by.agency is None:
        raise Conflict("用户未归属任何机关，不能立案")
    if procedure not in Procedure.__members__.values():
        raise invalid("procedure", "invalid", "程序须为 general（一般程序）或 summary（简易程序）")
    if initiation_kind not in _INITIATION_KINDS:
        raise invalid("initiation_kind", "invalid", f"启动方式须为 {'/'.join(sorted(_INITIATION_KINDS))}")
    if not cause.strip():
        raise invalid("cause", "required", "案由为必填项")
    unknown = sorted(set(flags) - _KNOWN_FLAGS)
    if unknown:
        raise invalid("flags", "unknown", f"未知的案件标记：{', '.join(unknown)}")
    for party in parties:
        if party.agency_id != opened_by.agency_id:
            raise invalid("party_ids", "not_found", f"当事人 {party.pk} 不存在")
    handler = handler or opened_by
    if handler.agency_id != opened_by.agency_id:
        raise invalid("handler_id", "not_found", "承办人不存在")
    if unit is not None and unit.agency_id != opened_by.agency_id:
        raise invalid("unit_id", "not_found", "内设机构不存在")
    now = clock.now()
    seq, case_no = _next_case_number(opened_by.agency, now.astimezone(clock.SHANGHAI).year)
    case = Case.objects.create(
        agency=opened_by.agency,
        unit=unit or opened_by.unit,
        case_no=case_no,
        year=now.astimezone(clock.SHANGHAI).year,
        seq=seq,
        procedure=procedure,
        initiation_kind=initiation_kind,
        cause=cause.strip(),
        summary=summary,
        source=source,
        emergency_start=emergency_start,
        emergency_started_at=now if emergency_start else None,
        is_real_name_complaint=is_real_name_complaint,
        confidential=confidential,
        flags=sorted(set(flags)),
        stage=Stage.INITIATION,
        handler=handler,
        opened_at=now,
        opened_by=opened_by,
    )
    case.parties.set(parties)
    ledger_append(
        action="case.opened",
        actor=opened_by,
        agency=case.agency,
        case=case,
        objects={"case": case.pk},
        details={
            "procedure": procedure,
            "initiation_kind": initiation_kind,
            "cause": case.cause,
            "emergency_start": emergency_start,
            "parties": [p.pk for p in parties],
            STATE_KEY: row_states(case=case.pk),
        },
        at=now,
    )
    refresh_compliance(case)
    return case


@transaction.atomic
def case_transition(
    *,
    case: Case,
    by: User,
    to_stage: str,
    reason: str = "",
    override: bool = False,
    case_file: SignedCaseFile | None = None,
) -> StageTransition:
    """Move ``case`` to ``to_stage`` if the stage table allows it and the agency's rule profile has no
    unmet mandatory rule guarding the stages being left; record who, when and why.

    归档 is no plain move: only the archive's sign-off makes it, passing the signed-off ``case_file`` it
    has just recorded for this case (:func:`liuhen.archive.services.case_file_sign`). Any other caller
    (the stage panel, the API, a script) is refused at ``to_stage`` and pointed to 案卷归档.

    The role table decides first, whatever ``override`` says: archiving needs ``case.archive``, any
    other move ``case.transition``. Unmet rules refuse the move (409, each finding in ``errors``). A
    role that may make the move and also holds ``case.override_gate`` may make it anyway with
    ``override`` and a written reason: the transition keeps the overridden findings and its ledger
    entry is ``case.override``. An override waives rules; it never grants a move.
    """
    require(by, move_permission(to_stage))
    if override:
        require(by, Permission.CASE_OVERRIDE_GATE)
    require_same_agency(by, case)
    if to_stage == Stage.ARCHIVED:
        _require_signed_case_file(case, case_file)
    case = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    try:
        check = check_transition(case.procedure, case.stage, to_stage)
    except TransitionNotAllowed as exc:
        raise Conflict(str(exc)) from exc
    if check.reason_required and not reason.strip():
        raise invalid("reason", "required", f"转入「{STAGE_LABELS[to_stage]}」须说明理由")
    from liuhen.compliance.gate import GateFinding, blocking_findings  # compliance builds on cases

    blocking = blocking_findings(case=case, to_stage=to_stage)
    if blocking and not override:
        raise Conflict(
            f"有 {len(blocking)} 项强制性规则未满足，不能转入「{STAGE_LABELS[to_stage]}」",
            errors=[GateFinding.of(f) for f in blocking],
        )
    if override and not reason.strip():
        raise invalid("reason", "required", "越过合规检查须书面说明理由")
    transition = _record_transition(case, by, to_stage, reason, blocking if override else [])
    refresh_compliance(case)
    return transition


class SignedCaseFile(Protocol):
    """What the stage service needs of a signed-off case file (the archive app sits above cases)."""

    @property
    def pk(self) -> int | None: ...

    @property
    def case_id(self) -> int: ...


def _require_signed_case_file(case: Case, case_file: SignedCaseFile | None) -> None:
    """归档 only with the case's own signed-off case file, recorded (it has a row) before the move."""
    recorded = (
        case_file is not None
        and case_file.pk is not None
        and case_file.case_id == case.pk
        and type(case_file)._default_manager.filter(pk=case_file.pk, case_id=case.pk).exists()  # type: ignore[attr-defined]
    )
    if not recorded:
        raise invalid(
            "to_stage",
            "case_file_required",
            "案件不能直接转入「归档」：请在「案卷归档」中整理案卷，由立卷人和检查人签署后自动归档",
        )


def move_permission(to_stage: str) -> Permission:
    """The permission a move into ``to_stage`` needs (with or without an override)."""
    return Permission.CASE_ARCHIVE if to_stage == Stage.ARCHIVED else Permission.CASE_TRANSITION


def _record_transition(
    case: Case, by: User, to_stage: str, reason: str, overridden: list[dict]
) -> StageTransition:
    now = clock.now()
    transition = StageTransition.objects.create(
        case=case,
        from_stage=case.stage,
        to_stage=to_stage,
        at=now,
        by=by,
        reason=reason.strip(),
        override=bool(overridden),
        overridden_findings=overridden,
    )
    _apply_stage(case, to_stage, now)
    ledger_append(
        action="case.override" if transition.override else "case.transitioned",
        actor=by,
        agency=case.agency,
        case=case,
        objects={"transition": transition.pk, "case": case.pk},
        details={
            "from": transition.from_stage,
            "to": to_stage,
            "reason": transition.reason,
            "overridden": [f.get("rule_id") for f in transition.overridden_findings],
            STATE_KEY: row_states(transition=transition.pk, case=case.pk),
        },
        at=now,
    )
    return transition


def _apply_stage(case: Case, to_stage: str, now: datetime) -> None:
    case.stage = to_stage
    fields = ["stage"]
    if to_stage == Stage.CLOSED and case.enforcement_ended_at is None:
        case.enforcement_ended_at = now
        fields.append("enforcement_ended_at")
    if to_stage == Stage.ARCHIVED:
        case.archived_at = now
        fields.append("archived_at")
    case.save(update_fields=fields)

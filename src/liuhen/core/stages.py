"""The case stage machine: a pure table and a function. No Django.

General procedure (一般程序)::

    initiation → investigation → decision → service_enforcement → closed → archived

Summary procedure (简易程序, on-the-spot decision) skips the investigation stage::

    initiation → decision → service_enforcement → closed → archived

A case may also be closed early (不予立案、撤销立案、不予处罚) from investigation or decision, with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    INITIATION = "initiation"
    INVESTIGATION = "investigation"
    DECISION = "decision"
    SERVICE_ENFORCEMENT = "service_enforcement"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Procedure(StrEnum):
    GENERAL = "general"
    SUMMARY = "summary"


STAGE_LABELS: dict[str, str] = {
    Stage.INITIATION: "程序启动",
    Stage.INVESTIGATION: "调查取证",
    Stage.DECISION: "审查决定",
    Stage.SERVICE_ENFORCEMENT: "送达执行",
    Stage.CLOSED: "结案",
    Stage.ARCHIVED: "归档",
}

PROCEDURE_LABELS: dict[str, str] = {Procedure.GENERAL: "一般程序", Procedure.SUMMARY: "简易程序"}

# (procedure, from) -> allowed targets. Order matters: the first target is the "next" stage.
TRANSITIONS: dict[tuple[Procedure, Stage], tuple[Stage, ...]] = {
    (Procedure.GENERAL, Stage.INITIATION): (Stage.INVESTIGATION, Stage.CLOSED),
    (Procedure.GENERAL, Stage.INVESTIGATION): (Stage.DECISION, Stage.CLOSED),
    (Procedure.GENERAL, Stage.DECISION): (Stage.SERVICE_ENFORCEMENT, Stage.CLOSED),
    (Procedure.GENERAL, Stage.SERVICE_ENFORCEMENT): (Stage.CLOSED,),
    (Procedure.GENERAL, Stage.CLOSED): (Stage.ARCHIVED,),
    (Procedure.SUMMARY, Stage.INITIATION): (Stage.DECISION,),
    (Procedure.SUMMARY, Stage.DECISION): (Stage.SERVICE_ENFORCEMENT, Stage.CLOSED),
    (Procedure.SUMMARY, Stage.SERVICE_ENFORCEMENT): (Stage.CLOSED,),
    (Procedure.SUMMARY, Stage.CLOSED): (Stage.ARCHIVED,),
}


class TransitionNotAllowed(ValueError):
    """The requested stage change is not in the table for this procedure and stage."""

    def __init__(self, procedure: str, from_stage: str, to_stage: str, allowed: tuple[Stage, ...]) -> None:
        self.procedure, self.from_stage, self.to_stage, self.allowed = (
            procedure,
            from_stage,
            to_stage,
            allowed,
        )
        names = "、".join(STAGE_LABELS[s] for s in allowed) or "无"
        super().__init__(
            f"cannot move a {procedure} case from {from_stage} to {to_stage}; allowed: "
            f"{', '.join(allowed) or 'none'} (不能从{STAGE_LABELS.get(from_stage, from_stage)}"
            f"转入{STAGE_LABELS.get(to_stage, to_stage)}，可转入：{names})"
        )


@dataclass(frozen=True)
class TransitionCheck:
    from_stage: Stage
    to_stage: Stage
    reason_required: bool


# Stages in which a case takes no new record and no change: the one place that decides it (views,
# the API and the services ask :func:`is_read_only`; nothing compares the stage name itself).
READ_ONLY_STAGES: frozenset[Stage] = frozenset({Stage.ARCHIVED})


def is_read_only(stage: str) -> bool:
    """Whether a case in ``stage`` is read-only (archived: its case file is signed off)."""
    return stage in READ_ONLY_STAGES


def allowed_targets(procedure: str, from_stage: str) -> tuple[Stage, ...]:
    return TRANSITIONS.get((Procedure(procedure), Stage(from_stage)), ())


def check_transition(procedure: str, from_stage: str, to_stage: str) -> TransitionCheck:
    """Return what the move needs, or raise :class:`TransitionNotAllowed`."""
    try:
        target = Stage(to_stage)
    except ValueError:
        raise TransitionNotAllowed(
            procedure, from_stage, to_stage, allowed_targets(procedure, from_stage)
        ) from None
    allowed = allowed_targets(procedure, from_stage)
    if target not in allowed:
        raise TransitionNotAllowed(procedure, from_stage, to_stage, allowed)
    early_close = target is Stage.CLOSED and Stage(from_stage) not in {Stage.SERVICE_ENFORCEMENT}
    return TransitionCheck(Stage(from_stage), target, reason_required=early_close)


def next_stage(procedure: str, from_stage: str) -> Stage | None:
    allowed = allowed_targets(procedure, from_stage)
    return allowed[0] if allowed else None

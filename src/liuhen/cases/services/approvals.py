"""Internal approval steps (承办人→审核人→批准人; 法制审核; 集体讨论; 负责人审批)."""

from __future__ import annotations

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.accounts.roles import APPROVAL_KIND_LABELS, APPROVAL_ROLES, Permission
from liuhen.cases.models import APPROVAL_DECISION_CHOICES, ApprovalStep, Case, Document
from liuhen.cases.services.common import refresh_compliance, require, require_open, require_same_agency
from liuhen.core import clock
from liuhen.core.errors import PermissionDenied, invalid
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append

_DECISIONS = {code for code, _ in APPROVAL_DECISION_CHOICES}


@transaction.atomic
def approval_record(
    *,
    case: Case,
    actor: User,
    kind: str,
    decision: str,
    opinion: str,
    document: Document | None = None,
) -> ApprovalStep:
    """Record one approval step with its opinion and date; the actor must hold a role for that step."""
    if kind not in APPROVAL_ROLES:
        raise invalid("kind", "invalid", f"审批环节须为 {'/'.join(APPROVAL_ROLES)}")
    if kind != "handler_proposal":
        require(actor, Permission.APPROVAL_RECORD)
    require_same_agency(actor, case)
    require_open(case)
    roles = [r for r in actor.roles if r in APPROVAL_ROLES[kind]]
    if not roles:
        raise PermissionDenied(f"您的角色不能填写「{APPROVAL_KIND_LABELS[kind]}」")
    if decision not in _DECISIONS:
        raise invalid("decision", "invalid", "审批结论须为 approve / reject / noted")
    if not opinion.strip():
        raise invalid("opinion", "required", "审批意见为必填项")
    if document is not None and document.case_id != case.pk:
        raise invalid("document_id", "not_found", "文书不属于本案件")
    step = ApprovalStep.objects.create(
        case=case,
        document=document,
        kind=kind,
        decision=decision,
        opinion=opinion.strip(),
        decided_at=clock.now(),
        actor=actor,
        actor_role=roles[0],
    )
    ledger_append(
        action="approval.recorded",
        actor=actor,
        agency=case.agency,
        case=case,
        objects={"approval": step.pk, "case": case.pk, **({"document": document.pk} if document else {})},
        details={
            "kind": kind,
            "decision": decision,
            "role": step.actor_role,
            STATE_KEY: row_states(approval=step.pk),
        },
        at=step.decided_at,
    )
    refresh_compliance(case)
    return step

"""Where a request stands, read from its rows (records never change: the state is what they add up to)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from liuhen.core import clock
from liuhen.disclosure.models import DisclosureDecision, DisclosureRequest
from liuhen.grants.policy import agency_policy
from liuhen.ledger.integrity.state import STATE_KEY, row_states


def entry_state(**objects: int) -> dict[str, Any]:
    """``{"state": {...}}`` for an entry's details: the new state of each row the entry names (the
    disclosure tables are tracked in :mod:`liuhen.ledger.integrity.state_access`)."""
    return {STATE_KEY: row_states(**objects)}


def today() -> date:
    return clock.now().astimezone(clock.SHANGHAI).date()


def decision_in_force(request: DisclosureRequest) -> DisclosureDecision | None:
    """The latest decision (one refused by its approver may be replaced by a new one)."""
    return request.decisions.select_related("decided_by").order_by("-id").first()


def effective_due(request: DisclosureRequest) -> date:
    extension = getattr(request, "extension", None) if _has(request, "extension") else None
    return extension.due_on if extension is not None else request.due_on


def _has(obj: Any, name: str) -> bool:
    try:
        getattr(obj, name)
    except Exception:  # RelatedObjectDoesNotExist: the one-to-one row is not there
        return False
    return True


@dataclass(frozen=True)
class Standing:
    """What the list and the detail page say about a request."""

    label: str  # 待答复 / 待遮蔽 / 待审批 / 审批未同意 / 待送达 / 已送达
    due_on: date
    provisional: bool
    overdue: bool  # not delivered and past its (extended) deadline
    days_left: int  # calendar days to the deadline (negative: overdue)
    extended: bool
    needs_approval: bool
    decision: DisclosureDecision | None
    delivered: bool
    next_step: str  # decide / redact / approve / deliver / ""

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)


def standing(request: DisclosureRequest) -> Standing:
    extended = _has(request, "extension")
    due = effective_due(request)
    provisional = request.extension.due_provisional if extended else request.due_provisional
    delivered = _has(request, "delivery")
    decision = decision_in_force(request)
    role = agency_policy(request.agency).disclosure_approver_role
    approval = decision.approval if decision is not None and _has(decision, "approval") else None
    if delivered:
        label, step = "已送达", ""
    elif decision is None:
        label, step = "待答复", "decide"
    elif approval is not None and not approval.approved:
        label, step = "审批未同意", "decide"
    elif missing_redactions(request, decision):
        label, step = "待遮蔽", "redact"
    elif role and approval is None:
        label, step = "待审批", "approve"
    else:
        label, step = "待送达", "deliver"
    left = (due - today()).days
    return Standing(
        label=label,
        due_on=due,
        provisional=provisional,
        overdue=not delivered and left < 0,
        days_left=left,
        extended=extended,
        needs_approval=bool(role),
        decision=decision,
        delivered=delivered,
        next_step=step,
    )


def missing_redactions(request: DisclosureRequest, decision: DisclosureDecision) -> list[dict[str, Any]]:
    """The items the decision says to redact that have no redacted derivative yet."""
    done = {(r.source_kind, r.source_id) for r in request.redactions.all()}
    return [i for i in decision.items if i["outcome"] == "redacted" and (i["kind"], i["id"]) not in done]

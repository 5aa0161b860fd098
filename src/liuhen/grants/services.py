"""File, decide and revoke staff requests to view (调阅), copy (复制) or release (对外提供) records.

Each change is one transaction with its ledger entry carrying the new rows' state. Who decides is the
agency's profile (:mod:`liuhen.grants.policy`): the legal unit under longjiang-cg§20, the head where a
profile says nothing. The requester never decides their own request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from liuhen.access import scope
from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import ROLE_LABELS, Permission, Role
from liuhen.cases.models import Case, Document
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, NotFound, PermissionDenied, invalid
from liuhen.evidence.models import MediaRecord
from liuhen.grants.models import (
    AccessCounter,
    AccessDecision,
    AccessRequest,
    AccessRequestItem,
    AccessRevocation,
)
from liuhen.grants.policy import AccessPolicy, agency_policy
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append


@dataclass(frozen=True)
class ItemSpec:
    """One thing asked for, as the requester names it: a case (whole), or one document or A/V of it."""

    case_id: int
    document_id: int | None = None
    media_id: int | None = None


def next_number(*, agency: Agency, kind: str, year: int) -> str:
    """调阅〔2026〕7号: the next number of the (agency, kind, year) series, under a row lock."""
    AccessCounter.objects.get_or_create(agency=agency, kind=kind, year=year)
    counter = AccessCounter.objects.select_for_update().get(agency=agency, kind=kind, year=year)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return f"{AccessRequest.Kind(kind).label}〔{year}〕{counter.last_seq}号"


def approver_roles(policy: AccessPolicy, kind: str) -> tuple[str, ...]:
    return policy.release_approver_roles if kind == AccessRequest.Kind.RELEASE else policy.approver_roles


def approver_basis(policy: AccessPolicy, kind: str) -> str:
    return policy.release_basis if kind == AccessRequest.Kind.RELEASE else policy.basis


def roles_text(roles: Sequence[str]) -> str:
    return "或".join(ROLE_LABELS.get(Role(r), r) for r in roles)


def _resolve(user: User, index: int, spec: ItemSpec) -> tuple[Case, Document | None, MediaRecord | None]:
    """The records named, as the requester may see them listed; anything else is "not found", whether
    it exists or not (the request must not tell what exists)."""
    field = f"items[{index}]"
    case = scope.cases(user).filter(pk=spec.case_id).select_related("agency").first()
    if case is None:
        raise NotFound("所申请的案件不存在", errors=[_missing(field, "案件不存在")])
    if spec.document_id is not None and spec.media_id is not None:
        raise invalid(field, "one_record", "每一项只能是整个案件、一份文书或一条音像记录")
    document = media = None
    if spec.document_id is not None:
        document = scope.documents(user, case_id=case.pk).filter(pk=spec.document_id).first()
        if document is None:
            raise NotFound("所申请的文书不存在", errors=[_missing(field, "文书不存在")])
    if spec.media_id is not None:
        media = scope.media_of_case(scope.media(user), case.pk).filter(pk=spec.media_id).first()
        if media is None:
            raise NotFound("所申请的音像记录不存在", errors=[_missing(field, "音像记录不存在")])
    return case, document, media


def _missing(field: str, message: str) -> FieldError:
    return FieldError(field, "not_found", message)


def access_request_file(
    *,
    by: User,
    kind: str,
    reason: str,
    days: int,
    items: Sequence[ItemSpec],
    recipient: str = "",
    recipient_kind: str = "",
) -> AccessRequest:
    """File a request. The records are named as the requester sees them listed (a confidential record
    they cannot see is asked for with its whole case); all of one agency, whose profile decides."""
    if kind not in AccessRequest.Kind.values:
        raise invalid("kind", "invalid", "请选择调阅、复制或对外提供")
    if not reason.strip():
        raise invalid("reason", "required", "请填写因何工作需要调阅、复制")
    if not items:
        raise invalid("items", "required", "请至少选择一项要调阅、复制的记录")
    resolved = [_resolve(by, i, spec) for i, spec in enumerate(items)]  # 404 before 403: no hint
    if not by.can(Permission.ACCESS_REQUEST):
        raise PermissionDenied("您的角色无需也不能提出调阅、复制申请")
    agencies = {case.agency_id for case, _, _ in resolved}
    if len(agencies) > 1:
        raise invalid("items", "one_agency", "一份申请只能涉及同一机关的记录，请分别申请")
    agency = resolved[0][0].agency
    if agency.pk != by.agency_id:
        raise PermissionDenied("只能申请调阅、复制本机关的记录")
    policy = agency_policy(agency)
    if not 1 <= days <= policy.max_days:
        raise invalid("days", "out_of_range", f"使用期限应为 1 至 {policy.max_days} 天")
    if kind == AccessRequest.Kind.RELEASE:
        if not recipient.strip():
            raise invalid("recipient", "required", "对外提供须写明接收单位或个人")
        if recipient_kind not in AccessRequest.RecipientKind.values:
            raise invalid("recipient_kind", "invalid", "请选择接收方类别")
    elif recipient.strip() or recipient_kind:
        raise invalid("recipient", "not_release", "只有对外提供才填写接收方")
    now = clock.now()
    with transaction.atomic():
        request = AccessRequest.objects.create(
            agency=agency,
            number=next_number(agency=agency, kind=kind, year=now.astimezone(clock.SHANGHAI).year),
            kind=kind,
            reason=reason.strip(),
            days=days,
            recipient=recipient.strip(),
            recipient_kind=recipient_kind,
            requested_by=by,
            requested_at=now,
        )
        rows = [
            AccessRequestItem.objects.create(request=request, case=case, document=document, media=media)
            for case, document, media in resolved
        ]
        ledger_append(
            action="access.requested",
            actor=by,
            agency=agency,
            objects={"access_request": request.pk},
            details={
                "number": request.number,
                "kind": kind,
                "days": days,
                "recipient": request.recipient,
                "items": [_item_ref(row) for row in rows],
                STATE_KEY: row_states(access_request=request.pk),
            },
            at=now,
        )
        for row in rows:
            ledger_append(
                action="access.item",
                actor=by,
                agency=agency,
                case=row.case,
                objects={"access_request": request.pk, "access_item": row.pk},
                details={**_item_ref(row), STATE_KEY: row_states(access_item=row.pk)},
                at=now,
            )
    return request


def _item_ref(row: AccessRequestItem) -> dict[str, int | None]:
    return {"case": row.case_id, "document": row.document_id, "media": row.media_id}


def _may_decide(by: User, request: AccessRequest) -> AccessPolicy:
    policy = agency_policy(request.agency)
    roles = approver_roles(policy, request.kind)
    if by.agency_id != request.agency_id or not any(by.has_role(r) for r in roles):
        raise PermissionDenied(f"{request.get_kind_display()}申请由{roles_text(roles)}审批")
    if request.requested_by_id == by.pk:
        raise PermissionDenied("申请人不能审批本人的申请")
    return policy


def access_request_decide(
    *, request: AccessRequest, by: User, approved: bool, opinion: str, days: int | None = None
) -> AccessDecision:
    """Approve (for ``days``, at most the request's and the profile's limit) or refuse with a reason."""
    policy = _may_decide(by, request)
    if not opinion.strip():
        raise invalid("opinion", "required", "请填写审批意见" if approved else "不予批准须写明理由")
    days = request.days if days is None else days
    if approved and not 1 <= days <= min(request.days, policy.max_days):
        raise invalid("days", "out_of_range", f"批准的期限应为 1 至 {min(request.days, policy.max_days)} 天")
    now = clock.now()
    with transaction.atomic():
        AccessRequest.objects.select_for_update().filter(pk=request.pk).first()
        if AccessDecision.objects.filter(request=request).exists():
            raise Conflict(f"{request.number} 已审批")
        role = next(r for r in approver_roles(policy, request.kind) if by.has_role(r))
        decision = AccessDecision.objects.create(
            request=request,
            approved=approved,
            opinion=opinion.strip(),
            expires_at=now + timedelta(days=days) if approved else None,
            role=role,
            basis=approver_basis(policy, request.kind),
            decided_by=by,
            decided_at=now,
        )
        ledger_append(
            action="access.decided",
            actor=by,
            agency=request.agency,
            objects={"access_request": request.pk, "access_decision": decision.pk},
            details={
                "number": request.number,
                "approved": approved,
                "role": role,
                STATE_KEY: row_states(access_decision=decision.pk),
            },
            at=now,
        )
    scope.grants_changed()
    return decision


def access_request_revoke(*, request: AccessRequest, by: User, reason: str) -> AccessRevocation:
    """Withdraw a live grant: by those who may decide such requests, or by the requester giving it back.
    It stops working at once."""
    if by.pk != request.requested_by_id:
        _may_decide(by, request)
    if not reason.strip():
        raise invalid("reason", "required", "请填写撤销理由")
    now = clock.now()
    with transaction.atomic():
        AccessRequest.objects.select_for_update().filter(pk=request.pk).first()
        state = grant_state(request, now)
        if state != "live":
            raise Conflict(f"{request.number} {STATE_LABELS[state]}，无可撤销的授权")
        revocation = AccessRevocation.objects.create(
            request=request, reason=reason.strip(), revoked_by=by, revoked_at=now
        )
        ledger_append(
            action="access.revoked",
            actor=by,
            agency=request.agency,
            objects={"access_request": request.pk, "access_revocation": revocation.pk},
            details={"number": request.number, STATE_KEY: row_states(access_revocation=revocation.pk)},
            at=now,
        )
    scope.grants_changed()
    return revocation


STATE_LABELS = {
    "pending": "待审批",
    "refused": "不予批准",
    "live": "已批准，使用中",
    "expired": "已到期",
    "revoked": "已撤销",
}


def grant_state(request: AccessRequest, now: datetime | None = None) -> str:
    """pending, refused, live, expired or revoked (by the injectable clock)."""
    now = now or clock.now()
    decision = AccessDecision.objects.filter(request=request).first()
    if decision is None:
        return "pending"
    if not decision.approved:
        return "refused"
    if AccessRevocation.objects.filter(request=request).exists():
        return "revoked"
    assert decision.expires_at is not None
    return "live" if now < decision.expires_at else "expired"

"""Reads of staff requests (调阅/复制/对外提供): every one starts from
:func:`liuhen.access.scope.access_requests`; the records a grant covers from the access layer too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from liuhen.access import scope
from liuhen.access.reads import READ_ACTIONS
from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document
from liuhen.core import clock
from liuhen.core.errors import NotFound, PermissionDenied
from liuhen.evidence.models import MediaRecord
from liuhen.grants.models import AccessDecision, AccessRequest, AccessRequestItem, AccessRevocation
from liuhen.grants.policy import agency_policy
from liuhen.grants.services import approver_basis, approver_roles, grant_state, roles_text
from liuhen.ledger.models import LedgerEntry


def request_list(*, user: User, state: str = "") -> QuerySet[AccessRequest]:
    qs = scope.access_requests(user).select_related(
        "agency", "requested_by", "decision__decided_by", "revocation"
    )
    now = clock.now()
    if state == "pending":
        qs = qs.filter(decision__isnull=True)
    elif state == "live":
        qs = qs.filter(decision__approved=True, decision__expires_at__gt=now, revocation__isnull=True)
    return qs.order_by("-requested_at", "-id")


def request_get(*, user: User, request_id: int) -> AccessRequest:
    found = request_list(user=user).filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"申请 {request_id} 不存在")
    return found


def to_decide(*, user: User) -> list[AccessRequest]:
    """Pending requests of the user's agency that the user's roles decide (never their own)."""
    if user.agency is None or user.agency_id is None:
        return []
    policy = agency_policy(user.agency)
    kinds = [
        kind
        for kind in AccessRequest.Kind.values
        if any(user.has_role(role) for role in approver_roles(policy, kind))
    ]
    if not kinds:
        return []
    return list(
        request_list(user=user, state="pending")
        .filter(agency_id=user.agency_id, kind__in=kinds)
        .exclude(requested_by=user)
    )


@dataclass(frozen=True)
class CoveredRecord:
    """One record a grant covers, as the grantee may reach it."""

    kind: str  # document | media
    obj: Document | MediaRecord
    case: Case


def covered_records(*, user: User, request: AccessRequest) -> list[CoveredRecord]:
    """What the request names, resolved through the access layer for ``user`` (for the requester under
    a live grant: every record it covers; for others: what they may see anyway)."""
    out: list[CoveredRecord] = []
    for item in AccessRequestItem.objects.filter(request=request).select_related("case"):
        case = item.case
        if item.document_id is not None:
            doc = scope.documents(user, case_id=case.pk).filter(pk=item.document_id).first()
            out += [CoveredRecord("document", doc, case)] if doc else []
        elif item.media_id is not None:
            media = scope.media(user).filter(pk=item.media_id).first()
            out += [CoveredRecord("media", media, case)] if media else []
        else:
            out += [CoveredRecord("document", d, case) for d in scope.documents_of(user, case).order_by("pk")]
            out += [CoveredRecord("media", m, case) for m in scope.media_of_case(scope.media(user), case.pk)]
    return out


def record_title(record: CoveredRecord) -> str:
    """A covered record as a person names it: the document's type, or the A/V record's title."""
    from liuhen.catalogue import get_type

    if isinstance(record.obj, Document):
        return f"{get_type(record.obj.doc_type).title}（{record.case.case_no}）"
    return f"{record.obj.title or record.obj.get_kind_display()}（{record.case.case_no}）"


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str


def request_history(request: AccessRequest) -> list[HistoryLine]:
    """Filed, decided, revoked, copies made, and every read made under the grant (the log names it)."""
    lines = [HistoryLine(request.requested_at, request.requested_by.full_name, "提出申请")]
    decision = AccessDecision.objects.filter(request=request).select_related("decided_by").first()
    if decision is not None:
        verdict = "批准" if decision.approved else "不予批准"
        until = f"，可用至{clock.local_text(decision.expires_at)}" if decision.expires_at is not None else ""
        lines.append(
            HistoryLine(
                decision.decided_at, decision.decided_by.full_name, f"{verdict}：{decision.opinion}{until}"
            )
        )
    revocation = AccessRevocation.objects.filter(request=request).select_related("revoked_by").first()
    if revocation is not None:
        lines.append(
            HistoryLine(
                revocation.revoked_at, revocation.revoked_by.full_name, f"撤销授权：{revocation.reason}"
            )
        )
    for delivery in request.deliveries.select_related("made_by"):
        to = f"，交付{delivery.handed_to}" if delivery.handed_to else ""
        lines.append(
            HistoryLine(
                delivery.made_at, delivery.made_by.full_name, f"制作复制件（{delivery.files}个文件）{to}"
            )
        )
    for entry in uses_of(request):
        lines.append(HistoryLine(entry.created_at, request.requested_by.full_name, _use_text(entry.action)))
    return sorted(lines, key=lambda line: line.at)


_USE_TEXT = {
    "viewed": "查看/播放",
    "downloaded": "下载原件",
    "copied": "复制",
    "released": "对外提供",
    "printed": "打印",
}
_KIND_TEXT = {"media": "音像记录", "document": "文书", "case": "案件", "party": "当事人信息"}


def _use_text(action: str) -> str:
    kind, _, purpose = action.partition(".")
    return f"依本授权{_USE_TEXT.get(purpose, purpose)}{_KIND_TEXT.get(kind, kind)}"


def uses_of(request: AccessRequest) -> list[LedgerEntry]:
    """The read entries made under this grant: the requester's reads, from the filing on, whose details
    name its number."""
    entries = LedgerEntry.objects.filter(
        actor_id=request.requested_by_id,
        agency_id=request.agency_id,
        created_at__gte=request.requested_at,
        action__in=READ_ACTIONS,
    ).order_by("index")
    return [e for e in entries if json.loads(bytes(e.body)).get("details", {}).get("grant") == request.number]


def content_refusal(user: User, record: MediaRecord, case_ids: list[int], *, copy: bool) -> PermissionDenied:
    """Why ``user`` may not play (or copy) ``record``, in words they can act on: which grant expired or
    was revoked, or which request to file and who decides it."""
    now = clock.now()
    covering = (
        AccessRequestItem.objects.filter(request__requested_by=user, request__decision__approved=True)
        .filter(Q(media_id=record.pk) | Q(document__isnull=True, media__isnull=True, case_id__in=case_ids))
        .select_related("request__decision", "request__revocation")
        .order_by("-request__requested_at")
    )
    if copy:
        covering = covering.exclude(request__kind=AccessRequest.Kind.VIEW)
    for item in covering:
        request = item.request
        state = grant_state(request, now)
        if state == "expired":
            expired = clock.local_text(request.decision.expires_at or now)
            return PermissionDenied(f"{request.number}已于{expired}到期，请重新申请")
        if state == "revoked":
            return PermissionDenied(f"{request.number}已被撤销：{request.revocation.reason}")
    policy = agency_policy(record.agency)
    kind = AccessRequest.Kind.COPY if copy else AccessRequest.Kind.VIEW
    who = roles_text(approver_roles(policy, kind))
    if copy:
        return PermissionDenied(
            f"下载原件即为复制，须经{who}批准：请提出复制申请（{approver_basis(policy, kind)}）"
        )
    return PermissionDenied(f"播放该音像记录须经{who}批准：请提出调阅申请（{approver_basis(policy, kind)}）")

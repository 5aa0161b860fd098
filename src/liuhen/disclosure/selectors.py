"""Reads of party requests, scoped to the acting user: the desk (``disclosure.handle``) of the agency.

The requester's ID number, phone and address are masked unless the reader holds ``personal.view``.
Requests are seen only inside the user's own agency (``scope.visible_agency_ids(user, "change")``:
a supervisor does not run another agency's desk). Everyone else sees none: a request they name is
"not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from liuhen.access import Read, log_reads, scope
from liuhen.access.masking import mask_value
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.core.errors import NotFound, PermissionDenied
from liuhen.disclosure.models import DisclosureRequest
from liuhen.disclosure.state import Standing, standing

_RELATED = ("agency", "case", "party", "registered_by", "extension", "delivery")


def requests(user: User) -> QuerySet[DisclosureRequest]:
    """The requests of the user's desk (:func:`liuhen.access.scope.disclosure_requests`)."""
    return scope.disclosure_requests(user)


def _masked(user: User, request: DisclosureRequest) -> DisclosureRequest:
    return _shown(user, [request])[0]


def _shown(user: User, requests: list[DisclosureRequest]) -> list[DisclosureRequest]:
    """The requests as ``user`` may see them: the requester's ID number, phone and address masked
    without ``personal.view``; shown in full, the read is logged (one entry for the lot)."""
    reads = []
    for request in requests:
        if not user.can(Permission.PERSONAL_DATA_VIEW):
            request.requester_id_number = mask_value("id_number", request.requester_id_number)
            request.requester_phone = mask_value("phone", request.requester_phone)
            request.requester_address = mask_value("address", request.requester_address)
            request._liuhen_masked = True  # type: ignore[attr-defined]  # never to be saved (append-only)
        elif request.requester_id_number or request.requester_phone or request.requester_address:
            reads.append(Read(request, ("personal",), case=request.case))
    log_reads(user=user, reads=reads)
    return requests


@dataclass(frozen=True)
class Listed:
    request: DisclosureRequest
    standing: Standing


def request_list(*, user: User, open_only: bool = False) -> list[Listed]:
    """The agency's requests, newest first, each with where it stands (overdue ones flagged)."""
    qs = requests(user).select_related(*_RELATED).prefetch_related("decisions__approval", "redactions")
    if open_only:
        qs = qs.filter(delivery__isnull=True)
    return [Listed(r, standing(r)) for r in _shown(user, list(qs))]


def request_get(*, user: User, request_id: int) -> DisclosureRequest:
    found = requests(user).select_related(*_RELATED).filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"依申请公开 {request_id} 不存在")
    return _masked(user, found)


def request_for_change(*, user: User, request_id: int) -> DisclosureRequest:
    """The request (unmasked) for a service to act on: 404 outside the user's agencies, 403 for someone
    of the agency who is not at the desk (as every write: the permission is checked once the object is
    known to be in scope), then the service checks who may do what."""
    if not DisclosureRequest.objects.filter(
        pk=request_id, agency_id__in=scope.visible_agency_ids(user, "view")
    ).exists():
        raise NotFound(f"依申请公开 {request_id} 不存在")
    if not user.can(Permission.DISCLOSURE_HANDLE):
        raise PermissionDenied("只有依申请公开受理人员（法制审核、机关负责人）可以办理")
    found = requests(user).select_related(*_RELATED).filter(pk=request_id).first()
    if found is None:  # a supervised agency's request: the supervisor reads, never acts
        raise PermissionDenied("只能办理本机关的依申请公开")
    return found


@dataclass(frozen=True)
class Due:
    request_id: int
    number: str
    requester: str
    due_on: date
    provisional: bool
    overdue: bool
    days_left: int
    next_step: str
    label: str


def disclosure_due(user: User) -> list[Due]:
    """Open requests of the user's desk with their deadlines, soonest (and overdue) first, for the inbox."""
    rows = [
        Due(
            request_id=item.request.pk,
            number=item.request.number,
            requester=item.request.requester_name,
            due_on=item.standing.due_on,
            provisional=item.standing.provisional,
            overdue=item.standing.overdue,
            days_left=item.standing.days_left,
            next_step=item.standing.next_step,
            label=item.standing.label,
        )
        for item in request_list(user=user, open_only=True)
    ]
    return sorted(rows, key=lambda d: (d.due_on, d.request_id))

"""Test helper: a grant filed and approved through the real services."""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.grants.models import AccessRequest
from liuhen.grants.services import ItemSpec, access_request_decide, access_request_file
from tests.factories import make_user


def granted(
    requester: User,
    *,
    case_id: int,
    kind: str = "copy",
    media_id: int | None = None,
    document_id: int | None = None,
    approver: User | None = None,
    days: int = 7,
    **extra: str,
) -> AccessRequest:
    """``requester``'s request for one record (or the whole case), approved by ``approver`` (a new head
    of the requester's agency if none is given)."""
    assert requester.agency is not None
    request = access_request_file(
        by=requester,
        kind=kind,
        reason="办案需要",
        days=days,
        items=[ItemSpec(case_id=case_id, document_id=document_id, media_id=media_id)],
        **extra,
    )
    approver = approver or make_user(requester.agency, ["head"])
    access_request_decide(request=request, by=approver, approved=True, opinion="同意")
    return request

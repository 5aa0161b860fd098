"""Shared helpers of the views: scoped look-ups that answer 404 for anything outside the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from liuhen.access.scope import Action
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission, may_author, writes_documents
from liuhen.cases import selectors
from liuhen.cases.models import Case, Document
from liuhen.catalogue import DocumentType
from liuhen.core.errors import NotFound, invalid
from liuhen.core.errors import PermissionDenied as Refused
from liuhen.evidence import selectors as evidence_selectors
from liuhen.evidence.models import MediaAssignment, MediaRecord

T = TypeVar("T")


class AuthedRequest(HttpRequest):
    """A request of a logged-in user (every view is ``login_required``)."""

    user: User  # type: ignore[assignment]


def require_permission(request: AuthedRequest, permission: Permission) -> None:
    """403 for a role the table does not grant ``permission`` — before any form is read, so a role
    that may not act learns that, not what is wrong with its input."""
    if not request.user.can(permission):
        raise PermissionDenied("您的角色无权执行此操作")


def require_writer(request: AuthedRequest, doc_type: DocumentType | None = None) -> None:
    """403 for a role that writes no document (or not this type: the legal unit writes its 法制审核意见书,
    the officer does not) — before any form is read."""
    roles = list(request.user.roles)
    if doc_type is None:
        if not writes_documents(roles):
            raise PermissionDenied("您的角色不制作文书")
    elif not may_author(roles, doc_type.author_roles):
        raise PermissionDenied(f"您的角色不能制作{doc_type.title}")


def case_or_404(request: AuthedRequest, case_id: int, action: Action = "view") -> Case:
    try:
        return selectors.case_get(user=request.user, case_id=case_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from None


def document_or_404(request: AuthedRequest, document_id: int, action: Action = "view") -> Document:
    """``view``: the document as the user may see it (masked, read logged); ``change``: the stored row,
    for a service about to write."""
    try:
        return selectors.document_get(user=request.user, document_id=document_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from None


def media_link_or_404(request: AuthedRequest, assignment_id: int) -> MediaAssignment:
    try:
        return evidence_selectors.assignment_get(user=request.user, assignment_id=assignment_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def media_or_404(request: AuthedRequest, media_id: int, action: Action = "view") -> MediaRecord:
    try:
        return evidence_selectors.media_get(user=request.user, media_id=media_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from None


def found(get: Callable[..., T], /, **kwargs: Any) -> T:
    """A selector's object for a page: its NotFound becomes the 404 page and its PermissionDenied (a
    role that sees the object but may not act on it) the 403 page."""
    try:
        return get(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except Refused as exc:
        raise PermissionDenied(exc.message) from None


def form_date(value: str | None, field: str) -> date | None:
    """A date typed in a form (``YYYY-MM-DD``), ``None`` when left empty; anything else is an error at
    ``field`` in Chinese."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(field, "invalid", "请填写正确的日期") from None

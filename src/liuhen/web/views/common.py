"""Shared helpers of the views: scoped look-ups that answer 404 for anything outside the user's scope."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from liuhen.accounts.models import User
from liuhen.cases import selectors
from liuhen.cases.models import Case, Document, MediaRecord
from liuhen.core.errors import NotFound


class AuthedRequest(HttpRequest):
    """A request of a logged-in user (every view is ``login_required``)."""

    user: User  # type: ignore[assignment]


def case_or_404(request: AuthedRequest, case_id: int) -> Case:
    try:
        return selectors.case_get(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def document_or_404(request: AuthedRequest, document_id: int) -> Document:
    try:
        return selectors.document_get(user=request.user, document_id=document_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def media_or_404(request: AuthedRequest, media_id: int) -> MediaRecord:
    try:
        return selectors.media_get(user=request.user, media_id=media_id)
    except NotFound as exc:
        raise Http404(exc.message) from None

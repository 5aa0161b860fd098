"""Reads of document drafts (草稿), through the one access layer (:func:`liuhen.access.scope.drafts`).

A draft outside the user's scope is not found (404), like any record. Reading a draft is not logged:
it is not a record, and its only readers are its author and the case's handler.
"""

from __future__ import annotations

from django.db.models import QuerySet

from liuhen.access import scope
from liuhen.access.scope import Action
from liuhen.accounts.models import User
from liuhen.cases.models import Case, DocumentDraft
from liuhen.core.errors import NotFound


def draft_get(*, user: User, draft_id: int, action: Action = "view") -> DocumentDraft:
    """One draft in scope (finalised or not: a finalised one says which record it became)."""
    draft = (
        scope.drafts(user, action)
        .select_related("case", "case__agency", "case__handler", "created_by")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        raise NotFound(f"草稿 {draft_id} 不存在")
    return draft


def case_drafts(*, user: User, case: Case) -> QuerySet[DocumentDraft]:
    """The drafts of ``case`` that ``user`` may see and that are still being written, newest first."""
    return (
        scope.drafts(user)
        .filter(case_id=case.pk, finalised_document__isnull=True)
        .select_related("created_by")
    )

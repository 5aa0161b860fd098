"""Drafts (草稿) of documents: saved while a long 询问笔录 is still being written, finalised (定稿) into
the record when it is done.

A draft is not a record. It lives in a working table (:class:`~liuhen.cases.models.DocumentDraft`),
is updated in place and deleted by its author, and none of these services appends a ledger entry: the
log holds what happened in the case, and an unfinished text happened nowhere. What is logged is the
record: :func:`draft_finalise` goes through :func:`~liuhen.cases.services.documents.document_create`,
which validates in full and appends the usual ``document.created`` entry, in the same transaction
that marks the draft finalised. Until then a draft holds only the fields filled so far: each value is
checked for its type (a date is a date), never for completeness (required fields, minimum numbers of
items, or the cross-field checks such as "ends after it starts", which a half-written form fails
on the way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document, DocumentDraft
from liuhen.cases.services.common import require_open, require_same_agency
from liuhen.cases.services.documents import document_create, require_author
from liuhen.catalogue import DocumentType, UnknownDocumentType, get_type, validate_fields
from liuhen.catalogue.validation import FieldError as CatalogueFieldError
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed, invalid

# Validation reasons that mean "not finished yet" rather than "wrong": a draft tolerates them.
_UNFINISHED = frozenset({"required", "too_few_items", "out_of_order", "length_mismatch", "count_mismatch"})


def _doc_type(code: str) -> DocumentType:
    try:
        return get_type(code)
    except UnknownDocumentType:
        raise invalid("doc_type", "unknown", f"未知的文书类型：{code}") from None


def draft_fields(doc_type: DocumentType, data: Mapping[str, Any]) -> dict[str, Any]:
    """The filled fields of ``data``, each checked for its type but none required; a list shorter than
    its minimum is kept as typed. Raises ``ValidationFailed`` (``fields.<name>``) for a wrong value."""
    clean, errors = validate_fields(doc_type, data)
    wrong = [e for e in errors if e.reason not in _UNFINISHED and not _short_count(e, data)]
    if wrong:
        raise ValidationFailed(
            "草稿内容格式不正确",
            errors=[FieldError(f"fields.{e.field}", e.reason, e.message) for e in wrong],
        )
    for error in errors:
        if error.reason == "too_few_items":  # items already checked one by one
            clean[error.field] = [str(item).strip() for item in data[error.field]]
        elif _short_count(error, data):
            clean[error.field] = int(data[error.field])
    return clean


def _short_count(error: CatalogueFieldError, data: Mapping[str, Any]) -> bool:
    """A count below the form's minimum that is still a count (one officer so far, where the record
    needs two): unfinished, not wrong — the draft keeps it and 定稿 checks it."""
    if error.reason != "too_small":
        return False
    try:
        return int(str(data.get(error.field))) >= 0
    except ValueError:
        return False


def _require_writer(user: User, draft: DocumentDraft) -> None:
    if user.pk not in (draft.created_by_id, draft.case.handler_id):
        raise PermissionDenied("只有草稿的制作人或本案承办人可以修改草稿")


def _require_unfinalised(draft: DocumentDraft) -> None:
    if draft.finalised:
        raise Conflict("草稿已定稿，成为正式记录，不能再修改；如有错误请以“更正”方式记录")


def _require_may_write(user: User, case: Case, doc_type: str) -> None:
    require_author(user, doc_type)
    require_same_agency(user, case)


@transaction.atomic
def draft_save(
    *,
    by: User,
    fields: Mapping[str, Any],
    number: str = "",
    confidential: bool = False,
    draft: DocumentDraft | None = None,
    case: Case | None = None,
    doc_type: str = "",
) -> DocumentDraft:
    """Save a new draft of ``doc_type`` on ``case`` (``draft`` None), or replace the content of
    ``draft``. Only its author or the case's handler changes a draft, only while the case is open.
    No ledger entry: a draft is not a record (see the module docstring)."""
    if draft is None:
        if case is None:
            raise TypeError("draft_save needs a case for a new draft")
        _require_may_write(by, case, doc_type)
        spec = _doc_type(doc_type)
    else:
        case = draft.case
        _require_may_write(by, case, draft.doc_type)
        _require_writer(by, draft)
        _require_unfinalised(draft)
        spec = get_type(draft.doc_type)
    require_open(case)
    clean = draft_fields(spec, fields)
    now = clock.now()
    if draft is None:
        draft = DocumentDraft(case=case, doc_type=spec.code, created_by=by, created_at=now)
    draft.fields, draft.number, draft.confidential, draft.updated_at = clean, number, confidential, now
    draft.save()
    return draft


@transaction.atomic
def draft_discard(*, draft: DocumentDraft, by: User) -> None:
    """Delete a draft that was never finalised; only its author may (it is their unfinished work).
    No ledger entry: nothing of the record is removed."""
    if by.pk != draft.created_by_id:
        raise PermissionDenied("只有草稿的制作人可以删除草稿")
    _require_unfinalised(draft)
    draft.delete()


@transaction.atomic
def draft_finalise(*, draft: DocumentDraft, by: User) -> Document:
    """定稿: make the record from the draft through :func:`document_create` (full validation, its
    ``document.created`` entry, compliance refreshed) and mark the draft finalised, pointing at the
    record, in one transaction; ``by`` (the author or the handler) becomes the record's maker."""
    _require_may_write(by, draft.case, draft.doc_type)
    _require_writer(by, draft)
    _require_unfinalised(draft)
    document = document_create(
        case=draft.case,
        created_by=by,
        doc_type=draft.doc_type,
        fields=draft.fields,
        number=draft.number,
        confidential=draft.confidential,
    )
    draft.finalised_document = document
    draft.updated_at = document.created_at
    draft.save(update_fields=["finalised_document", "updated_at"])
    return document

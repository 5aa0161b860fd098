"""Drafts (草稿) on the web: the draft page (the same generated form, prefilled) to continue writing,
定稿 into the record, and discarding. Saving a first draft is the new-document form's 保存草稿
(:func:`liuhen.web.views.documents.document_new`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.access.scope import Action
from liuhen.cases.draft_selectors import draft_get
from liuhen.cases.models import DocumentDraft
from liuhen.cases.services.drafts import draft_discard, draft_finalise, draft_save
from liuhen.catalogue import get_type
from liuhen.core.errors import DomainError, NotFound
from liuhen.core.errors import PermissionDenied as DomainPermissionDenied
from liuhen.web import docform
from liuhen.web.forms import DocumentMetaForm
from liuhen.web.views.common import AuthedRequest, require_writer
from liuhen.web.views.documents import (
    SAVE_DRAFT,
    document_anchor,
    generated_form,
    split_errors,
    submitted_meta,
)


def draft_or_404(request: AuthedRequest, draft_id: int, action: Action = "view") -> DocumentDraft:
    try:
        draft = draft_get(user=request.user, draft_id=draft_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from None
    require_writer(request, get_type(draft.doc_type))
    return draft


@login_required
def draft_edit(request: AuthedRequest, draft_id: int) -> HttpResponse:
    """GET: the draft in its form. POST: save what was typed (保存草稿), or save it and 定稿."""
    draft = draft_or_404(request, draft_id, "change" if request.method == "POST" else "view")
    doc_type = get_type(draft.doc_type)
    if request.method != "POST":
        # the no-script variant switch comes back here with what was typed in the query
        values = docform.raw_values(doc_type, request.GET) if "doc_type" in request.GET else draft.fields
        initial = {"number": draft.number, "confidential": draft.confidential}
        return _draft_page(request, draft, values=values, meta=DocumentMetaForm(initial=initial))
    meta = DocumentMetaForm(request.POST)
    values = docform.raw_values(doc_type, request.POST)
    if not meta.is_valid():
        return _draft_page(request, draft, values=values, meta=meta, status=422)
    fields = docform.parse_submission(doc_type, request.POST, tz=settings.TIME_ZONE)
    try:
        draft_save(by=request.user, draft=draft, fields=fields, **submitted_meta(meta, fields))
        if SAVE_DRAFT in request.POST:
            messages.success(request, "草稿已保存。")
            return redirect("web:draft_edit", draft_id=draft.pk)
        document = draft_finalise(draft=draft, by=request.user)
    except DomainError as exc:
        errors, general = split_errors(doc_type, exc, "fields", meta)
        page = _draft_page(request, draft, values=values, errors=errors, general=general, meta=meta)
        page.status_code = exc.status
        return page
    messages.success(request, "已定稿，文书成为正式记录。")
    return redirect(document_anchor(document))


@login_required
@require_POST
def draft_discard_view(request: AuthedRequest, draft_id: int) -> HttpResponse:
    draft = draft_or_404(request, draft_id, "change")
    case_id = draft.case_id
    try:
        draft_discard(draft=draft, by=request.user)
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:  # already finalised
        messages.error(request, exc.message)
        return redirect("web:draft_edit", draft_id=draft.pk)
    messages.success(request, "草稿已删除。")
    return redirect(reverse("web:case_detail", kwargs={"case_id": case_id}) + "#documents")


def _draft_page(
    request: AuthedRequest,
    draft: DocumentDraft,
    *,
    values,
    meta: DocumentMetaForm,
    errors=None,
    general=(),
    status: int = 200,
) -> HttpResponse:
    doc_type = get_type(draft.doc_type)
    form, general = generated_form(doc_type, values, errors, general)
    context = {
        "case": draft.case,
        "draft": draft,
        "title": doc_type.title,
        "form": form,
        "meta_form": meta,
        "general_errors": general,
        "noscript_action": reverse("web:draft_edit", kwargs={"draft_id": draft.pk}),
        "may_discard": draft.created_by_id == request.user.pk,
    }
    return render(request, "web/document_draft.html", context, status=status)

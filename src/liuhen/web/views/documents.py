"""Documents (文书): the form generated from the catalogue, signing, refusals to sign, amendments."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from liuhen.accounts.roles import Permission
from liuhen.cases import services
from liuhen.cases.models import Case, Document
from liuhen.cases.services.documents import document_current_fields
from liuhen.cases.services.drafts import draft_save
from liuhen.catalogue import DocumentType, UnknownDocumentType, get_type
from liuhen.core.errors import DomainError
from liuhen.web import docform
from liuhen.web.casepage import Failed, doc_type_groups, render_case_page
from liuhen.web.forms import (
    AmendMetaForm,
    DocumentMetaForm,
    RefusalForm,
    SignedCopyForm,
    SignForm,
    add_service_errors,
)
from liuhen.web.prefill import form_pickers, form_sources
from liuhen.web.views.common import (
    AuthedRequest,
    case_or_404,
    document_or_404,
    require_permission,
    require_writer,
)

_SIGN_ALIASES = {"strokes": "stroke_png", "location": "latitude"}
SAVE_DRAFT = "save_draft"  # the name of the 保存草稿 button; 保存（定稿） is the form's default


def _doc_type(code: str | None) -> DocumentType | None:
    try:
        return get_type(code) if code else None
    except UnknownDocumentType:
        return None


def split_errors(
    doc_type: DocumentType, exc: DomainError, prefix: str, meta: forms.Form
) -> tuple[dict[str, str], list[str]]:
    """Place a service error: ``fields.place`` next to the generated input ``place``, ``reason`` on the
    ``meta`` form, anything else above the form. Returns the generated inputs' errors and the rest."""
    known = doc_type.all_fields()
    by_field: dict[str, str] = {}
    general: list[str] = []
    for error in exc.errors:
        name = error.field.removeprefix(prefix + ".")
        if error.field.startswith(prefix + ".") and name in known:
            by_field.setdefault(name, error.message)
        elif error.field in meta.fields:
            meta.add_error(error.field, error.message)
        else:
            general.append(error.message)
    if not exc.errors:
        general.append(exc.message)
    return by_field, general


def generated_form(
    doc_type: DocumentType, values, errors, general, pickers: docform.Pickers | None = None
) -> tuple[docform.GeneratedForm, list[str]]:
    form = docform.form_fields(doc_type, values=values, errors=errors, tz=settings.TIME_ZONE, pickers=pickers)
    return form, [*general, *form.unplaced(errors or {})]


def submitted_meta(meta: DocumentMetaForm, fields: dict) -> dict:
    """文号 and confidentiality from the meta form; the 文号 from the form's own field where it has one."""
    number = meta.cleaned_data["number"] or str(fields.get("doc_number", ""))
    return {"number": number, "confidential": meta.cleaned_data["confidential"]}


def _doc_page(
    request: AuthedRequest,
    case: Case,
    doc_type: DocumentType | None,
    *,
    values=None,
    errors=None,
    general=(),
    meta=None,
    status: int = 200,
    pickers: docform.Pickers | None = None,
) -> HttpResponse:
    form, general = generated_form(doc_type, values, errors, general, pickers) if doc_type else (None, [])
    context = {
        "case": case,
        "form": form,
        "doc_types": doc_type_groups(case, request.user),
        "meta_form": meta or DocumentMetaForm(),
        "general_errors": general,
        "noscript_action": reverse("web:document_new", kwargs={"case_id": case.pk}),
    }
    return render(request, "web/document_new.html", context, status=status)


@login_required
def document_new(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    require_writer(request)
    data = request.POST if request.method == "POST" else request.GET
    doc_type = _doc_type(data.get("doc_type"))
    if doc_type is not None:
        require_writer(request, doc_type)
    if doc_type is None:
        return _doc_page(request, case, None)
    pickers = form_pickers(user=request.user, case=case, doc_type=doc_type)
    if request.method != "POST":
        values = _prefilled(request, case, doc_type, docform.raw_values(doc_type, data, pickers))
        return _doc_page(request, case, doc_type, values=values, pickers=pickers)
    meta = DocumentMetaForm(request.POST)
    values = docform.raw_values(doc_type, request.POST, pickers)
    if not meta.is_valid():
        return _doc_page(request, case, doc_type, values=values, meta=meta, status=422, pickers=pickers)
    fields = docform.parse_submission(doc_type, request.POST, tz=settings.TIME_ZONE, pickers=pickers)
    content = {"fields": fields, **submitted_meta(meta, fields)}
    try:
        if SAVE_DRAFT in request.POST:
            draft = draft_save(by=request.user, case=case, doc_type=doc_type.code, **content)
            messages.success(request, "草稿已保存。草稿不是正式记录，可以随时回来继续填写。")
            return redirect("web:draft_edit", draft_id=draft.pk)
        document = services.document_create(
            case=case, created_by=request.user, doc_type=doc_type.code, **content
        )
    except DomainError as exc:
        errors, general = split_errors(doc_type, exc, "fields", meta)
        return _doc_page(
            request,
            case,
            doc_type,
            values=values,
            errors=errors,
            general=general,
            meta=meta,
            status=exc.status,
            pickers=pickers,
        )
    return redirect(document_anchor(document))


def _prefilled(request: AuthedRequest, case: Case, doc_type: DocumentType, values: dict) -> dict:
    """A new form's empty blanks filled from the case as this user may see it (see ``liuhen.web.prefill``)."""
    return docform.prefilled(doc_type, values, form_sources(user=request.user, case=case))


@login_required
@require_GET
def document_form(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The generated form alone, for htmx: after a type is chosen, or when the variant (送达方式…) changes."""
    case = case_or_404(request, case_id)
    require_writer(request)
    doc_type = _doc_type(request.GET.get("doc_type"))
    if doc_type is None:
        raise Http404("未知的文书类型")
    require_writer(request, doc_type)
    pickers = form_pickers(user=request.user, case=case, doc_type=doc_type)
    values = docform.raw_values(doc_type, request.GET, pickers)
    variant_only = request.GET.get("part") == "variant"
    if not variant_only:
        values = _prefilled(request, case, doc_type, values)
    form = docform.form_fields(doc_type, values=values, tz=settings.TIME_ZONE, pickers=pickers)
    template = "web/_variant_fields.html" if variant_only else "web/_docform.html"
    context = {"case": case, "form": form, "meta_form": DocumentMetaForm(), "general_errors": []}
    return render(request, template, context)


@login_required
@require_POST
def document_sign(request: AuthedRequest, document_id: int) -> HttpResponse:
    """A signature with what the signer left on the officer's device: the drawn signature, photos."""
    document = document_or_404(request, document_id, "change")
    require_permission(request, Permission.DOCUMENT_SIGN)
    form = SignForm(request.POST, request.FILES, prefix=f"sign{document.pk}")
    if form.is_valid():
        try:
            services.document_sign_marked(
                document=document,
                recorded_by=request.user,
                marks=form.marks(),
                location=form.location(),
                **form.signature_data(),
            )
            return redirect(document_anchor(document))
        except DomainError as exc:
            add_service_errors(form, exc, _SIGN_ALIASES)
    return render_case_page(request, document.case, failed=Failed("sign", form, document.pk), status=422)


@login_required
@require_POST
def document_refuse(request: AuthedRequest, document_id: int) -> HttpResponse:
    """A refusal to sign; the second officer confirms with their own password on this device."""
    document = document_or_404(request, document_id, "change")
    require_permission(request, Permission.DOCUMENT_SIGN)
    form = RefusalForm(request.POST, prefix=f"refuse{document.pk}")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            second = services.second_officer_confirm(
                request=request,
                username=data.pop("second_officer_username"),
                password=data.pop("second_officer_password"),
            )
            services.document_refusal_record(
                document=document, recorded_by=request.user, second_officer=second, **data
            )
            return redirect(document_anchor(document))
        except DomainError as exc:
            add_service_errors(form, exc)
    return render_case_page(request, document.case, failed=Failed("refuse", form, document.pk), status=422)


@login_required
@require_POST
def document_signed_copy(request: AuthedRequest, document_id: int) -> HttpResponse:
    """Attach the photo or scan of the paper document signed by hand."""
    document = document_or_404(request, document_id, "change")
    require_permission(request, Permission.DOCUMENT_SIGN)
    form = SignedCopyForm(
        request.POST, request.FILES, prefix=f"copy{document.pk}", amendments=len(document.amendments.all())
    )
    if form.is_valid():
        try:
            services.signed_copy_add(
                document=document,
                created_by=request.user,
                data=form.content(),
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
            return redirect(document_anchor(document))
        except DomainError as exc:
            add_service_errors(form, exc)
    failed = Failed("signed_copy", form, document.pk)
    return render_case_page(request, document.case, failed=failed, status=422)


@login_required
def document_amend(request: AuthedRequest, document_id: int) -> HttpResponse:
    # showing the form is a read (masked, logged); the POST amends the stored row
    document = document_or_404(request, document_id, "change" if request.method == "POST" else "view")
    require_permission(request, Permission.DOCUMENT_AMEND)
    doc_type = get_type(document.doc_type)
    current = document_current_fields(document)
    if request.method != "POST":
        return _amend_page(request, document, doc_type, values=current)
    meta = AmendMetaForm(request.POST, request.FILES)
    proposed = docform.parse_submission(doc_type, request.POST, tz=settings.TIME_ZONE)
    values = docform.raw_values(doc_type, request.POST)
    if not meta.is_valid():
        return _amend_page(request, document, doc_type, values=values, meta=meta, status=422)
    try:
        services.document_amend_marked(
            document=document,
            amended_by=request.user,
            changes=docform.changed_values(doc_type, current, proposed),
            marks=meta.marks(),
            **meta.amendment_data(),
        )
    except DomainError as exc:
        errors, general = split_errors(doc_type, exc, "changes", meta)
        return _amend_page(
            request,
            document,
            doc_type,
            values=values,
            errors=errors,
            general=general,
            meta=meta,
            status=exc.status,
        )
    return redirect(document_anchor(document))


def _amend_page(
    request: AuthedRequest,
    document: Document,
    doc_type: DocumentType,
    *,
    values,
    errors=None,
    general=(),
    meta=None,
    status: int = 200,
) -> HttpResponse:
    form, general = generated_form(doc_type, values, errors, general)
    context = {
        "case": document.case,
        "document": document,
        "form": form,
        "meta_form": meta or AmendMetaForm(),
        "general_errors": general,
    }
    return render(request, "web/document_amend.html", context, status=status)


def document_anchor(document: Document) -> str:
    return reverse("web:case_detail", kwargs={"case_id": document.case_id}) + f"#doc-{document.pk}"

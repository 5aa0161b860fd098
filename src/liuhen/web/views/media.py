"""Uploading an audio/video record (音像记录) from the case page: the same steps as the API's upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from liuhen.accounts.roles import Permission
from liuhen.core.errors import DomainError
from liuhen.core.ids import parse_id
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.selectors import media_device_warnings
from liuhen.evidence.services.assignments import media_assign
from liuhen.evidence.services.document_links import media_documents_link
from liuhen.evidence.services.media import DuplicateMedia
from liuhen.evidence.services.upload import media_upload
from liuhen.storage import StorageFull
from liuhen.web.casepage import Failed, document_choices, footage_choices, render_case_page, visible_documents
from liuhen.web.forms import LinkMediaForm, MediaForm, add_service_errors
from liuhen.web.forms_media import MediaDocumentsForm
from liuhen.web.views.common import (
    AuthedRequest,
    case_or_404,
    document_or_404,
    media_or_404,
    require_permission,
)


@login_required
@require_POST
def media_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = case_or_404(request, case_id)
    require_permission(request, Permission.MEDIA_UPLOAD)
    form = MediaForm(
        request.POST, request.FILES, documents=document_choices(visible_documents(request.user, case))
    )
    if not form.is_valid():
        return render_case_page(request, case, failed=Failed("media", form), status=422)
    data = dict(form.cleaned_data)
    file = data.pop("file")
    linked = [document_or_404(request, pk, "change") for pk in data.pop("linked_document_ids")]
    data["officers"] = form.officer_names()
    try:
        record = media_upload(
            case=case,
            uploaded_by=request.user,
            chunks=file.chunks(),
            content_type=file.content_type or "",
            original_filename=file.name or "",
            linked_documents=linked,
            **data,
        )
    except StorageFull:
        form.add_error("file", "存储空间不足，文件未保存，请稍后重试")
        return render_case_page(request, case, failed=Failed("media", form), status=507)
    except DuplicateMedia as exc:  # the page offers to link the record it names to the ticked documents
        add_service_errors(form, exc)
        form.duplicate_of = exc.existing
        return render_case_page(request, case, failed=Failed("media", form), status=exc.status)
    except DomainError as exc:
        add_service_errors(form, exc)
        return render_case_page(request, case, failed=Failed("media", form), status=exc.status)
    _warn_about_device(request, record)
    return redirect(reverse("web:case_detail", kwargs={"case_id": case.pk}) + "#timeline")


def _warn_about_device(request: AuthedRequest, record: MediaRecord) -> None:
    """Tell the uploader at once when the footage's device is faulty, retired or not registered (R4)."""
    warning = media_device_warnings(user=request.user, media_ids=[record.pk]).get(record.pk)
    if warning is not None:
        messages.warning(request, f"音像记录已保存，但{warning.badge}：{warning.reason}")


@login_required
@require_POST
def media_link(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Link footage stored without a case to this case (the same step as the API's assignment)."""
    case = case_or_404(request, case_id)
    require_permission(request, Permission.MEDIA_UPLOAD)
    form = LinkMediaForm(
        request.POST,
        media=footage_choices(request.user),
        documents=document_choices(visible_documents(request.user, case)),
    )
    if not form.is_valid():
        return render_case_page(request, case, failed=Failed("media_link", form), status=422)
    try:
        media_assign(
            media=media_or_404(request, form.cleaned_data["footage"], "change"),
            case=case,
            by=request.user,
            activity=form.cleaned_data["activity"],
            reason=form.cleaned_data["reason"],
            linked_documents=[
                document_or_404(request, pk, "change") for pk in form.cleaned_data["linked_document_ids"]
            ],
        )
    except DomainError as exc:
        add_service_errors(form, exc)
        return render_case_page(request, case, failed=Failed("media_link", form), status=exc.status)
    return redirect(reverse("web:case_detail", kwargs={"case_id": case.pk}) + "#timeline")


@login_required
@require_POST
def media_documents(request: AuthedRequest, media_id: int) -> HttpResponse:
    """关联文书 on a recording of the case page (the form names the case: footage may belong to several):
    link it to documents of the case after its upload. A refusal (nothing ticked, all already linked) is
    said above the page; the page is shown again."""
    media = media_or_404(request, media_id, "change")
    case = case_or_404(request, parse_id(request.POST.get("case", "")) or 0)
    require_permission(request, Permission.MEDIA_UPLOAD)
    form = MediaDocumentsForm(request.POST, documents=document_choices(visible_documents(request.user, case)))
    back = reverse("web:case_detail", kwargs={"case_id": case.pk}) + f"#media-{media.pk}"
    if not form.is_valid():
        messages.error(
            request, "关联文书未保存：" + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(back)
    try:
        media_documents_link(
            media=media,
            case=case,
            documents=[document_or_404(request, pk, "change") for pk in form.cleaned_data["document_ids"]],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, f"关联文书未保存：{exc.message}")
        return redirect(back)
    messages.success(request, f"已为「{media.title}」关联文书")
    return redirect(back)

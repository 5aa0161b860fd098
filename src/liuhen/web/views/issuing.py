"""Printing and downloading documents from the case page: one document's PDF, or a stage's documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liuhen.core.errors import DomainError, NotFound
from liuhen.core.responses import file_response
from liuhen.issuing.services import document_pdf, stage_bundle
from liuhen.web.views.common import AuthedRequest


def _pdf_response(content: bytes, filename: str, *, download: bool) -> HttpResponse:
    # inline: the browser's viewer prints it
    return file_response(content, "application/pdf", filename, inline=not download)


def _failed(request: AuthedRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/pdf_failed.html", {"message": exc.message}, status=exc.status)


def _version(request: AuthedRequest) -> int | None:
    raw = request.GET.get("version", "")
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise Http404("没有该版本")
    return int(raw)


@login_required
@require_GET
def document_pdf_view(request: AuthedRequest, document_id: int) -> HttpResponse:
    copy = request.GET.get("copy", "file")
    if copy not in ("file", "party"):
        raise Http404("没有该联次")
    try:
        issued = document_pdf(
            user=request.user, document_id=document_id, version=_version(request), copy=copy
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:  # a template or signing configuration that fails: say so, in Chinese
        return _failed(request, exc)
    return _pdf_response(issued.content, issued.filename, download="download" in request.GET)


@login_required
@require_GET
def stage_pdf_view(request: AuthedRequest, case_id: int, stage: str) -> HttpResponse:
    try:
        bundle = stage_bundle(user=request.user, case_id=case_id, stage=stage)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return _failed(request, exc)
    return _pdf_response(bundle.content, bundle.filename, download="download" in request.GET)

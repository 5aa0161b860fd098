"""The REST API (django-ninja). OpenAPI at /api/openapi.json, interactive docs at /api/docs.

Errors always have the same shape and never carry a stack trace::

    {"error": "validation_failed", "message": "…", "errors": [{"field": "fields.inquiry_place",
      "reason": "required", "message": "询问地点为必填项"}]}
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from liuhen.accounts.auth import UNAUTHENTICATED_MESSAGE
from liuhen.api.auth import SessionAuth, TokenAuth
from liuhen.api.inputs import checked_inputs
from liuhen.catalogue import CATALOGUE
from liuhen.core.diskfull import is_disk_full
from liuhen.core.errors import DomainError, error_body
from liuhen.storage import StorageFull

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Liuhen 留痕 API",
    version="1",
    description="行政执法全过程记录信息系统 — cases, text and A/V records, approvals and the tamper-evident ledger.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    # Served from ninja's own static copy of Swagger UI (``ninja`` in INSTALLED_APPS), never a CDN;
    # no validator badge either, which would load an image from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)

api.add_decorator(checked_inputs, mode="operation")  # no NUL, no naive datetime, in any input


def _error(
    request: HttpRequest, status: int, code: str, message: str, errors: list | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, errors), status=status)


def _body_error(
    request: HttpRequest, status: int, code: str, message: str, *, reason: str = "", detail: str = ""
) -> HttpResponse:
    """An error about the request body as a whole: the field is ``body`` (the reason defaults to the code)."""
    item = {"field": "body", "reason": reason or code, "message": detail or message}
    return _error(request, status, code, message, [item])


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, [e.as_dict() for e in exc.errors])


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for item in exc.errors:
        loc = [
            str(p)
            for p in item.get("loc", ())
            if p not in ("body", "payload", "query", "path", "form", "data")
        ]
        if loc and loc[0] in CATALOGUE:  # the discriminator tag of the per-document-type union
            loc = loc[1:]
        reason = item.get("type", "invalid")
        field = "doc_type" if reason.startswith("union_tag") else ".".join(loc) or "body"
        errors.append({"field": field, "reason": reason, "message": item.get("msg", "")})
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return _error(request, 422, "validation_failed", f"请求参数不正确：{summary}", errors)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", UNAUTHENTICATED_MESSAGE)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse" in exc.message.lower():
        return _body_error(request, 400, "malformed_json", "请求体不是有效的 JSON")
    return _error(request, exc.status_code, "http_error", exc.message)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _body_error(
        request, 413, "request_too_large", "请求体过大", reason="too_large", detail="请求体超过允许的大小"
    )


@api.exception_handler(MultiPartParserError)
def _malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _body_error(
        request,
        400,
        "malformed_multipart",
        "请求体不是有效的 multipart/form-data（边界 boundary 缺失或无效）",
    )


@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
@api.exception_handler(UnreadablePostError)
def _bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _body_error(request, 400, "bad_request", "请求无法解析", reason="unreadable")


@api.exception_handler(StorageFull)
def _storage_full(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API write refused: storage full (%s)", exc)
    return _error(request, 507, "insufficient_storage", "存储空间不足，未保存任何内容，请稍后重试")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_disk_full(exc):  # the one classifier (liuhen.core.diskfull), as the web and tus use
        return _storage_full(request, exc)
    logger.exception("unhandled API error", exc_info=exc)
    return _error(request, 500, "internal_error", "服务器内部错误，已记录日志")


from liuhen.api import (  # noqa: E402
    access_log,
    archive,
    archive_disposal,
    assignments,
    cases,
    checklist,
    compliance,
    disclosure,
    documents,
    drafts,
    evidence,
    file_reviews,
    grants,
    issuing,
    issuing_ofd,
    ledger,
    media,
    meta,
    people,
    publications,
    spot_checks,
    statistics,
)

api.add_router("/", meta.router)
api.add_router("/cases", cases.router)
api.add_router("/", documents.router)
api.add_router("/", drafts.router)
api.add_router("/", issuing.router)
api.add_router("/", issuing_ofd.router)
api.add_router("/", people.router)
api.add_router("/", assignments.router)  # before media: /media/unassigned must win over /media/{media_id}
api.add_router("/", evidence.router)  # before media: /media/exists must win over /media/{media_id}
api.add_router("/", media.router)
api.add_router("/", ledger.router)
api.add_router("/", compliance.router)
api.add_router("/", checklist.router)
api.add_router("/", archive.router)
api.add_router("/", archive_disposal.router)
api.add_router("/", grants.router)
api.add_router("/", disclosure.router)
api.add_router("/", access_log.router)
api.add_router("/", spot_checks.router)
api.add_router("/", file_reviews.router)
api.add_router("/", statistics.router)
api.add_router("/", publications.router)

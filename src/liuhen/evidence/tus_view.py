"""tus 1.0.0 at ``/api/uploads/``: a thin Django adapter around :class:`liuhen.uploads.TusServer`.

Authenticated by API token (``Authorization: Bearer …``) or the session (CSRF checked when the
request or the method it stands for is unsafe; ``X-HTTP-Method-Override`` is honoured on POST only).
Every refusal is in the API's error shape (JSON ``error``/``message``/``errors``) with the tus headers;
a full disk or database is 507, whatever part of the request met it. The request body is streamed from ``request`` (never ``request.body``). The labels in
``Upload-Metadata`` are checked when the upload is created (403 / 404 / 413 before any byte is
stored); the uploader's id is added to the metadata server-side, so only the uploader can resume,
inspect or terminate the upload and the completion hand-off knows who uploaded it.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from liuhen.access import scope
from liuhen.accounts.auth import UNAUTHENTICATED_MESSAGE, request_caller
from liuhen.accounts.models import User
from liuhen.core import clock
from liuhen.core.diskfull import is_disk_full
from liuhen.core.errors import DomainError
from liuhen.core.responses import error_response
from liuhen.evidence.labels import RESERVED_PREFIX, LabelError, parse_labels
from liuhen.evidence.services.intake import (
    WholeFileMismatch,
    upload_authorize,
    upload_finalize,
    upload_limit_bytes,
)
from liuhen.evidence.services.media import DuplicateMedia
from liuhen.storage import StorageFull
from liuhen.uploads import TusResponse, TusServer
from liuhen.uploads import headers as h
from liuhen.uploads.receiver import Readable
from liuhen.uploads.socket_body import from_gunicorn
from liuhen.uploads.wsgi_app import effective_method

OWNER_KEY = f"{RESERVED_PREFIX}user"
BASE_URL = "/api/uploads/"
_outcome: contextvars.ContextVar[dict] = contextvars.ContextVar("liuhen_tus_outcome")
_SAFE = ("GET", "HEAD", "OPTIONS", "TRACE")


def tus_server() -> TusServer:
    """The process-wide server (its in-memory running hashes are shared between requests)."""
    directory = settings.LIUHEN_UPLOAD_DIR
    return _server(str(directory), int(settings.LIUHEN_MAX_MEDIA_BYTES))


@lru_cache(maxsize=8)
def _server(directory: str, max_size: int) -> TusServer:
    return TusServer(
        directory,
        max_size=max_size,
        expiry=timedelta(hours=settings.LIUHEN_UPLOAD_EXPIRY_HOURS),
        clock=clock.now,
        on_complete=_on_complete,
        base_url=BASE_URL,
        max_metadata_bytes=h.DEFAULT_MAX_METADATA_BYTES + 64,  # room for the owner key we add
        checkpoint_every=settings.LIUHEN_UPLOAD_CHECKPOINT_BYTES,
    )


def _on_complete(upload_id: str, path: Path, sha256: str, metadata: dict[str, str]) -> None:
    outcome = _outcome.get({})
    try:
        user = User.objects.select_related("agency").get(pk=int(metadata[OWNER_KEY]))
        record = upload_finalize(
            upload_id=upload_id, path=path, sha256=sha256, user=user, labels=parse_labels(metadata)
        )
    except Exception as exc:
        outcome["error"] = exc
        raise
    outcome.update(media_id=record.pk, sha256=record.sha256)


@csrf_exempt
def tus_endpoint(request: HttpRequest, upload_id: str = "") -> HttpResponse:
    method = effective_method(request.method or "", request.headers.get("X-HTTP-Method-Override"))
    server = tus_server()
    if method == "OPTIONS":
        return _respond(server.options())
    caller = request_caller(request)
    if (user := caller.user) is None:
        return _json(401, "unauthenticated", UNAUTHENTICATED_MESSAGE)
    unsafe = method not in _SAFE or (request.method or "") not in _SAFE
    if caller.via_session and unsafe and (refused := _csrf_refusal(request)):
        return refused
    try:
        return _dispatch(server, request, user, method, upload_id)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        return _json(
            507, "insufficient_storage", "存储空间不足：本次请求未保存；已收到的部分保留，释放空间后续传即可"
        )


def _dispatch(
    server: TusServer, request: HttpRequest, user: User, method: str, upload_id: str
) -> HttpResponse:
    headers = dict(request.headers)
    if not upload_id:
        return _create(server, request, user, headers) if method == "POST" else _not_allowed()
    info = server.files.load(upload_id)
    if info is not None and not scope.upload_visible(user, info.metadata.get(OWNER_KEY)):
        return _respond(TusResponse(404, {"Tus-Resumable": h.TUS_VERSION}, b"no such upload"))
    if method in ("HEAD", "GET"):
        return _respond(server.head(upload_id, headers))
    if method == "PATCH":
        with _body(request) as body:
            return _completed(server, upload_id, lambda: server.patch(upload_id, headers, body))
    if method == "DELETE":
        return _respond(server.delete(upload_id, headers))
    return _not_allowed()


def _create(server: TusServer, request: HttpRequest, user: User, headers: dict[str, str]) -> HttpResponse:
    hdrs = h.lower_keys(headers)
    if hdrs.get("tus-resumable") != h.TUS_VERSION or hdrs.get("transfer-encoding"):
        return _respond(server.create(headers, None))  # the core answers 412 / 411 as the protocol says
    try:
        metadata = h.parse_metadata(hdrs.get("upload-metadata"))
        length = h.parse_non_negative(hdrs.get("upload-length"), "Upload-Length")
    except h.HeaderError as exc:
        return _json(400, "invalid_header", str(exc), field=exc.field, reason=exc.reason)
    try:
        upload_authorize(user=user, labels=parse_labels(metadata))
    except LabelError as exc:
        return _json(
            400,
            "invalid_metadata",
            f"Upload-Metadata {exc.field}: {exc.message}",
            field=exc.field,
            reason="invalid",
        )
    except DomainError as exc:
        return _json(exc.status, exc.code, exc.message)
    if length > (limit := upload_limit_bytes(user.agency)):
        return _json(413, "too_large", f"文件 {length} 字节，超过本机关上限 {limit} 字节")
    headers = {k: v for k, v in headers.items() if k.lower() != "upload-metadata"}
    headers["Upload-Metadata"] = _with_owner(hdrs.get("upload-metadata", ""), user)
    with _body(request) as body:
        return _completed(server, "", lambda: server.create(headers, body))


def _completed(server: TusServer, upload_id: str, call) -> HttpResponse:
    """Run a request that may complete the upload; translate a failed hand-off."""
    outcome: dict = {}
    token = _outcome.set(outcome)
    try:
        result = call()
    finally:
        _outcome.reset(token)
    error = outcome.get("error")
    if isinstance(error, WholeFileMismatch):
        upload_id = upload_id or result.headers.get("Location", "").rsplit("/", 1)[-1]
        server.delete(upload_id, {"Tus-Resumable": h.TUS_VERSION})
        return _json(460, error.code, f"{error.message}；上传已作废，请重新上传")
    if isinstance(error, DuplicateMedia):  # stored once already: nothing to retry, the page offers a link
        upload_id = upload_id or result.headers.get("Location", "").rsplit("/", 1)[-1]
        server.delete(upload_id, {"Tus-Resumable": h.TUS_VERSION})
        response = error_response(
            error.status, error.code, error.message, [e.as_dict() for e in error.errors]
        )
        response["Tus-Resumable"] = h.TUS_VERSION
        return response
    if isinstance(error, StorageFull) or is_disk_full(error):
        return _json(
            507, "insufficient_storage", "存储空间不足：文件已完整收到并保留，释放空间后重试即可入库"
        )
    if isinstance(error, DomainError):
        return _json(
            error.status,
            error.code,
            f"{error.message}（文件已收到并保留，将自动重试；多次失败后转管理员处理）",
        )
    response = _respond(result)
    if "media_id" in outcome:
        response["Liuhen-Media-Id"] = str(outcome["media_id"])
        response["Liuhen-Sha256"] = outcome["sha256"]
    return response


@contextlib.contextmanager
def _body(request: HttpRequest) -> Iterator[Readable]:
    """The request body to stream: straight from gunicorn's socket when possible (see
    :mod:`liuhen.uploads.socket_body`), else Django's stream."""
    raw = None if getattr(request, "_read_started", False) else from_gunicorn(request.META)
    if raw is None:
        yield request
        return
    try:
        yield raw
    finally:
        raw.close()


def _with_owner(raw: str, user: User) -> str:
    kept = [p.strip() for p in raw.split(",") if p.strip() and not p.strip().startswith(RESERVED_PREFIX)]
    owner = base64.b64encode(str(user.pk).encode()).decode()
    return ",".join([*kept, f"{OWNER_KEY} {owner}"])


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    # the callback is only read for ``csrf_exempt``: a plain view has none, so the check always runs
    refused = CsrfViewMiddleware(_no_view).process_view(request, _no_view, (), {})
    return None if refused is None else _json(403, "csrf_failed", "CSRF 校验失败，请刷新页面后重试")


def _respond(result: TusResponse) -> HttpResponse:
    """The core's answer; a refusal (``result.error``) in the API's error shape, with the tus headers."""
    if result.error is not None:
        problem = result.error
        message = result.body.decode("utf-8", "replace")
        response = _json(result.status, problem.code, message, field=problem.field, reason=problem.reason)
    else:
        response = HttpResponse(result.body, status=result.status)
    for key, value in result.headers.items():
        if key.lower() != "content-type" or result.error is None:
            response[key] = value
    if result.status == 460:
        response.reason_phrase = "Checksum Mismatch"
    return response


def _json(status: int, code: str, message: str, field: str = "", reason: str = "") -> HttpResponse:
    errors = [{"field": field, "reason": reason or code, "message": message}] if field else []
    response = error_response(status, code, message, errors)
    response["Tus-Resumable"] = h.TUS_VERSION
    if status == 460:
        response.reason_phrase = "Checksum Mismatch"
    return response


def _not_allowed() -> HttpResponse:
    return _json(405, "method_not_allowed", "此地址不支持该请求方法")

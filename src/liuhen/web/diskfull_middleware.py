"""A full disk or database answers 507 Insufficient Storage, never a 500.

:func:`liuhen.core.diskfull.is_disk_full` decides what a full disk is; this module only answers:
``/api/…`` in the API's error shape (JSON), everything else with a Chinese page (status 507). Nothing
is retried or hidden here: the write that failed was rolled back by its own transaction, so the user
can repeat it once space is freed. Reads do not write, so they keep working.

Two ways in, because Django turns an exception into a response at every middleware layer:

- :class:`DiskFullMiddleware` (``process_exception``) for a view that raised — a form post, the login
  view storing its session row;
- :func:`server_error`, the ``handler500`` view, for a failure outside any view (e.g. the session
  middleware saving a changed session after the view returned); elsewhere it is Django's plain 500.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.defaults import server_error as django_server_error

from liuhen.core.diskfull import is_disk_full
from liuhen.core.errors import error_body

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
CODE = "insufficient_storage"
API_MESSAGE = "存储空间不足：本次操作未保存，已保存的内容均完好；请联系管理员释放空间后重试"
PAGE_MESSAGE = (
    "存储空间不足，本次操作没有保存。已保存的内容不受影响，查看案件不受影响；请联系管理员释放空间后重试。"
)


def disk_full_response(request: HttpRequest) -> HttpResponse:
    """The 507 answer for ``request``: JSON for the API, otherwise the Chinese page."""
    if request.path.startswith(API_PREFIX):
        body = error_body(CODE, API_MESSAGE)
        return HttpResponse(json.dumps(body, ensure_ascii=False), status=507, content_type="application/json")
    try:
        html = loader.render_to_string("web/disk_full.html", {"message": PAGE_MESSAGE}, request)
    except Exception:  # the page itself could not be built: the message alone still says what happened
        logger.exception("disk-full page could not be rendered")
        return HttpResponse(PAGE_MESSAGE, status=507, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, status=507)


class DiskFullMiddleware:
    """Turns a view's disk-full failure into 507 (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_disk_full(exception):
            return None
        logger.error("write refused, disk full: %s %s: %s", request.method, request.path, exception)
        return disk_full_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 507 when the unhandled exception was a full disk, else Django's own 500 page."""
    exception = sys.exc_info()[1]  # Django calls this inside its ``except`` block
    if is_disk_full(exception):
        logger.error("write refused, disk full: %s %s: %s", request.method, request.path, exception)
        return disk_full_response(request)
    try:
        return django_server_error(request)
    except Exception:  # pragma: no cover - Django's page needs only a template; keep a last resort
        return HttpResponseServerError("服务器内部错误")

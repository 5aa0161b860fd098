"""Responses the adapters share: the error shape of :func:`liuhen.core.errors.error_body` for adapters
outside django-ninja (tus, middleware), and a file handed out under its Chinese name; importable from any
app, as it depends on Django alone."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

from liuhen.core.errors import error_body


def error_response(
    status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """The error as JSON (UTF-8, Chinese unescaped) with ``status``."""
    body = json.dumps(error_body(code, message, errors), ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


def file_response(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """``content`` as a download named ``filename`` (UTF-8, RFC 6266), or shown in the browser."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response

"""The error shape of :func:`liuhen.core.errors.error_body` as a Django response, for adapters outside
django-ninja (tus, middleware); importable from any app, as it depends on Django alone."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from liuhen.core.errors import error_body


def error_response(
    status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """The error as JSON (UTF-8, Chinese unescaped) with ``status``."""
    body = json.dumps(error_body(code, message, errors), ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")

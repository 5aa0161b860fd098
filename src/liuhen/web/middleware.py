"""Response headers the whole site shares.

:class:`NoStoreMiddleware` keeps pages and API answers out of every cache (browser, proxy, back/forward):
they carry case files, party data and evidence. Two kinds of response are meant to be cached and never
reach it or are left alone: static files (WhiteNoise answers them earlier in ``MIDDLEWARE``) and the
public transparency log under ``/log/``, whose views set their own ``Cache-Control`` (immutable hash
tiles, a ``no-cache`` checkpoint, ``private, no-store`` entry bundles).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

NO_STORE = "private, no-store"
_LOG_PREFIX = "/log/"


class NoStoreMiddleware:
    """Every response outside ``/log/`` is ``Cache-Control: private, no-store`` unless already no-store.

    A view that sets a weaker header (``public``, ``max-age``) is overridden: outside the log nothing on
    this site may be stored by a cache, whoever asked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path_info.startswith(_LOG_PREFIX):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = NO_STORE
        return response

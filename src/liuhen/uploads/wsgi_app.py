"""A stdlib-only WSGI adapter exposing a :class:`TusServer` at ``/files/``.

Used for end-to-end tests and benchmarks; the Django view adapter does the same translation.
"""

from __future__ import annotations

import socketserver
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from liuhen.uploads.tus import TusResponse, TusServer

_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    423: "Locked",
    460: "Checksum Mismatch",
    500: "Internal Server Error",
    507: "Insufficient Storage",
}


class _LimitedInput:
    """Never read past Content-Length from the socket (wsgiref's input would block)."""

    def __init__(self, stream: BinaryIO, length: int) -> None:
        self.stream, self.left = stream, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.stream.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data


def effective_method(method: str, override: str | None) -> str:
    """The method a request stands for. ``X-HTTP-Method-Override`` is how tus lets a client behind a
    proxy that only passes GET and POST send PATCH or DELETE, so it is honoured on POST only: a GET
    (which a link, an image tag or a prefetch can make) never turns into a DELETE."""
    if method.upper() == "POST" and override and override.strip():
        return override.strip().upper()
    return method.upper()


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    found = {k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.replace("_", "-")] = environ[key]
    return found


def _dispatch(server: TusServer, environ: dict[str, Any], upload_id: str) -> TusResponse:
    method = effective_method(environ["REQUEST_METHOD"], environ.get("HTTP_X_HTTP_METHOD_OVERRIDE"))
    headers = _headers(environ)
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = _LimitedInput(environ["wsgi.input"], length)
    if method == "OPTIONS":
        return server.options()
    if method == "POST" and not upload_id:
        return server.create(headers, body)
    if method in ("HEAD", "GET") and upload_id:
        return server.head(upload_id, headers)
    if method == "PATCH" and upload_id:
        return server.patch(upload_id, headers, body)
    if method == "DELETE" and upload_id:
        return server.delete(upload_id, headers)
    return TusResponse(405, {"Tus-Resumable": "1.0.0"}, b"method not allowed here")


def make_wsgi_app(server: TusServer, prefix: str = "/files/") -> Callable[..., Iterable[bytes]]:
    """A WSGI callable serving ``server`` under ``prefix``."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(prefix) and path != prefix.rstrip("/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        result = _dispatch(server, environ, path[len(prefix) :].strip("/"))
        headers = list(result.headers.items())
        if environ["REQUEST_METHOD"] != "HEAD":
            headers.append(("Content-Length", str(len(result.body))))
        start_response(f"{result.status} {_REASONS.get(result.status, 'Status')}", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [result.body]

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve(server: TusServer, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """Bind a threaded stdlib HTTP server (call ``serve_forever()`` on it, e.g. in a thread)."""
    return make_server(host, port, make_wsgi_app(server), ThreadingWSGIServer, _QuietHandler)

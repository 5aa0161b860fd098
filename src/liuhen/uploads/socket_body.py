"""Read a request body of known length straight from the connection's socket, into a caller's buffer.

A WSGI server hands the body over as ``wsgi.input``; gunicorn's reader assembles each ``read(n)`` in
two layers of ``BytesIO`` buffers, so every byte of a large upload is copied five or six times in
Python before it reaches the file. For an upload that is most of the server's work. When the server
is gunicorn and the body has a ``Content-Length`` (tus PATCH requests always do), :func:`from_gunicorn`
takes the bytes gunicorn already holds for this body and then reads the rest with
``socket.recv_into`` into the receiver's buffer: one copy, from the kernel.

gunicorn's reader is left consistent: bytes it had read ahead past this body (a pipelined request)
are given back, and its count of body bytes still to come is set to what this reader did not take,
so gunicorn can drain or reuse the connection as usual. Anything that does not look exactly like
gunicorn's length-delimited body gets ``None``, and the caller reads ``wsgi.input`` as before.
"""

from __future__ import annotations

import contextlib
import socket
from typing import Any

IDLE_TIMEOUT_S = 60.0  # a client that sends nothing for this long is treated as gone


class SocketBody:
    """``readinto``/``read`` over the first ``length`` bytes of a body; ``close()`` hands back."""

    def __init__(self, sock: socket.socket, buffered: bytes, left: int, on_close) -> None:
        self._sock, self._buffered, self._left, self._on_close = sock, memoryview(buffered), left, on_close
        self._prior_timeout = sock.gettimeout()
        sock.settimeout(IDLE_TIMEOUT_S)
        self._closed = False

    @property
    def remaining(self) -> int:
        return len(self._buffered) + self._left

    def readinto(self, view: memoryview) -> int:
        """Fill the start of ``view``; the number of bytes (0 at the end of the body)."""
        if self._buffered:
            n = min(len(view), len(self._buffered))
            view[:n] = self._buffered[:n]
            self._buffered = self._buffered[n:]
            return n
        want = min(len(view), self._left)
        if want <= 0:
            return 0
        got = self._sock.recv_into(view, want)
        self._left -= got
        return got

    def read(self, size: int = -1, /) -> bytes:
        buffer = bytearray(self.remaining if size < 0 else min(size, self.remaining))
        got = self.readinto(memoryview(buffer)) if buffer else 0
        return bytes(buffer[:got])

    def close(self) -> None:
        """Give gunicorn back what this body did not consume and the socket's old timeout."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):  # the client may have closed the connection
            self._sock.settimeout(self._prior_timeout)
        self._on_close(bytes(self._buffered), self._left)


def from_gunicorn(environ: dict[str, Any]) -> SocketBody | None:
    """A :class:`SocketBody` for this gunicorn request, or ``None`` when it is not one we can take."""
    sock: Any = environ.get("gunicorn.socket")
    body: Any = environ.get("wsgi.input")
    reader: Any = getattr(body, "reader", None)
    unreader: Any = getattr(reader, "unreader", None)
    if not isinstance(sock, socket.socket) or type(reader).__name__ != "LengthReader":
        return None
    conn: socket.socket = sock
    if getattr(unreader, "sock", None) is not conn or not hasattr(unreader, "take_buffered"):
        return None
    length = getattr(reader, "length", None)
    declared = str(environ.get("CONTENT_LENGTH") or "")
    if not isinstance(length, int) or not declared.isdigit() or int(declared) != length:
        return None  # something already read part of the body through gunicorn
    if getattr(body, "buf", None) is None or body.buf.tell():
        return None
    ahead = unreader.take_buffered()
    mine, rest = ahead[:length], ahead[length:]
    if rest:
        unreader.unread(rest)

    def give_back(unread_buffered: bytes, unread_on_socket: int) -> None:
        if unread_buffered:  # goes before the pipelined bytes
            unreader.unread(unread_buffered)
        reader.length = len(unread_buffered) + unread_on_socket

    reader.length = 0  # until close(): nothing is to be read through gunicorn meanwhile
    return SocketBody(conn, mine, length - len(mine), give_back)

"""A whole-file SHA-256 whose running state can be saved with an upload and picked up by another process.

A tus upload arrives in several PATCH requests, and with more than one server process each request
may land in a different one. ``hashlib`` objects cannot be saved, so a process that had not seen the
previous request had to hash the whole file again from the first byte — for a large file sent in many
chunks that is quadratic work. ``rehashes`` (CERT Polska; RustCrypto's SHA-256, which uses the CPU's
SHA instructions where present, as fast as OpenSSL here) can serialise its state: it is saved in the
upload's ``.info`` file after every request, so the next request, in whichever process, and the first
request after a crash go on from there.

``rehashes`` ships wheels for x86_64 and aarch64 Linux. Where it is not installed, :func:`new` falls back
to ``hashlib``, whose state cannot be saved: each request then re-reads the file from the start
(correct, slower for large files sent in many chunks).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

try:
    from rehashes import PySha256 as _PySha256
except ImportError:  # pragma: no cover - platforms without a wheel
    _PySha256 = None

STATE_FORMAT = "rehashes-sha256-1:"  # a prefix, so a state from another library version is not misread


class Sha256:
    """SHA-256 of a stream: ``update(bytes)``, ``hexdigest()``, and ``state()`` to save it."""

    def __init__(self, impl: Any | None = None) -> None:
        self._impl: Any = impl if impl is not None else (_PySha256() if _PySha256 else hashlib.sha256())
        self._digest: str | None = None

    @property
    def resumable(self) -> bool:
        return _PySha256 is not None and isinstance(self._impl, _PySha256)

    def update(self, data: bytes) -> None:
        if self._digest is not None:
            raise ValueError("this hash is already finished")
        self._impl.update(data)

    def hexdigest(self) -> str:
        if self._digest is None:
            self._digest = self._impl.finalize() if self.resumable else self._impl.hexdigest()
        return self._digest

    def state(self) -> str:
        """The running state as text, or "" when it cannot be saved (the ``hashlib`` fallback)."""
        if not self.resumable or self._digest is not None:
            return ""
        return STATE_FORMAT + base64.b64encode(self._impl.serialize()).decode("ascii")


def new() -> Sha256:
    return Sha256()


def restore(state: str) -> Sha256 | None:
    """The hash a :meth:`Sha256.state` was taken from; ``None`` when it cannot be read here (no
    state, another format, ``rehashes`` missing): the caller starts over from the first byte."""
    if not state.startswith(STATE_FORMAT) or _PySha256 is None:
        return None
    try:
        return Sha256(_PySha256.deserialize(base64.b64decode(state[len(STATE_FORMAT) :], validate=True)))
    except (ValueError, binascii.Error):
        return None

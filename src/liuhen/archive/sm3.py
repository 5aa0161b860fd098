"""SM3 (GB/T 32905-2016) in pure Python, for the standalone package checker.

The checker must run with nothing but the Python standard library, and a Python built against an
OpenSSL without SM3 (or with it disabled by policy) has no ``hashlib.new("sm3")``. :func:`sm3_hasher`
prefers OpenSSL's (≈500 MB/s) and falls back to this one (≈1 MB/s: right for documents, slow for A/V).
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


def _compress(v: list[int], block: bytes) -> list[int]:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        a12 = _rotl(a, 12)
        ss1 = _rotl((a12 + e + _T[j]) & _MASK, 7)
        ss2 = ss1 ^ a12
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True)]


class PureSm3:
    """A hashlib-like SM3 object (``update``, ``hexdigest``)."""

    name = "sm3"

    def __init__(self, data: bytes = b"") -> None:
        self._v = list(_IV)
        self._pending = b""
        self._length = 0
        self.update(data)

    def update(self, data: Any) -> None:
        data = bytes(data)
        self._length += len(data)
        buffer = self._pending + data
        whole = len(buffer) - len(buffer) % 64
        for offset in range(0, whole, 64):
            self._v = _compress(self._v, buffer[offset : offset + 64])
        self._pending = buffer[whole:]

    def digest(self) -> bytes:
        bits = self._length * 8
        tail = self._pending + b"\x80" + b"\x00" * ((55 - len(self._pending)) % 64) + struct.pack(">Q", bits)
        v = self._v
        for offset in range(0, len(tail), 64):
            v = _compress(v, tail[offset : offset + 64])
        return struct.pack(">8I", *v)

    def hexdigest(self) -> str:
        return self.digest().hex()


def sm3_hasher() -> Any:
    """OpenSSL's SM3 where this Python has it, else :class:`PureSm3`."""
    try:
        return hashlib.new("sm3")
    except ValueError:
        return PureSm3()


def sm3_hex(data: bytes) -> str:
    """SM3 of ``data`` in pure Python (whatever OpenSSL offers)."""
    return PureSm3(data).hexdigest()

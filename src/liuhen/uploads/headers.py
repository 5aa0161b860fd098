"""Parsing and formatting of tus 1.0.0 request headers (pure functions, no I/O)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

TUS_VERSION = "1.0.0"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
DEFAULT_MAX_METADATA_BYTES = 4096

_KEY_RE = re.compile(r"^[^\s,]+$")


class HeaderError(ValueError):
    """A header is malformed; the message is safe to show to the client (HTTP 400)."""


@dataclass(frozen=True, slots=True)
class Checksum:
    """A parsed ``Upload-Checksum``: algorithm name and expected digest bytes."""

    algorithm: str
    digest: bytes

    def new_hasher(self):  # -> hashlib._Hash (private type)
        return CHECKSUM_ALGORITHMS[self.algorithm]()


def lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    """HTTP header names are case-insensitive: normalise them once."""
    return {key.lower(): value.strip() for key, value in headers.items()}


def parse_metadata(raw: str | None, *, max_bytes: int = DEFAULT_MAX_METADATA_BYTES) -> dict[str, str]:
    """Decode ``Upload-Metadata`` (``key base64,key2 base64,flag``) into a dict of UTF-8 strings."""
    if not raw:
        return {}
    if len(raw.encode("latin-1", "replace")) > max_bytes:
        raise HeaderError(f"Upload-Metadata is {len(raw)} bytes; the limit is {max_bytes}")
    result: dict[str, str] = {}
    for pair in raw.split(","):
        parts = pair.strip().split(" ")
        key = parts[0]
        if len(parts) > 2 or not _KEY_RE.match(key):
            raise HeaderError(f"malformed Upload-Metadata entry {pair.strip()!r}")
        if key in result:
            raise HeaderError(f"duplicate Upload-Metadata key {key!r}")
        result[key] = _decode_value(key, parts[1] if len(parts) == 2 else "")
    return result


def _decode_value(key: str, encoded: str) -> str:
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise HeaderError(f"Upload-Metadata value for {key!r} is not base64-encoded UTF-8") from exc


def parse_checksum(raw: str | None) -> Checksum | None:
    """Decode ``Upload-Checksum: <algorithm> <base64 digest>``; ``None`` when absent."""
    if raw is None:
        return None
    algorithm, _, encoded = raw.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise HeaderError(f"unsupported checksum algorithm {algorithm!r} (use sha1 or sha256)")
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error as exc:
        raise HeaderError("Upload-Checksum digest is not base64") from exc
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]().digest_size:
        raise HeaderError(f"Upload-Checksum digest has the wrong length for {algorithm}")
    return Checksum(algorithm, digest)


def parse_non_negative(raw: str | None, name: str) -> int:
    """Parse a header that must be a non-negative decimal integer."""
    if raw is None or not raw.isdigit():
        raise HeaderError(f"{name} must be a non-negative integer")
    return int(raw)


def http_date(moment: datetime) -> str:
    """RFC 7231 date, as ``Upload-Expires`` requires."""
    return format_datetime(moment, usegmt=True)

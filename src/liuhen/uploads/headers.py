"""Parsing and formatting of tus 1.0.0 request headers (pure functions, no I/O)."""

from __future__ import annotations

import base64
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

_KEY_RE = re.compile(r"^[^\s,\x00-\x1f\x7f]+$")
# Only ASCII digits are numbers: ``str.isdigit`` also accepts "²" (int() then raises) and "١" (int()
# reads it as 1). 19 digits hold every length a 64-bit offset can name; longer is refused before int().
_ASCII_NUMBER_RE = re.compile(r"[0-9]{1,19}")
MAX_NUMBER = 2**63 - 1


class HeaderError(ValueError):
    """A header is malformed; the message is safe to show to the client (HTTP 400).

    ``field`` names the header (``Upload-Metadata.<key>`` for one metadata value) and ``reason`` is a
    stable machine-readable code (``invalid``, ``too_large``, ``nul_byte`` …)."""

    def __init__(self, message: str, *, field: str = "", reason: str = "invalid") -> None:
        super().__init__(message)
        self.field, self.reason = field, reason


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
        raise HeaderError(
            f"Upload-Metadata is {len(raw)} bytes; the limit is {max_bytes}",
            field="Upload-Metadata",
            reason="too_large",
        )
    result: dict[str, str] = {}
    for pair in raw.split(","):
        parts = pair.strip().split(" ")
        key = parts[0]
        if len(parts) > 2 or not _KEY_RE.match(key):
            raise HeaderError(f"malformed Upload-Metadata entry {pair.strip()!r}", field="Upload-Metadata")
        if key in result:
            raise HeaderError(
                f"duplicate Upload-Metadata key {key!r}", field=f"Upload-Metadata.{key}", reason="duplicate"
            )
        result[key] = _decode_value(key, parts[1] if len(parts) == 2 else "")
    return result


def _decode_value(key: str, encoded: str) -> str:
    field = f"Upload-Metadata.{key}"
    try:
        value = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:  # binascii.Error, or ValueError for non-ASCII text
        raise HeaderError(
            f"Upload-Metadata value for {key!r} is not base64-encoded UTF-8", field=field
        ) from exc
    if "\x00" in value:  # no database text column holds NUL (PostgreSQL refuses it): refuse it up front
        raise HeaderError(
            f"Upload-Metadata value for {key!r} contains a NUL byte", field=field, reason="nul_byte"
        )
    return value


def parse_checksum(raw: str | None) -> Checksum | None:
    """Decode ``Upload-Checksum: <algorithm> <base64 digest>``; ``None`` when absent."""
    if raw is None:
        return None
    algorithm, _, encoded = raw.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise HeaderError(
            f"unsupported checksum algorithm {algorithm!r} (use sha1 or sha256)",
            field="Upload-Checksum",
            reason="unsupported_algorithm",
        )
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except ValueError as exc:  # binascii.Error, or non-ASCII text
        raise HeaderError("Upload-Checksum digest is not base64", field="Upload-Checksum") from exc
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]().digest_size:
        raise HeaderError(
            f"Upload-Checksum digest has the wrong length for {algorithm}", field="Upload-Checksum"
        )
    return Checksum(algorithm, digest)


def parse_non_negative(raw: str | None, name: str) -> int:
    """Parse a header that must be a non-negative decimal integer in ASCII digits, at most 2**63 - 1."""
    if raw is None or not _ASCII_NUMBER_RE.fullmatch(raw):
        too_long = raw is not None and raw.isascii() and raw.isdigit()
        raise HeaderError(
            f"{name} must be a non-negative integer in ASCII digits, at most {MAX_NUMBER}",
            field=name,
            reason="too_large" if too_long else "invalid",
        )
    value = int(raw)
    if value > MAX_NUMBER:
        raise HeaderError(f"{name} must be at most {MAX_NUMBER}", field=name, reason="too_large")
    return value


def ascii_number(raw: str | None) -> int | None:
    """A header value read as a non-negative ASCII-digit integer; ``None`` when it is not one."""
    try:
        return parse_non_negative(raw, "")
    except HeaderError:
        return None


def http_date(moment: datetime) -> str:
    """RFC 7231 date, as ``Upload-Expires`` requires."""
    return format_datetime(moment, usegmt=True)

"""The blob-store contract shared by every storage backend.

A blob is an immutable byte string addressed by its SHA-256. Backends never modify a blob once stored;
fixity is checked by re-hashing (:meth:`BlobStore.verify`). Each blob may carry a write-once retention
date that can be extended, never shortened (:meth:`BlobStore.extend_retention`); the only deletion is
:meth:`BlobStore.delete`, which an approved disposal (销毁清册) calls and which refuses a retained blob.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

CHUNK_SIZE = 1024 * 1024  # 1 MiB: every read and write streams in chunks of this size
_HEX_RE = re.compile(r"^[0-9a-f]{64}$")


class StorageError(Exception):
    """Base class for blob-store failures."""


class StorageFull(StorageError):
    """The backend has no space left; nothing half-written is visible."""


class BlobNotFound(StorageError, KeyError):
    """No blob with this SHA-256 is stored."""


class BlobRetained(StorageError):
    """The blob is under write-once retention until a later date: it cannot be deleted yet."""

    def __init__(self, sha256: str, until: datetime | None) -> None:
        super().__init__(f"{sha256} is retained until {until.isoformat() if until else 'a later date'}")
        self.sha256 = sha256
        self.until = until


class BlobIntegrityError(StorageError):
    """The bytes handed in do not hash to the SHA-256 the caller declared."""


@dataclass(frozen=True, slots=True)
class BlobRef:
    """Where a stored blob lives: its content hash, size, backend name and backend key."""

    sha256: str
    size: int
    backend: str
    key: str


@runtime_checkable
class BlobStore(Protocol):
    """Content-addressed, write-once storage for evidence files."""

    backend: str

    def put_file(
        self, path: Path | str, *, sha256_hex: str | None = None, retain_until: datetime | None = None
    ) -> BlobRef: ...

    def open_range(self, sha256: str, start: int = 0, end: int | None = None) -> Iterator[bytes]: ...

    def size(self, sha256: str) -> int: ...

    def exists(self, sha256: str) -> bool: ...

    def verify(self, sha256: str) -> bool: ...

    def iter_all(self) -> Iterator[BlobRef]: ...

    def retained_until(self, sha256: str) -> datetime | None: ...

    def extend_retention(self, sha256: str, retain_until: datetime) -> None: ...

    def delete(self, sha256: str, *, now: datetime) -> None: ...


def check_hex(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lowercase hex digits, else raise ``ValueError``."""
    if not isinstance(sha256, str) or not _HEX_RE.match(sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
    return sha256


def blob_key(sha256: str) -> str:
    """The backend-neutral key of a blob: ``sha256/ab/cd/<hex>``."""
    check_hex(sha256)
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def sha256_stream(stream: BinaryIO) -> tuple[str, int]:
    """Hash a binary stream in 1 MiB chunks; return ``(hex digest, byte count)``."""
    digest = hashlib.sha256()
    total = 0
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
        total += len(chunk)
    return digest.hexdigest(), total


def sha256_file(path: Path | str) -> tuple[str, int]:
    """Hash a file in 1 MiB chunks; return ``(hex digest, byte count)``."""
    with open(path, "rb") as fh:
        return sha256_stream(fh)


def check_range(start: int, end: int | None, size: int) -> tuple[int, int]:
    """Clamp the half-open range ``[start, end)`` to a blob of ``size`` bytes."""
    if start < 0 or (end is not None and end < start):
        raise ValueError(f"invalid byte range [{start}, {end})")
    stop = size if end is None else min(end, size)
    return min(start, size), stop

"""Append a request body to an upload's part file: streamed, hashed, fsynced, rolled back on failure.

The whole-file SHA-256 is updated as bytes arrive. ``hashlib`` objects cannot be saved to disk, so
the running hash lives in memory (see :class:`HashCache`); after a restart, or when another process
wrote the previous chunk, it is rebuilt by re-reading the durable part of the file once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from liuhen.storage.base import CHUNK_SIZE
from liuhen.uploads.headers import Checksum

Outcome = Literal["ok", "disk_full", "checksum_mismatch"]


class Readable(Protocol):
    """A request body: anything with ``read(size) -> bytes`` (b"" at the end)."""

    def read(self, size: int, /) -> bytes: ...


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_body(body: Readable, size: int) -> bytes:
    """Read up to ``size`` bytes; a client that went away counts as the end of the body."""
    try:
        return body.read(size)
    except (ConnectionError, TimeoutError, OSError):
        return b""


class HashCache:
    """Running whole-file SHA-256 per upload, valid only at the exact offset it was saved at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, Any]] = {}

    def at(self, upload_id: str, part: Path, offset: int) -> Any:
        """A hasher that has seen exactly the first ``offset`` bytes of ``part``."""
        with self._lock:
            cached = self._entries.get(upload_id)
        if cached is not None and cached[0] == offset:
            return cached[1].copy()
        hasher = hashlib.sha256()
        with open(part, "rb") as fh:
            remaining = offset
            while remaining > 0 and (chunk := fh.read(min(CHUNK_SIZE, remaining))):
                hasher.update(chunk)
                remaining -= len(chunk)
        return hasher

    def store(self, upload_id: str, offset: int, hasher: Any) -> None:
        with self._lock:
            self._entries[upload_id] = (offset, hasher)

    def forget(self, upload_id: str) -> None:
        with self._lock:
            self._entries.pop(upload_id, None)


@dataclass
class Received:
    """Result of one append: the new durable offset, the hasher at that offset, and why it stopped."""

    outcome: Outcome
    offset: int
    hasher: Any


class _Flusher:
    """Makes progress durable in the background: ``fsync`` then ``on_checkpoint(offset)``, while the
    request thread goes on receiving. At most one flush is in flight; a boundary reached while one is
    running is skipped (the next one covers it). ``durable`` only ever names bytes already fsynced."""

    def __init__(self, fd: int, on_checkpoint, start: int, hasher: Any) -> None:
        self.fd, self.on_checkpoint = fd, on_checkpoint
        self.durable, self.durable_hasher = start, hasher.copy()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def submit(self, offset: int, hasher: Any) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._flush, args=(offset, hasher), daemon=True)
        self._thread.start()

    def _flush(self, offset: int, hasher: Any) -> None:
        try:
            os.fsync(self.fd)  # everything written so far, so at least the first ``offset`` bytes
            self.on_checkpoint(offset)
            self.durable, self.durable_hasher = offset, hasher
        except BaseException as exc:  # re-raised in the request thread by wait()
            self._error = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def append_body(
    *,
    part: Path,
    start: int,
    limit: int,
    body: Readable,
    hasher: Any,
    checksum: Checksum | None,
    checkpoint_every: int,
    on_checkpoint,
) -> Received:
    """Append at most ``limit`` bytes of ``body`` to ``part`` (whose durable size is ``start``).

    Without a checksum, progress is fsynced and reported through ``on_checkpoint(offset)`` about every
    ``checkpoint_every`` bytes — by a background flush that overlaps the disk writes with receiving —
    so a crash loses at most about twice that much. With a checksum the chunk is all-or-nothing: a
    mismatch truncates back to ``start``. On ENOSPC the file is cut back to the last durable offset.
    """
    chunk_hasher = checksum.new_hasher() if checksum else None
    fd = os.open(part, os.O_WRONLY | os.O_APPEND)
    flusher = _Flusher(fd, on_checkpoint, start, hasher)
    try:
        written = 0
        while written < limit and (chunk := _read_body(body, min(CHUNK_SIZE, limit - written))):
            _write_all(fd, chunk)
            hasher.update(chunk)
            if chunk_hasher is not None:
                chunk_hasher.update(chunk)
            written += len(chunk)
            due = start + written - flusher.durable >= checkpoint_every
            if chunk_hasher is None and due and not flusher.busy():
                flusher.submit(start + written, hasher.copy())
        flusher.wait()
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        flusher.wait()
        os.ftruncate(fd, flusher.durable)
        return Received("disk_full", flusher.durable, flusher.durable_hasher)
    finally:
        try:
            flusher.wait()
        finally:
            os.close(fd)
    if checksum is not None and chunk_hasher is not None and chunk_hasher.digest() != checksum.digest:
        os.truncate(part, start)
        return Received("checksum_mismatch", start, flusher.durable_hasher)
    return Received("ok", start + written, hasher)

"""Append a request body to an upload's part file: streamed, hashed, fsynced, rolled back on failure.

The whole-file SHA-256 is computed by a hashing thread that follows the part file as the request
thread writes it (reading the fresh bytes back from the page cache), so hashing overlaps receiving
and writing. ``hashlib`` objects cannot be saved to disk or shared between processes, so the running
hash lives in memory (see :class:`HashCache`); when it is missing (after a restart, or when another
worker process wrote the previous chunk) the hashing thread starts from the first byte and catches up
on the durable part of the file while the new body is already streaming in.
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
HASH_STEP = 4 * CHUNK_SIZE  # the hashing thread reads the part file back this much at a time


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

    def at(self, upload_id: str, offset: int) -> tuple[Any, int]:
        """A hasher and how many leading bytes of the file it has seen: the saved one when it was
        saved at exactly ``offset``, else a fresh one that has seen nothing."""
        with self._lock:
            cached = self._entries.get(upload_id)
        if cached is not None and cached[0] == offset:
            return cached[1].copy(), offset
        return hashlib.sha256(), 0

    def store(self, upload_id: str, offset: int, hasher: Any | None) -> None:
        """Save ``hasher`` as having seen the first ``offset`` bytes (``None``: not known, forget)."""
        with self._lock:
            if hasher is None:
                self._entries.pop(upload_id, None)
            else:
                self._entries[upload_id] = (offset, hasher)

    def forget(self, upload_id: str) -> None:
        self.store(upload_id, 0, None)


@dataclass
class Received:
    """Result of one append: the new durable offset, the hasher at that offset (``None`` when it is
    not known: the next append re-reads the file), and why it stopped."""

    outcome: Outcome
    offset: int
    hasher: Any | None


class _FileHasher:
    """Feeds ``hasher`` the bytes of ``part`` from ``seen`` up to the end published with
    :meth:`advance`, in a thread of its own. Only bytes already written are read."""

    def __init__(self, part: Path, hasher: Any, seen: int, written: int) -> None:
        self.hasher, self.seen = hasher, seen
        self._end, self._closing, self._stop = written, False, False
        self._error: BaseException | None = None
        self._cond = threading.Condition()
        self._fd = os.open(part, os.O_RDONLY)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def advance(self, end: int) -> None:
        with self._cond:
            self._end = end
            self._cond.notify()

    def _next_end(self) -> int:
        with self._cond:
            while self.seen >= self._end and not self._closing:
                self._cond.wait()
            return self._end

    def _run(self) -> None:
        buffer = bytearray(HASH_STEP)
        view = memoryview(buffer)
        try:
            while not self._stop and self.seen < (end := self._next_end()):
                while self.seen < end and not self._stop:
                    got = os.preadv(self._fd, [view[: min(HASH_STEP, end - self.seen)]], self.seen)
                    if got <= 0:
                        raise OSError(errno.EIO, f"part file ends before byte {end}")
                    self.hasher.update(view[:got])
                    self.seen += got
        except BaseException as exc:  # re-raised in the request thread by finish()
            self._error = exc

    def finish(self, *, abandon: bool = False) -> Any:
        """Wait until every published byte is hashed (or, when abandoning, just stop); the hasher."""
        with self._cond:
            self._closing, self._stop = True, abandon
            self._cond.notify()
        self._thread.join()
        os.close(self._fd)
        if self._error is not None and not abandon:
            raise self._error
        return self.hasher


class _Flusher:
    """Makes progress durable in the background: ``fsync`` then ``on_checkpoint(offset)``, while the
    request thread goes on receiving. At most one flush thread runs; when a flush ends it starts the
    next one if another checkpoint is due by then, so bytes that arrived during a flush become
    durable even if the body then stalls. ``durable`` only ever names bytes already fsynced."""

    def __init__(self, fd: int, on_checkpoint, start: int, every: int) -> None:
        self.fd, self.on_checkpoint, self.every = fd, on_checkpoint, every
        self.durable = self._written = start
        self._lock = threading.Lock()
        self._running = False
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def wrote(self, end: int) -> None:
        """The first ``end`` bytes are written: start a flush if a checkpoint is due and none runs."""
        with self._lock:
            self._written = end
            if self._running or self._error is not None or end - self.durable < self.every:
                return
            self._running = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _next(self) -> int | None:
        with self._lock:
            if self._error is None and self._written - self.durable >= self.every:
                return self._written
            self._running = False
            return None

    def _run(self) -> None:
        while (offset := self._next()) is not None:
            try:
                os.fsync(self.fd)  # everything written so far, so at least the first ``offset`` bytes
                self.on_checkpoint(offset)
                self.durable = offset
            except BaseException as exc:  # re-raised in the request thread by wait()
                self._error = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def _stream(*, fd: int, start: int, limit: int, body: Readable, follower: _FileHasher, chunk_hasher: Any,
            flusher: _Flusher) -> int:  # fmt: skip
    """Copy the body to ``fd``; publish each write to the hashing thread; return the bytes written."""
    written = 0
    while written < limit and (chunk := _read_body(body, min(CHUNK_SIZE, limit - written))):
        _write_all(fd, chunk)
        if chunk_hasher is not None:
            chunk_hasher.update(chunk)
        written += len(chunk)
        follower.advance(start + written)
        if chunk_hasher is None:  # with a checksum the chunk is all-or-nothing: no checkpoints
            flusher.wrote(start + written)
    return written


def append_body(
    *,
    part: Path,
    start: int,
    limit: int,
    body: Readable,
    hasher: Any,
    hashed: int,
    checksum: Checksum | None,
    checkpoint_every: int,
    on_checkpoint,
) -> Received:
    """Append at most ``limit`` bytes of ``body`` to ``part`` (whose durable size is ``start``);
    ``hasher`` has seen the first ``hashed`` bytes of ``part`` (``start``, or 0 to re-read them).

    Without a checksum, progress is fsynced and reported through ``on_checkpoint(offset)`` about every
    ``checkpoint_every`` bytes — by a background flush that overlaps the disk writes with receiving —
    so a crash loses at most about twice that much. With a checksum the chunk is all-or-nothing: a
    mismatch truncates back to ``start``. On ENOSPC the file is cut back to the last durable offset.
    """
    chunk_hasher = checksum.new_hasher() if checksum else None
    fd = os.open(part, os.O_WRONLY | os.O_APPEND)
    follower = _FileHasher(part, hasher, hashed, start)
    flusher = _Flusher(fd, on_checkpoint, start, checkpoint_every)
    try:
        written = _stream(fd=fd, start=start, limit=limit, body=body, follower=follower,
                          chunk_hasher=chunk_hasher, flusher=flusher)  # fmt: skip
        flusher.wait()
        os.fsync(fd)
    except OSError as exc:
        follower.finish(abandon=True)
        if exc.errno != errno.ENOSPC:
            raise
        flusher.wait()
        os.ftruncate(fd, flusher.durable)
        return Received("disk_full", flusher.durable, None)
    except BaseException:
        follower.finish(abandon=True)
        raise
    finally:
        try:
            flusher.wait()
        finally:
            os.close(fd)
    if checksum is not None and chunk_hasher is not None and chunk_hasher.digest() != checksum.digest:
        follower.finish(abandon=True)
        os.truncate(part, start)
        return Received("checksum_mismatch", start, None)
    return Received("ok", start + written, follower.finish())

"""Append a request body to an upload's part file: streamed, hashed, fsynced, rolled back on failure.

The whole-file SHA-256 is computed by a hashing thread that follows the part file as the request
thread writes it (reading the fresh bytes back from the page cache), so hashing overlaps receiving
and writing. The caller passes the hash as it was saved after an earlier request
(:mod:`liuhen.uploads.hashing`) and how many leading bytes it has seen; when no saved state could be
used that is 0, and the hashing thread catches up on the durable part of the file while the new body
is already streaming in.
"""

from __future__ import annotations

import errno
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from liuhen.storage.base import CHUNK_SIZE
from liuhen.uploads.hashing import Sha256
from liuhen.uploads.headers import Checksum

Outcome = Literal["ok", "disk_full", "checksum_mismatch"]
# The hashing thread reads the part file back this much at a time. ``rehashes`` keeps the GIL while it
# hashes, so the step is kept small: the receiving thread never waits long to run between syscalls.
HASH_STEP = 256 * 1024


class Readable(Protocol):
    """A request body: anything with ``read(size) -> bytes`` (b"" at the end). A body that also has
    ``readinto(buffer) -> int`` is read with that instead."""

    def read(self, size: int, /) -> bytes: ...


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_body(body: Readable, size: int) -> bytes:
    """Read up to ``size`` bytes; a client that went away counts as the end of the body."""
    try:
        return body.read(size)
    except (ConnectionError, TimeoutError, OSError):
        return b""


def _readinto_body(readinto, view: memoryview) -> int:
    """``readinto`` that counts a client that went away (or went quiet too long) as the end."""
    try:
        return readinto(view) or 0
    except (ConnectionError, TimeoutError, OSError):
        return 0


@dataclass
class Received:
    """Result of one append: the new durable offset, the hasher at that offset (``None`` when it is
    not known: the next append re-reads the file), and why it stopped."""

    outcome: Outcome
    offset: int
    hasher: Sha256 | None


class _FileHasher:
    """Feeds ``hasher`` the bytes of ``part`` from ``seen`` up to the end published with
    :meth:`advance`, in a thread of its own. Only bytes already written are read."""

    def __init__(self, part: Path, hasher: Sha256, seen: int, written: int) -> None:
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
        try:
            while not self._stop and self.seen < (end := self._next_end()):
                while self.seen < end and not self._stop:
                    data = os.pread(self._fd, min(HASH_STEP, end - self.seen), self.seen)
                    if not data:
                        raise OSError(errno.EIO, f"part file ends before byte {end}")
                    self.hasher.update(data)
                    self.seen += len(data)
        except BaseException as exc:  # re-raised in the request thread by finish()
            self._error = exc

    def finish(self, *, abandon: bool = False) -> Sha256:
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
    """Copy the body to ``fd``; publish each write to the hashing thread; return the bytes written.

    A body with ``readinto`` (a socket, a buffered file) is read into one reused buffer, so no bytes
    object is made per chunk."""
    readinto = getattr(body, "readinto", None)
    buffer = memoryview(bytearray(CHUNK_SIZE)) if readinto is not None else None
    written = 0
    while written < limit:
        want = min(CHUNK_SIZE, limit - written)
        if buffer is not None:
            chunk: bytes | memoryview = buffer[: _readinto_body(readinto, buffer[:want])]
        else:
            chunk = _read_body(body, want)
        if not chunk:
            break
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
    hasher: Sha256,
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

"""On-disk state of one tus upload: ``<id>.info`` (JSON, replaced atomically), ``<id>.part``, ``<id>.lock``.

``info.offset`` is the **durable offset**: every byte before it has been fsynced. Bytes in the part
file beyond it (left by a crash or a full disk) are not trusted and are cut off before more data
is appended.

States: ``receiving`` → ``complete`` (all bytes in, the hand-off to the application not yet done)
→ ``finalized``. A hand-off that keeps failing is retried with growing pauses (:class:`HandoffPolicy`);
after ``max_attempts`` the upload is ``held``: kept, never expired, retried only when a person asks.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

UploadState = Literal["receiving", "complete", "held", "finalized"]
AWAITING_HANDOFF: tuple[UploadState, ...] = ("complete", "held")  # all bytes in, not yet recorded
MAX_HANDOFF_ATTEMPTS = 8  # with the pauses below: held about 16 hours after the first failure
HANDOFF_FIRST_DELAY = timedelta(minutes=15)
_ID_RE = re.compile(r"^[0-9a-f]{32}$")


class UploadLocked(Exception):
    """Another request is writing to this upload."""


class NotAwaitingHandoff(LookupError):
    """No such upload, or not all its bytes are in, or it is already recorded (finalized)."""


@dataclass(frozen=True, slots=True)
class UploadInfo:
    """What the server knows about one upload; ``sha256`` is set once all bytes are in.

    ``hash_state`` is the running whole-file SHA-256 after its first ``hash_offset`` bytes
    (:mod:`liuhen.uploads.hashing`; "" when none was saved), never past ``offset``.

    ``handoff_attempts`` counts failed hand-offs; ``last_error`` (one line) and ``last_attempt_at``
    (ISO 8601, "" before the first failure) describe the latest."""

    id: str
    length: int
    offset: int
    created_at: str
    expires_at: str
    state: UploadState = "receiving"
    metadata: dict[str, str] = field(default_factory=dict)
    metadata_header: str = ""
    sha256: str | None = None
    hash_state: str = ""
    hash_offset: int = 0
    handoff_attempts: int = 0
    last_error: str = ""
    last_attempt_at: str = ""


@dataclass(frozen=True, slots=True)
class HandoffPolicy:
    """When a failed hand-off is tried again. The first failure (in the client's request) is retried
    at the upkeep's next run; then after ``first_delay``, doubling after each failure up to
    ``max_delay``. An automatic attempt that fails with ``max_attempts`` failures on record holds
    the upload for a person."""

    max_attempts: int = MAX_HANDOFF_ATTEMPTS
    first_delay: timedelta = HANDOFF_FIRST_DELAY
    max_delay: timedelta = timedelta(hours=12)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def due_at(self, info: UploadInfo) -> datetime | None:
        """When the upkeep may try ``info`` next; ``None`` when it is not waiting for one."""
        if info.state != "complete":
            return None
        if not info.last_attempt_at or info.handoff_attempts < 1:
            return datetime.fromisoformat(info.created_at)  # never failed: due now
        return datetime.fromisoformat(info.last_attempt_at) + self.pause(info.handoff_attempts)

    def pause(self, failures: int) -> timedelta:
        """How long to wait after the ``failures``-th failed attempt."""
        if failures <= 1:
            return timedelta(0)
        steps = min(failures - 2, 32)  # 2**32 × any delay is past any sane cap
        return min(self.first_delay * (2**steps), self.max_delay)

    def failed(self, info: UploadInfo, *, error: BaseException, at: datetime, may_hold: bool) -> UploadInfo:
        """``info`` after one more failed hand-off; ``held`` once the limit is reached and ``may_hold``."""
        attempts = info.handoff_attempts + 1
        held = info.state == "held" or (may_hold and attempts >= self.max_attempts)
        return dataclasses.replace(
            info,
            state="held" if held else "complete",
            handoff_attempts=attempts,
            last_error=error_line(error),
            last_attempt_at=at.isoformat(),
        )


def error_line(error: BaseException, *, limit: int = 500) -> str:
    """``Type: message`` on one line (whitespace collapsed, no traceback), at most ``limit`` characters."""
    message = " ".join(str(error).split())
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def new_upload_id() -> str:
    return secrets.token_hex(16)


def valid_upload_id(upload_id: str) -> bool:
    """Ids are 32 hex digits; anything else (``../x``) is never turned into a path."""
    return bool(_ID_RE.match(upload_id))


class UploadFiles:
    """Paths and atomic persistence for the uploads under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def info_path(self, upload_id: str) -> Path:
        return self.directory / f"{upload_id}.info"

    def part_path(self, upload_id: str) -> Path:
        return self.directory / f"{upload_id}.part"

    def lock_path(self, upload_id: str) -> Path:
        return self.directory / f"{upload_id}.lock"

    def load(self, upload_id: str) -> UploadInfo | None:
        if not valid_upload_id(upload_id):
            return None
        try:
            raw = json.loads(self.info_path(upload_id).read_text("utf-8"))
        except FileNotFoundError:
            return None
        return UploadInfo(**raw)

    def save(self, info: UploadInfo) -> None:
        """Write ``<id>.info`` to a temporary file, fsync it, rename over the old one, fsync the dir."""
        target = self.info_path(info.id)
        tmp = target.with_suffix(".info.tmp")
        data = json.dumps(dataclasses.asdict(info), ensure_ascii=False, sort_keys=True).encode("utf-8")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:  # a nearly full disk takes a short write first; the next one raises ENOSPC
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError:  # the old info stays as it was: nothing half-written is ever renamed over it
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(fd)
        os.replace(tmp, target)
        self.fsync_directory()

    def fsync_directory(self) -> None:
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def remove(self, upload_id: str) -> None:
        for path in (self.part_path(upload_id), self.info_path(upload_id), self.lock_path(upload_id)):
            path.unlink(missing_ok=True)

    def all_ids(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.info") if valid_upload_id(p.stem))

    def infos(self, *states: UploadState) -> list[UploadInfo]:
        """The uploads in one of ``states`` (all when none is named), oldest first."""
        found = (self.load(upload_id) for upload_id in self.all_ids())
        chosen = [i for i in found if i is not None and (not states or i.state in states)]
        return sorted(chosen, key=lambda i: (i.created_at, i.id))

    @contextmanager
    def locked(self, upload_id: str, *, timeout: float) -> Iterator[None]:
        """Hold an exclusive ``flock`` on ``<id>.lock`` (works across threads and processes)."""
        fd = os.open(self.lock_path(upload_id), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise UploadLocked(upload_id) from None
                    time.sleep(0.02)
            yield
        finally:
            os.close(fd)  # closing releases the lock

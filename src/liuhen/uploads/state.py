"""On-disk state of one tus upload: ``<id>.info`` (JSON, replaced atomically), ``<id>.part``, ``<id>.lock``.

``info.offset`` is the **durable offset**: every byte before it has been fsynced. Bytes in the part
file beyond it (left by a crash or a full disk) are not trusted and are cut off before more data
is appended.
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
from pathlib import Path
from typing import Literal

UploadState = Literal["receiving", "complete", "finalized"]
_ID_RE = re.compile(r"^[0-9a-f]{32}$")


class UploadLocked(Exception):
    """Another request is writing to this upload."""


@dataclass(frozen=True, slots=True)
class UploadInfo:
    """What the server knows about one upload; ``sha256`` is set once all bytes are in.

    ``hash_state`` is the running whole-file SHA-256 after its first ``hash_offset`` bytes
    (:mod:`liuhen.uploads.hashing`; "" when none was saved), never past ``offset``."""

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
            os.write(fd, data)
            os.fsync(fd)
        finally:
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

"""A TusServer in tmp_path with a settable clock and a recording completion callback."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from liuhen.uploads import TusServer


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Completed:
    calls: list[tuple[str, bytes, str, dict[str, str]]] = field(default_factory=list)

    def __call__(self, upload_id: str, path: Path, sha256_hex: str, metadata: dict[str, str]) -> None:
        self.calls.append((upload_id, path.read_bytes(), sha256_hex, metadata))


@dataclass
class TusKit:
    """The server under test plus helpers to build requests."""

    server: TusServer
    clock: Clock
    completed: Completed
    directory: Path

    def create(self, length: int, **extra: str):
        return self.server.create({"Tus-Resumable": "1.0.0", "Upload-Length": str(length), **extra}, None)

    def upload_id(self, response) -> str:
        return response.headers["Location"].rsplit("/", 1)[-1]

    def patch(self, upload_id: str, data: bytes, offset: int, **extra: str):
        headers = {
            "Tus-Resumable": "1.0.0",
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            "Content-Length": str(len(data)),
            **extra,
        }
        return self.server.patch(upload_id, headers, io.BytesIO(data))

    def offset(self, upload_id: str) -> int:
        return int(self.server.head(upload_id).headers["Upload-Offset"])


@pytest.fixture
def tus(tmp_path: Path) -> TusKit:
    clock, completed = Clock(), Completed()
    server = TusServer(
        tmp_path / "uploads",
        max_size=10 * 1024 * 1024,
        expiry=timedelta(hours=24),
        clock=clock,
        on_complete=completed,
        checkpoint_every=1024 * 1024,
    )
    return TusKit(server, clock, completed, tmp_path / "uploads")

"""Crash and disk-full recovery: the durable offset survives kill -9 and ENOSPC, and uploads resume."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from liuhen.uploads import TusServer
from liuhen.uploads import receiver as receiver_module

MIB = 1024 * 1024
PAYLOAD = hashlib.sha256(b"seed").digest() * (4 * MIB // 32)  # 4 MiB, not all-zero

_CHILD = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from liuhen.uploads import TusServer

    class Socketish:  # returns what has arrived, like a socket, instead of waiting for a full chunk
        def read(self, size):
            return sys.stdin.buffer.read1(size)

    server = TusServer(sys.argv[1], max_size=1 << 30, expiry=timedelta(days=1),
                       clock=lambda: datetime.now(UTC), checkpoint_every=1 << 20)
    server.patch(sys.argv[2], {"Tus-Resumable": "1.0.0", "Upload-Offset": "0",
                 "Content-Type": "application/offset+octet-stream",
                 "Content-Length": sys.argv[3]}, Socketish())
    """
)


def _server(directory, completed):
    return TusServer(
        directory,
        max_size=1 << 30,
        expiry=timedelta(days=1),
        clock=lambda: datetime.now(UTC),
        on_complete=lambda uid, path, digest, meta: completed.append((path.read_bytes(), digest)),
        checkpoint_every=MIB,
    )


def _patch(server, uid, data, offset):
    headers = {
        "Tus-Resumable": "1.0.0",
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": str(offset),
        "Content-Length": str(len(data)),
    }
    return server.patch(uid, headers, io.BytesIO(data))


def _wait_for_size(path, size, timeout=20.0):
    deadline = time.monotonic() + timeout
    while path.stat().st_size < size:
        assert time.monotonic() < deadline, f"{path} stuck at {path.stat().st_size}"
        time.sleep(0.01)


def _wait_for_durable(info_path, at_least, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        with suppress(FileNotFoundError, ValueError):
            if json.loads(info_path.read_text("utf-8"))["offset"] >= at_least:
                return
        assert time.monotonic() < deadline, f"{info_path} never reached offset {at_least}"
        time.sleep(0.01)


def test_given_server_killed_mid_patch_when_restarted_then_resumes_from_durable_offset(tmp_path):
    """GIVEN a PATCH process SIGKILLed after 2.5 MiB (checkpoints about every MiB, flushed in the
    background) WHEN a new server starts THEN HEAD names a saved checkpoint (≥ 1 MiB), the untrusted
    tail is cut, the rest uploads and the SHA-256 is right."""
    completed: list = []
    uid = _server(tmp_path, completed).create({"Tus-Resumable": "1.0.0", "Upload-Length": str(len(PAYLOAD))})
    uid = uid.headers["Location"].rsplit("/", 1)[-1]
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(tmp_path), uid, str(len(PAYLOAD))], stdin=subprocess.PIPE
    )
    try:
        child.stdin.write(PAYLOAD[: 2 * MIB + MIB // 2])
        child.stdin.flush()
        _wait_for_size(tmp_path / f"{uid}.part", 2 * MIB + MIB // 2)
        _wait_for_durable(tmp_path / f"{uid}.info", MIB)  # the background flush has saved a checkpoint
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdin.close()

    restarted = _server(tmp_path, completed)
    offset = int(restarted.head(uid).headers["Upload-Offset"])
    assert MIB <= offset <= 2 * MIB + MIB // 2  # a saved checkpoint, never past what was written
    assert (tmp_path / f"{uid}.part").stat().st_size <= 2 * MIB + MIB // 2
    resp = _patch(restarted, uid, PAYLOAD[offset:], offset)

    assert resp.status == 204
    assert completed == [(PAYLOAD, hashlib.sha256(PAYLOAD).hexdigest())]


def test_given_disk_fills_mid_patch_then_507_offset_durable_and_resume_after_space_freed(
    tmp_path, monkeypatch
):
    """GIVEN ENOSPC after 2.5 MiB of a 4 MiB PATCH WHEN it fails THEN 507, offset at the last durable
    checkpoint (1 or 2 MiB), tail removed; WHEN space is back THEN the client resumes from there and the
    whole-file SHA-256 is right."""
    completed: list = []
    server = _server(tmp_path, completed)
    uid = server.create({"Tus-Resumable": "1.0.0", "Upload-Length": str(len(PAYLOAD))}).headers["Location"][
        -32:
    ]
    real_write_all = receiver_module._write_all
    budget = {"bytes": 2 * MIB + MIB // 2}

    def filling(fd, data):
        if budget["bytes"] < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        budget["bytes"] -= len(data)
        real_write_all(fd, data)

    monkeypatch.setattr(receiver_module, "_write_all", filling)
    full = _patch(server, uid, PAYLOAD, 0)

    assert full.status == 507 and b"storage is full" in full.body
    offset = int(full.headers["Upload-Offset"])
    # the last durable checkpoint; flushes run in the background, so one still in flight may be skipped
    assert offset in (MIB, 2 * MIB)
    assert (tmp_path / f"{uid}.part").stat().st_size == offset
    assert completed == []

    monkeypatch.setattr(receiver_module, "_write_all", real_write_all)
    assert _patch(server, uid, PAYLOAD[offset:], offset).status == 204
    assert completed == [(PAYLOAD, hashlib.sha256(PAYLOAD).hexdigest())]


def test_given_client_disconnects_mid_body_then_received_bytes_kept(tmp_path):
    """GIVEN a body that ends early (client gone) WHEN the PATCH ends THEN the bytes that came are kept."""
    completed: list = []
    server = _server(tmp_path, completed)
    uid = server.create({"Tus-Resumable": "1.0.0", "Upload-Length": "5000"}).headers["Location"][-32:]
    headers = {
        "Tus-Resumable": "1.0.0",
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": "0",
        "Content-Length": "5000",
    }

    resp = server.patch(uid, headers, io.BytesIO(PAYLOAD[:1234]))

    assert (resp.status, resp.headers["Upload-Offset"]) == (204, "1234")
    assert _patch(_server(tmp_path, completed), uid, PAYLOAD[1234:5000], 1234).status == 204
    assert completed[0][1] == hashlib.sha256(PAYLOAD[:5000]).hexdigest()

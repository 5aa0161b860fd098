"""End to end over real HTTP on 127.0.0.1: tuspy uploads through the WSGI adapter, is cut off, resumes."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from tusclient.client import TusClient

from liuhen.uploads import TusServer
from liuhen.uploads.wsgi_app import serve

MIB = 1024 * 1024


@pytest.fixture
def http_tus(tmp_path):
    """A threaded stdlib HTTP server on a free loopback port serving a TusServer at /files/."""
    completed: list[tuple[str, str, dict[str, str]]] = []
    core = TusServer(
        tmp_path / "uploads",
        max_size=64 * MIB,
        expiry=timedelta(hours=1),
        clock=lambda: datetime.now(UTC),
        on_complete=lambda uid, path, digest, meta: completed.append(
            (hashlib.sha256(path.read_bytes()).hexdigest(), digest, meta)
        ),
    )
    httpd = serve(core)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/files/", core, completed
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "bodycam.mp4"
    block = hashlib.sha512(b"bodycam").digest() * 1024  # 64 KiB
    path.write_bytes(block * 48 + b"tail")  # 3 MiB + 4 bytes
    return path


def _abort_patch_after(url: str, offset: int, promised: int, data: bytes) -> None:
    """Send a PATCH promising ``promised`` bytes, deliver only ``data``, then drop the connection."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        head = (
            f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nTus-Resumable: 1.0.0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\n"
            f"Content-Length: {promised}\r\n\r\n"
        )
        sock.sendall(head.encode() + data)


def _wait_for_offset(core: TusServer, upload_id: str, expected: int) -> None:
    deadline = time.monotonic() + 10
    while int(core.head(upload_id).headers.get("Upload-Offset", -1)) != expected:
        assert time.monotonic() < deadline, "server never recorded the bytes it received"
        time.sleep(0.02)


def test_given_connection_dropped_mid_upload_when_tuspy_resumes_then_sha256_matches(http_tus, evidence_file):
    """GIVEN a 3 MiB upload whose PATCH connection dies after 1.25 MiB WHEN tuspy resumes from HEAD
    THEN the server completes it and hands over a file whose SHA-256 equals the original's."""
    url, core, completed = http_tus
    client = TusClient(url)
    first = client.uploader(str(evidence_file), chunk_size=MIB, metadata={"filename": "bodycam.mp4"})
    first.upload(stop_at=MIB // 4)
    upload_id = first.url.rsplit("/", 1)[-1]
    data = evidence_file.read_bytes()

    _abort_patch_after(first.url, MIB // 4, len(data) - MIB // 4, data[MIB // 4 : MIB + MIB // 4])
    _wait_for_offset(core, upload_id, MIB + MIB // 4)

    resumed = client.uploader(str(evidence_file), url=first.url, chunk_size=MIB)
    assert resumed.offset == MIB + MIB // 4
    resumed.upload()

    expected = hashlib.sha256(data).hexdigest()
    assert completed == [(expected, expected, {"filename": "bodycam.mp4"})]


def test_given_tuspy_with_checksums_when_stopped_and_resumed_then_complete(http_tus, evidence_file):
    """GIVEN tuspy sending Upload-Checksum (sha1) per chunk WHEN it stops at 1 MiB and resumes THEN done."""
    url, _core, completed = http_tus
    client = TusClient(url)
    first = client.uploader(str(evidence_file), chunk_size=512 * 1024, upload_checksum=True)
    first.upload(stop_at=MIB)

    client.uploader(str(evidence_file), url=first.url, chunk_size=512 * 1024, upload_checksum=True).upload()

    expected = hashlib.sha256(evidence_file.read_bytes()).hexdigest()
    assert [c[1] for c in completed] == [expected]

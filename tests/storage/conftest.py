"""Fixtures for the storage tests: a moto S3 server on 127.0.0.1, started once per module."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from liuhen.storage import S3BlobStore

_FAKE_CREDENTIALS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_store(moto_endpoint: str) -> S3BlobStore:
    store = S3BlobStore(
        f"evidence-{uuid.uuid4().hex[:12]}",
        moto_endpoint,
        multipart_threshold=5 * 1024 * 1024,
        multipart_chunksize=5 * 1024 * 1024,
        **_FAKE_CREDENTIALS,
    )
    store.ensure_bucket()
    return store


@pytest.fixture
def raw_s3(moto_endpoint: str):
    return boto3.client("s3", endpoint_url=moto_endpoint, **_FAKE_CREDENTIALS)


@pytest.fixture
def make_file(tmp_path: Path):
    """Factory: a file of ``size`` deterministic bytes that differ per ``seed``."""

    def make(name: str, size: int, seed: int = 0) -> Path:
        block = bytes((seed * 31 + i * 7 + i // 251) % 256 for i in range(65521))
        path = tmp_path / name
        with open(path, "wb") as fh:
            remaining = size
            while remaining:
                piece = block[: min(len(block), remaining)]
                fh.write(piece)
                remaining -= len(piece)
        return path

    return make

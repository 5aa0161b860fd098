"""Evidence test kit: an agency with an officer (API token) and a case; tus requests via Django's client."""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

MIB = 1024 * 1024


def payload(size: int, seed: bytes = b"bodycam") -> bytes:
    """Deterministic, not-all-zero bytes of ``size``."""
    block = hashlib.sha512(seed).digest() * 1024  # 64 KiB
    return (block * (size // len(block) + 1))[:size]


def meta(**labels: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in labels.items())


@dataclass
class TusKit:
    client: Any  # django.test.Client (Django is imported lazily: the pure tests run without it)
    token: str
    case: Any

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Tus-Resumable": "1.0.0", **extra}

    def create(
        self, length: int, *, labels: dict[str, str] | None = None, body: bytes | None = None, **extra
    ):
        labels = {"case_id": str(self.case.pk), **(labels or {})}
        headers = self.headers(**{"Upload-Length": str(length), "Upload-Metadata": meta(**labels), **extra})
        if body is None:
            return self.client.generic("POST", "/api/uploads/", headers=headers)
        return self.client.post(
            "/api/uploads/", data=body, content_type="application/offset+octet-stream", headers=headers
        )

    def location(self, response) -> str:
        return response["Location"]

    def patch(self, url: str, data: bytes, offset: int, **extra: str):
        headers = self.headers(**{"Upload-Offset": str(offset), **extra})
        return self.client.generic(
            "PATCH",
            url,
            data=data,
            content_type="application/offset+octet-stream",
            headers=headers,
            CONTENT_TYPE="application/offset+octet-stream",
        )

    def head(self, url: str, **extra: str):
        return self.client.head(url, headers=self.headers(**extra))

    def upload(self, data: bytes, **labels: str):
        """Create and send everything in one PATCH; return the final response."""
        url = self.location(self.create(len(data), labels=labels))
        return self.patch(url, data, 0)


@pytest.fixture
def agency(db):
    from tests.factories import make_agency

    return make_agency()


@pytest.fixture
def officer(agency):
    from tests.factories import make_user

    return make_user(agency, ["officer", "handler"], name="张三")


@pytest.fixture
def case(officer):
    from tests.factories import make_case

    return make_case(officer)


@pytest.fixture
def tus(settings, tmp_path, officer, case) -> TusKit:
    from django.test import Client

    from liuhen.accounts.services import token_issue
    from liuhen.evidence import tus_view

    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    tus_view._server.cache_clear()
    yield TusKit(Client(), token_issue(user=officer), case)
    tus_view._server.cache_clear()


@pytest.fixture
def s3_settings(settings):
    """The S3 blob backend against a moto server on a free port, with an Object Lock bucket."""
    from moto.server import ThreadedMotoServer

    from liuhen.cases.blobs import blob_store

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    settings.LIUHEN_STORAGE = {
        "backend": "s3",
        "bucket": f"ev-{uuid.uuid4().hex[:10]}",
        "endpoint_url": f"http://{host}:{port}",
        "region": "us-east-1",
        "access_key_id": "testing",
        "secret_access_key": "testing",
    }
    blob_store.cache_clear()
    blob_store().ensure_bucket()
    yield
    blob_store.cache_clear()
    server.stop()

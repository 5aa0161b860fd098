"""Fuzzing the tus headers and metadata (hypothesis, bounded): never a 5xx, never an inconsistent upload.

Two levels: the framework-free :class:`TusServer` (many examples, no database) and ``/api/uploads/``
through Django with a real officer, case and token (fewer examples). After every request each upload on
disk is consistent: its info loads, ``offset <= length``, the part file holds at least the durable
offset, and nothing but ``.info``/``.part``/``.lock`` files is left.
"""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liuhen.uploads import TusServer
from liuhen.uploads.state import UploadFiles
from tests.evidence.conftest import agency, case, officer  # noqa: F401 - fixtures

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FUZZ_DB = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_digits = st.sampled_from("0123456789²³¹١٢٣٤０１２３߀৪")
numbers = st.one_of(
    st.integers(min_value=0, max_value=2**70).map(str),
    st.integers(min_value=-(2**70), max_value=-1).map(str),
    st.text(_digits, min_size=1, max_size=30),
    st.text(max_size=40),
    st.just("9" * 5000),
)
_b64 = st.binary(max_size=60).map(lambda b: base64.b64encode(b).decode())
_keys = st.one_of(
    st.sampled_from(
        ["case_id", "linked_document_ids", "title", "filename", "filetype", "sha256", "confidential"]
    ),
    st.text(min_size=1, max_size=12),
)
_values = st.one_of(
    _b64,
    st.text(max_size=30),  # not base64
    st.text(max_size=30).map(lambda t: base64.b64encode(t.encode()).decode()),  # any Unicode, NUL included
    st.text(_digits, min_size=1, max_size=25).map(lambda t: base64.b64encode(t.encode()).decode()),
    st.just(base64.b64encode(b"x" * 6000).decode()),  # overlong
)
metadata = st.one_of(
    st.lists(st.tuples(_keys, _values), max_size=6).map(lambda pairs: ",".join(f"{k} {v}" for k, v in pairs)),
    st.text(max_size=80),
)
header_values = st.one_of(st.none(), numbers)


def _request_headers(draw_length, draw_offset, draw_meta, extra) -> dict[str, str]:
    headers = {"Tus-Resumable": "1.0.0", **extra}
    for name, value in (
        ("Upload-Length", draw_length),
        ("Upload-Offset", draw_offset),
        ("Upload-Metadata", draw_meta),
    ):
        if value is not None:
            headers[name] = value
    return headers


def _consistent(directory: Path) -> None:
    files = UploadFiles(directory)
    for path in directory.iterdir() if directory.exists() else []:
        assert path.suffix in (".info", ".part", ".lock"), path.name
    for upload_id in files.all_ids():
        info = files.load(upload_id)
        assert info is not None and 0 <= info.offset <= info.length
        part = files.part_path(upload_id)
        if info.state == "receiving":
            assert part.exists() and part.stat().st_size >= info.offset


extra_headers = st.dictionaries(
    st.sampled_from(
        ["Upload-Checksum", "Content-Length", "Upload-Defer-Length", "Transfer-Encoding", "Content-Type"]
    ),
    st.one_of(
        numbers,
        st.sampled_from(["sha1 AAAA", "sha256 " + "A" * 44, "chunked", "application/offset+octet-stream"]),
    ),
    max_size=3,
)


@FUZZ
@given(length=header_values, offset=header_values, meta=st.one_of(st.none(), metadata), extra=extra_headers)
def test_given_random_headers_when_the_core_serves_them_then_no_5xx_and_uploads_stay_consistent(
    tmp_path_factory, length, offset, meta, extra
):
    """GIVEN random Upload-Length/-Offset/-Metadata and other headers WHEN the core creates, patches,
    inspects and deletes with them THEN every answer is below 500 and every upload stays consistent."""
    directory = tmp_path_factory.mktemp("fuzz")
    server = TusServer(
        directory, max_size=1 << 20, expiry=timedelta(hours=1), clock=lambda: datetime.now(UTC)
    )
    headers = _request_headers(length, offset, meta, extra)

    created = server.create(headers, io.BytesIO(b"abcd"))
    assert created.status < 500, created
    _consistent(directory)
    if created.status == 201:
        upload_id = created.headers["Location"].rsplit("/", 1)[-1]
        patch = {**headers, "Content-Type": "application/offset+octet-stream"}
        for response in (
            server.patch(upload_id, patch, io.BytesIO(b"abcd")),
            server.head(upload_id, headers),
        ):
            assert response.status < 500, response
            _consistent(directory)
        assert server.delete(upload_id, headers).status < 500
        _consistent(directory)


@pytest.fixture
def api_kit(settings, tmp_path, officer, case):  # noqa: F811
    from liuhen.accounts.services import token_issue
    from liuhen.evidence import tus_view

    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    tus_view._server.cache_clear()
    yield Client(), token_issue(user=officer), Path(settings.LIUHEN_UPLOAD_DIR), case
    tus_view._server.cache_clear()


@pytest.mark.django_db
@FUZZ_DB
@given(length=header_values, offset=header_values, meta=st.one_of(st.none(), metadata), extra=extra_headers)
def test_given_random_headers_when_sent_to_the_endpoint_then_no_5xx_and_every_refusal_in_error_shape(
    api_kit, length, offset, meta, extra
):
    """GIVEN random tus headers and metadata (base64 or not, NUL bytes, Unicode digits, huge numbers,
    overlong values) WHEN sent to ``/api/uploads/`` with a token THEN never a 5xx; every refusal is JSON
    in the API's error shape; uploads on disk stay consistent."""
    client, token, directory, _ = api_kit
    headers = {"Authorization": f"Bearer {token}", **_request_headers(length, offset, meta, extra)}

    created = client.generic("POST", "/api/uploads/", headers=headers)
    responses = [created]
    if created.status_code == 201:
        url = created["Location"]
        patch = {**headers, "Content-Type": "application/offset+octet-stream"}
        responses.append(
            client.generic(
                "PATCH", url, data=b"ab", content_type="application/offset+octet-stream", headers=patch
            )
        )
        responses.append(client.head(url, headers=headers))
        responses.append(client.delete(url, headers=headers))

    for response in responses:
        assert response.status_code < 500, response.content
        if response.status_code >= 400 and response.request["REQUEST_METHOD"] != "HEAD":
            assert response["Content-Type"] == "application/json", response.content
            assert set(response.json()) == {"error", "message", "errors"}
    _consistent(directory)

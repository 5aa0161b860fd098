"""Bad input to ``/api/uploads/``: a 4xx in the API's error shape, never a 500, never silent loss.

Unicode digits in numeric headers and id labels, NUL bytes in metadata, a chunked body, an SVG that no
decoder reads, and ``X-HTTP-Method-Override`` used to smuggle a DELETE past the CSRF check.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from django.test import Client
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

from liuhen.uploads import wsgi_app
from liuhen.uploads.socket_body import from_gunicorn
from tests.evidence.conftest import TusKit, agency, case, meta, officer  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

UNICODE_NUMBERS = ["²", "١", "１２", "٣٠", "1²", "-1", "+5", " 7x", "0x10", "1e3", "9" * 20, "9" * 5000]
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script></svg>'


@pytest.fixture
def tus(settings, tmp_path, officer, case) -> TusKit:  # noqa: F811 - the evidence kit, uploads in tmp_path
    from liuhen.accounts.services import token_issue
    from liuhen.evidence import tus_view

    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    tus_view._server.cache_clear()
    yield TusKit(Client(), token_issue(user=officer), case)
    tus_view._server.cache_clear()


def _uploads(settings) -> list[str]:
    directory = Path(settings.LIUHEN_UPLOAD_DIR)
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _error_shape(response, field: str) -> dict:
    body = response.json()
    assert set(body) == {"error", "message", "errors"}, body
    assert [e["field"] for e in body["errors"]] == [field], body
    assert response["Tus-Resumable"] == "1.0.0"
    return body


@pytest.mark.parametrize("value", UNICODE_NUMBERS)
def test_given_a_non_ascii_or_huge_upload_length_when_created_then_400_naming_the_header(
    tus, settings, value
):
    """GIVEN ``Upload-Length`` in Unicode digits, signed, hex or beyond 64 bits WHEN an upload is created
    THEN 400 in the error shape naming ``Upload-Length``, and no upload exists."""
    response = tus.client.generic(
        "POST", "/api/uploads/", headers=tus.headers(**{"Upload-Length": value, "Upload-Metadata": meta()})
    )

    assert response.status_code == 400
    _error_shape(response, "Upload-Length")
    assert _uploads(settings) == []


@pytest.mark.parametrize("value", UNICODE_NUMBERS)
def test_given_a_non_ascii_upload_offset_when_patched_then_400_and_the_offset_is_unchanged(tus, value):
    """GIVEN an upload WHEN a PATCH carries ``Upload-Offset: ²`` (or any non-ASCII or huge number) THEN
    400 naming ``Upload-Offset``; the upload is still at offset 0 and takes its bytes afterwards."""
    url = tus.location(tus.create(4))

    refused = tus.patch(url, b"abcd", 0, **{"Upload-Offset": value})

    assert refused.status_code == 400
    _error_shape(refused, "Upload-Offset")
    assert tus.head(url)["Upload-Offset"] == "0"
    assert tus.patch(url, b"abcd", 0).status_code == 204


@pytest.mark.parametrize("value", ["١", "１", "²", "1,٢", "99999999999999999999999"])
@pytest.mark.parametrize("label", ["case_id", "linked_document_ids"])
def test_given_unicode_digits_in_an_id_label_when_created_then_400_naming_the_label(
    tus, settings, label, value
):
    """GIVEN ``case_id`` or ``linked_document_ids`` written in Unicode digits (``١`` used to be case 1)
    or too long for an id WHEN an upload is created THEN 400 naming the label; nothing is stored."""
    labels = {"case_id": str(tus.case.pk), label: value}

    response = tus.client.generic(
        "POST",
        "/api/uploads/",
        headers=tus.headers(**{"Upload-Length": "4", "Upload-Metadata": meta(**labels)}),
    )

    assert response.status_code == 400
    _error_shape(response, label)
    assert _uploads(settings) == []


def test_given_a_nul_byte_in_a_metadata_value_when_created_then_400_naming_the_key(tus, settings):
    """GIVEN a title holding a NUL byte (PostgreSQL text cannot store it) WHEN an upload is created THEN
    400 naming ``Upload-Metadata.title``, before any byte is stored."""
    response = tus.create(4, labels={"title": "现场\x00录像"})

    assert response.status_code == 400
    body = _error_shape(response, "Upload-Metadata.title")
    assert body["errors"][0]["reason"] == "nul_byte" and _uploads(settings) == []


def test_given_a_chunked_patch_when_sent_then_411_in_the_error_shape_and_no_byte_is_lost(tus):
    """GIVEN an upload WHEN a PATCH comes with ``Transfer-Encoding: chunked`` (no Content-Length) THEN
    411 naming Transfer-Encoding — not a 204 that dropped the body — and the offset is unchanged."""
    url = tus.location(tus.create(4))

    refused = tus.patch(url, b"abcd", 0, **{"Transfer-Encoding": "chunked"})

    assert refused.status_code == 411
    assert _error_shape(refused, "Transfer-Encoding")["error"] == "length_required"
    assert tus.head(url)["Upload-Offset"] == "0"


def test_given_a_chunked_creation_with_upload_when_sent_then_411_and_nothing_created(tus, settings):
    """GIVEN creation-with-upload sent chunked WHEN posted THEN 411 and no upload exists."""
    response = tus.create(4, body=b"abcd", **{"Transfer-Encoding": "chunked"})

    assert response.status_code == 411 and _uploads(settings) == []


def test_given_a_chunked_patch_through_gunicorn_parser_then_socket_path_declines_it():
    """GIVEN a chunked PATCH as gunicorn parses it WHEN the socket fast path is asked THEN it declines
    (``None``): only length-delimited bodies are read from the socket, the rest is refused with 411."""
    client, peer = socket.socketpair()
    raw = b"PATCH /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"
    sender = threading.Thread(target=client.sendall, args=(raw,), daemon=True)
    sender.start()
    request = next(RequestParser(Config(), peer, ("127.0.0.1", 1)))
    sender.join()

    assert from_gunicorn({"gunicorn.socket": peer, "wsgi.input": request.body}) is None
    client.close(), peer.close()


def test_given_the_wsgi_server_when_a_real_chunked_patch_arrives_then_411(tmp_path):
    """GIVEN the standalone WSGI tus server on a socket WHEN a client sends a real chunked PATCH THEN
    411 Length Required and the upload's offset stays 0."""
    from datetime import UTC, datetime, timedelta

    from liuhen.uploads import TusServer

    server = TusServer(tmp_path, max_size=1024, expiry=timedelta(hours=1), clock=lambda: datetime.now(UTC))
    upload_id = (
        server.create({"Tus-Resumable": "1.0.0", "Upload-Length": "4"}).headers["Location"].rsplit("/")[-1]
    )
    httpd = wsgi_app.serve(server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        # Only the head is sent before the answer is read: the server refuses on the headers alone, and a
        # body still in flight when it closes would make the client's write race the close.
        with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=10) as conn:
            conn.sendall(
                f"PATCH /files/{upload_id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                "Transfer-Encoding: chunked\r\n\r\n".encode()
            )
            status = int(conn.makefile("rb").readline().split()[1])
    finally:
        httpd.shutdown()
        httpd.server_close()

    assert status == 411 and server.head(upload_id).headers["Upload-Offset"] == "0"


def test_given_an_svg_uploaded_through_tus_when_complete_then_recorded_as_other_and_flagged(tus):
    """GIVEN an SVG with a script (FFmpeg sees ``svg_pipe`` but has no decoder) WHEN uploaded THEN the
    upload completes (204), the media record is "other" and its intake is flagged for a person."""
    from liuhen.evidence.models import MediaIntake, MediaRecord

    done = tus.upload(SVG, filename="x.svg", filetype="image/svg+xml")

    assert done.status_code == 204, done.content
    record = MediaRecord.objects.get(pk=int(done["Liuhen-Media-Id"]))
    intake = MediaIntake.objects.get(media=record)
    assert record.kind == "other" and intake.format_flagged and intake.probe["kind"] == "unknown"


# --------------------------------------------------------------------------- method override and CSRF


@pytest.fixture
def browser(officer):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.get("/evidence/upload/")  # the page sets the CSRF cookie, as in the browser
    return client


def _session_headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": "1.0.0", **extra}


def test_given_a_session_get_with_method_override_delete_then_nothing_is_deleted(tus, browser):
    """GIVEN an upload of the logged-in officer WHEN their browser is made to send a GET with
    ``X-HTTP-Method-Override: DELETE`` (no CSRF token) THEN the override is ignored: the upload stays."""
    url = tus.location(tus.create(4))

    browser.get(url, headers=_session_headers(**{"X-HTTP-Method-Override": "DELETE"}))

    assert tus.head(url).status_code == 200


def test_given_a_session_post_with_method_override_delete_then_csrf_decides(tus, browser):
    """GIVEN an upload WHEN the session POSTs ``X-HTTP-Method-Override: DELETE`` without a CSRF token
    THEN 403 and the upload stays; WITH the token THEN 204 and it is gone."""
    url = tus.location(tus.create(4))
    override = _session_headers(**{"X-HTTP-Method-Override": "DELETE"})

    refused = browser.post(url, headers=override)
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"
    assert tus.head(url).status_code == 200

    token = browser.cookies["csrftoken"].value
    deleted = browser.post(url, headers={**override, "X-CSRFToken": token})
    assert deleted.status_code == 204 and tus.head(url).status_code == 404


def test_given_a_bearer_token_post_with_method_override_delete_then_deleted_without_csrf(tus):
    """GIVEN a program with an API token WHEN it POSTs with ``X-HTTP-Method-Override: DELETE`` THEN the
    upload is deleted (204): token requests carry no cookies, so no CSRF token is needed."""
    url = tus.location(tus.create(4))

    response = tus.client.post(url, headers=tus.headers(**{"X-HTTP-Method-Override": "DELETE"}))

    assert response.status_code == 204 and tus.head(url).status_code == 404


@pytest.mark.parametrize(
    ("header", "value", "field"),
    [
        ("Upload-Metadata", "title \x80\x81", "Upload-Metadata.title"),
        ("Upload-Metadata", "title 5L2g5aW9é", "Upload-Metadata.title"),
        ("Upload-Checksum", "sha256 \x80" * 2, "Upload-Checksum"),
    ],
)
def test_given_non_ascii_where_base64_belongs_when_created_then_400_not_500(
    tus, settings, header, value, field
):
    """GIVEN a metadata value or checksum digest holding non-ASCII characters (found by the fuzz test:
    base64 then raised ValueError, a 500) WHEN an upload is created THEN 400 naming the header."""
    headers = tus.headers(**{"Upload-Length": "4", header: value})

    response = tus.client.generic("POST", "/api/uploads/", headers=headers)

    assert response.status_code == 400
    _error_shape(response, field)
    assert _uploads(settings) == []

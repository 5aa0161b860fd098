"""Evidence is served by what its bytes are, never by the type the uploader claimed (no stored XSS)."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.evidence import tus_view
from liuhen.evidence.models import MediaRecord
from tests.evidence.conftest import TusKit
from tests.factories import make_agency, make_case, make_user
from tests.grants.granting import granted

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>fetch('/api/cases').then(r=>r.text()).then(alert)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>'


@pytest.fixture
def officer(settings):
    return make_user(make_agency(), ["officer", "handler"])


@pytest.fixture
def api(client, officer) -> Client:
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_issue(user=officer)}"
    return client


def _mp4(tmp_path: Path) -> bytes:
    path = tmp_path / "cam.mp4"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame(64, 48, "yuv420p")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path.read_bytes()


def _upload(api: Client, officer, data: bytes, *, kind: str, name: str, claimed_type: str) -> int:
    case = make_case(officer)
    form = {
        "kind": kind,
        "title": "现场检查录像",
        "file": SimpleUploadedFile(name, data, content_type=claimed_type),
    }
    response = api.post(f"/api/cases/{case.pk}/media", data=form)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _assert_isolated(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("data", "kind", "name", "claimed_type"),
    [
        (HTML, "video", "clip.mp4", "video/mp4"),
        (HTML, "other", "page.html", "text/html"),
        (SVG, "photo", "photo.svg", "image/svg+xml"),
        (SVG, "video", "clip.mp4", "video/mp4"),
    ],
    ids=["html-as-video", "html-as-html", "svg-as-svg", "svg-as-video"],
)
def test_given_script_uploaded_as_evidence_when_opened_then_it_is_an_inert_attachment(
    api, officer, data, kind, name, claimed_type
):
    """GIVEN an HTML or SVG file uploaded (multipart) under any kind and claimed type WHEN its content is
    opened THEN it comes as an application/octet-stream attachment, nosniff, sandboxed, never cached."""
    media_id = _upload(api, officer, data, kind=kind, name=name, claimed_type=claimed_type)
    response = api.get(f"/api/media/{media_id}/content")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    _assert_isolated(response)
    assert b"".join(response.streaming_content) == data  # the evidence itself is unchanged


def test_given_a_real_video_claimed_as_html_when_played_then_inline_as_video_mp4_with_ranges(
    api, officer, tmp_path
):
    """GIVEN a real MP4 whose uploader claimed text/html WHEN played whole and by Range THEN it is inline
    video/mp4 both times (the type comes from the first bytes, even for a later range), sandboxed; its
    download (a copy) is refused until a copy grant is approved, then an attachment."""
    clip = _mp4(tmp_path)
    media_id = _upload(api, officer, clip, kind="video", name="clip.html", claimed_type="text/html")
    whole = api.get(f"/api/media/{media_id}/content")
    assert whole["Content-Type"] == "video/mp4" and whole["Content-Disposition"].startswith("inline;")
    _assert_isolated(whole)
    part = api.get(f"/api/media/{media_id}/content", HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Type"] == "video/mp4"
    assert b"".join(part.streaming_content) == clip[100:200]
    _assert_isolated(part)
    refused = api.get(f"/api/media/{media_id}/content?download=true")
    assert refused.status_code == 403 and "复制申请" in refused.json()["message"]  # a download is a copy
    granted(officer, case_id=MediaRecord.objects.get(pk=media_id).case_id, media_id=media_id)
    download = api.get(f"/api/media/{media_id}/content?download=true")
    assert download["Content-Type"] == "video/mp4"
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and ".mp4" in download["Content-Disposition"]
    )


def test_given_an_unsatisfiable_range_when_asked_then_416_still_carries_the_isolation_headers(api, officer):
    """GIVEN an uploaded HTML file WHEN a range past its end is asked for THEN 416 with nosniff and sandbox."""
    media_id = _upload(api, officer, HTML, kind="video", name="clip.mp4", claimed_type="video/mp4")
    response = api.get(f"/api/media/{media_id}/content", HTTP_RANGE="bytes=999999-")
    assert response.status_code == 416
    _assert_isolated(response)


def test_given_html_uploaded_through_tus_as_video_when_opened_then_it_is_an_inert_attachment(
    settings, tmp_path, officer
):
    """GIVEN an HTML page sent through the resumable (tus) upload labelled video/mp4 WHEN its content is
    opened THEN it is an application/octet-stream attachment, nosniff and sandboxed."""
    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    tus_view._server.cache_clear()
    try:
        tus = TusKit(Client(), token_issue(user=officer), make_case(officer))
        done = tus.upload(HTML, filetype="video/mp4", filename="clip.mp4", title="现场检查录像")
        media_id = int(done["Liuhen-Media-Id"])
        response = tus.client.get(
            f"/api/media/{media_id}/content", headers={"Authorization": f"Bearer {tus.token}"}
        )
    finally:
        tus_view._server.cache_clear()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    _assert_isolated(response)

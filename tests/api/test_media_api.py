"""Plain multipart A/V upload, playback with HTTP Range, and the rule that permission comes before storage."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.accounts.services import token_issue
from liuhen.cases.blobs import blob_store
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db

CLIP = bytes(range(256)) * 400  # 100 KiB


def _upload(client, token, case, **extra):
    form = {
        "kind": "video",
        "title": "现场检查录像",
        "device_no": "DSJ-007",
        "officers": "张伟，李娜",
        **extra,
    }
    form["file"] = SimpleUploadedFile("clip.mp4", CLIP, content_type="video/mp4")
    return client.post(f"/api/cases/{case.pk}/media", data=form, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_given_an_officer_when_uploading_then_the_record_has_the_hash_and_labels(client):
    officer = make_user(make_agency(), ["officer", "handler"])
    case = make_case(officer)
    response = _upload(client, token_issue(user=officer), case)
    assert response.status_code == 201, response.json()
    record = response.json()
    assert record["sha256"] == hashlib.sha256(CLIP).hexdigest() and record["size"] == len(CLIP)
    assert record["officers"] == ["张伟", "李娜"] and record["device_no"] == "DSJ-007"
    assert blob_store().exists(record["sha256"])


def test_given_a_range_request_when_playing_then_206_with_exactly_those_bytes_and_the_view_is_logged(client):
    officer = make_user(make_agency(), ["officer", "handler"])
    case = make_case(officer)
    token = token_issue(user=officer)
    media_id = _upload(client, token, case).json()["id"]
    response = client.get(
        f"/api/media/{media_id}/content", HTTP_RANGE="bytes=100-199", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == CLIP[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(CLIP)}"
    assert LedgerEntry.objects.filter(action="media.viewed", object_id=media_id).count() == 1
    unsatisfiable = client.get(
        f"/api/media/{media_id}/content", HTTP_RANGE="bytes=999999-", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert unsatisfiable.status_code == 416


def test_given_a_role_without_upload_right_when_uploading_then_403_and_nothing_is_stored(client):
    agency = make_agency()
    case = make_case(make_user(agency, ["officer", "handler"]))
    archivist = make_user(agency, ["archivist"])
    response = _upload(client, token_issue(user=archivist), case)
    assert response.status_code == 403
    assert list(blob_store().iter_all()) == []

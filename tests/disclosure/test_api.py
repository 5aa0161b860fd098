"""/api/disclosure-requests through Django's test client: register (multipart) → decide → redact (422 for
a bad region) → approve by the head → deliver → download the package; outsiders get 403 or 404."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.accounts.services import token_issue
from tests.disclosure.world import ID_CARD, png_bytes
from tests.worker import run_queued_tasks


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}


def post(client, user, path, body):
    return client.post(f"/api{path}", body, content_type="application/json", **bearer(user))


@pytest.mark.django_db
def test_given_the_desk_when_a_request_runs_through_the_api_then_each_step_answers_and_the_package_downloads(
    client, world
):
    """GIVEN the legal unit and the head WHEN a request is registered with its ID card, decided partial,
    the photo and the clip redacted (a region off the frame first: 422 at regions[0]), approved by the
    head and delivered THEN the package downloads and holds the redacted photo's bytes."""
    w = world
    form = {
        "requester_kind": "party",
        "requester_name": "王某某",
        "requester_id_number": "210203199001011234",
        "asked_for": "复制现场照片和录像",
        "received_on": "2026-09-28",
        "case_id": str(w.case.pk),
        "items": f"document:{w.document.pk},media:{w.photo.pk},media:{w.video.pk}",
        "identity": SimpleUploadedFile("id.pdf", ID_CARD),
        "authorisation": SimpleUploadedFile("auth.png", png_bytes()),
    }
    created = client.post("/api/disclosure-requests", form, **bearer(w.desk))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["number"] == "依申请〔2026〕1号"
        and body["due_on"] == "2026-10-30"
        and body["status"] == "待答复"
    )
    assert {a["kind"] for a in body["attachments"]} == {"identity", "authorisation"}
    rid = body["id"]

    decided = post(
        client,
        w.desk,
        f"/disclosure-requests/{rid}/decision",
        {
            "outcome": "partial",
            "reason": "privacy",
            "items": [
                {"kind": "document", "id": w.document.pk, "outcome": "withheld"},
                {"kind": "media", "id": w.photo.pk, "outcome": "redacted"},
                {"kind": "media", "id": w.video.pk, "outcome": "redacted"},
            ],
        },
    )
    assert decided.status_code == 200 and decided.json()["status"] == "待遮蔽"

    bad = post(
        client,
        w.desk,
        f"/disclosure-requests/{rid}/redactions",
        {
            "kind": "media",
            "id": w.video.pk,
            "regions": [{"x": 300, "y": 0, "w": 50, "h": 10, "start": 0, "end": 1}],
        },
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "regions[0]"
    photo = post(
        client,
        w.desk,
        f"/disclosure-requests/{rid}/redactions",
        {"kind": "media", "id": w.photo.pk, "rects": [{"x": 10, "y": 10, "w": 50, "h": 50}]},
    )
    assert photo.status_code == 201 and photo.json()["original_sha256"] == w.photo.sha256
    video = post(
        client,
        w.desk,
        f"/disclosure-requests/{rid}/redactions",
        {"kind": "media", "id": w.video.pk, "mute": [{"start": 0.5, "end": 1.5}]},
    )
    assert video.status_code == 202  # a recording is checked at once and rendered by the worker
    pending = client.get(f"/api/disclosure-requests/{rid}", **bearer(w.desk)).json()
    assert [j["state"] for j in pending["jobs"]] == ["排队中"]
    assert run_queued_tasks() == 1
    done = client.get(f"/api/disclosure-requests/{rid}", **bearer(w.desk)).json()
    assert done["jobs"] == [] and {r["record_id"] for r in done["redactions"]} == {w.photo.pk, w.video.pk}

    assert post(client, w.desk, f"/disclosure-requests/{rid}/approval", {"approved": True}).status_code == 403
    approved = post(client, w.head, f"/disclosure-requests/{rid}/approval", {"approved": True})
    assert approved.status_code == 200 and approved.json()["approved"] is True
    delivered = post(
        client,
        w.desk,
        f"/disclosure-requests/{rid}/delivery",
        {"method": "electronic", "recipient": "王某某"},
    )
    assert delivered.status_code == 200 and delivered.json()["status"] == "已送达"

    package = client.get(f"/api/disclosure-requests/{rid}/package", **bearer(w.desk))
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"
    assert hashlib.sha256(package.content).hexdigest() == delivered.json()["package_sha256"]
    with zipfile.ZipFile(io.BytesIO(package.content)) as zipped:
        digests = {hashlib.sha256(zipped.read(n)).hexdigest() for n in zipped.namelist()}
    assert photo.json()["sha256"] in digests and w.photo.sha256 not in digests


@pytest.mark.django_db
def test_given_someone_outside_the_desk_then_403_on_the_list_and_404_on_a_request(client, world):
    """GIVEN a registered request THEN an officer gets 403 listing or registering and 404 for the request."""
    from tests.disclosure.world import register

    request = register(world)
    assert client.get("/api/disclosure-requests", **bearer(world.officer)).status_code == 403
    assert client.get(f"/api/disclosure-requests/{request.pk}", **bearer(world.officer)).status_code == 404
    listed = client.get("/api/disclosure-requests", **bearer(world.desk)).json()
    assert [r["number"] for r in listed] == [request.number]


@pytest.mark.django_db
def test_given_a_record_the_desk_cannot_name_then_registering_is_404_naming_the_field(client, world):
    """GIVEN items naming a media id that does not exist THEN 404 with the field items[0]."""
    form = {
        "requester_kind": "party",
        "requester_name": "王某某",
        "asked_for": "复制录像",
        "received_on": "2026-09-28",
        "case_id": str(world.case.pk),
        "items": "media:999999",
    }
    response = client.post("/api/disclosure-requests", form, **bearer(world.desk))
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "items[0]"

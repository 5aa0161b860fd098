"""The plain multipart upload goes through the tus intake (issue 11, A/V at work): probe, intake record with
device flag and late-upload reason, ``media.intake`` entry, retention lock; a duplicate names the record."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.cases.blobs import blob_store
from liuhen.core.errors import ValidationFailed
from liuhen.evidence.models import MediaIntake, MediaRecord
from liuhen.evidence.services.upload import media_upload
from liuhen.ledger.models import LedgerEntry
from liuhen.rules.retention import LONG_TERM_YEARS
from tests.access.conftest import png
from tests.evidence.conftest import payload
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _upload(case, officer, data: bytes, **labels):
    fields = {"kind": "photo", "title": "现场照片", **labels}
    return media_upload(case=case, uploaded_by=officer, chunks=[data], **fields)


def test_given_a_multipart_photo_then_it_has_an_intake_with_probe_device_flag_late_cause_and_entry(
    case, officer
):
    """GIVEN a photo uploaded through the form naming an unregistered camera and a late-upload reason
    WHEN recorded THEN its intake (no tus id) holds the probe, the device flag and the reason, and the
    ledger has both media.uploaded and media.intake for it."""
    record = _upload(case, officer, png(41), device_no="DV-404", late_cause="外出执法返回后上传")

    intake = MediaIntake.objects.get(media=record)
    assert intake.upload_id == ""
    assert intake.probe["kind"] == "photo" and not intake.format_flagged
    assert intake.device_flag == MediaIntake.DeviceFlag.UNKNOWN
    assert intake.late_cause == "外出执法返回后上传"
    actions = list(LedgerEntry.objects.filter(case=case).values_list("action", flat=True))
    assert "media.uploaded" in actions and "media.intake" in actions


def test_given_two_multipart_uploads_then_both_intakes_have_blank_ids_and_unknown_bytes_keep_their_kind(
    case, officer
):
    """GIVEN two different files uploaded through the form, one that no probe recognises, declared 录像
    THEN both have intakes (blank ids do not collide) and the unknown one is kept as 录像, flagged."""
    _upload(case, officer, png(42))
    clip = _upload(case, officer, payload(4096, b"opaque"), kind="video", title="录像")

    assert MediaIntake.objects.filter(upload_id="").count() == 2
    assert clip.kind == "video" and clip.intake.format_flagged


def test_given_a_video_declared_as_photo_then_422_at_kind_and_nothing_recorded(case, officer):
    """GIVEN PNG bytes declared as 录音 WHEN uploaded through the form THEN 422 at ``kind`` naming 照片."""
    with pytest.raises(ValidationFailed) as refused:
        _upload(case, officer, png(43), kind="audio")
    (error,) = refused.value.errors
    assert error.field == "kind" and "照片" in error.message
    assert not MediaRecord.objects.exists() and not MediaIntake.objects.exists()


def test_given_s3_and_a_long_term_case_then_the_multipart_upload_is_locked_long_term(s3_settings, officer):
    """GIVEN an S3 store and a longjiang-cg case used as evidence (long-term retention) WHEN a photo is
    uploaded through the form THEN its object is COMPLIANCE-locked for the long-term horizon, as tus is."""
    officer.agency.profile_id = "longjiang-cg"
    officer.agency.save(update_fields=["profile_id"])
    case = make_case(officer, flags=["evidence_used"])
    data = png(44)

    _upload(case, officer, data)

    mode, until = blob_store().retention(hashlib.sha256(data).hexdigest())
    assert mode == "COMPLIANCE"
    assert until >= datetime.now(UTC) + timedelta(days=365 * LONG_TERM_YEARS - 2)


def test_given_the_api_upload_then_intake_and_late_cause_and_a_duplicate_names_the_existing_id(tus, case):
    """GIVEN ``POST /api/cases/{id}/media`` with a late-upload reason WHEN it succeeds THEN the intake has
    the reason; WHEN the same bytes come again THEN 409 ``duplicate_media`` whose item at ``file``
    carries the existing record's id (the one error shape, one more key)."""
    headers = {"Authorization": f"Bearer {tus.token}"}

    def post():
        data = {"kind": "photo", "title": "现场", "late_cause": "设备故障后补传"}
        data["file"] = SimpleUploadedFile("a.png", png(45), content_type="image/png")
        return tus.client.post(f"/api/cases/{case.pk}/media", data=data, headers=headers)

    first = post()
    assert first.status_code == 201, first.content
    media_id = first.json()["id"]
    intake = MediaIntake.objects.get(media_id=media_id)
    assert intake.late_cause == "设备故障后补传" and intake.probe["kind"] == "photo"

    again = post()
    assert again.status_code == 409
    body = again.json()
    assert body["error"] == "duplicate_media" and f"第 {media_id} 号" in body["message"]
    (item,) = body["errors"]
    assert item == {
        "field": "file",
        "reason": "duplicate",
        "message": body["message"],
        "media_id": str(media_id),
    }
    assert MediaRecord.objects.count() == 1


def test_given_a_tus_upload_of_bytes_the_case_holds_then_409_naming_the_record_and_upload_dropped(tus, case):
    """GIVEN a case that already holds a file WHEN the same bytes finish through tus THEN 409
    ``duplicate_media`` naming the existing record's id, no second record, no retry promised, and the
    finished upload is gone (nothing is held for a person to retry)."""
    data = payload(8192, b"dup")
    first = tus.upload(data)
    assert first.status_code == 204
    existing = first["Liuhen-Media-Id"]

    url = tus.location(tus.create(len(data)))
    again = tus.patch(url, data, 0)

    assert again.status_code == 409
    body = again.json()
    assert body["error"] == "duplicate_media" and "自动重试" not in body["message"]
    assert body["errors"][0]["media_id"] == existing
    assert MediaRecord.objects.count() == 1
    assert tus.head(url).status_code == 404

"""tus at /api/uploads/ through Django: labels → MediaRecord + intake, whole-file SHA-256, scoping."""

from __future__ import annotations

import base64
import hashlib

import pytest

from liuhen.cases.blobs import blob_store
from liuhen.evidence.models import AgencyMediaSettings, MediaIntake, MediaRecord
from liuhen.ledger.models import LedgerEntry
from tests.evidence.conftest import MIB, meta, payload
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_given_labelled_upload_when_complete_then_record_intake_blob_and_ledger(tus, case, officer):
    """GIVEN a file with R3.6 labels WHEN uploaded in two PATCHes THEN one MediaRecord carries the labels,
    the blob holds the exact bytes, an intake flags the unknown format, and the ledger has both entries."""
    data = payload(3 * MIB + 5)
    doc = make_document(case, officer)
    labels = {
        "title": "现场检查录像",
        "activity": "inspection",
        "device_no": "DSJ-0001",
        "officers": "张三,李四",
        "location": "中山路12号",
        "captured_start": "2026-03-01T09:00:00+08:00",
        "captured_end": "2026-03-01T09:30:00+08:00",
        "linked_document_ids": str(doc.pk),
        "filename": "DSJ-0001_20260301_090000.mp4",
        "filetype": "video/mp4",
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    created = tus.create(len(data), labels=labels)
    assert created.status_code == 201
    url = created["Location"]
    assert tus.patch(url, data[: 2 * MIB], 0).status_code == 204
    assert tus.head(url)["Upload-Offset"] == str(2 * MIB)
    done = tus.patch(url, data[2 * MIB :], 2 * MIB)

    assert done.status_code == 204
    record = MediaRecord.objects.get(pk=int(done["Liuhen-Media-Id"]))
    assert record.sha256 == hashlib.sha256(data).hexdigest() == done["Liuhen-Sha256"]
    assert (record.size, record.activity, record.device_no) == (len(data), "inspection", "DSJ-0001")
    assert record.officers == ["张三", "李四"] and record.linked_documents == [doc.pk]
    assert record.original_filename == "DSJ-0001_20260301_090000.mp4" and record.kind == "other"
    assert b"".join(blob_store().open_range(record.sha256)) == data
    intake = record.intake
    assert intake.format_flagged and intake.probe["kind"] == "unknown"
    assert intake.device_flag == MediaIntake.DeviceFlag.UNKNOWN
    actions = list(LedgerEntry.objects.filter(case=case).values_list("action", flat=True))
    assert "media.uploaded" in actions and "media.intake" in actions


def test_given_same_file_twice_when_uploaded_then_one_blob_two_records(tus):
    """GIVEN identical bytes uploaded twice (to the case, then without a case) WHEN both complete THEN
    two records share one stored blob (the same case twice is refused: see test_document_links)."""
    data = payload(MIB, b"twice")
    first, second = tus.upload(data), tus.upload(data, case_id="")
    assert first.status_code == second.status_code == 204
    assert first["Liuhen-Media-Id"] != second["Liuhen-Media-Id"]
    assert MediaRecord.objects.filter(sha256=hashlib.sha256(data).hexdigest()).count() == 2
    assert [ref.sha256 for ref in blob_store().iter_all()] == [hashlib.sha256(data).hexdigest()]


def test_given_creation_with_upload_and_zero_byte_file_then_both_recorded(tus):
    """GIVEN a creation-with-upload POST and an empty file WHEN sent THEN both complete at once."""
    small = payload(1000, b"small")
    with_body = tus.create(len(small), body=small)
    empty = tus.create(0)
    assert with_body.status_code == empty.status_code == 201
    sizes = sorted(MediaRecord.objects.values_list("size", flat=True))
    assert sizes == [0, 1000]
    assert MediaRecord.objects.get(size=0).sha256 == hashlib.sha256(b"").hexdigest()


def test_given_wrong_offset_checksum_or_version_then_409_460_412(tus):
    """GIVEN an upload WHEN a PATCH has the wrong offset, a bad chunk checksum or tus 0.2.2 THEN 409/460/412
    and the server offset is unchanged."""
    data = payload(MIB)
    url = tus.create(len(data))["Location"]
    assert tus.patch(url, data, 5).status_code == 409
    bad_sum = base64.b64encode(hashlib.sha1(b"other").digest()).decode()  # noqa: S324 - tus checksum
    assert tus.patch(url, data, 0, **{"Upload-Checksum": f"sha1 {bad_sum}"}).status_code == 460
    assert tus.patch(url, data, 0, **{"Tus-Resumable": "0.2.2"}).status_code == 412
    assert tus.head(url)["Upload-Offset"] == "0"
    good_sum = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert tus.patch(url, data, 0, **{"Upload-Checksum": f"sha256 {good_sum}"}).status_code == 204


def test_given_whole_file_hash_declared_wrong_then_460_and_nothing_kept(tus, tmp_path):
    """GIVEN metadata declaring another file's SHA-256 WHEN all bytes arrive THEN 460, no record, no blob,
    and the upload is gone (404)."""
    data = payload(MIB)
    url = tus.create(len(data), labels={"sha256": "ab" * 32})["Location"]
    response = tus.patch(url, data, 0)
    assert response.status_code == 460 and response.json()["error"] == "checksum_mismatch"
    assert not MediaRecord.objects.exists() and list(blob_store().iter_all()) == []
    assert tus.head(url).status_code == 404


def test_given_truncated_patch_then_resume_from_durable_offset(tus):
    """GIVEN a PATCH whose body is shorter than the file WHEN it ends THEN the offset is what arrived and
    a second PATCH completes the upload with the right SHA-256."""
    data = payload(2 * MIB + 17)
    url = tus.create(len(data))["Location"]
    assert tus.patch(url, data[:MIB], 0).status_code == 204
    offset = int(tus.head(url)["Upload-Offset"])
    assert offset == MIB and not MediaRecord.objects.exists()
    done = tus.patch(url, data[offset:], offset)
    assert done["Liuhen-Sha256"] == hashlib.sha256(data).hexdigest()


def test_given_oversized_or_malformed_metadata_then_400(tus):
    """GIVEN Upload-Metadata over 4 KiB or with an unknown activity WHEN creating THEN 400, nothing created."""
    huge = tus.create(10, labels={"location": "x" * 5000})
    bad = tus.create(10, labels={"activity": "karaoke"})
    assert huge.status_code == 400 and bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "activity"


def test_given_other_agencys_case_then_404_and_role_without_upload_right_then_403(tus, client, case):
    """GIVEN a case of another agency, and an archivist WHEN creating uploads THEN 404 and 403."""
    stranger = make_user(make_agency(), ["officer"])
    foreign = make_case(stranger)
    assert tus.create(10, labels={"case_id": str(foreign.pk)}).status_code == 404
    from liuhen.accounts.services import token_issue

    archivist = make_user(case.agency, ["archivist"])
    tus.token = token_issue(user=archivist)
    assert tus.create(10).status_code == 403


def test_given_agency_limit_then_413_and_unauthenticated_then_401(tus, agency):
    """GIVEN the agency caps files at 1 MiB WHEN a 2 MiB upload is created THEN 413; no token THEN 401."""
    AgencyMediaSettings.objects.create(agency=agency, max_upload_bytes=MIB)
    assert tus.create(2 * MIB).status_code == 413
    assert tus.create(MIB).status_code == 201
    anonymous = tus.client.generic(
        "POST", "/api/uploads/", headers={"Tus-Resumable": "1.0.0", "Upload-Length": "1"}
    )
    assert anonymous.status_code == 401


def test_given_another_user_when_touching_my_upload_then_404(tus, case):
    """GIVEN an upload in progress WHEN a colleague HEADs, PATCHes or DELETEs it THEN 404 each time."""
    from liuhen.accounts.services import token_issue

    url = tus.create(100)["Location"]
    tus.token = token_issue(user=make_user(case.agency, ["officer"]))
    assert tus.head(url).status_code == 404
    assert tus.patch(url, b"x" * 100, 0).status_code == 404
    assert tus.client.delete(url, headers=tus.headers()).status_code == 404


def test_given_session_user_when_csrf_missing_then_403_else_upload_works(tus, officer, case):
    """GIVEN a browser session WHEN POSTing without the CSRF token THEN 403; with it THEN 201 (session auth)."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    headers = {"Tus-Resumable": "1.0.0", "Upload-Length": "4", "Upload-Metadata": meta(case_id=str(case.pk))}
    assert browser.generic("POST", "/api/uploads/", headers=headers).status_code == 403
    page = browser.get(f"/evidence/upload/?case={case.pk}")
    assert page.status_code == 200 and b"tus.min.js" in page.content
    token = browser.cookies["csrftoken"].value
    assert (
        browser.generic("POST", "/api/uploads/", headers={**headers, "X-CSRFToken": token}).status_code == 201
    )


def test_given_options_then_tus_capabilities_advertised(tus):
    """GIVEN the endpoint WHEN OPTIONS THEN tus 1.0.0 with the five extensions and sha1/sha256."""
    response = tus.client.options("/api/uploads/")
    assert response.status_code == 204 and response["Tus-Version"] == "1.0.0"
    assert "creation-with-upload" in response["Tus-Extension"] and "termination" in response["Tus-Extension"]
    assert set(response["Tus-Checksum-Algorithm"].split(",")) == {"sha1", "sha256"}

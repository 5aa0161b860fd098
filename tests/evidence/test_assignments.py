"""Footage stored without a case (a docked body camera) and linked to its case afterwards (issue 5)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from liuhen.archive.integrity import check_records
from liuhen.cases.blobs import blob_store
from liuhen.cases.selectors import case_timeline
from liuhen.compliance.snapshot import case_snapshot
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from liuhen.evidence.models import MediaAssignment, MediaRecord
from liuhen.evidence.selectors import case_media_all, media_get, unassigned_media
from liuhen.evidence.services.assignments import media_assign, media_assignment_withdraw
from liuhen.ledger.models import LedgerEntry
from liuhen.rules.retention import LONG_TERM_YEARS
from tests.evidence.conftest import payload
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def _caseless(tus, seed: bytes = b"dock", **labels: str) -> MediaRecord:
    response = tus.upload(payload(5000, seed), case_id="", device_no="DSJ-9", officers="张三", **labels)
    assert response.status_code == 204, response.content
    return MediaRecord.objects.get(pk=int(response["Liuhen-Media-Id"]))


def test_given_upload_without_case_when_complete_then_kept_under_agency_and_listed_unassigned(tus, officer):
    """GIVEN a tus upload whose labels name no case WHEN it completes THEN the record has no case, belongs
    to the uploader's agency, is logged, and is listed as waiting for a case (API too)."""
    media = _caseless(tus)

    entry = LedgerEntry.objects.get(action="media.uploaded", object_id=media.pk)
    listed = tus.client.get("/api/media/unassigned", headers={"Authorization": f"Bearer {tus.token}"})

    assert media.case_id is None and media.agency_id == officer.agency_id
    assert entry.case_id is None and entry.agency_id == officer.agency_id
    assert list(unassigned_media(user=officer)) == [media]
    assert [m["id"] for m in listed.json()] == [media.pk] and listed.json()[0]["case_id"] is None


def test_given_unassigned_footage_when_assigned_then_it_is_the_cases_with_its_labels(tus, officer, case):
    """GIVEN case-less footage and an inquiry record WHEN linked to the case with the activity and the
    record THEN the case's media, timeline and compliance snapshot include it with those labels, the link
    is logged, and it no longer waits for a case."""
    media = _caseless(tus)
    record = make_document(case, officer, "inquiry_record")
    auth = {"Authorization": f"Bearer {tus.token}"}

    response = tus.client.post(
        f"/api/media/{media.pk}/assignments",
        data={
            "case_id": case.pk,
            "activity": "inquiry",
            "linked_document_ids": [record.pk],
            "reason": "询问录像",
        },
        content_type="application/json",
        headers=auth,
    )

    assert response.status_code == 201, response.content
    assert list(case_media_all(case.pk)) == [media]
    assert any(item.ids == {"media": media.pk} for item in case_timeline(user=officer, case=case))
    (snap,) = case_snapshot(case).media
    assert snap.activity == "inquiry" and f"document:{record.pk}" in snap.document_ids
    assert LedgerEntry.objects.filter(action="media.assigned", case=case).count() == 1
    assert list(unassigned_media(user=officer)) == []
    assert [m["id"] for m in tus.client.get(f"/api/cases/{case.pk}/media", headers=auth).json()] == [media.pk]
    assert check_records() == []


def test_given_bad_assignments_then_refused_with_reasons(tus, officer, case):
    """GIVEN footage already linked, another agency's case, an archived case, a document of another
    case and an unknown activity WHEN linking THEN 409 / 403 / 409 / 422 / 422, and nothing is written."""
    media = _caseless(tus)
    media_assign(media=media, case=case, by=officer)
    other_agency = make_agency("other")
    stranger = make_user(other_agency, ["officer", "handler"])
    foreign_case = make_case(stranger)
    second = make_case(officer)
    archived = make_case(officer)
    type(archived).objects.filter(pk=archived.pk).update(stage="archived")
    archived.refresh_from_db()

    with pytest.raises(Conflict):
        media_assign(media=media, case=case, by=officer)
    with pytest.raises(PermissionDenied):
        media_assign(media=media, case=foreign_case, by=officer)
    with pytest.raises(Conflict):
        media_assign(media=media, case=archived, by=officer)
    with pytest.raises(ValidationFailed):
        media_assign(media=media, case=second, by=officer, linked_documents=[make_document(case, officer)])
    with pytest.raises(ValidationFailed):
        media_assign(media=media, case=second, by=officer, activity="sightseeing")
    assert MediaAssignment.objects.count() == 1


def test_given_wrong_link_when_withdrawn_then_kept_as_history_and_footage_waits_again(tus, officer, case):
    """GIVEN footage linked to the wrong case WHEN the link is withdrawn (a reason is required) THEN the
    case no longer lists it, both rows stay, it waits for a case again, and it cannot be withdrawn twice."""
    media = _caseless(tus)
    link = media_assign(media=media, case=case, by=officer)

    with pytest.raises(ValidationFailed):
        media_assignment_withdraw(assignment=link, by=officer, reason="  ")
    response = tus.client.post(
        f"/api/media/assignments/{link.pk}/withdraw",
        data={"reason": "关联错了案件"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {tus.token}"},
    )

    assert response.status_code == 201, response.content
    assert list(case_media_all(case.pk)) == []
    assert MediaAssignment.objects.filter(media=media).count() == 2
    assert list(unassigned_media(user=officer)) == [media]
    with pytest.raises(Conflict):
        media_assignment_withdraw(assignment=link, by=officer, reason="again")
    assert LedgerEntry.objects.filter(action="media.assignment_withdrawn").count() == 1
    assert check_records() == []


def test_given_unassigned_footage_then_only_its_agency_sees_it(tus, officer):
    """GIVEN case-less footage of agency A WHEN a colleague and an officer of agency B look it up
    THEN the colleague gets it, B gets 404 (selector and API)."""
    media = _caseless(tus)
    colleague = make_user(officer.agency, ["officer"])
    stranger = make_user(make_agency("b-agency"), ["officer", "handler"])

    assert media_get(user=colleague, media_id=media.pk) == media
    with pytest.raises(NotFound):
        media_get(user=stranger, media_id=media.pk)
    assert list(unassigned_media(user=stranger)) == []


def test_given_footage_locked_short_when_assigned_to_long_term_case_then_lock_lengthened(
    settings, s3_settings, tus, case
):
    """GIVEN case-less footage locked for the settings floor on S3 WHEN linked to a longjiang-cg case
    flagged for long-term keeping THEN the object's COMPLIANCE lock is lengthened to the long-term horizon."""
    settings.LIUHEN_MEDIA_MIN_RETAIN_DAYS = 10
    media = _caseless(tus, b"long-term")
    digest = hashlib.sha256(payload(5000, b"long-term")).hexdigest()
    _, before = blob_store().retention(digest)
    case.agency.profile_id = "longjiang-cg"
    case.agency.save(update_fields=["profile_id"])
    case = make_case(case.opened_by, flags=["evidence_used"])  # flags are set when a case opens

    media_assign(media=media, case=case, by=case.opened_by)

    mode, after = blob_store().retention(digest)
    assert before < datetime.now(UTC) + timedelta(days=11)
    assert mode == "COMPLIANCE" and after >= datetime.now(UTC) + timedelta(days=365 * LONG_TERM_YEARS - 2)


def test_given_unassigned_footage_when_linked_on_the_web_page_then_it_joins_the_case(tus, officer, case):
    """GIVEN case-less footage WHEN the officer opens 待关联音像, submits without choosing a case, then
    chooses the case THEN first 422 with the field's error, then a redirect, and the clip is the case's."""
    from django.test import Client

    media = _caseless(tus, title="巡查录像")
    browser = Client()
    browser.force_login(officer)
    prefix = f"m{media.pk}"

    page = browser.get("/media/unassigned/")
    refused = browser.post("/media/unassigned/", {"media": media.pk, f"{prefix}-case": ""})
    done = browser.post(
        "/media/unassigned/",
        {
            "media": media.pk,
            f"{prefix}-case": case.pk,
            f"{prefix}-activity": "inspection",
            f"{prefix}-reason": "巡查",
        },
    )

    assert (
        page.status_code == 200
        and "巡查录像" in page.content.decode()
        and case.case_no in page.content.decode()
    )
    assert (
        refused.status_code == 422
        and "必填" in refused.content.decode()
        or "required" in refused.content.decode()
    )
    assert done.status_code == 302
    assert list(case_media_all(case.pk)) == [media]
    assert MediaAssignment.objects.get(media=media).activity == "inspection"
    after = browser.get("/media/unassigned/").content.decode()
    assert f'id="media-{media.pk}"' not in after
    link = MediaAssignment.objects.get(media=media)
    assert f'id="assignment-{link.pk}"' in after  # offered for taking back

    blank = browser.post("/media/unassigned/", {"withdraw": link.pk, "reason": ""}, follow=True)
    undone = browser.post("/media/unassigned/", {"withdraw": link.pk, "reason": "案件选错"}, follow=True)

    assert "须说明原因" in blank.content.decode()
    assert "已撤回" in undone.content.decode() and f'id="media-{media.pk}"' in undone.content.decode()
    assert list(case_media_all(case.pk)) == []


def test_given_phone_photo_with_exif_time_and_gps_when_uploaded_then_capture_time_is_beijing_time(tus):
    """GIVEN a JPEG whose EXIF says it was taken 2026-03-01 09:30:00 (no zone, as cameras write it) with
    GPS WHEN uploaded without capture labels THEN the record's capture start is 09:30 Beijing time
    (01:30 UTC) and the intake keeps the GPS point."""
    from tests.media.exif_builder import ASCII, gps_entries, jpeg_bytes, tiff, with_app1

    gps = gps_entries("N", [(38, 1), (54, 1), (0, 1)], "E", [(121, 1), (36, 1), (0, 1)])
    photo = with_app1(
        jpeg_bytes(), b"Exif\0\0" + tiff("<", exif={0x9003: (ASCII, "2026:03:01 09:30:00")}, gps=gps)
    )

    response = tus.upload(photo, filename="IMG_0001.jpg", filetype="image/jpeg")

    media = MediaRecord.objects.get(pk=int(response["Liuhen-Media-Id"]))
    assert media.kind == "photo"
    assert media.captured_start == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert media.intake.probe["gps"] is not None


def test_given_unassigned_footage_when_linked_from_the_case_page_then_it_is_on_the_timeline(
    tus, officer, case
):
    """GIVEN case-less footage WHEN the officer opens the case page THEN a panel offers it; submitting
    nothing is refused (422), choosing it links it to the case and it shows on the timeline."""
    from django.test import Client

    media = _caseless(tus, b"from-case-page", title="现场检查录像")
    browser = Client()
    browser.force_login(officer)

    page = browser.get(f"/cases/{case.pk}/").content.decode()
    refused = browser.post(f"/cases/{case.pk}/media/link", {"footage": ""})
    done = browser.post(f"/cases/{case.pk}/media/link", {"footage": media.pk, "activity": "inspection"})

    assert "关联已入库的音像" in page and "现场检查录像" in page
    assert refused.status_code == 422
    assert done.status_code == 302 and list(case_media_all(case.pk)) == [media]
    timeline = browser.get(f"/cases/{case.pk}/").content.decode()
    assert "音像记录：现场检查录像" in timeline and "关联已入库的音像" not in timeline


def test_given_linked_footage_when_played_then_the_read_is_logged_on_its_case(tus, officer, case):
    """GIVEN footage stored without a case and linked later WHEN it is played through the API THEN the
    read is a ledger entry on that case (so the case's own log shows who watched it)."""
    media = _caseless(tus, b"watched")
    media_assign(media=media, case=case, by=officer)

    played = tus.client.get(
        f"/api/media/{media.pk}/content", headers={"Authorization": f"Bearer {tus.token}"}
    )

    assert played.status_code == 200 and b"".join(played.streaming_content) == payload(5000, b"watched")
    read = LedgerEntry.objects.get(action="media.viewed", object_id=media.pk)
    assert read.case_id == case.pk

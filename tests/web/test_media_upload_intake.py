"""The case page's 上传音像记录 form (issue 11, A/V at work): the tus intake for a form upload, the late-upload
reason where the regulation sets a deadline, the duplicate's offer to link, the 执法行为用语指引."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.evidence.models import MediaDocumentLink, MediaIntake, MediaRecord
from liuhen.ledger.models import LedgerEntry
from tests.access.conftest import png
from tests.factories import make_agency, make_case, make_document, make_user
from tests.web.helpers import text_of

pytestmark = pytest.mark.django_db


def _post(client, case, data: bytes, **fields):
    form = {"kind": "photo", "title": "现场照片", **fields}
    form["file"] = SimpleUploadedFile("photo.png", data, content_type="image/png")
    return client.post(f"/cases/{case.pk}/media", form)


def _media_panel(html: str) -> str:
    found = re.search(
        r'<details class="card action" id="panel-media".*?</details>\s*(?=<details|</section>)', html, re.S
    )
    assert found, "no media panel"
    return found.group(0)


def test_given_a_form_upload_with_late_cause_then_intake_probe_device_flag_and_entry(client):
    """GIVEN a xinle-fg officer WHEN a photo is uploaded from the case page naming an unregistered camera
    and a late-upload reason THEN its intake holds the probe, the device flag and the reason, and the
    case's ledger has media.intake."""
    officer = make_user(make_agency(profile_id="xinle-fg"))
    case = make_case(officer)
    client.force_login(officer)

    response = _post(client, case, png(51), device_no="DSJ-999", late_cause="连续执法，返回后上传")

    assert response.status_code == 302
    intake = MediaIntake.objects.get(media__case=case)
    assert intake.probe["kind"] == "photo" and intake.upload_id == ""
    assert intake.device_flag == MediaIntake.DeviceFlag.UNKNOWN
    assert intake.late_cause == "连续执法，返回后上传"
    assert LedgerEntry.objects.filter(case=case, action="media.intake").count() == 1


def test_given_a_deadline_in_the_profile_then_the_late_cause_field_shows_it_else_not(client):
    """GIVEN a xinle-fg agency (24-hour deadline, §23) THEN the upload panel asks for 逾期上传原因 naming the
    24 hours; GIVEN gaochang-sthj (no deadline) or no profile THEN the field is not there."""
    xinle = make_user(make_agency(profile_id="xinle-fg"))
    client.force_login(xinle)
    panel = _media_panel(client.get(f"/cases/{make_case(xinle).pk}/").content.decode())
    assert "逾期上传原因" in panel and 'name="late_cause"' in panel
    assert "拍摄结束后 24 小时内上传；逾期上传的，请填写原因" in panel

    for agency in (make_agency(profile_id="gaochang-sthj"), make_agency()):
        user = make_user(agency)
        client.force_login(user)
        panel = _media_panel(client.get(f"/cases/{make_case(user).pk}/").content.decode())
        assert "上传" in panel and "逾期上传原因" not in panel and 'name="late_cause"' not in panel


def test_given_the_same_photo_twice_then_409_at_the_file_with_an_offer_that_links_the_existing_record(client):
    """GIVEN a photo already on the case WHEN the officer uploads it again ticking a document THEN 409, the
    message names the existing record at the file field, and the offer posts the existing record's id with
    the case and the ticked document; WHEN the officer takes the offer THEN the record is linked to that
    document and nothing is stored twice."""
    officer = make_user(make_agency(profile_id="xinle-fg"))
    case = make_case(officer)
    record_doc = make_document(case, officer)
    client.force_login(officer)
    assert _post(client, case, png(52)).status_code == 302
    existing = MediaRecord.objects.get(case=case)

    again = _post(client, case, png(52), title="再次上传", linked_document_ids=[record_doc.pk])

    assert again.status_code == 409
    html = again.content.decode()
    field = re.search(r'<div class="field has-error">\s*<label for="id_file">.*?</div>', html, re.S)
    assert field and f"第 {existing.pk} 号" in field.group(0)
    offer = re.search(
        r'<form method="post" action="(?P<action>[^"]+)" id="duplicate-link".*?</form>', html, re.S
    )
    assert offer and offer["action"] == f"/media/{existing.pk}/documents"
    assert f'name="case" value="{case.pk}"' in offer.group(0)
    assert f'name="document_ids" value="{record_doc.pk}"' in offer.group(0)
    assert 'form="duplicate-link"' in html and "关联已有记录到所选文书" in text_of(again)

    taken = client.post(
        offer["action"],
        {"case": case.pk, "document_ids": [record_doc.pk], "reason": "重复上传同一文件时改为关联已有记录"},
    )
    assert taken.status_code == 302
    link = MediaDocumentLink.objects.get(media=existing)
    assert link.documents == [record_doc.pk]
    assert MediaRecord.objects.filter(case=case).count() == 1


def test_given_the_same_photo_twice_without_ticks_then_the_offer_points_at_the_existing_record(client):
    """GIVEN no document ticked on the second upload THEN the offer is a link to the existing record on the
    timeline (where 关联文书 is), not a form with nothing to link."""
    officer = make_user(make_agency())
    case = make_case(officer)
    client.force_login(officer)
    _post(client, case, png(53))
    existing = MediaRecord.objects.get(case=case)

    html = _post(client, case, png(53)).content.decode()

    assert f'href="#media-{existing.pk}"' in html and 'id="duplicate-link"' not in html


def test_given_xinle_then_the_panel_shows_the_conduct_guide_and_longjiang_does_not(client):
    """GIVEN a xinle-fg case THEN the upload panel holds 执法行为用语指引 with §25's line cited in words;
    GIVEN a longjiang-cg case (its regulation asks for no guide) THEN it has none."""
    xinle = make_user(make_agency(profile_id="xinle-fg"))
    client.force_login(xinle)
    panel = _media_panel(client.get(f"/cases/{make_case(xinle).pk}/").content.decode())
    assert "执法行为用语指引" in panel and "使用音像记录设备进行记录" in panel
    assert "第25条" in panel and "xinle-fg§" not in panel

    longjiang = make_user(make_agency(profile_id="longjiang-cg"))
    client.force_login(longjiang)
    panel = _media_panel(client.get(f"/cases/{make_case(longjiang).pk}/").content.decode())
    assert "音像记录事项清单" in panel and "执法行为用语指引" not in panel

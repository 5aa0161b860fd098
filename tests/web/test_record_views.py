"""The case page's record actions through Django's test client: variant inputs for htmx, signatures,
refusals, amendments, stage moves, approval steps and A/V uploads, and their errors."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.catalogue import get_type
from tests.factories import make_case, make_document
from tests.web.helpers import document_post, text_of

pytestmark = pytest.mark.django_db


def test_given_a_service_receipt_when_the_method_changes_then_htmx_gets_that_methods_fields(
    client_in, officer
):
    """GIVEN 送达回证 WHEN the variant partial is requested for 邮寄送达 and for 留置送达 THEN each returns its
    own extra inputs."""
    case = make_case(officer)
    url = f"/cases/{case.pk}/documents/form"
    mail = client_in.get(url, {"doc_type": "service_receipt", "part": "variant", "f_method": "mail"})
    left = client_in.get(
        url, {"doc_type": "service_receipt", "part": "variant", "f_method": "left_at_residence"}
    )
    variants = get_type("service_receipt").variants
    for response, code in ((mail, "mail"), (left, "left_at_residence")):
        html = response.content.decode()
        assert response.status_code == 200 and "<form" not in html
        assert all(f'name="f_{spec.name}"' in html for spec in variants[code])


def test_given_a_document_when_signed_refused_and_amended_then_all_three_are_on_the_timeline(
    client_in, officer, colleague
):
    """GIVEN an inquiry record WHEN the party signs, a witness refuses (co-signed by two officers) and a field
    is amended with the party's fingerprint THEN the timeline shows 签名、拒签 and 更正 with before → after."""
    case = make_case(officer)
    document = make_document(case, officer)
    p = f"sign{document.pk}-"
    assert (
        client_in.post(
            f"/documents/{document.pk}/sign",
            {p + "signer_role": "party", p + "signer_name": "王某某", p + "method": "fingerprint"},
        ).status_code
        == 302
    )
    r = f"refuse{document.pk}-"
    assert (
        client_in.post(
            f"/documents/{document.pk}/refuse",
            {
                r + "refuser_role": "witness",
                r + "refuser_name": "孙某",
                r + "reason": "拒绝在笔录上签字",
                r + "second_officer_username": colleague.username,
                r + "second_officer_password": "test-password-1",
            },
        ).status_code
        == 302
    )
    amend = document_post("inquiry_record", place="执法车上")
    amend.update(reason="笔误", party_ack_method="fingerprint", party_ack_name="王某某")
    assert client_in.post(f"/documents/{document.pk}/amend", amend).status_code == 302
    page = text_of(client_in.get(f"/cases/{case.pk}/"))
    assert (
        "签名：询问(调查)笔录" in page
        and "拒绝签名：询问(调查)笔录" in page
        and "更正：询问(调查)笔录" in page
    )
    assert "执法车上" in page and "已更正" in page


def test_given_the_same_officer_twice_when_a_refusal_is_recorded_then_the_service_error_is_shown(
    client_in, officer
):
    """GIVEN a refusal whose second officer is the logged-in officer WHEN posted THEN the case page comes
    back with the service's message at the second officer, the refusal form open, and no refusal saved."""
    case = make_case(officer)
    document = make_document(case, officer)
    r = f"refuse{document.pk}-"
    response = client_in.post(
        f"/documents/{document.pk}/refuse",
        {
            r + "refuser_role": "party",
            r + "refuser_name": "王某某",
            r + "reason": "拒签",
            r + "second_officer_username": officer.username,
            r + "second_officer_password": "test-password-1",
        },
    )
    assert response.status_code == 422
    assert "拒签须由另一名执法人员确认" in response.content.decode()
    assert not document.refusals.exists()


def test_given_an_unchanged_amendment_when_posted_then_it_is_refused_with_a_message(client_in, officer):
    """GIVEN the amend page posted back without any change WHEN saved THEN it says that nothing was changed
    (no 500, no amendment)."""
    case = make_case(officer)
    document = make_document(case, officer)
    data = document_post("inquiry_record")
    data.update(reason="核对", party_ack_method="fingerprint", party_ack_name="王某某")
    response = client_in.post(f"/documents/{document.pk}/amend", data)
    assert response.status_code == 422
    assert "须至少更正一项内容" in response.content.decode()
    assert not document.amendments.exists()


# --- stages, approvals, media --------------------------------------------------------------------


def test_given_a_case_when_moved_and_approved_then_the_stage_and_timeline_change(client_in, officer):
    """GIVEN a case in 程序启动 WHEN it is moved to 调查取证 and the handler records a proposal THEN the stage
    path marks 调查取证 as current and the timeline shows the move and the 承办人意见."""
    case = make_case(officer)
    assert client_in.post(f"/cases/{case.pk}/transitions", {"to_stage": "investigation"}).status_code == 302
    assert (
        client_in.post(
            f"/cases/{case.pk}/approvals",
            {"kind": "handler_proposal", "decision": "approve", "opinion": "建议立案调查"},
        ).status_code
        == 302
    )
    response = client_in.get(f"/cases/{case.pk}/")
    html = response.content.decode()
    assert re.search(r'class="step current"[^>]*>.*?调查取证', html, re.S)
    page = text_of(response)
    assert "程序启动 → 调查取证" in page and "承办人意见" in page and "建议立案调查" in page


def test_given_an_early_close_without_reason_when_posted_then_the_reason_error_is_shown(client_in, officer):
    """GIVEN a case in 程序启动 WHEN it is closed early without a reason THEN the page shows the service's
    message at 理由 (422) and the stage is unchanged."""
    case = make_case(officer)
    response = client_in.post(f"/cases/{case.pk}/transitions", {"to_stage": "closed", "reason": ""})
    assert response.status_code == 422
    assert "须说明理由" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "initiation"


def test_given_a_media_file_when_uploaded_then_it_is_on_the_timeline_with_its_hash(client_in, officer):
    """GIVEN a small video file WHEN uploaded from the case page THEN an A/V record with the file's SHA-256
    exists and the timeline shows it with a play link."""
    case = make_case(officer)
    content = b"\x00\x00\x00\x18ftypmp42" + b"x" * 100
    upload = SimpleUploadedFile("clip.mp4", content, content_type="video/mp4")
    response = client_in.post(
        f"/cases/{case.pk}/media",
        {
            "file": upload,
            "kind": "video",
            "title": "现场检查录像",
            "activity": "inspection",
            "device_no": "DSJ-001",
            "officers": "张伟，李娜",
        },
    )
    assert response.status_code == 302
    record = case.media.get()
    assert record.sha256 == hashlib.sha256(content).hexdigest() and record.officers == ["张伟", "李娜"]
    page = client_in.get(f"/cases/{case.pk}/").content.decode()
    assert "音像记录：现场检查录像" in page and f"/api/media/{record.pk}/content" in page


def test_given_an_amendment_with_a_photo_of_the_partys_mark_then_both_are_recorded_together(
    client_in, officer
):
    """GIVEN the amend page WHEN the officer saves a correction with the photo of the party's fingerprint at
    the change THEN the amendment and the photo (a mark of that amendment) are recorded; a file that is not
    an image is refused at its field and neither is recorded."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from liuhen.cases.models import Amendment, SignatureMark

    document = make_document(make_case(officer), officer)
    amend = document_post("inquiry_record", place="执法车上")
    amend.update(reason="笔误", party_ack_method="fingerprint", party_ack_name="王某某")

    bad = client_in.post(
        f"/documents/{document.pk}/amend",
        {**amend, "party_mark": SimpleUploadedFile("mark.jpg", b"not a picture", "image/jpeg")},
    )
    assert bad.status_code == 422 and "图片" in bad.content.decode()
    assert not Amendment.objects.exists() and not SignatureMark.objects.exists()

    png = BytesIO()
    Image.new("RGB", (120, 160), (190, 40, 40)).save(png, format="PNG")
    good = client_in.post(
        f"/documents/{document.pk}/amend",
        {**amend, "party_mark": SimpleUploadedFile("mark.png", png.getvalue(), "image/png")},
    )
    assert good.status_code == 302
    [mark] = SignatureMark.objects.all()
    assert mark.amendment == Amendment.objects.get() and mark.kind == "fingerprint"


def test_given_an_amended_document_when_a_signed_page_is_uploaded_then_it_names_the_version_it_signs(
    client_in, officer
):
    """GIVEN a document amended once WHEN the officer uploads the scan of the page the party signed on paper
    and says it is the original text THEN the signed copy records version 0; without a choice, the current."""
    from io import BytesIO

    from PIL import Image

    from liuhen.cases import services
    from liuhen.cases.models import SignedCopy

    document = make_document(make_case(officer), officer, "case_closing_report")
    field = next(f for f in get_type("case_closing_report").fields if f.kind == "longtext")
    services.document_amend(
        document=document, amended_by=officer, changes={field.name: "更正后的内容"}, reason="补充"
    )
    page = client_in.get(f"/cases/{document.case_id}/").content.decode()
    assert "所签文本" in page and "第 1 次更正后" in page and "原始版本" in page

    def scan() -> SimpleUploadedFile:
        out = BytesIO()
        Image.new("RGB", (300, 420), (250, 250, 250)).save(out, format="JPEG")
        return SimpleUploadedFile("page.jpg", out.getvalue(), "image/jpeg")

    prefix = f"copy{document.pk}"
    url = f"/documents/{document.pk}/signed-copies"
    assert client_in.post(url, {f"{prefix}-file": scan(), f"{prefix}-version": "0"}).status_code == 302
    assert client_in.post(url, {f"{prefix}-file": scan(), f"{prefix}-version": ""}).status_code == 302
    assert list(SignedCopy.objects.order_by("id").values_list("version", flat=True)) == [0, 1]
    assert client_in.post(url, {f"{prefix}-file": scan(), f"{prefix}-version": "7"}).status_code == 422

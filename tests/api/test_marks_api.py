"""The API of what signers leave (marks, signed copies) and of refusals confirmed by a second officer."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.accounts.services import token_issue
from liuhen.cases.models import SignatureRefusal
from tests.cases.images import image_bytes, pdf_bytes
from tests.factories import make_agency, make_case, make_document, make_user


@pytest.fixture
def office(db, settings):
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"], username="zhangwei", name="张伟")
    second = make_user(agency, ["officer"], username="lina", name="李娜")
    document = make_document(make_case(officer), officer)
    return officer, second, document, {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=officer)}"}


def _fields(response) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in response.json()["errors"]}


def _refuse(client, office, password: str):
    _, second, document, auth = office
    body = {
        "refuser_role": "party",
        "refuser_name": "王某某",
        "reason": "当事人拒绝签名",
        "second_officer_username": second.username,
        "second_officer_password": password,
    }
    return client.post(
        f"/api/documents/{document.pk}/refusals", json.dumps(body), content_type="application/json", **auth
    )


def test_given_the_second_officers_right_password_when_refusing_then_201_cosigned_by_both(client, office):
    officer, second, document, _ = office
    response = _refuse(client, office, "test-password-1")
    assert response.status_code == 201, response.content
    refusal = SignatureRefusal.objects.get(document=document)
    assert (refusal.cosigner_1_id, refusal.cosigner_2_id) == (officer.pk, second.pk)


def test_given_a_wrong_password_when_refusing_then_422_at_the_password_and_it_counts_toward_lockout(
    client, office
):
    """GIVEN the second officer's wrong password WHEN the refusal is posted THEN 422 naming
    ``second_officer_password``, nothing recorded, and the failure counted by django-axes."""
    response = _refuse(client, office, "wrong-password-9")
    assert response.status_code == 422
    assert _fields(response) == {"second_officer_password": "wrong_password"}
    assert not SignatureRefusal.objects.exists()
    assert AccessAttempt.objects.filter(username="lina").exists()


def test_given_a_locked_account_when_refusing_then_422_locked_out_in_the_error_shape(
    client, office, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _refuse(client, office, "wrong-password-9")
    response = _refuse(client, office, "test-password-1")
    assert response.status_code == 422
    assert _fields(response) == {"second_officer_password": "locked_out"}


def test_given_a_stroke_image_when_posted_then_201_listed_and_its_content_served_inline(client, office):
    _, _, document, auth = office
    png = image_bytes("PNG", (80, 30))
    strokes = [[[1, 2, 0, 0.5], [30, 20, 40, 0.6]]]
    response = client.post(
        f"/api/documents/{document.pk}/marks",
        {"kind": "stroke", "strokes": json.dumps(strokes), "file": SimpleUploadedFile("s.png", png)},
        **auth,
    )
    assert response.status_code == 201, response.content
    mark = response.json()
    assert (mark["width"], mark["height"], mark["strokes"]) == (80, 30, strokes)
    listed = client.get(f"/api/documents/{document.pk}/marks", **auth).json()
    assert [m["id"] for m in listed] == [mark["id"]]
    content = client.get(f"/api/documents/{document.pk}/marks/{mark['id']}/content", **auth)
    assert content.status_code == 200 and content.content == png
    assert content["Content-Type"] == "image/png" and content["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/api/documents/{document.pk}", **auth).json()["marks"][0]["id"] == mark["id"]


@pytest.mark.parametrize(
    ("data", "limit", "reason"), [(b"<svg/>", None, "not_an_image"), (image_bytes("JPEG"), 100, "too_large")]
)
def test_given_a_bad_photo_when_posted_then_422_naming_the_file(
    client, office, settings, data, limit, reason
):
    _, _, document, auth = office
    if limit:
        settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES = limit
    response = client.post(
        f"/api/documents/{document.pk}/marks",
        {"kind": "fingerprint", "file": SimpleUploadedFile("f.jpg", data)},
        **auth,
    )
    assert response.status_code == 422
    assert _fields(response) == {"file": reason}


def test_given_a_pdf_scan_when_posted_then_201_and_downloaded_as_an_attachment(client, office):
    _, _, document, auth = office
    pdf = pdf_bytes(2)
    response = client.post(
        f"/api/documents/{document.pk}/signed-copies",
        {"note": "签字页", "file": SimpleUploadedFile("scan.pdf", pdf)},
        **auth,
    )
    assert response.status_code == 201, response.content
    copy = response.json()
    assert (copy["content_type"], copy["page_count"], copy["version"]) == ("application/pdf", 2, 0)
    download = client.get(f"/api/documents/{document.pk}/signed-copies/{copy['id']}/content", **auth)
    assert download.content == pdf and download["Content-Disposition"].startswith("attachment")


def test_given_another_agency_when_reading_marks_then_404(client, office):
    _, _, document, _ = office
    stranger = make_user(make_agency(), ["officer", "handler"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=stranger)}"}
    assert client.get(f"/api/documents/{document.pk}/marks", **auth).status_code == 404

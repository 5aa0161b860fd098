"""Signatures that are real: images signers left and signed paper copies (services and selectors)."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from liuhen.cases import selectors, services
from liuhen.cases.models import SignatureMark, SignedCopy
from liuhen.cases.services.marks import Location
from liuhen.core.errors import Conflict, NotFound, ValidationFailed
from liuhen.ledger.models import LedgerEntry
from tests.cases.images import image_bytes, pdf_bytes
from tests.factories import make_agency, make_case, make_document, make_user

STROKES = [[[10, 10, 0, 0.5], [40, 20, 16, 0.7]], [[50, 5, 300, 0.2]]]


@pytest.fixture
def officer(db, settings):  # ``settings``: a blob store of this test's own
    return make_user(make_agency(), ["officer", "handler"], name="张伟")


@pytest.fixture
def document(officer):
    return make_document(make_case(officer), officer)


def _field(info: pytest.ExceptionInfo) -> tuple[str, str]:
    error = info.value.errors[0]
    return error.field, error.reason


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify", "--no-rehash", stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_given_a_drawn_signature_when_recorded_then_png_strokes_hash_and_ledger_entry_are_kept(
    officer, document
):
    """GIVEN a PNG drawn on the pad and its strokes WHEN signed with them THEN the signature, the mark
    (its SHA-256, size, dimensions, strokes) and one entry carrying the content hash are recorded, the
    bytes read back are the ones given, and `liuhen verify` stays clean."""
    png = image_bytes("PNG", (80, 30))
    signature = services.document_sign_marked(
        document=document,
        recorded_by=officer,
        signer_role="party",
        signer_name="王某某",
        method="electronic",
        marks=[services.marks.MarkInput("stroke", png, STROKES)],
        location=Location(38.914, 121.614, 12.5),
    )
    (mark,) = selectors.document_marks(officer, document)
    assert (mark.signature_id, mark.kind, mark.width, mark.height) == (signature.pk, "stroke", 80, 30)
    assert mark.sha256 == hashlib.sha256(png).hexdigest() and mark.size == len(png)
    assert mark.strokes == STROKES and str(mark.latitude) == "38.914000"
    assert selectors.mark_bytes(mark) == png
    entry = LedgerEntry.objects.get(action="document.mark_added")
    body = json.loads(bytes(entry.body))
    assert body["contents"] == [{"kind": "mark.stroke", "sha256": mark.sha256, "size": len(png)}]
    assert body["objects"] == {"document": document.pk, "mark": mark.pk, "signature": signature.pk}
    assert _verify() == (0, "")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"not an image at all", "not_an_image"), (image_bytes("PNG")[:40], "not_an_image"), (b"", "required")],
)
def test_given_bytes_that_are_not_an_image_when_added_then_422_naming_the_field(
    officer, document, data, reason
):
    with pytest.raises(ValidationFailed) as info:
        services.mark_add(document=document, created_by=officer, kind="fingerprint", data=data, field="photo")
    assert _field(info) == ("photo", reason)
    assert not SignatureMark.objects.exists()


def test_given_an_image_over_the_limit_when_added_then_422_too_large(officer, document, settings):
    settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES = 100
    with pytest.raises(ValidationFailed) as info:
        services.mark_add(document=document, created_by=officer, kind="seal", data=image_bytes("JPEG"))
    assert info.value.status == 422 and _field(info) == ("image", "too_large")


@pytest.mark.parametrize(
    ("strokes", "reason"),
    [(None, "required"), ([], "required"), ([[[1, 2, 3]]], "invalid"), ([[[1, 2, 3, 9]]], "invalid")],
)
def test_given_a_drawn_signature_with_bad_strokes_when_added_then_422_strokes(
    officer, document, strokes, reason
):
    with pytest.raises(ValidationFailed) as info:
        services.mark_add(
            document=document, created_by=officer, kind="stroke", data=image_bytes("PNG"), strokes=strokes
        )
    assert _field(info) == ("strokes", reason)


def test_given_a_signature_of_another_document_when_a_mark_names_it_then_refused(officer, document):
    other = make_document(document.case, officer)
    signature = services.document_sign(
        document=other, recorded_by=officer, signer_role="party", signer_name="王某某", method="fingerprint"
    )
    with pytest.raises(ValidationFailed) as info:
        services.mark_add(
            document=document, created_by=officer, kind="fingerprint", data=image_bytes(), signature=signature
        )
    assert _field(info) == ("signature_id", "not_found")


def test_given_an_amendment_when_the_party_acknowledges_with_a_fingerprint_photo_then_it_is_attached(
    officer, document
):
    amendment = services.document_amend(
        document=document,
        amended_by=officer,
        changes={"place": "执法车上"},
        reason="笔误",
        party_ack_method="fingerprint",
        party_ack_name="王某某",
    )
    mark = services.mark_add(
        document=document,
        created_by=officer,
        kind="fingerprint",
        data=image_bytes("JPEG"),
        amendment=amendment,
    )
    assert (mark.amendment_id, mark.content_type) == (amendment.pk, "image/jpeg")


@pytest.mark.parametrize(
    ("data", "content_type", "pages"),
    [(pdf_bytes(2), "application/pdf", 2), (image_bytes("JPEG"), "image/jpeg", 1)],
)
def test_given_a_scan_of_the_paper_signed_by_hand_when_attached_then_it_is_hashed_and_listed(
    officer, document, data, content_type, pages
):
    copy = services.signed_copy_add(document=document, created_by=officer, data=data, note="当事人签字页")
    assert (copy.content_type, copy.page_count, copy.version) == (content_type, pages, 0)
    assert copy.sha256 == hashlib.sha256(data).hexdigest()
    assert selectors.document_signed_copies(officer, document) == [copy]
    assert LedgerEntry.objects.filter(action="document.signed_copy_added").count() == 1
    assert _verify() == (0, "")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"%PDF-1.7 broken", "not_a_scan"), (b"<html>", "not_a_scan"), (b"GIF89a", "not_a_scan")],
)
def test_given_a_file_that_is_no_scan_when_attached_then_422(officer, document, data, reason):
    with pytest.raises(ValidationFailed) as info:
        services.signed_copy_add(document=document, created_by=officer, data=data)
    assert _field(info) == ("file", reason)
    assert not SignedCopy.objects.exists()


def test_given_a_scan_over_the_limit_when_attached_then_422_too_large(officer, document, settings):
    settings.LIUHEN_MAX_SIGNED_COPY_BYTES = 50
    with pytest.raises(ValidationFailed) as info:
        services.signed_copy_add(document=document, created_by=officer, data=pdf_bytes())
    assert _field(info) == ("file", "too_large")


def test_given_an_archived_case_when_a_mark_is_added_then_409(officer, document):
    document.case.stage = "archived"
    with pytest.raises(Conflict):
        services.mark_add(document=document, created_by=officer, kind="seal", data=image_bytes())


@pytest.mark.parametrize("table", ["cases_signaturemark", "cases_signedcopy"])
@pytest.mark.parametrize("sql", ["UPDATE {table} SET size = size + 1", "DELETE FROM {table}"])
def test_given_marks_and_copies_when_raw_sql_changes_them_then_the_database_refuses(
    officer, document, table, sql
):
    services.mark_add(document=document, created_by=officer, kind="seal", data=image_bytes())
    services.signed_copy_add(document=document, created_by=officer, data=pdf_bytes())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql.format(table=table))


def test_given_a_user_of_another_agency_when_reading_marks_then_not_found(officer, document):
    stranger = make_user(make_agency(), ["officer"])
    with pytest.raises(NotFound):
        selectors.document_marks(stranger, document)
    with pytest.raises(NotFound):
        selectors.document_signed_copies(stranger, document)

"""The request's clock (extension once, overdue flagged), bad regions, document fields withheld, the
records append-only, and what the desk's selectors show."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import pytest
from django.db import DatabaseError, transaction

from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.disclosure.models import DisclosureRequest
from liuhen.disclosure.redaction import redact_document, redact_media
from liuhen.disclosure.selectors import disclosure_due, request_get, request_list
from liuhen.disclosure.services import request_decide, request_extend
from liuhen.media.redact import Rect, TimeRange, VideoRegion
from tests.disclosure.world import register
from tests.factories import make_user


def fresh(request: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.get(pk=request.pk)


@pytest.mark.django_db
def test_given_an_extension_by_the_head_then_20_more_working_days_and_a_second_is_refused(world):
    """GIVEN due Fri 2026-10-30 WHEN the head extends THEN due Fri 2026-11-27; a second extension → 409;
    the legal unit alone cannot extend (the head's approval)."""
    request = register(world)
    with pytest.raises(PermissionDenied):
        request_extend(request=request, by=world.desk, reason="需征求第三方意见")
    extension = request_extend(request=request, by=world.head, reason="需征求第三方意见")
    assert extension.due_on == date(2026, 11, 27)
    with pytest.raises(Conflict):
        request_extend(request=fresh(request), by=world.head, reason="再延一次")
    assert [d.due_on for d in disclosure_due(world.desk)] == [date(2026, 11, 27)]


@pytest.mark.django_db
def test_given_the_deadline_passed_then_the_request_is_flagged_overdue_not_dropped(world, frozen_clock):
    """GIVEN a request due 2026-10-30 WHEN the clock reaches 2 November unanswered THEN the list and the
    inbox selector still show it, flagged overdue; once delivered it is no longer due."""
    request = register(world)
    frozen_clock(datetime(2026, 10, 30, 23, 0, tzinfo=clock.SHANGHAI))
    assert not request_list(user=world.desk)[0].standing.overdue
    frozen_clock(datetime(2026, 11, 2, 9, 0, tzinfo=clock.SHANGHAI))
    listed = request_list(user=world.desk)
    assert [i.request.pk for i in listed] == [request.pk] and listed[0].standing.overdue
    due = disclosure_due(world.desk)
    assert due[0].overdue and due[0].days_left == -3 and due[0].next_step == "decide"


@pytest.mark.django_db
def test_given_a_region_outside_the_frame_or_the_clip_then_422_naming_it(world):
    """GIVEN a 320x240, 3 s clip WHEN regions[1] leaves the frame, or mute[0] runs past the end, or a photo
    rect leaves the picture THEN 422 naming regions[1] / mute[0] / rects[0], and no derivative."""
    request = register(world)
    request_decide(
        request=request,
        by=world.desk,
        outcome="partial",
        reason="privacy",
        item_outcomes={
            ("document", world.document.pk): "withheld",
            ("media", world.photo.pk): "redacted",
            ("media", world.video.pk): "redacted",
        },
    )
    cases = [
        (
            {
                "media_id": world.video.pk,
                "regions": [VideoRegion(Rect(0, 0, 9, 9), 0, 1), VideoRegion(Rect(300, 0, 40, 9), 0, 1)],
            },
            "regions[1]",
        ),
        ({"media_id": world.video.pk, "mute": [TimeRange(2.0, 9.0)]}, "mute[0]"),
        ({"media_id": world.photo.pk, "rects": [Rect(300, 200, 50, 50)]}, "rects[0]"),
    ]
    for arguments, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            redact_media(request=request, by=world.desk, **arguments)
        assert caught.value.status == 422 and caught.value.errors[0].field == field
    assert not request.redactions.exists()


@pytest.mark.django_db
def test_given_a_document_field_withheld_then_the_pdf_shows_it_withheld_and_the_record_is_unchanged(
    world, tmp_path
):
    """GIVEN the 询问笔录 to be redacted WHEN the interviewee's ID number is withheld THEN the derivative PDF's text
    says （依法不予公开） where the number stood, the number is gone, and the document's body hash is unchanged."""
    request = register(world, items=[("document", world.document.pk)])
    request_decide(
        request=request,
        by=world.desk,
        outcome="partial",
        reason="privacy",
        item_outcomes={("document", world.document.pk): "redacted"},
    )
    before = world.document.body_sha256
    name_field = "interviewee_id_no"
    secret = world.document.fields[name_field]
    with pytest.raises(ValidationFailed) as caught:
        redact_document(
            request=request, by=world.desk, document_id=world.document.pk, fields=[name_field, "nope"]
        )
    assert caught.value.errors[0].field == "fields[1]"
    redaction = redact_document(
        request=request, by=world.desk, document_id=world.document.pk, fields=[name_field]
    )
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"".join(blob_store().open_range(redaction.sha256)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "依法不予公开" in text and secret not in text
    world.document.refresh_from_db()
    assert world.document.body_sha256 == before == redaction.original_sha256


@pytest.mark.django_db
def test_given_a_request_row_then_the_database_refuses_to_change_or_delete_it(world):
    """GIVEN a registered request THEN UPDATE and DELETE are refused by the database (append-only)."""
    request = register(world)
    for statement in (
        lambda: DisclosureRequest.objects.filter(pk=request.pk).update(requester_name="x"),
        lambda: DisclosureRequest.objects.filter(pk=request.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()


@pytest.mark.django_db
def test_given_people_outside_the_desk_then_they_see_no_request_and_personal_data_is_masked_for_none_cleared(
    world,
):
    """GIVEN a request THEN an officer and a desk user of another agency see nothing (not found); the desk,
    cleared for personal data, sees the requester's ID number whole."""
    from liuhen.core.errors import NotFound
    from tests.factories import make_agency

    request = register(world)
    outsider = make_user(make_agency(), ["legal_unit"])
    for user in (world.officer, outsider):
        assert request_list(user=user) == []
        with pytest.raises(NotFound):
            request_get(user=user, request_id=request.pk)
    assert request_get(user=world.desk, request_id=request.pk).requester_id_number == "210203198001011234"


@pytest.mark.django_db
def test_given_a_receipt_date_in_a_year_with_no_calendar_then_registration_is_refused_at_the_field(world):
    """GIVEN received 2025-12-01 (no cn-2025 calendar) THEN 422 at received_on naming the missing year."""
    with pytest.raises(ValidationFailed) as caught:
        register(world, received_on=date(2025, 12, 1))
    assert caught.value.errors[0].field == "received_on" and "2025年" in caught.value.errors[0].message

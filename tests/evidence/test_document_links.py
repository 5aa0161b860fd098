"""Linking a recording to the case's documents after upload (issue 11, A/V at work)."""

from __future__ import annotations

import pytest

from liuhen.archive.integrity import check_records
from liuhen.compliance.models import StoredFinding
from liuhen.compliance.snapshot import case_snapshot
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from liuhen.evidence.models import MediaDocumentLink, MediaRecord
from liuhen.evidence.services.document_links import (
    linked_document_ids,
    media_document_link_withdraw,
    media_documents_link,
)
from liuhen.evidence.services.media import DuplicateMedia, media_record_create
from liuhen.evidence.services.upload import media_upload
from liuhen.ledger.models import LedgerEntry
from tests.access.conftest import png
from tests.compliance.conftest import office
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


def _clip(case, user, **extra) -> MediaRecord:
    return media_record_create(
        case=case,
        uploaded_by=user,
        sha256=f"{case.pk:064x}",
        size=10,
        storage_key="k",
        kind="video",
        title="询问录像",
        activity="inquiry",
        **extra,
    )


def _linked_rule(case) -> str:
    return StoredFinding.objects.get(case=case, rule_id="av-linked-to-text").status


def test_given_clip_uploaded_without_document_when_linked_later_then_the_rule_is_met():
    """GIVEN an inquiry recording uploaded without ticking its 询问笔录 (xinle-fg§18 unmet) WHEN the
    officer links the record later THEN the rule is met, the link is a record with its ledger entry
    carrying the row's state, and the snapshot lists the document."""
    xinle = office("xinle-fg")
    case = xinle.case()
    record = make_document(case, xinle.officer, "inquiry_record")
    clip = _clip(case, xinle.officer)
    assert _linked_rule(case) == "missing"

    link = media_documents_link(media=clip, case=case, documents=[record], by=xinle.officer, reason="补关联")

    assert _linked_rule(case) == "satisfied"
    assert case_snapshot(case).media[0].document_ids == (f"document:{record.pk}",)
    assert link.documents == [record.pk] and linked_document_ids(media=clip, case=case) == {record.pk}
    entry = LedgerEntry.objects.get(action="media.documents_linked")
    assert entry.case_id == case.pk and entry.agency_id == xinle.agency.pk
    # the office fixture sets the officer's unit outside the services: only our rows are checked here
    assert [p for p in check_records() if not p.object.startswith("user ")] == []


def test_given_a_link_when_withdrawn_then_the_rule_is_unmet_again_and_rows_stay():
    """GIVEN a later link WHEN withdrawn with a reason THEN both rows stay, the rule is unmet again."""
    xinle = office("xinle-fg")
    case = xinle.case()
    clip = _clip(case, xinle.officer)
    link = media_documents_link(
        media=clip, case=case, documents=[make_document(case, xinle.officer)], by=xinle.officer
    )

    with pytest.raises(ValidationFailed):
        media_document_link_withdraw(link=link, by=xinle.officer, reason=" ")
    media_document_link_withdraw(link=link, by=xinle.officer, reason="关联错了")

    assert _linked_rule(case) == "missing"
    assert MediaDocumentLink.objects.count() == 2
    with pytest.raises(Conflict):
        media_document_link_withdraw(link=link, by=xinle.officer, reason="再撤")


def test_given_bad_links_then_refused_and_nothing_written():
    """GIVEN documents already linked, another case's document, no document, a clip of another case
    and a reviewer without the upload right WHEN linking THEN 409 / 422 / 422 / 404 / 403."""
    xinle = office("xinle-fg")
    case, other = xinle.case(), xinle.case()
    record = make_document(case, xinle.officer)
    clip = _clip(case, xinle.officer, linked_documents=[record])
    reviewer = make_user(xinle.agency, ["reviewer"])

    with pytest.raises(Conflict):
        media_documents_link(media=clip, case=case, documents=[record], by=xinle.officer)
    with pytest.raises(ValidationFailed):
        media_documents_link(
            media=clip, case=case, documents=[make_document(other, xinle.officer)], by=xinle.officer
        )
    with pytest.raises(ValidationFailed):
        media_documents_link(media=clip, case=case, documents=[], by=xinle.officer)
    with pytest.raises(NotFound):
        media_documents_link(
            media=_clip(other, xinle.officer), case=case, documents=[record], by=xinle.officer
        )
    with pytest.raises(PermissionDenied):
        media_documents_link(media=clip, case=case, documents=[record], by=reviewer)
    assert MediaDocumentLink.objects.count() == 0


def test_given_same_bytes_on_the_same_case_then_refused_naming_the_record_and_allowed_elsewhere():
    """GIVEN a photo uploaded to a case WHEN the same bytes are uploaded to it again THEN 409 naming the
    existing record; to another case THEN a second record sharing the stored file."""
    xinle = office("xinle-fg")
    case, other = xinle.case(), xinle.case()
    first = media_upload(case=case, uploaded_by=xinle.officer, chunks=[png(7)], kind="photo", title="现场")

    with pytest.raises(DuplicateMedia) as refused:
        media_upload(case=case, uploaded_by=xinle.officer, chunks=[png(7)], kind="photo", title="又一次")
    again = media_upload(case=other, uploaded_by=xinle.officer, chunks=[png(7)], kind="photo", title="另案")

    assert refused.value.status == 409 and f"第 {first.pk} 号" in refused.value.message
    assert again.sha256 == first.sha256 and again.storage_key == first.storage_key


def test_given_a_photo_declared_as_video_then_422_at_kind_with_the_detected_kind():
    """GIVEN PNG bytes declared as 录像 WHEN uploaded THEN 422 at ``kind`` saying it is a 照片."""
    xinle = office("xinle-fg")
    with pytest.raises(ValidationFailed) as refused:
        media_upload(
            case=xinle.case(), uploaded_by=xinle.officer, chunks=[png(8)], kind="video", title="现场"
        )
    (error,) = refused.value.errors
    assert error.field == "kind" and "照片" in error.message
    assert MediaRecord.objects.count() == 0

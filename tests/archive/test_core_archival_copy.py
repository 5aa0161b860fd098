"""Issuing's public 存档联 for archiving (liuhen.issuing.services.archival_copy): the copy as issued,
through the access layer's archiving reason, the read of a confidential document logged."""

from __future__ import annotations

import pytest

from liuhen.core.errors import Conflict, NotFound
from liuhen.issuing.models import IssuedDocument
from liuhen.issuing.services import archival_copy, document_pdf
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_given_a_confidential_document_then_its_issued_copy_is_handed_to_the_archivist_and_the_read_logged():
    agency = make_agency()
    officer, head, archivist = (
        make_user(agency),
        make_user(agency, ["head"]),
        make_user(agency, ["archivist"]),
    )
    document = make_document(make_case(officer, confidential=True), officer)
    with pytest.raises(Conflict, match="存档联"):  # nobody cleared has printed it: the archivist may not
        archival_copy(document, for_user=archivist)
    printed = document_pdf(user=head, document_id=document.pk, copy="file")
    before = LedgerEntry.objects.filter(action="document.archiving").count()

    copy = archival_copy(document, for_user=archivist)

    assert copy.content == printed.content and copy.issued == printed.issued
    assert IssuedDocument.objects.filter(document=document).count() == 1
    assert LedgerEntry.objects.filter(action="document.archiving").count() == before + 1


def test_given_an_ordinary_document_never_printed_then_the_archivist_issues_its_copy_once():
    agency = make_agency()
    officer, archivist = make_user(agency), make_user(agency, ["archivist"])
    document = make_document(make_case(officer), officer)
    first = archival_copy(document, for_user=archivist)
    again = archival_copy(document, for_user=archivist)
    assert first.issued is not None and first.issued == again.issued and first.issued.copy == "file"
    assert first.content.startswith(b"%PDF")


def test_given_an_officer_or_another_agency_then_not_found():
    agency = make_agency()
    officer = make_user(agency)
    document = make_document(make_case(officer), officer)
    for stranger in (officer, make_user(make_agency(), ["archivist"])):
        with pytest.raises(NotFound):
            archival_copy(document, for_user=stranger)

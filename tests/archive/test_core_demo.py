"""The demo archives its archived case the only way there is: through its signed-off case file."""

from __future__ import annotations

import pytest

from liuhen.archive.models import CaseFile
from liuhen.cases.models import Case
from liuhen.demo.load import load_demo
from liuhen.ledger.models import LedgerEntry

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_given_the_loaded_demo_then_its_archived_case_has_a_case_file_signed_by_two_archivists(settings):
    """GIVEN the demo loaded WHEN reading its archived case THEN a case file exists, compiled by the
    agency's archivist and checked by its second archivist, and the move to 归档 came after the sign-off."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    logins = load_demo()
    assert ("xinle-fg", "xinle_archivist2", "archivist") in logins
    archived = list(Case.objects.filter(stage="archived"))
    assert len(archived) == 1
    case = archived[0]
    case_file = CaseFile.objects.get(case=case)
    assert case_file.compiled_by.username == "xinle_archivist"
    assert case_file.checked_by.username == "xinle_archivist2"
    actions = list(
        LedgerEntry.objects.filter(case_id=case.pk).order_by("index").values_list("action", flat=True)
    )
    # the case's own archive and stage entries (the demo's 案卷评查 of it comes after)
    assert [a for a in actions if a.split(".")[0] in ("archive", "case")][-2:] == [
        "archive.case_file_signed",
        "case.transitioned",
    ]
    assert case_file.notes and case_file.items

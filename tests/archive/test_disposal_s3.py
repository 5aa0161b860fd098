"""Approved disposal against S3 Object Lock (moto's server): a content whose lock has not expired stays
pending after the archivist executes the list, and the scheduled upkeep destroys it once it has."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from liuhen.archive import disposal
from liuhen.archive.integrity import verify_all
from liuhen.archive.models import DisposalDestruction
from liuhen.cases.blobs import blob_store
from liuhen.core import clock
from tests.archive.archiving import archive_case
from tests.archive.test_core_services import closed_case
from tests.evidence.conftest import s3_settings  # noqa: F401  (the S3 store on moto's server)
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

LOCK_SECONDS = 8


def test_given_s3_when_the_lock_outlasts_the_approval_then_the_content_waits_and_the_task_destroys_it(
    s3_settings,  # noqa: F811
    monkeypatch,
):
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    archivist = make_user(agency, ["archivist"])
    real_lock, locks = disposal.lock_date, []

    def seconds_from_now(case_file, now):
        """The bucket's clock is the real one: lock this file for seconds (from the sign-off), not 30 years."""
        locks.append(datetime.now(UTC) + timedelta(seconds=LOCK_SECONDS))
        return locks[-1]

    case = closed_case(officer, head)
    monkeypatch.setattr(disposal, "lock_date", seconds_from_now)
    case_file = archive_case(case)
    monkeypatch.setattr(disposal, "lock_date", real_lock)
    until = locks[0]
    contents = disposal.contents_of(case_file)
    for sha256, _ in contents:  # the sign-off put every content under COMPLIANCE lock
        mode, locked = blob_store().retention(sha256)
        assert mode == "COMPLIANCE" and abs((locked - until).total_seconds()) < 1

    with clock.frozen(clock.now() + timedelta(days=365 * 31)):
        listing = disposal.disposal_propose(by=archivist, reason="期满", case_file_ids=[case_file.pk])
        disposal.disposal_approve(disposal=listing, by=head, opinion="同意")
        disposal.disposal_approve(disposal=listing, by=archivist, opinion="同意")
        first = disposal.disposal_execute(disposal=listing, by=archivist)
        assert first.pending == len(contents) and first.destroyed == 0
        assert disposal.disposal_get(user=archivist, disposal_id=listing.pk).status.startswith("已批准")
        assert all(blob_store().exists(sha256) for sha256, _ in contents)

        time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 1.5)
        assert disposal.disposal_upkeep()["pending"] == 0

    assert DisposalDestruction.objects.filter(disposal=listing, outcome="destroyed").count() == len(contents)
    assert not any(blob_store().exists(sha256) for sha256, _ in contents)
    assert verify_all(files=False) == []

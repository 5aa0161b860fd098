"""S3 Object Lock retention at intake follows the agency's retention rules (issue 5, R5.1)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from liuhen.cases.blobs import blob_store
from liuhen.rules.retention import LONG_TERM_YEARS
from tests.evidence.conftest import payload
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _locked(tus, data: bytes) -> tuple[str, datetime]:
    response = tus.upload(data, filetype="video/mp4")
    assert response.status_code == 204, response.content
    mode, until = blob_store().retention(hashlib.sha256(data).hexdigest())
    return mode, until


def _profile_and_flags(tus, profile_id: str, flags: list[str]) -> None:
    """Give the agency a profile and upload into a case opened with ``flags`` (a case's flags are set
    when it opens: the database refuses to change them afterwards)."""
    tus.case.agency.profile_id = profile_id
    tus.case.agency.save(update_fields=["profile_id"])
    tus.case = make_case(tus.case.opened_by, flags=flags)


def test_given_longjiang_case_used_as_evidence_when_uploaded_then_locked_long_term(s3_settings, tus):
    """GIVEN a longjiang-cg case flagged evidence_used (§19: long-term) WHEN a file arrives THEN the S3
    object is COMPLIANCE-locked for the long-term horizon (about 30 years)."""
    _profile_and_flags(tus, "longjiang-cg", ["evidence_used"])
    mode, until = _locked(tus, payload(200_000, b"evidence"))
    assert mode == "COMPLIANCE"
    assert until >= datetime.now(UTC) + timedelta(days=365 * LONG_TERM_YEARS - 2)


def test_given_plain_longjiang_case_when_uploaded_then_locked_at_least_six_months(settings, s3_settings, tus):
    """GIVEN a longjiang-cg case without long-term flags and a 1-day settings floor WHEN a file arrives
    THEN the lock still reaches 6 calendar months (the profile minimum wins) but not years."""
    settings.LIUHEN_MEDIA_MIN_RETAIN_DAYS = 1
    _profile_and_flags(tus, "longjiang-cg", ["risky_operation"])
    mode, until = _locked(tus, payload(200_000, b"plain"))
    assert mode == "COMPLIANCE"
    assert datetime.now(UTC) + timedelta(days=180) <= until <= datetime.now(UTC) + timedelta(days=185)


def test_given_agency_without_profile_when_uploaded_then_settings_floor(settings, s3_settings, tus):
    """GIVEN an agency with no rule profile, even with evidence_used WHEN a file arrives THEN the lock is
    LIUHEN_MEDIA_MIN_RETAIN_DAYS from now."""
    settings.LIUHEN_MEDIA_MIN_RETAIN_DAYS = 10
    _profile_and_flags(tus, "", ["evidence_used"])
    _, until = _locked(tus, payload(200_000, b"floor"))
    assert abs(until - (datetime.now(UTC) + timedelta(days=10))) < timedelta(minutes=5)


def test_given_stored_blob_when_same_file_uploaded_to_long_term_case_then_lock_extended(
    settings, s3_settings, tus
):
    """GIVEN a file already locked for the settings floor WHEN the same bytes are uploaded to a case that
    needs long-term retention THEN the existing object's COMPLIANCE lock is lengthened, not duplicated."""
    settings.LIUHEN_MEDIA_MIN_RETAIN_DAYS = 10
    data = payload(200_000, b"twice")
    _, first = _locked(tus, data)
    _profile_and_flags(tus, "longjiang-cg", ["obstruction"])
    _, second = _locked(tus, data)
    assert first < datetime.now(UTC) + timedelta(days=11)
    assert second >= datetime.now(UTC) + timedelta(days=365 * LONG_TERM_YEARS - 2)

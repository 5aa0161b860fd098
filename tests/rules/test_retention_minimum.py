"""Minimum A/V retention derived from a profile's ``retention`` rules, and the Object Lock date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liuhen.rules import load_profile
from liuhen.rules.deadlines import CHINA_TZ, NaiveDatetimeError
from liuhen.rules.retention import (
    LONG_TERM_YEARS,
    lock_until,
    long_term_flags,
    minimum_months,
    minimum_retention,
)

CAPTURED = datetime(2026, 8, 31, 2, 30, tzinfo=UTC)  # 10:30 on 31 August in China


@pytest.fixture(scope="module")
def longjiang():
    return load_profile("longjiang-cg")


def test_given_longjiang_plain_case_when_minimum_then_six_calendar_months_after_capture(longjiang):
    """GIVEN longjiang-cg (§19: at least 6 months) and a case without flags WHEN asked THEN the minimum
    is capture + 6 calendar months, clamped to the end of February, same local time of day."""
    minimum = minimum_retention(longjiang, case_flags=[], captured_at=CAPTURED)
    assert minimum == datetime(2027, 2, 28, 10, 30, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    "flag",
    [
        "evidence_used",
        "review_or_litigation",
        "complaint_about_enforcement",
        "obstruction",
        "emergency_incident",
        "major_complex",
    ],
)
def test_given_longjiang_long_term_flag_when_minimum_then_long_term(longjiang, flag):
    """GIVEN longjiang-cg and a case with one of the §19 long-term conditions WHEN asked THEN None."""
    assert minimum_retention(longjiang, case_flags=["dispute_likely", flag], captured_at=CAPTURED) is None


def test_given_longjiang_unrelated_flag_when_minimum_then_still_six_months(longjiang):
    """GIVEN a flag that is not a §19 condition WHEN asked THEN the ordinary 6-month minimum applies."""
    minimum = minimum_retention(longjiang, case_flags={"risky_operation"}, captured_at=CAPTURED)
    assert minimum is not None and minimum.month == 2 and minimum.year == 2027


def test_given_xinle_evidence_flag_when_minimum_then_long_term_else_capture_time():
    """GIVEN xinle-fg (evidence A/V archived, no month minimum) WHEN evidence_used THEN long-term;
    WHEN not flagged THEN the profile demands nothing beyond the capture time."""
    xinle = load_profile("xinle-fg")
    assert minimum_months(xinle) is None and long_term_flags(xinle) == {"evidence_used"}
    assert minimum_retention(xinle, case_flags=("evidence_used",), captured_at=CAPTURED) is None
    assert minimum_retention(xinle, case_flags=(), captured_at=CAPTURED) == CAPTURED


def test_given_profile_without_retention_rules_when_minimum_then_capture_time():
    """GIVEN dalian-cg (no retention rule) WHEN the case is flagged evidence_used THEN no constraint."""
    dalian = load_profile("dalian-cg")
    assert long_term_flags(dalian) == frozenset()
    assert minimum_retention(dalian, case_flags=["evidence_used"], captured_at=CAPTURED) == CAPTURED


def test_given_naive_capture_time_when_minimum_then_refused(longjiang):
    """GIVEN a naive datetime WHEN asked THEN NaiveDatetimeError (no guessing the zone)."""
    with pytest.raises(NaiveDatetimeError):
        minimum_retention(longjiang, case_flags=[], captured_at=datetime(2026, 1, 1))


def test_given_minimum_later_than_floor_when_lock_until_then_minimum_wins():
    """GIVEN a 6-month minimum beyond a 30-day floor WHEN locking THEN the minimum is the date."""
    now = datetime(2026, 9, 1, tzinfo=UTC)
    minimum = datetime(2027, 2, 28, 10, 30, tzinfo=CHINA_TZ)
    assert lock_until(minimum, now=now, floor_days=30) == minimum


def test_given_floor_later_than_minimum_when_lock_until_then_floor_wins():
    """GIVEN an old recording whose minimum has passed WHEN locking THEN now + floor_days."""
    now = datetime(2026, 9, 1, tzinfo=UTC)
    assert lock_until(CAPTURED, now=now, floor_days=183) == now + timedelta(days=183)


def test_given_long_term_when_lock_until_then_horizon_years_ahead():
    """GIVEN long-term (None) WHEN locking THEN LONG_TERM_YEARS calendar years from now."""
    now = datetime(2026, 9, 1, 4, 0, tzinfo=UTC)
    until = lock_until(None, now=now, floor_days=183)
    assert until == now.replace(year=2026 + LONG_TERM_YEARS)
    assert LONG_TERM_YEARS >= 30

"""Deadline arithmetic: examples at the edges plus hypothesis properties."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liuhen.rules.deadlines import (
    CHINA_TZ,
    NaiveDatetimeError,
    add_months,
    due_date_end,
    due_days_after,
    due_hours_after,
    due_months_after,
    is_on_time,
)

aware = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC))
local_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_given_exactly_24h_then_on_time_and_one_second_more_is_late():
    """GIVEN a 24 h deadline WHEN done at exactly +24 h THEN on time; +24 h 1 s THEN late."""
    anchor = datetime(2024, 3, 1, 10, 0, tzinfo=CHINA_TZ)
    due = due_hours_after(anchor, 24)
    assert is_on_time(anchor + timedelta(hours=24), due)
    assert not is_on_time(anchor + timedelta(hours=24, seconds=1), due)


def test_given_utc_input_late_in_utc_day_then_local_calendar_day_counts():
    """GIVEN 2024-03-01 17:00 UTC (= 2 March 01:00 in Shanghai) THEN 30 days end 1 April 23:59:59 local."""
    anchor = datetime(2024, 3, 1, 17, 0, tzinfo=UTC)
    due = due_days_after(anchor, 30)
    assert (due.date(), due.hour, due.minute, due.second) == (date(2024, 4, 1), 23, 59, 59)
    assert due.tzinfo is CHINA_TZ


def test_given_month_ends_then_clamped_including_leap_years():
    """GIVEN 31 Aug + 6 months THEN 29 Feb in a leap year and 28 Feb otherwise."""
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 10, 31), 6) == date(2025, 4, 30)


def test_given_naive_datetime_then_refused():
    """GIVEN a naive datetime THEN the arithmetic refuses it rather than guess a zone."""
    with pytest.raises(NaiveDatetimeError):
        due_hours_after(datetime(2024, 1, 1), 24)


def test_given_due_date_string_then_met_until_end_of_that_local_day():
    """GIVEN a due date '2024-03-10' THEN the deadline is 10 March 23:59:59.999999 Shanghai."""
    due = due_date_end("2024-03-10")
    assert is_on_time(datetime(2024, 3, 10, 15, 59, 59, tzinfo=UTC), due)  # 23:59:59 local
    assert not is_on_time(datetime(2024, 3, 10, 16, 0, 0, tzinfo=UTC), due)  # 00:00 local next day


@given(aware, st.integers(min_value=1, max_value=240))
def test_property_hours_deadline_is_exact_duration(anchor, hours):
    """GIVEN any aware anchor THEN the hour deadline is exactly that many hours later, at the edge on time."""
    due = due_hours_after(anchor, hours)
    assert due - anchor == timedelta(hours=hours)
    assert is_on_time(anchor + timedelta(hours=hours), due)
    assert not is_on_time(anchor + timedelta(hours=hours, seconds=1), due)


@given(aware, st.integers(min_value=0, max_value=400))
def test_property_days_deadline_ends_last_local_day(anchor, days):
    """GIVEN any anchor THEN the day deadline is the end of local (anchor date + days), and the next
    local midnight is late."""
    due = due_days_after(anchor, days)
    local = anchor.astimezone(CHINA_TZ)
    assert due.date() == local.date() + timedelta(days=days)
    assert (due.hour, due.minute, due.second, due.microsecond) == (23, 59, 59, 999999)
    assert is_on_time(due, due)
    assert not is_on_time(due + timedelta(microseconds=1), due)
    assert due > anchor


@given(local_dates, st.integers(min_value=0, max_value=240))
def test_property_add_months_clamps_and_never_overflows(day, months):
    """GIVEN any date THEN month addition lands in the right month, clamped to its last day."""
    result = add_months(day, months)
    total = day.year * 12 + day.month - 1 + months
    year, month_index = divmod(total, 12)
    assert (result.year, result.month) == (year, month_index + 1)
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


@given(aware, st.integers(min_value=1, max_value=120))
def test_property_months_deadline_keeps_local_time_and_is_monotonic(anchor, months):
    """GIVEN any anchor THEN +N months keeps the local time of day and is after +(N-1) months."""
    due = due_months_after(anchor, months)
    local = anchor.astimezone(CHINA_TZ)
    assert due.time() == local.time()
    assert due > due_months_after(anchor, months - 1)

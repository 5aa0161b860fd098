"""The working-day clock on the official holiday calendar (政府信息公开条例 §33: 20 working days)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from liuhen.rules.workdays import (
    CalendarInvalid,
    CalendarMissing,
    add_working_days,
    is_provisional,
    is_working_day,
    working_days_between,
    year_calendar,
)


def test_given_a_request_before_national_day_then_20_working_days_skip_the_golden_week():
    """GIVEN received Mon 2026-09-28 WHEN 20 working days are added THEN 10/1–10/7 are skipped, the
    调休 Saturday 10/10 counts, and the deadline is Fri 2026-10-30."""
    assert add_working_days(date(2026, 9, 28), 20) == date(2026, 10, 30)
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 30)) == 20


def test_given_a_request_the_day_before_spring_festival_then_the_deadline_is_19_march():
    """GIVEN received Fri 2026-02-13 WHEN 20 working days are added THEN Sat 2/14 and Sat 2/28 count,
    2/15–2/23 do not, and the deadline is Thu 2026-03-19."""
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 19)


def test_given_the_tiaoxiu_saturdays_and_holiday_weekdays_then_each_is_what_the_notice_says():
    """GIVEN the 2026 notice THEN its 调休 weekend days work, its weekdays off do not, ordinary days as usual."""
    for day in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        assert is_working_day(date.fromisoformat(day)), day
    for day in (
        "2026-01-01",
        "2026-02-16",
        "2026-04-06",
        "2026-05-05",
        "2026-06-19",
        "2026-09-25",
        "2026-10-07",
    ):
        assert not is_working_day(date.fromisoformat(day)), day
    assert is_working_day(date(2026, 11, 30))  # a Monday
    assert not is_working_day(date(2026, 11, 29))  # a Sunday


def test_given_a_year_with_no_calendar_then_the_clock_refuses_to_guess():
    """GIVEN no cn-2025.toml WHEN a 2025 date is counted THEN CalendarMissing names the year (in Chinese too)."""
    with pytest.raises(CalendarMissing) as caught:
        add_working_days(date(2025, 12, 1), 20)
    assert caught.value.year == 2025 and "2025年" in caught.value.message
    with pytest.raises(CalendarMissing):
        add_working_days(date(2027, 12, 20), 20)  # runs into 2028


def test_given_the_shipped_2027_file_then_it_is_provisional_and_the_deadline_says_so():
    """GIVEN 2027 shipped as statutory holidays only WHEN a deadline runs into 2027 THEN it is provisional."""
    cal = year_calendar(2027)
    assert cal.provisional and date(2027, 2, 5) in cal.off and date(2027, 10, 3) in cal.off
    due = add_working_days(date(2026, 12, 21), 20)
    assert due == date(2027, 1, 19)  # 12/22–12/31: 8, 1/1 off, 1/4–1/15: 10, 1/18–1/19: 2
    assert is_provisional(date(2026, 12, 21), due)
    assert not is_provisional(date(2026, 9, 28), date(2026, 10, 30))


def test_given_an_operator_file_in_the_override_directory_then_it_replaces_the_shipped_year(
    tmp_path, monkeypatch
):
    """GIVEN LIUHEN_HOLIDAY_DIR with an official cn-2027.toml (a made-up 调休 Sunday 1/3 and 1/2 off)
    WHEN 2027 days are asked THEN the operator's file answers, not the shipped provisional one."""
    (tmp_path / "cn-2027.toml").write_text(
        'year = 2027\nprovisional = false\nsource = "test notice"\n'
        '[[off]]\nname = "元旦"\nfrom = 2027-01-01\nto = 2027-01-02\n'
        '[[work]]\nname = "调休"\non = 2027-01-03\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LIUHEN_HOLIDAY_DIR", str(tmp_path))
    assert is_working_day(date(2027, 1, 3))  # a Sunday made a working day
    assert is_working_day(date(2027, 2, 5))  # the shipped file's 除夕 is no longer known as off
    assert not year_calendar(2027).provisional
    assert is_working_day(date(2026, 10, 10))  # 2026 still from the shipped file


def test_given_a_calendar_file_whose_dates_leave_its_year_then_it_is_refused(tmp_path):
    """GIVEN cn-2027.toml listing a 2026 day THEN CalendarInvalid, not a silently wrong clock."""
    (tmp_path / "cn-2027.toml").write_text(
        'year = 2027\n[[work]]\nname = "x"\non = 2026-01-03\n', encoding="utf-8"
    )
    with pytest.raises(CalendarInvalid):
        year_calendar(2027, tmp_path)


def test_add_and_between_agree_over_the_whole_year():
    """GIVEN every day of 2026 WHEN n working days are added THEN between counts back exactly n."""
    day = date(2026, 1, 1)
    while day.year == 2026 and day < date(2026, 11, 1):
        for n in (1, 5, 20):
            assert working_days_between(day, add_working_days(day, n)) == n
        day += timedelta(days=3)

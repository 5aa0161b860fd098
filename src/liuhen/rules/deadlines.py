"""Pure deadline arithmetic in China Standard Time (Asia/Shanghai, no DST).

Conventions (documented in docs/rule-coverage.md too):

* ``due_hours_after``: an exact duration. "Within 24 h" of 10:00 is due at 10:00 the next day;
  completing exactly at the due instant is on time, one second later is late.
* ``due_days_after``: calendar days, the anchor day itself not counted (期间开始之日不计算在内),
  ending at 23:59:59.999999 local time on the last day. "Within 30 days" of an act ended on
  1 March (any time that day, local) is due at the end of 31 March.
* ``add_months`` / ``due_months_after``: calendar months on the local date, clamping the day to the
  end of the target month (31 August + 6 months = 28/29 February), keeping the local time of day.

Every function takes aware datetimes and returns aware datetimes in Asia/Shanghai. Nothing here
reads the clock.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from liuhen.core.clock import SHANGHAI

CHINA_TZ = SHANGHAI  # deadlines fall on Beijing calendar days
END_OF_DAY = time(23, 59, 59, 999999)


class NaiveDatetimeError(ValueError):
    """Raised when a naive datetime reaches the deadline arithmetic."""


def to_local(moment: datetime) -> datetime:
    """Return ``moment`` expressed in Asia/Shanghai; refuses naive datetimes."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(f"naive datetime {moment!r}: the engine needs timezone-aware times")
    return moment.astimezone(CHINA_TZ)


def end_of_local_day(day: date) -> datetime:
    """The last representable instant of ``day`` in Asia/Shanghai."""
    return datetime.combine(day, END_OF_DAY, tzinfo=CHINA_TZ)


def due_hours_after(anchor: datetime, hours: int) -> datetime:
    """Exact-duration deadline: ``anchor`` + ``hours``."""
    return to_local(anchor) + timedelta(hours=hours)


def due_days_after(anchor: datetime, days: int) -> datetime:
    """Calendar-day deadline ending at the close of the last local day (anchor day not counted)."""
    return end_of_local_day(to_local(anchor).date() + timedelta(days=days))


def add_months(day: date, months: int) -> date:
    """Calendar month addition with end-of-month clamping."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def due_months_after(anchor: datetime, months: int) -> datetime:
    """``anchor`` + ``months`` calendar months on the local date, same local time of day."""
    local = to_local(anchor)
    target = add_months(local.date(), months)
    return datetime.combine(target, local.timetz().replace(tzinfo=None), tzinfo=CHINA_TZ)


def due_date_end(value: date | datetime | str) -> datetime:
    """A due date given as a date (or ISO date string) is met until the end of that local day."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return to_local(value)
    return end_of_local_day(value)


def is_on_time(done_at: datetime, due_at: datetime) -> bool:
    """True when ``done_at`` is at or before ``due_at`` (both aware)."""
    return to_local(done_at) <= due_at

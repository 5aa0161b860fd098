"""Working days in mainland China: the official holiday calendar as data, and deadline arithmetic on it.

A day is a working day when it is a Monday–Friday not listed as a day off, or a weekend day listed as a
调休 working day. The calendar of each year is a TOML file, ``calendar/cn-<year>.toml`` next to this
module, citing the State Council notice it copies (``source``); a file marked ``provisional = true``
lists only the statutory holidays because that year's notice was not out yet, and every deadline
that reads it is provisional too. The operator updates a year by dropping ``cn-<year>.toml`` into the
directory ``LIUHEN_HOLIDAY_DIR`` names: a file there replaces the shipped one for its year.

A date in a year with no calendar raises :class:`CalendarMissing`: the clock never guesses.

Counting (政府信息公开条例 §33, "自收到申请之日起20个工作日内"): the day of receipt is not counted;
``add_working_days(d, n)`` is the n-th working day after ``d``. Pure: no Django, no clock.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from liuhen import env

SHIPPED_DIR = Path(__file__).resolve().parent / "calendar"
OVERRIDE_ENV = "LIUHEN_HOLIDAY_DIR"


class CalendarMissing(LookupError):
    """No holiday calendar is known for the year: the operator must provide ``cn-<year>.toml``."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"no holiday calendar for {year}: put cn-{year}.toml into {OVERRIDE_ENV} "
            f"(the State Council's notice on the {year} holidays)"
        )
        self.year = year
        self.message = f"缺少{year}年节假日安排（请管理员放入国务院办公厅{year}年节假日安排文件）"


class CalendarInvalid(ValueError):
    """A calendar file that cannot be used (wrong year, a date outside it, a bad range)."""


@dataclass(frozen=True)
class YearCalendar:
    year: int
    off: frozenset[date]  # days off, including weekend days inside a holiday
    work: frozenset[date]  # 调休: weekend days that are working days
    provisional: bool
    source: str
    path: Path


def calendar_dir() -> Path | None:
    """The operator's override directory, if set."""
    raw = env.get_str(OVERRIDE_ENV).strip()
    return Path(raw) if raw else None


def calendar_path(year: int, override: Path | None = None) -> Path | None:
    """The file that holds ``year``: the operator's if there is one, else the shipped one, else None."""
    for folder in (override if override is not None else calendar_dir(), SHIPPED_DIR):
        if folder is not None and (candidate := folder / f"cn-{year}.toml").is_file():
            return candidate
    return None


def year_calendar(year: int, override: Path | None = None) -> YearCalendar:
    """The calendar of ``year``; :class:`CalendarMissing` if none is known."""
    path = calendar_path(year, override)
    if path is None:
        raise CalendarMissing(year)
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load(path: Path, mtime_ns: int) -> YearCalendar:  # mtime in the key: an updated file is reread
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    year = raw.get("year")
    if not isinstance(year, int) or path.name != f"cn-{year}.toml":
        raise CalendarInvalid(f"{path}: 'year' must be the year in the file name")
    off: set[date] = set()
    for item in raw.get("off", []):
        start, end = item.get("from"), item.get("to")
        if not isinstance(start, date) or not isinstance(end, date) or end < start:
            raise CalendarInvalid(f"{path}: off {item!r} needs dates from <= to")
        off.update(start + timedelta(days=i) for i in range((end - start).days + 1))
    work = {item.get("on") for item in raw.get("work", [])}
    for day in off | work:
        if not isinstance(day, date) or day.year != year:
            raise CalendarInvalid(f"{path}: {day!r} is not a date in {year}")
    if off & work:
        raise CalendarInvalid(f"{path}: {sorted(off & work)} both off and working")
    return YearCalendar(
        year=year,
        off=frozenset(off),
        work=frozenset(d for d in work if isinstance(d, date)),
        provisional=bool(raw.get("provisional", False)),
        source=str(raw.get("source", "")),
        path=path,
    )


def is_working_day(day: date, override: Path | None = None) -> bool:
    cal = year_calendar(day.year, override)
    if day in cal.work:
        return True
    return day.weekday() < 5 and day not in cal.off


def add_working_days(day: date, n: int, override: Path | None = None) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted); ``n`` >= 1."""
    if n < 1:
        raise ValueError("n must be at least 1")
    current, left = day, n
    while left:
        current += timedelta(days=1)
        if is_working_day(current, override):
            left -= 1
    return current


def working_days_between(a: date, b: date, override: Path | None = None) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``):
    ``working_days_between(d, add_working_days(d, n)) == n``."""
    if b < a:
        return -working_days_between(b, a, override)
    return sum(is_working_day(a + timedelta(days=i), override) for i in range(1, (b - a).days + 1))


def is_provisional(a: date, b: date, override: Path | None = None) -> bool:
    """Whether any year from ``a`` to ``b`` is counted on a provisional calendar."""
    lo, hi = min(a, b), max(a, b)
    return any(year_calendar(y, override).provisional for y in range(lo.year, hi.year + 1))

"""The 24-hour upload rule (R3.5) as pure functions. No Django.

A recording must reach the system within ``hours`` of the end of the recording; for continuous,
remote or hard-to-reach work the clock starts when the officer returns (dalian-cg§22,
xinglongtai-mz§23, xinle-fg§23, longjiang-cg§5, §18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Status = Literal["on_time", "late", "unknown"]
Source = Literal["capture", "return"]


@dataclass(frozen=True, slots=True)
class Timeliness:
    status: Status
    deadline: datetime | None
    counted_from: Source | Literal[""]
    overdue_seconds: int = 0
    reason: str = ""


def assess_upload(
    *,
    uploaded_at: datetime,
    captured_start: datetime | None,
    captured_end: datetime | None,
    remote_work: bool,
    returned_at: datetime | None,
    hours: int = 24,
) -> Timeliness:
    """Was the upload on time? ``unknown`` when the recording time (or the return time) is missing."""
    window = timedelta(hours=hours)
    source: Source
    if remote_work:
        if returned_at is None:
            return Timeliness("unknown", None, "return", reason="异地/连续执法但未填写返回时间")
        base, source = returned_at, "return"
    else:
        ended = captured_end or captured_start
        if ended is None:
            return Timeliness("unknown", None, "capture", reason="未标注拍摄时间")
        base, source = ended, "capture"
    deadline = base + window
    if uploaded_at <= deadline:
        return Timeliness("on_time", deadline, source)
    overdue = int((uploaded_at - deadline).total_seconds())
    return Timeliness("late", deadline, source, overdue_seconds=overdue)


@dataclass
class TimelinessFigures:
    """Counts for one officer or device."""

    key: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    late_with_cause: int = 0
    unknown: int = 0

    def add(self, result: Timeliness, *, has_cause: bool) -> None:
        self.total += 1
        if result.status == "on_time":
            self.on_time += 1
        elif result.status == "late":
            self.late += 1
            self.late_with_cause += int(has_cause)
        else:
            self.unknown += 1

    @property
    def on_time_percent(self) -> int | None:
        """Whole-number percentage of uploads with a known time that were on time."""
        known = self.on_time + self.late
        return None if known == 0 else (self.on_time * 100) // known

"""Was an upload on time under the agency's upload rule (R3.5)? Pure functions, no Django.

The rule — its hours and its anchor — comes from the agency's profile alone
(:mod:`liuhen.rules.upload`, where the anchor is explained), so this report, the upload page, the
inbox and the compliance finding never disagree. A profile without the rule (gaochang-sthj) sets no
upload deadline: its footage is ``not_required``, never late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from liuhen.rules.upload import Source, UploadDeadline, upload_anchor, upload_due

Status = Literal["on_time", "late", "unknown", "not_required"]


@dataclass(frozen=True, slots=True)
class Timeliness:
    status: Status
    deadline: datetime | None
    counted_from: Source | Literal[""]
    overdue_seconds: int = 0
    reason: str = ""


NOT_REQUIRED = Timeliness("not_required", None, "", reason="本机关制度未规定上传时限")


def assess_upload(
    *,
    rule: UploadDeadline | None,
    uploaded_at: datetime,
    captured_start: datetime | None,
    captured_end: datetime | None,
    remote_work: bool,
    returned_at: datetime | None,
) -> Timeliness:
    """On time or late against ``rule``; ``unknown`` when the recording has no time, ``not_required``
    without a rule."""
    if rule is None:
        return NOT_REQUIRED
    anchor_at, source = upload_anchor(
        rule.anchor,
        captured_start=captured_start,
        captured_end=captured_end,
        remote_work=remote_work,
        returned_at=returned_at,
    )
    if anchor_at is None:
        return Timeliness("unknown", None, source, reason="未标注拍摄时间")
    deadline = upload_due(rule, anchor_at)
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

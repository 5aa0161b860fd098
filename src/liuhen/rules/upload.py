"""The A/V upload deadline (R3.5) as the agency's profile states it: one rule, one anchor. Pure.

The profile's ``deadline`` rule completed by ``media.uploaded_at`` is the only source: its ``hours``
and its ``anchor``. A profile that disables the rule (gaochang-sthj: its regulation has no upload
clause) or an agency without a profile has no upload deadline at all — no report, page, inbox or
finding marks footage late.

The clock starts at the end of the recording: the regulations say "音像记录完成后 … 二十四小时内"
(xinle-fg§23), "音像记录制作完成后 … 应在24小时内" (dalian-cg§22, xinglongtai-mz§23) and "每次重大行政
执法工作结束后及时" (longjiang-cg§18) — none counts from the start. The start stands in only when the
recording's end was not given (the deadline can then only be earlier than the true one, never later).
Under ``media.return_or_capture`` continuous, remote or hard-to-reach work counts from the officer's
return (xinle-fg§23 "返回所在机关后二十四小时内", dalian-cg§22); remote work without a return time
counts from the recording, the strict reading, so leaving the return time out never buys time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from liuhen.rules.deadlines import due_hours_after
from liuhen.rules.profile import Profile, Rule

UPLOADED = "media.uploaded_at"
RETURN_OR_CAPTURE = "media.return_or_capture"

Source = Literal["capture", "return"]


@dataclass(frozen=True, slots=True)
class UploadDeadline:
    """The profile's upload rule: within ``hours`` of the anchor ``anchor`` (a rule anchor name)."""

    hours: int
    anchor: str


def is_upload_rule(rule: Rule) -> bool:
    return rule.kind == "deadline" and rule.params.get("complete") == UPLOADED


def upload_deadline(profile: Profile | None) -> UploadDeadline | None:
    """The profile's upload deadline; ``None`` when there is no profile or it has no such rule."""
    for rule in profile.rules if profile is not None else ():
        if is_upload_rule(rule):
            return UploadDeadline(int(rule.params["hours"]), str(rule.params["anchor"]))
    return None


def upload_anchor(
    anchor: str,
    *,
    captured_start: datetime | None,
    captured_end: datetime | None,
    remote_work: bool,
    returned_at: datetime | None,
) -> tuple[datetime | None, Source]:
    """When the clock starts and from what; the time is ``None`` when the recording has no time at all."""
    if anchor == RETURN_OR_CAPTURE and remote_work and returned_at is not None:
        return returned_at, "return"
    return captured_end or captured_start, "capture"


def upload_due(rule: UploadDeadline, anchor_at: datetime) -> datetime:
    """The last on-time instant (an exact duration, Beijing time)."""
    return due_hours_after(anchor_at, rule.hours)

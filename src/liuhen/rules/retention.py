"""How long an A/V record must be kept, derived from the profile's ``retention`` rules (pure).

The ``retention`` evaluator checks a stored record after the fact; this module answers the question
intake has to answer up front: until when must the write-once copy be locked?

* A case carrying any flag a ``retention`` rule lists in ``long_term_flags`` (e.g. longjiang-cg§19:
  the recording is used as evidence, the party sought review or litigation, obstruction, an emergency
  incident, a major or complex case) must be kept long-term: :func:`minimum_retention` returns ``None``.
* Otherwise the longest ``min_months`` of the profile's ``retention`` rules counts from the capture
  time (calendar months in Asia/Shanghai, as :func:`liuhen.rules.deadlines.due_months_after`).
* A profile without either demands nothing beyond the capture itself: the capture time is returned.

Rule ``guards`` and ``applies_to`` are deliberately not evaluated here: keeping a record longer than
strictly needed is harmless, keeping it shorter is not.

S3 Object Lock needs a date, so "long-term" is locked for :data:`LONG_TERM_YEARS` years
(:func:`lock_until`). COMPLIANCE retention can be extended later but never shortened, so the horizon is
a floor the agency can lengthen, not a deletion date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from liuhen.rules.deadlines import due_months_after, to_local
from liuhen.rules.profile import Profile

RETENTION_KIND = "retention"
LONG_TERM_YEARS = 30


def long_term_flags(profile: Profile) -> frozenset[str]:
    """Every case flag that makes the profile demand long-term retention."""
    return frozenset(
        str(flag)
        for rule in profile.rules
        if rule.kind == RETENTION_KIND
        for flag in rule.params.get("long_term_flags", ())
    )


def minimum_months(profile: Profile) -> int | None:
    """The longest ``min_months`` among the profile's retention rules; ``None`` when none sets one."""
    months = [
        int(rule.params["min_months"])
        for rule in profile.rules
        if rule.kind == RETENTION_KIND and "min_months" in rule.params
    ]
    return max(months) if months else None


def minimum_retention(
    profile: Profile, *, case_flags: Iterable[str], captured_at: datetime
) -> datetime | None:
    """The earliest moment the record may be released under ``profile``; ``None`` means long-term.

    ``captured_at`` must be timezone-aware (the end of the recording when known). Without a
    ``min_months`` rule the capture time itself is returned (the profile sets no minimum).
    """
    if not long_term_flags(profile).isdisjoint(case_flags):
        return None
    months = minimum_months(profile)
    if months is None:
        return to_local(captured_at)
    return due_months_after(captured_at, months)


def lock_until(minimum: datetime | None, *, now: datetime, floor_days: int) -> datetime:
    """The Object Lock date: the later of ``minimum`` and ``now + floor_days``.

    ``minimum=None`` (long-term) locks for :data:`LONG_TERM_YEARS` calendar years from ``now``.
    """
    if minimum is None:
        return due_months_after(now, LONG_TERM_YEARS * 12)
    floor = to_local(now) + timedelta(days=floor_days)
    return max(floor, to_local(minimum))

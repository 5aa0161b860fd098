"""``deadline``: something must happen within hours / calendar days / months of an anchor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules import deadlines
from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import instance_ids, make_finding
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import MediaSnap
from liuhen.rules.upload import RETURN_OR_CAPTURE, upload_anchor


def anchor_time(name: str, ctx: CaseIndex, instance: Any) -> datetime | None:
    case = ctx.snapshot
    if name.startswith("case."):
        return getattr(case, name[5:])
    if name in ("media.captured_end", RETURN_OR_CAPTURE):  # the upload clock: one anchor everywhere
        if not isinstance(instance, MediaSnap):
            return None
        return upload_anchor(
            name,
            captured_start=instance.captured_start,
            captured_end=instance.captured_end,
            remote_work=instance.remote_work,
            returned_at=instance.returned_at,
        )[0]
    if name == "document.created_at":
        return instance.created_at if instance is not None else None
    if name == "document.due_date":
        value = instance.fields.get("due_date") if instance is not None else None
        return deadlines.due_date_end(value) if value else None
    raise KeyError(name)


def completion_time(name: str, ctx: CaseIndex, instance: Any) -> datetime | None:
    if name == "case.archived_at":
        return ctx.snapshot.archived_at
    if name == "media.uploaded_at":
        return instance.uploaded_at if isinstance(instance, MediaSnap) else None
    kind, _, code = name.partition(":")
    if kind == "approval":
        times = [a.decided_at for a in ctx.approvals_by_kind.get(code, ()) if a.decided_at is not None]
    else:
        times = [d.created_at for d in ctx.docs(code)]
    return min(times) if times else None


def due_time(params: Any, anchor: datetime) -> datetime:
    if "hours" in params:
        return deadlines.due_hours_after(anchor, params["hours"])
    if "days" in params:
        return deadlines.due_days_after(anchor, params["days"])
    return deadlines.due_months_after(anchor, params["months"])


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding | None:
    params = crule.rule.params
    anchor = anchor_time(params["anchor"], ctx, instance)
    if anchor is None:
        return None
    due = due_time(params, anchor)
    done = completion_time(params["complete"], ctx, instance)
    ids = instance_ids(instance)
    stamp = due.strftime("%Y-%m-%d %H:%M:%S")
    if done is not None:
        if deadlines.is_on_time(done, due):
            return make_finding(crule, "satisfied", f"已于期限（{stamp}）内完成", ids, due)
        return make_finding(crule, "violated", f"逾期完成（期限 {stamp}）", ids, due)
    if deadlines.to_local(now) > due:
        return make_finding(crule, "overdue", f"已超过期限 {stamp} 仍未完成", ids, due)
    return make_finding(crule, "pending", f"应于 {stamp} 前完成", ids, due)

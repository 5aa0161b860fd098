"""``required_av``: an A/V record of an activity must exist, linked to the triggering record.

``unsuitable_reason_allowed`` lets a written ``av_unsuitable_reason`` document whose ``activity``
field names the same activity stand in for the recording (dalian-cg§11).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liuhen.rules.codes import ACTIVITY_TITLES
from liuhen.rules.compile import CompiledRule
from liuhen.rules.context import CaseIndex
from liuhen.rules.evaluators.base import instance_ids, make_finding, unmet_status
from liuhen.rules.findings import Finding
from liuhen.rules.snapshot import DocumentSnap, MediaSnap


def _candidates(ctx: CaseIndex, activity: str, instance: Any, linked: bool) -> list[MediaSnap]:
    media = ctx.media_by_activity.get(activity, ())
    if linked and isinstance(instance, DocumentSnap):
        return [m for m in media if instance.id in m.document_ids]
    return list(media)


def _device_count(media: list[MediaSnap]) -> int:
    return len({m.device_no or f"#{m.id}" for m in media})


def _written_reason(ctx: CaseIndex, activity: str, instance: Any) -> DocumentSnap | None:
    for doc in ctx.docs("av_unsuitable_reason"):
        if doc.fields.get("activity") != activity:
            continue
        target = doc.fields.get("document_id")
        if target is None or not isinstance(instance, DocumentSnap) or target == instance.id:
            return doc
    return None


def evaluate(crule: CompiledRule, ctx: CaseIndex, instance: Any, now: datetime) -> Finding:
    params = crule.rule.params
    activity = params["activity"]
    title = ACTIVITY_TITLES[activity]
    needed = params.get("min_devices", 1)
    media = _candidates(ctx, activity, instance, params.get("match", "linked") == "linked")
    own = instance_ids(instance)
    if _device_count(media) >= needed:
        ids = own + tuple(m.id for m in media if m.id not in own)
        return make_finding(crule, "satisfied", f"已有{title}音像记录", ids)
    if params.get("unsuitable_reason_allowed"):
        reason = _written_reason(ctx, activity, instance)
        if reason is not None:
            return make_finding(
                crule, "satisfied", f"{title}不适宜音像记录，已书面记录原因", own + (reason.id,)
            )
    detail = f"缺少{title}音像记录" if needed <= 1 else f"{title}需 {needed} 台设备多角度记录"
    return make_finding(crule, unmet_status(crule, ctx), detail, own)

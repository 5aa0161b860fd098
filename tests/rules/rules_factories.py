"""Small factories for engine snapshots: sensible defaults, override what the test is about."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from liuhen.rules import Finding, Profile, evaluate, load_profile
from liuhen.rules.deadlines import CHINA_TZ
from liuhen.rules.snapshot import (
    ApprovalSnap,
    CaseSnapshot,
    DocumentSnap,
    InterruptionSnap,
    MediaSnap,
    RefusalSnap,
    SignatureSnap,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=CHINA_TZ)
_ids = count(1)
_PROFILES: dict[str, Profile] = {}


def profile(profile_id: str) -> Profile:
    if profile_id not in _PROFILES:
        _PROFILES[profile_id] = load_profile(profile_id)
    return _PROFILES[profile_id]


def at(hours: float = 0, *, days: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, days=days)


def sig(
    role: str, method: str = "handwritten_scan", name: str = "", when: datetime | None = T0
) -> SignatureSnap:
    return SignatureSnap(role=role, method=method, signed_at=when, signer_name=name or role)


def doc(doc_type: str, *, id: str | None = None, created_at: datetime = T0, **kwargs: Any) -> DocumentSnap:
    fields = kwargs.pop("fields", {})
    return DocumentSnap(
        id=id or f"d{next(_ids)}", type=doc_type, created_at=created_at, fields=fields, **kwargs
    )


def signed_record(doc_type: str, **kwargs: Any) -> DocumentSnap:
    """An investigation record with two officers identified and everybody signed."""
    fields = {
        "officers": ["王一", "李二"],
        "certificate_nos": ["21000001", "21000002"],
        "certificates_shown": True,
        "sample_list": ["样品1"],
        **kwargs.pop("fields", {}),
    }
    signatures = kwargs.pop(
        "signatures", (sig("officer", name="王一"), sig("officer", name="李二"), sig("party"))
    )
    return doc(doc_type, fields=fields, signatures=signatures, **kwargs)


def media(activity: str, *, document_ids: tuple[str, ...] = (), **kwargs: Any) -> MediaSnap:
    start = kwargs.pop("captured_start", T0)
    end = kwargs.pop("captured_end", start + timedelta(minutes=30))
    kwargs.setdefault("uploaded_at", end + timedelta(hours=1))
    kwargs.setdefault("device_no", f"DEV-{next(_ids)}")
    return MediaSnap(
        id=kwargs.pop("id", f"m{next(_ids)}"),
        activity=activity,
        captured_start=start,
        captured_end=end,
        document_ids=document_ids,
        **kwargs,
    )


def approval(kind: str, *, when: datetime | None = T0, actor: str = "", **kwargs: Any) -> ApprovalSnap:
    return ApprovalSnap(
        id=kwargs.pop("id", f"a{next(_ids)}"),
        kind=kind,
        decision=kwargs.pop("decision", "approve"),
        opinion=kwargs.pop("opinion", "同意"),
        decided_at=when,
        actor_name=actor or kind,
        **kwargs,
    )


def interruption(*, resumed: bool, **kwargs: Any) -> InterruptionSnap:
    return InterruptionSnap(
        id=kwargs.pop("id", f"i{next(_ids)}"),
        media_id=kwargs.pop("media_id", "m0"),
        reason=kwargs.pop("reason", "电量不足"),
        interrupted_at=T0,
        resumed_at=T0 + timedelta(minutes=5) if resumed else None,
        **kwargs,
    )


def refusal(role: str = "party", cosigning: int = 2) -> RefusalSnap:
    return RefusalSnap(signer_role=role, reason="拒绝签字", cosigning_officers=cosigning)


def case(profile_id: str, **kwargs: Any) -> CaseSnapshot:
    defaults: dict[str, Any] = {
        "id": f"c{next(_ids)}",
        "profile_id": profile_id,
        "case_no": "2024-001",
        "procedure": "general",
        "initiation_kind": "ex_officio",
        "stage": "investigation",
        "opened_at": T0,
    }
    defaults.update(kwargs)
    if "flags" in defaults:
        defaults["flags"] = frozenset(defaults["flags"])
    return CaseSnapshot(**defaults)


def findings_for(
    profile_id: str, snapshot: CaseSnapshot, rule_id: str, *, now: datetime | None = None
) -> list[Finding]:
    found = evaluate(snapshot, profile(profile_id), now=now or at(days=1))
    return [f for f in found if f.rule_id == rule_id]


def statuses(
    profile_id: str, snapshot: CaseSnapshot, rule_id: str, *, now: datetime | None = None
) -> list[str]:
    return [f.status for f in findings_for(profile_id, snapshot, rule_id, now=now)]


def has_rule(profile_id: str, rule_id: str) -> bool:
    return any(r.id == rule_id for r in profile(profile_id).rules)


ALL_PROFILES = ("dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg")


def profiles_with(rule_id: str) -> list[str]:
    return [p for p in ALL_PROFILES if has_rule(p, rule_id)]

"""The rows of governed access (issue #13) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` (kept apart so that the two apps of
the issue, grants and disclosure, add their tables here rather than in the long list)."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked, _cols

TRACKED: tuple[Tracked, ...] = (
    Tracked(
        "access_request",
        "grants.AccessRequest",
        _cols("agency_id number kind reason days recipient recipient_kind requested_by_id requested_at"),
        agency="agency_id",
    ),
    Tracked(
        "access_item",
        "grants.AccessRequestItem",
        _cols("request_id case_id document_id media_id"),
        agency="request__agency_id",
        case="case_id",
    ),
    Tracked(
        "access_decision",
        "grants.AccessDecision",
        _cols("request_id approved opinion expires_at role basis decided_by_id decided_at"),
        agency="request__agency_id",
    ),
    Tracked(
        "access_revocation",
        "grants.AccessRevocation",
        _cols("request_id reason revoked_by_id revoked_at"),
        agency="request__agency_id",
    ),
    Tracked(
        "access_delivery",
        "grants.AccessDelivery",
        _cols("request_id sha256 size manifest_sha256 files handed_to made_by_id made_at"),
        agency="request__agency_id",
    ),
)

STATE_ACTIONS: frozenset[str] = frozenset(
    {"access.requested", "access.item", "access.decided", "access.revoked", "access.delivered"}
)

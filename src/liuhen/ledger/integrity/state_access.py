"""The rows of governed access (issue #13) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` (kept apart so that the two apps of
the issue, grants and disclosure, add their tables here rather than in the long list)."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked, _cols

TRACKED: tuple[Tracked, ...] = (
    # staff requests (调阅/复制/对外提供), liuhen.grants
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
    # parties' and agents' requests (依申请公开), liuhen.disclosure
    Tracked(
        "disclosure_request",
        "disclosure.DisclosureRequest",
        _cols(
            "agency_id number year seq case_id party_id requester_kind requester_name requester_id_type "
            "requester_id_number requester_phone requester_address asked_for items received_on due_on "
            "due_provisional registered_at registered_by_id"
        ),
        agency="agency_id",
        case="case_id",
    ),
    Tracked(
        "disclosure_attachment",
        "disclosure.DisclosureAttachment",
        _cols("request_id kind sha256 size media_type original_filename added_at added_by_id"),
        agency="request__agency_id",
    ),
    Tracked(
        "disclosure_extension",
        "disclosure.DisclosureExtension",
        _cols("request_id reason due_on due_provisional approved_at approved_by_id"),
        agency="request__agency_id",
    ),
    Tracked(
        "disclosure_decision",
        "disclosure.DisclosureDecision",
        _cols("request_id outcome reason note items decided_at decided_by_id"),
        agency="request__agency_id",
    ),
    Tracked(
        "disclosure_approval",
        "disclosure.DisclosureApproval",
        _cols("decision_id approved note at by_id"),
        agency="decision__request__agency_id",
    ),
    Tracked(
        "disclosure_redaction",
        "disclosure.DisclosureRedaction",
        _cols(
            "request_id source_kind source_id original_sha256 spec sha256 size media_type made_at made_by_id"
        ),
        agency="request__agency_id",
    ),
    Tracked(
        "disclosure_delivery",
        "disclosure.DisclosureDelivery",
        _cols("request_id method recipient sha256 size manifest_sha256 files delivered_at delivered_by_id"),
        agency="request__agency_id",
    ),
)

STATE_ACTIONS: frozenset[str] = frozenset(
    {
        "access.requested",
        "access.item",
        "access.decided",
        "access.revoked",
        "access.delivered",
        "disclosure.registered",
        "disclosure.attached",
        "disclosure.extended",
        "disclosure.decided",
        "disclosure.approved",
        "disclosure.approval_refused",
        "disclosure.redacted",
        "disclosure.delivered",
    }
)

"""The codes the rule engine and the profile validator accept: the shared vocabulary of
:mod:`liuhen.core.codes` and the catalogue's document types, plus the engine's own (rule kinds, statuses)."""

from __future__ import annotations

from liuhen.catalogue import CATALOGUE
from liuhen.core import codes

STAGES: tuple[str, ...] = codes.STAGES
STAGE_INDEX: dict[str, int] = {stage: i for i, stage in enumerate(STAGES)}

PROCEDURES = frozenset(codes.PROCEDURES)
INITIATION_KINDS = frozenset(code for code, _ in codes.INITIATION_KINDS)
SIGNER_ROLES = frozenset(code for code, _ in codes.SIGNER_ROLES)
SIGNATURE_METHODS = frozenset(code for code, _ in codes.SIGNATURE_METHODS)
APPROVAL_KINDS = frozenset(code for code, _ in codes.APPROVAL_KINDS)
DECISIONS = frozenset(code for code, _ in codes.APPROVAL_DECISIONS)

DOCUMENT_TITLES: dict[str, str] = {code: doc_type.title for code, doc_type in CATALOGUE.items()}
DOCUMENT_TYPES = frozenset(DOCUMENT_TITLES)

ACTIVITY_TITLES: dict[str, str] = dict(codes.AV_ACTIVITIES)
ACTIVITIES = frozenset(ACTIVITY_TITLES)

SERVICE_METHODS = frozenset(codes.SERVICE_METHODS)
ENFORCEMENT_METHODS = frozenset(codes.ENFORCEMENT_METHODS)
CASE_FLAGS = frozenset(code for code, _ in codes.CASE_FLAGS)

INTEGRITY_EVENT_CODES = frozenset(
    {
        "record_deleted",
        "record_altered",
        "ledger_mismatch",
        "media_hash_mismatch",
        "unrelated_recording",
        "unauthorised_disclosure",
        "record_lost",
    }
)

PROFILE_IDS = codes.PROFILE_IDS

RULE_KINDS = (
    "required_document",
    "required_field",
    "required_signatures",
    "required_av",
    "deadline",
    "retention",
    "approval_chain",
    "prohibition",
)
SEVERITIES = frozenset({"error", "warning"})
STATUSES = ("satisfied", "missing", "overdue", "pending", "violated")
UNMET_STATUSES = frozenset({"missing", "overdue", "pending"})

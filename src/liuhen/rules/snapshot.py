"""Plain, frozen input records for the compliance engine.

The Django layer builds these from its models; the engine never sees a model. All datetimes are
timezone-aware. ``fields`` / ``labels`` are plain mappings of JSON-like values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class SignatureSnap:
    """One signature on a document: who (signer role), how (method) and when."""

    role: str
    method: str
    signed_at: datetime | None = None
    signer_name: str = ""


@dataclass(frozen=True, slots=True)
class RefusalSnap:
    """A recorded refusal to sign, with the number of officers who co-signed the note."""

    signer_role: str
    reason: str
    cosigning_officers: int = 0


@dataclass(frozen=True, slots=True)
class DocumentSnap:
    """A text record (文书) of one document type with its typed fields."""

    id: str
    type: str
    created_at: datetime
    fields: Mapping[str, Any] = field(default_factory=dict)
    signatures: tuple[SignatureSnap, ...] = ()
    refusals: tuple[RefusalSnap, ...] = ()
    amendments: int = 0


@dataclass(frozen=True, slots=True)
class ApprovalSnap:
    """One internal approval step (承办/审核/批准/法制审核/集体讨论/负责人审批/补报)."""

    id: str
    kind: str
    decision: str
    opinion: str
    decided_at: datetime | None
    actor_name: str
    document_id: str | None = None


@dataclass(frozen=True, slots=True)
class MediaSnap:
    """An audio/video record (音像记录) and its labels."""

    id: str
    activity: str
    captured_start: datetime
    captured_end: datetime
    uploaded_at: datetime | None = None
    remote_work: bool = False
    returned_at: datetime | None = None
    device_no: str = ""
    officers: tuple[str, ...] = ()
    document_ids: tuple[str, ...] = ()
    retention_until: datetime | None = None  # None: no expiry set (kept long-term)
    has_spoken_interruption_explanation: bool = False
    offline_copy: bool = False  # a copy exists on optical disc / removable media
    labels: Mapping[str, Any] = field(default_factory=dict)  # unit, case_cause, party, title …


@dataclass(frozen=True, slots=True)
class TransitionSnap:
    """A stage transition as it happened."""

    from_stage: str
    to_stage: str
    at: datetime
    reason: str = ""
    override: bool = False


@dataclass(frozen=True, slots=True)
class InterruptionSnap:
    """An interruption of an A/V recording (R3.4)."""

    id: str
    media_id: str
    reason: str
    interrupted_at: datetime
    resumed_at: datetime | None = None
    spoken_explanation: bool = False
    reported_to_head_at: datetime | None = None
    statement_document_id: str | None = None

    @property
    def resumed(self) -> bool:
        return self.resumed_at is not None


@dataclass(frozen=True, slots=True)
class IntegrityEventSnap:
    """A tamper/integrity finding detected elsewhere (ledger verifier, DB triggers, access log)."""

    code: str
    record_id: str
    detected_at: datetime
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """Everything the engine needs to know about one case."""

    id: str
    profile_id: str
    case_no: str
    procedure: str
    initiation_kind: str
    stage: str
    opened_at: datetime
    cause: str = ""
    is_real_name_complaint: bool = False
    complaint_investigated: bool = False
    emergency_start: bool = False
    emergency_started_at: datetime | None = None
    flags: frozenset[str] = frozenset()
    enforcement_ended_at: datetime | None = None
    archived_at: datetime | None = None
    documents: tuple[DocumentSnap, ...] = ()
    approvals: tuple[ApprovalSnap, ...] = ()
    media: tuple[MediaSnap, ...] = ()
    transitions: tuple[TransitionSnap, ...] = ()
    interruptions: tuple[InterruptionSnap, ...] = ()
    integrity_events: tuple[IntegrityEventSnap, ...] = ()

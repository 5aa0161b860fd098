"""Build the rule engine's :class:`CaseSnapshot` from the database, in a fixed number of queries.

Record ids in a snapshot are prefixed with their kind (``document:12``, ``media:5``,
``approval:3``, ``interruption:2``) so that a finding's record ids say what they point at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import JSONField, OuterRef, Subquery

from liuhen.cases.models import (
    Amendment,
    ApprovalStep,
    Case,
    Document,
    Party,
    Signature,
    SignatureRefusal,
    StageTransition,
)
from liuhen.cases.selectors import active_assignments
from liuhen.catalogue import get_type
from liuhen.catalogue.signoffs import Step, with_signoffs
from liuhen.catalogue.versions import current_fields
from liuhen.compliance.fields import DocFacts, rule_fields
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.selectors import active_document_links, case_media_all
from liuhen.rules.codes import ACTIVITY_TITLES
from liuhen.rules.snapshot import (
    ApprovalSnap,
    CaseSnapshot,
    DocumentSnap,
    IntegrityEventSnap,
    InterruptionSnap,
    MediaSnap,
    RefusalSnap,
    SignatureSnap,
    TransitionSnap,
)

_PARTY_MARKS = frozenset({"fingerprint", "seal"})
_KIND_LABELS = dict(MediaRecord.Kind.choices)


def doc_ref(pk: Any) -> str:
    return f"document:{pk}"


def media_ref(pk: Any) -> str:
    return f"media:{pk}"


def _interruption_model() -> Any:
    """The evidence app's ``Interruption`` model, where that app is installed."""
    try:
        return apps.get_model("evidence", "Interruption")
    except LookupError:
        return None


def _name(full_name: str, username: str) -> str:
    return full_name or username  # User.display_name


def _grouped(rows: Any, key: str) -> defaultdict[Any, list[dict[str, Any]]]:
    groups: defaultdict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def case_snapshot(case: Case) -> CaseSnapshot:
    """Everything the engine needs about ``case``, as it stands in the database now.

    Read as plain rows (``values()``), one query per table whatever the case's size: building model
    instances would cost more than evaluating every rule of the profile."""
    row = (
        Case.objects.filter(pk=case.pk)
        .values(
            "pk",
            "case_no",
            "procedure",
            "initiation_kind",
            "stage",
            "opened_at",
            "cause",
            "flags",
            "is_real_name_complaint",
            "emergency_start",
            "emergency_started_at",
            "enforcement_ended_at",
            "archived_at",
            "agency__profile_id",
            "unit__name",
        )
        .get()
    )
    # plain dicts, not the plugin's TypedDict rows: ``_apply_amendments`` adds an ``amendments`` key
    documents: list[dict[str, Any]] = [
        dict(d)
        for d in Document.objects.filter(case_id=case.pk)
        .order_by("created_at", "id")
        .values("pk", "doc_type", "fields", "created_at", "created_by__full_name", "created_by__username")
    ]
    approvals = list(
        ApprovalStep.objects.filter(case_id=case.pk)
        .order_by("decided_at", "id")
        .values(
            "pk",
            "kind",
            "decision",
            "opinion",
            "decided_at",
            "document_id",
            "actor__full_name",
            "actor__username",
        )
    )
    _apply_amendments(documents, case.pk)
    interruptions = interruption_snaps(case.pk, {d["pk"]: d["fields"] for d in documents})
    explained = {i.media_id for i in interruptions if i.spoken_explanation and i.media_id}
    parties = "、".join(Party.objects.filter(cases=case.pk).order_by("pk").values_list("name", flat=True))
    return CaseSnapshot(
        id=str(row["pk"]),
        profile_id=row["agency__profile_id"],
        case_no=row["case_no"],
        procedure=row["procedure"],
        initiation_kind=row["initiation_kind"],
        stage=row["stage"],
        opened_at=row["opened_at"],
        cause=row["cause"],
        is_real_name_complaint=row["is_real_name_complaint"],
        complaint_investigated=_complaint_investigated(documents),
        emergency_start=row["emergency_start"],
        emergency_started_at=row["emergency_started_at"],
        flags=frozenset(row["flags"] or ()),
        enforcement_ended_at=row["enforcement_ended_at"],
        archived_at=row["archived_at"],
        documents=_document_snaps(case.pk, documents, approvals),
        approvals=tuple(_approval_snap(a) for a in approvals),
        media=_media_snaps(case.pk, row, parties, documents, explained),
        transitions=tuple(
            TransitionSnap(*t)
            for t in StageTransition.objects.filter(case_id=case.pk)
            .order_by("at", "id")
            .values_list("from_stage", "to_stage", "at", "reason", "override")
        ),
        interruptions=interruptions,
        integrity_events=integrity_event_snaps(case),
    )


def _apply_amendments(documents: list[dict[str, Any]], case_id: int) -> None:
    """Each document's current fields (every amendment applied, oldest first, by
    :func:`liuhen.catalogue.versions.current_fields`) and its party marks at the changes."""
    amendments = _grouped(
        Amendment.objects.filter(document__case_id=case_id)
        .order_by("amended_at", "id")
        .values("document_id", "changes", "amended_at", "party_ack_method", "party_ack_name"),
        "document_id",
    )
    for doc in documents:
        doc["amendments"] = amendments.get(doc["pk"], [])
        if doc["amendments"]:
            doc["fields"] = current_fields(doc["fields"], [a["changes"] for a in doc["amendments"]])


def _complaint_investigated(documents: Sequence[Mapping[str, Any]]) -> bool:
    """A complaint is investigated unless its latest registration form says it was not filed."""
    registrations = [d for d in documents if d["doc_type"] == "complaint_registration"]
    return not registrations or registrations[-1]["fields"].get("handling_proposal") != "not_filed"


class _Fields:
    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields


def _document_snaps(
    case_id: int, documents: list[dict[str, Any]], approvals: Sequence[Mapping[str, Any]]
) -> tuple[DocumentSnap, ...]:
    signatures = _grouped(
        Signature.objects.filter(document__case_id=case_id)
        .order_by("signed_at", "id")
        .values("document_id", "signer_role", "method", "signed_at", "signer_name", "cross_page_seal"),
        "document_id",
    )
    refusals = _grouped(
        SignatureRefusal.objects.filter(document__case_id=case_id)
        .order_by("noted_at", "id")
        .values("document_id", "refuser_role", "reason", "cosigner_1_id", "cosigner_2_id"),
        "document_id",
    )
    _apply_signoffs(documents, approvals)
    by_type: defaultdict[str, list[Any]] = defaultdict(list)
    for d in documents:
        by_type[d["doc_type"]].append(_Fields(d["fields"]))
    reviews = [a for a in approvals if a["kind"] == "review" and a["decision"] == "approve"]
    extra = {
        "unit_reviewer": _name(reviews[-1]["actor__full_name"], reviews[-1]["actor__username"])
        if reviews
        else None
    }
    return tuple(
        _document_snap(d, signatures.get(d["pk"], []), refusals.get(d["pk"], []), by_type, extra)
        for d in documents
    )


def _apply_signoffs(documents: list[dict[str, Any]], approvals: Sequence[Mapping[str, Any]]) -> None:
    """Each document's sign-off blocks (负责人意见 on a 立案审批表 …) from the approval steps recorded on it
    by their signers (:mod:`liuhen.catalogue.signoffs`): a rule reads what the head wrote, when the head
    wrote it, never a colleague's transcription."""
    steps: defaultdict[int, list[Step]] = defaultdict(list)
    for a in approvals:
        if a["document_id"] and a["decided_at"] is not None:
            name = _name(a["actor__full_name"], a["actor__username"])
            steps[a["document_id"]].append(Step(a["kind"], a["opinion"], a["decided_at"], name))
    for doc in documents:
        if doc["pk"] in steps:
            doc["fields"] = with_signoffs(get_type(doc["doc_type"]), doc["fields"], steps[doc["pk"]])


def _document_snap(
    doc: dict, signatures: list[dict], refusals: list[dict], by_type: Any, extra: dict
) -> DocumentSnap:
    facts = DocFacts(
        doc_type=doc["doc_type"],
        fields=doc["fields"],
        drafter=_name(doc["created_by__full_name"], doc["created_by__username"]),
        signatures=tuple((s["signer_role"], s["method"], s["cross_page_seal"]) for s in signatures),
    )
    sigs = [
        SignatureSnap(s["signer_role"], s["method"], s["signed_at"], s["signer_name"]) for s in signatures
    ]
    if any(s.role == "party" for s in sigs):
        # the party's 手印/印章 at a change is a party mark on the document (xinle-fg§14)
        sigs += [
            SignatureSnap("party", a["party_ack_method"], a["amended_at"], a["party_ack_name"])
            for a in doc["amendments"]
            if a["party_ack_method"] in _PARTY_MARKS
        ]
    return DocumentSnap(
        id=doc_ref(doc["pk"]),
        type=doc["doc_type"],
        created_at=doc["created_at"],
        fields=rule_fields(facts, by_type, extra),
        signatures=tuple(sigs),
        refusals=tuple(
            RefusalSnap(r["refuser_role"], r["reason"], len({r["cosigner_1_id"], r["cosigner_2_id"]}))
            for r in refusals
        ),
        amendments=len(doc["amendments"]),
    )


def _approval_snap(step: Mapping[str, Any]) -> ApprovalSnap:
    return ApprovalSnap(
        id=f"approval:{step['pk']}",
        kind=step["kind"],
        decision=step["decision"],
        opinion=step["opinion"],
        decided_at=step["decided_at"],
        actor_name=_name(step["actor__full_name"], step["actor__username"]),
        document_id=doc_ref(step["document_id"]) if step["document_id"] else None,
    )


_MEDIA_FIELDS = (
    "pk",
    "kind",
    "activity",
    "title",
    "device_no",
    "officers",
    "location",
    "captured_start",
    "captured_end",
    "remote_work",
    "returned_at",
    "linked_documents",
    "uploaded_at",
)


def _media_snaps(
    case_id: int,
    case: Mapping[str, Any],
    parties: str,
    documents: Sequence[Mapping[str, Any]],
    explained: set[str],
) -> tuple[MediaSnap, ...]:
    notified = {d["pk"] for d in documents if d["fields"].get("recording_notified")}
    link = active_assignments(case_id=case_id).filter(media_id=OuterRef("pk"))
    rows = (
        case_media_all(case_id)
        .annotate(
            link_activity=Subquery(link.values("activity")[:1]),
            link_documents=Subquery(link.values("linked_documents")[:1], output_field=JSONField()),
        )
        .values(*_MEDIA_FIELDS, "link_activity", "link_documents")
    )
    later = _documents_linked_later(case_id)
    return tuple(
        _media_snap(_with_link(m, later.get(m["pk"], [])), case, parties, notified, explained) for m in rows
    )


def _documents_linked_later(case_id: int) -> dict[int, list[int]]:
    """Documents linked to each record of the case after its upload (关联文书 on the case page)."""
    linked: dict[int, list[int]] = {}
    for media_id, documents in active_document_links(case_id=case_id).values_list("media_id", "documents"):
        linked.setdefault(media_id, []).extend(documents or [])
    return linked


def _with_link(m: dict, later: list[int]) -> dict:
    """A record assigned to the case after intake carries the labels given when it was assigned, and
    every record the documents linked to it since."""
    link_activity, link_documents = m.pop("link_activity"), m.pop("link_documents")
    linked = [*(m["linked_documents"] or []), *(link_documents or []), *later]
    return {**m, "activity": m["activity"] or link_activity or "", "linked_documents": linked}


def _media_snap(
    m: dict, case: Mapping[str, Any], parties: str, notified: set[int], explained: set[str]
) -> MediaSnap:
    """A/V with its labels; a record without capture times is taken as captured when uploaded."""
    end = m["captured_end"] or m["captured_start"] or m["uploaded_at"]
    linked = m["linked_documents"] or []
    labels = {
        "title": m["title"],
        "unit": case["unit__name"] or "",
        "case_cause": case["cause"],
        "party": parties,
        "place": m["location"],
        "matter": ACTIVITY_TITLES.get(m["activity"], "") or m["title"],
        "method": _KIND_LABELS.get(m["kind"], m["kind"]),
        "party_informed": any(pk in notified for pk in linked),
    }
    return MediaSnap(
        id=media_ref(m["pk"]),
        activity=m["activity"],
        captured_start=m["captured_start"] or end,
        captured_end=end,
        uploaded_at=m["uploaded_at"],
        remote_work=m["remote_work"],
        returned_at=m["returned_at"],
        device_no=m["device_no"],
        officers=tuple(m["officers"] or ()),
        document_ids=tuple(doc_ref(pk) for pk in linked),
        retention_until=None,  # no expiry is ever set: records are kept (append-only storage)
        has_spoken_interruption_explanation=media_ref(m["pk"]) in explained,
        offline_copy=False,  # Liuhen records no disc copies yet: long-term rules report them missing
        labels=labels,
    )


def interruption_snaps(
    case_id: int, document_fields: dict[int, dict[str, Any]]
) -> tuple[InterruptionSnap, ...]:
    """Interruptions of A/V recording (R3.4) from the evidence app's ``Interruption`` rows.

    The spoken explanation is the clip recorded on resuming; the report to the head is read from the
    written ``interruption_statement`` (its ``reported_to_head`` / ``reported_at`` fields).
    """
    model = _interruption_model()
    if model is None:
        return ()
    rows = (
        model.objects.filter(case_id=case_id)
        .order_by("interrupted_at", "id")
        .values("pk", "reason", "interrupted_at", "resumed_at", "explanation_media_id", "statement_id")
    )
    snaps = []
    for item in rows:
        statement = document_fields.get(item["statement_id"], {})
        reported = statement.get("reported_at") if statement.get("reported_to_head") else None
        clip = item["explanation_media_id"]
        snaps.append(
            InterruptionSnap(
                id=f"interruption:{item['pk']}",
                media_id=media_ref(clip) if clip else "",
                reason=item["reason"],
                interrupted_at=item["interrupted_at"],
                resumed_at=item["resumed_at"],
                spoken_explanation=clip is not None or bool(statement.get("spoken_explanation")),
                reported_to_head_at=_as_datetime(reported),
                statement_document_id=doc_ref(item["statement_id"]) if item["statement_id"] else None,
            )
        )
    return tuple(snaps)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def integrity_event_snaps(case: Case) -> tuple[IntegrityEventSnap, ...]:
    """Tamper findings about the case's records.

    Deleting or altering a record is rejected by the database (append-only triggers) and any change
    behind the application's back is detected by the ledger verifier; neither stores per-case events
    yet, so there is nothing to report here. A verifier that records events feeds them in here.
    """
    return ()

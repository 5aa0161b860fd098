"""Per-evaluation index over one case snapshot (built once, shared by all rules)."""

from __future__ import annotations

from collections import defaultdict

from liuhen.rules.codes import STAGE_INDEX
from liuhen.rules.snapshot import ApprovalSnap, CaseSnapshot, DocumentSnap, MediaSnap


class CaseIndex:
    """Lookups by document type, id, media activity and approval kind."""

    __slots__ = (
        "snapshot",
        "stage_index",
        "docs_by_type",
        "doc_by_id",
        "media_by_activity",
        "approvals_by_kind",
        "profile_params",
    )

    def __init__(self, snapshot: CaseSnapshot, *, stage: str | None = None, profile_params=None) -> None:
        self.snapshot = snapshot
        self.stage_index = STAGE_INDEX[stage or snapshot.stage]
        self.profile_params = profile_params or {}
        docs: defaultdict[str, list[DocumentSnap]] = defaultdict(list)
        for doc in snapshot.documents:
            docs[doc.type].append(doc)
        self.docs_by_type: dict[str, list[DocumentSnap]] = dict(docs)
        self.doc_by_id: dict[str, DocumentSnap] = {doc.id: doc for doc in snapshot.documents}
        media: defaultdict[str, list[MediaSnap]] = defaultdict(list)
        for item in snapshot.media:
            media[item.activity].append(item)
        self.media_by_activity: dict[str, list[MediaSnap]] = dict(media)
        approvals: defaultdict[str, list[ApprovalSnap]] = defaultdict(list)
        for approval in snapshot.approvals:
            approvals[approval.kind].append(approval)
        self.approvals_by_kind: dict[str, list[ApprovalSnap]] = dict(approvals)

    def docs(self, doc_type: str) -> list[DocumentSnap]:
        return self.docs_by_type.get(doc_type, [])

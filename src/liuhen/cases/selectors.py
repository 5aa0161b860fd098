"""Every read of cases and records, through the one access layer (standing rule 3).

Scope comes from :mod:`liuhen.access.scope`; anything outside it is reported as not found (404),
never as forbidden, so its existence does not leak. The selectors that return confidential records,
personal data or A/V log the read themselves (:mod:`liuhen.access.reads`), and return personal data
masked to roles the role table does not clear (``personal.view``).

``action="view"`` returns records for showing (masked, reads logged); ``action="change"`` returns the
stored rows unmasked, for a service about to write, and only inside the user's own agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from liuhen.access import Read, log_reads, scope
from liuhen.access.masking import (
    holds_personal,
    mask_changes,
    mask_fields,
    mask_value,
    personal_blanks,
)
from liuhen.access.scope import Action, active_assignments
from liuhen.accounts.models import User
from liuhen.accounts.roles import APPROVAL_KIND_LABELS, Permission
from liuhen.cases import search
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Amendment, ApprovalStep, Case, Document, Party, SignatureMark, SignedCopy
from liuhen.catalogue import CATALOGUE, get_type, summary
from liuhen.catalogue.signoffs import SignedBlock, Step, signed_blocks
from liuhen.core.errors import NotFound
from liuhen.core.stages import STAGE_LABELS

__all__ = ["active_assignments"]


def visible_agency_ids(user: User) -> list[int]:
    return scope.visible_agency_ids(user)


def case_queryset(*, user: User, action: Action = "view") -> QuerySet[Case]:
    return scope.cases(user, action)


@dataclass(frozen=True)
class CaseFilters:
    stage: str | None = None
    procedure: str | None = None
    year: int | None = None
    q: str | None = None
    handler_id: int | None = None


CONFIDENTIAL_LISTED = "（涉密案件）"


class ListedCases(QuerySet[Case]):
    """Rows of a case list: a confidential case shows its number and stage, never its cause or
    summary (opening the case is the read, and it is logged)."""

    def _fetch_all(self) -> None:
        super()._fetch_all()  # type: ignore[misc]
        for case in self._result_cache or ():  # type: ignore[attr-defined]
            if isinstance(case, Case) and case.confidential:
                case.cause, case.summary, case.source = CONFIDENTIAL_LISTED, "", ""


def case_list(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see, narrowed by ``filters``, newest first (``-opened_at, -id``: read a
    page at a time with :func:`liuhen.core.keyset.page`; migration 0013 indexes each filter with that
    order, per agency)."""
    filters = filters or CaseFilters()
    qs = case_queryset(user=user).select_related("agency", "handler", "unit")
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.procedure:
        qs = qs.filter(procedure=filters.procedure)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.handler_id:
        qs = qs.filter(handler_id=filters.handler_id)
    if filters.q and filters.q.strip():
        qs = qs.filter(_matching(user, filters.q.strip()))
    return ListedCases(model=Case, query=qs.query, using=qs.db)


NUMBERED_TYPES = tuple(
    code for code, spec in CATALOGUE.items() if any(f.name == "doc_number" for f in spec.fields)
)


def _matching(user: User, q: str) -> Q:
    """Cases found by ``q``: the case number (contains) on any case; on cases that are not
    confidential (whose listing hides what they are about), also the cause or a party's name
    (contains; a search shorter than three characters finds the names that begin with it), a party's
    ID number (in full, and only for roles cleared for personal data: others learn nothing from
    guessing numbers) and a document's 文号 (in full, as printed). Text is looked up in trigram
    indexes (:mod:`liuhen.cases.search`)."""
    people = search.party_name(q)
    if user.can(Permission.PERSONAL_DATA_VIEW):
        people |= search.id_number(q)
    parties = scope.parties(user).filter(people)
    about = (
        search.case_text("cause", q)
        | search.ids_q(search.cases_of_parties(parties))
        | search.documents_numbered(user, q, NUMBERED_TYPES)
    )
    return search.case_text("case_no", q) | (Q(confidential=False) & about)


def case_get(
    *,
    user: User,
    case_id: int | None = None,
    case_no: str | None = None,
    action: Action = "view",
    purpose: str = "viewed",
) -> Case:
    """One case in scope; viewing a confidential case is a logged read."""
    qs = case_queryset(user=user, action=action).select_related("agency", "handler", "unit", "opened_by")
    # a case number is unique within its agency; a supervisor seeing two agencies takes the first
    found = qs.filter(pk=case_id) if case_id is not None else qs.filter(case_no=case_no).order_by("pk")
    case = found.first()
    if case is None:
        raise NotFound(f"案件 {case_id if case_id is not None else case_no} 不存在")
    if action == "view" and case.confidential:
        log_reads(user=user, reads=[Read(case, ("confidential",))], purpose=purpose)
    return case


def _personal_cleared(user: User) -> bool:
    return user.can(Permission.PERSONAL_DATA_VIEW)


def _shown_documents(user: User, docs: list[Document], purpose: str) -> list[Document]:
    """Documents as ``user`` may see them: personal data masked unless cleared; the reads of
    confidential documents and of cleared personal data logged (one entry per case, listing them)."""
    cleared = _personal_cleared(user)
    reads = []
    for doc in docs:
        spec = get_type(doc.doc_type)
        personal = False
        if personal_blanks(spec):
            amendments = _prefetched_amendments(doc)
            values = _all_values(doc.fields, amendments) if amendments else doc.fields
            personal = holds_personal(spec, values)
            if personal and not cleared:
                _masked(doc, amendments)
        reasons = (("confidential",) if doc.confidential else ()) + (
            ("personal",) if personal and cleared else ()
        )
        if reasons:
            reads.append(Read(doc, reasons, case=doc.case))
    log_reads(user=user, reads=reads, purpose=purpose)
    return docs


def _prefetched_amendments(doc: Document) -> list[Amendment]:
    """The document's amendments, from the prefetch when there is one (no queryset clone per document)."""
    cached = getattr(doc, "_prefetched_objects_cache", {}).get("amendments")
    return list(cached) if cached is not None else list(doc.amendments.all())


def _all_values(fields: dict[str, Any], amendments: list[Amendment]) -> dict[str, Any]:
    """The document's fields and every value an amendment brought in (so a masked copy hides both)."""
    values = dict(fields)
    for amendment in amendments:
        for name, change in amendment.changes.items():
            values.setdefault(name, change.get("to"))
    return values


def _masked(doc: Document, amendments: list[Amendment]) -> Document:
    """``doc`` with personal values masked in its fields and its amendments' changes — in place: the
    selectors load the rows themselves and hand them to no one else, and a masked row can never be
    written back (record tables refuse UPDATE, and services refuse a row marked masked)."""
    spec = get_type(doc.doc_type)
    stored = doc.fields
    doc.fields = mask_fields(spec, stored)
    for amendment in amendments:
        amendment.changes = mask_changes(spec, amendment.changes, stored)
    doc._liuhen_masked = True  # type: ignore[attr-defined]  # services refuse masked copies
    return doc


_DOCUMENT_PREFETCH = (
    "signatures",
    "refusals__cosigner_1",
    "refusals__cosigner_2",
    "amendments__amended_by",
    "marks",
    "signed_copies__created_by",
    "approvals__actor",
)


def document_signoffs(document: Document) -> list[SignedBlock]:
    """The sign-off blocks of ``document`` its signers have given (负责人意见 …), from the approval steps
    recorded on it (prefetched with the document by :func:`document_get`/:func:`case_documents`)."""
    steps = [
        Step(a.kind, a.opinion, a.decided_at, a.actor.display_name)
        for a in document.approvals.all()
        if a.decided_at is not None
    ]
    return signed_blocks(get_type(document.doc_type), steps)


def document_get(
    *, user: User, document_id: int, action: Action = "view", purpose: str = "viewed"
) -> Document:
    """One document in scope. ``view``: masked as the user may see it, the read logged if the
    document is confidential or holds personal data the user is cleared for."""
    qs = scope.documents(user, action).select_related("case", "case__agency", "created_by")
    document = qs.prefetch_related(*_DOCUMENT_PREFETCH).filter(pk=document_id).first()
    if document is None:
        raise NotFound(f"文书 {document_id} 不存在")
    if action == "change":
        return document
    return _shown_documents(user, [document], purpose)[0]


def case_documents(*, user: User, case: Case, purpose: str = "viewed") -> list[Document]:
    """The documents of ``case`` that ``user`` may see, oldest first, shown as :func:`document_get`."""
    documents = (
        scope.documents_of(user, case)
        .select_related("created_by")
        .prefetch_related(*_DOCUMENT_PREFETCH)
        .order_by("created_at", "id")
    )
    docs = list(documents)
    for doc in docs:
        doc._state.fields_cache["case"] = case  # loaded (and scoped) by the caller; no FK __set__ checks
    return _shown_documents(user, docs, purpose)


# --- what signers left: drawn signatures, fingerprints, seals, signed paper copies ----------------


def _require_visible(user: User, document: Document) -> None:
    """``document`` must be one ``user`` may see (it may come from anywhere: check, do not trust)."""
    if not scope.documents(user, case_id=document.case_id).filter(pk=document.pk).exists():
        raise NotFound(f"文书 {document.pk} 不存在")


def _related(document: Document, name: str) -> list[Any] | None:
    cached = getattr(document, "_prefetched_objects_cache", {}).get(name)
    return list(cached) if cached is not None else None


def document_marks(user: User, document: Document) -> list[SignatureMark]:
    """The images signers left on ``document`` (drawn signatures with their strokes, fingerprints,
    seals), oldest first, each with ``signature_id``/``amendment_id`` saying what it attests. For the
    panel and for the PDF renderer, which places them in the signature blocks (bytes:
    :func:`mark_bytes`). Not a logged read by itself: whoever fetched ``document`` for showing did
    that (:func:`document_get`); the image content is logged where it is sent (:func:`mark_open`)."""
    _require_visible(user, document)
    cached = _related(document, "marks")
    if cached is not None:
        return sorted(cached, key=lambda m: (m.created_at, m.pk))
    return list(SignatureMark.objects.filter(document_id=document.pk).order_by("created_at", "id"))


def document_signed_copies(user: User, document: Document) -> list[SignedCopy]:
    """The photos or scans of ``document`` signed on paper, oldest first (as :func:`document_marks`)."""
    _require_visible(user, document)
    cached = _related(document, "signed_copies")
    if cached is not None:
        return sorted(cached, key=lambda c: (c.created_at, c.pk))
    return list(
        SignedCopy.objects.filter(document_id=document.pk)
        .select_related("created_by")
        .order_by("created_at", "id")
    )


def mark_open(*, user: User, document_id: int, mark_id: int, purpose: str = "viewed") -> SignatureMark:
    """A mark whose image is about to be sent: its document is read as :func:`document_get` reads it
    (a confidential document's read is logged there)."""
    document = document_get(user=user, document_id=document_id, purpose=purpose)
    mark = next((m for m in document_marks(user, document) if m.pk == mark_id), None)
    if mark is None:
        raise NotFound(f"签名图像 {mark_id} 不存在")
    return mark


def signed_copy_open(*, user: User, document_id: int, copy_id: int, purpose: str = "viewed") -> SignedCopy:
    """A signed copy whose file is about to be sent (the document's read logged as for :func:`mark_open`)."""
    document = document_get(user=user, document_id=document_id, purpose=purpose)
    copy = next((c for c in document_signed_copies(user, document) if c.pk == copy_id), None)
    if copy is None:
        raise NotFound(f"签字页扫描件 {copy_id} 不存在")
    return copy


def mark_bytes(mark: SignatureMark | SignedCopy) -> bytes:
    """The stored bytes of a mark or a signed copy (small: their size is capped when they are added).
    Pure: no scope check, no log — call it on a row a selector above returned."""
    return b"".join(blob_store().open_range(mark.sha256, 0, mark.size))


def case_approvals(*, user: User, case: Case) -> list[ApprovalStep]:
    """Approval steps of ``case`` (those on a confidential document only with clearance)."""
    return list(scope.approvals(user, case_id=case.pk).select_related("actor").order_by("decided_at", "id"))


def party_list(*, user: User) -> QuerySet[Party]:
    """Parties for pickers: names with ID numbers masked (``PartyOut.id_number_masked``)."""
    return scope.parties(user).order_by("name")


def party_get(*, user: User, party_id: int) -> Party:
    try:
        return party_list(user=user).get(pk=party_id)
    except Party.DoesNotExist:
        raise NotFound(f"当事人 {party_id} 不存在") from None


_PARTY_PERSONAL = {"id_number": "id_number", "phone": "phone", "address": "address"}


def case_parties(*, user: User, case: Case, purpose: str = "viewed") -> list[Party]:
    """The parties of ``case``: a natural person's ID number, phone and address masked unless the
    user is cleared, in which case the read is logged."""
    parties = list(case.parties.order_by("pk"))
    cleared = _personal_cleared(user)
    reads, shown = [], []
    for party in parties:
        personal = party.kind == Party.Kind.PERSON and any(getattr(party, c) for c in _PARTY_PERSONAL)
        if personal and cleared:
            reads.append(Read(party, ("personal",), case=case))
        if personal and not cleared:
            party._liuhen_masked = True  # type: ignore[attr-defined]  # loaded here; masked in place
            for column, kind in _PARTY_PERSONAL.items():
                setattr(party, column, mask_value(kind, getattr(party, column)))
        shown.append(party)
    log_reads(user=user, reads=reads, purpose=purpose)
    return shown


# --- the whole-process timeline (全过程时间轴) ---------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # opened, transition, document, signature, refusal, amendment, approval, media
    title: str
    actor: str
    detail: str = ""
    ids: dict[str, int] = field(default_factory=dict)
    flag: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "kind": self.kind,
            "title": self.title,
            "actor": self.actor,
            "detail": self.detail,
            "ids": self.ids,
            "flag": self.flag,
        }


def case_timeline(*, user: User, case: Case) -> list[TimelineItem]:
    """Every record, transition, signature and approval of ``case`` in time order, with who and when.

    An overview, so it carries no content that would make it a logged read: confidential records
    appear without their content, personal data is masked for everyone, A/V only for ``media.view``."""
    items = [TimelineItem(case.opened_at, "opened", "立案/程序启动", case.opened_by.display_name, case.cause)]
    for t in case.transitions.select_related("by"):
        title = f"{STAGE_LABELS[t.from_stage]} → {STAGE_LABELS[t.to_stage]}"
        items.append(
            TimelineItem(
                t.at,
                "transition",
                title,
                t.by.display_name,
                t.reason,
                {"transition": t.pk},
                "override" if t.override else "",
            )
        )
    for d in (
        scope.documents_of(user, case)
        .select_related("created_by")
        .prefetch_related(
            "signatures", "refusals__cosigner_1", "refusals__cosigner_2", "amendments__amended_by"
        )
    ):
        items.extend(_document_items(d))
    for a in scope.approvals(user, case_id=case.pk).select_related("actor"):
        items.append(
            TimelineItem(
                a.decided_at,
                "approval",
                APPROVAL_KIND_LABELS.get(a.kind, a.kind),
                a.actor.display_name,
                f"{a.get_decision_display()}：{a.opinion}",
                {"approval": a.pk},
            )
        )
    for m in scope.media_of_case(scope.media(user), case.pk).select_related("uploaded_by"):
        title = "音像记录（涉密）" if m.confidential else f"音像记录：{m.title}"
        items.append(
            TimelineItem(
                m.uploaded_at,
                "media",
                title,
                m.uploaded_by.display_name,
                f"{m.get_kind_display()} · {m.device_no or '—'}",
                {"media": m.pk},
            )
        )
    return sorted(items, key=lambda i: (i.at, _ORDER[i.kind]))


_ORDER = {
    k: n
    for n, k in enumerate(
        ["opened", "document", "amendment", "signature", "refusal", "approval", "media", "transition"]
    )
}


def _document_items(d: Document) -> list[TimelineItem]:
    spec = get_type(d.doc_type)
    detail = "（涉密内容）" if d.confidential else summary(spec, mask_fields(spec, d.fields))
    items = [
        TimelineItem(
            d.created_at, "document", spec.title, d.created_by.display_name, detail, {"document": d.pk}
        )
    ]
    for s in d.signatures.all():
        items.append(
            TimelineItem(
                s.signed_at,
                "signature",
                f"签名：{spec.title}",
                s.signer_name,
                f"{s.get_signer_role_display()} · {s.get_method_display()}",
                {"document": d.pk},
            )
        )
    for r in d.refusals.all():
        items.append(
            TimelineItem(
                r.noted_at,
                "refusal",
                f"拒绝签名：{spec.title}",
                r.refuser_name,
                f"{r.reason}（见证执法人员：{r.cosigner_1.display_name}、{r.cosigner_2.display_name}）",
                {"document": d.pk},
                "refusal",
            )
        )
    for a in d.amendments.all():
        items.append(
            TimelineItem(
                a.amended_at,
                "amendment",
                f"更正：{spec.title}",
                a.amended_by.display_name,
                f"更正 {', '.join(a.changes)}；理由：{a.reason}",
                {"document": d.pk},
                "amendment",
            )
        )
    return items

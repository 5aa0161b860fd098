"""Every read of cases and records, scoped to the acting user (standing rule 3).

Scope: staff see their own agency's cases; supervisors see the agencies they supervise; confidential
cases only the handler, the opener and roles cleared for confidential records. Anything outside the
scope is reported as not found (404), never as forbidden, so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from liuhen.accounts.models import User
from liuhen.accounts.roles import APPROVAL_KIND_LABELS, Permission, Role
from liuhen.cases.models import Case, Document, MediaAssignment, MediaRecord, Party
from liuhen.catalogue import get_type, summary
from liuhen.core.errors import NotFound
from liuhen.core.stages import STAGE_LABELS
from liuhen.ledger.services import ledger_append


def visible_agency_ids(user: User) -> list[int]:
    ids = [user.agency_id] if user.agency_id else []
    if user.has_role(Role.SUPERVISOR):
        ids += list(user.supervised_agencies.values_list("pk", flat=True))
    return ids


def case_queryset(*, user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.can(Permission.CASE_VIEW):
        return Case.objects.none()
    qs = Case.objects.filter(agency_id__in=visible_agency_ids(user))
    if not user.can(Permission.CONFIDENTIAL_VIEW) and not user.has_role(Role.SUPERVISOR):
        qs = qs.filter(Q(confidential=False) | Q(handler=user) | Q(opened_by=user))
    return qs


@dataclass(frozen=True)
class CaseFilters:
    stage: str | None = None
    procedure: str | None = None
    year: int | None = None
    q: str | None = None
    handler_id: int | None = None


def case_list(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
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
    if filters.q:
        qs = qs.filter(Q(case_no__icontains=filters.q) | Q(cause__icontains=filters.q))
    return qs


def case_get(*, user: User, case_id: int | None = None, case_no: str | None = None) -> Case:
    qs = case_queryset(user=user).select_related("agency", "handler", "unit", "opened_by")
    try:
        if case_id is not None:
            return qs.get(pk=case_id)
        return qs.get(case_no=case_no)
    except Case.DoesNotExist:
        raise NotFound(f"案件 {case_id if case_id is not None else case_no} 不存在") from None


def document_get(*, user: User, document_id: int) -> Document:
    try:
        document = Document.objects.select_related("case").get(pk=document_id)
    except Document.DoesNotExist:
        raise NotFound(f"文书 {document_id} 不存在") from None
    case_get(user=user, case_id=document.case_id)
    if document.confidential and not user.can(Permission.CONFIDENTIAL_VIEW):
        raise NotFound(f"文书 {document_id} 不存在")
    return document


def case_documents(*, user: User, case: Case) -> list[Document]:
    """The documents of ``case`` that ``user`` may see (confidential ones need clearance), oldest first."""
    documents = case.documents.select_related("created_by").prefetch_related(
        "signatures", "refusals__cosigner_1", "refusals__cosigner_2", "amendments__amended_by"
    )
    return [d for d in documents if not d.confidential or user.can(Permission.CONFIDENTIAL_VIEW)]


def active_assignments(*, case_id: int | None = None) -> QuerySet[MediaAssignment]:
    """Assignment rows (media → case) that no later row has withdrawn."""
    qs = MediaAssignment.objects.filter(withdraws__isnull=True, withdrawn_by__isnull=True)
    return qs if case_id is None else qs.filter(case_id=case_id)


def case_media(case_id: int) -> QuerySet[MediaRecord]:
    """A/V of a case: recorded on it, or assigned to it later (and not withdrawn). Unscoped: callers
    reach a case through :func:`case_get` first."""
    assigned = active_assignments(case_id=case_id).values("media_id")
    return MediaRecord.objects.filter(Q(case_id=case_id) | Q(pk__in=assigned)).order_by("uploaded_at", "id")


def media_case_ids(media: MediaRecord) -> list[int]:
    """Every case the record belongs to: the one it was uploaded to and those it was assigned to."""
    assigned = active_assignments().filter(media=media).values_list("case_id", flat=True)
    return sorted({*([media.case_id] if media.case_id else []), *assigned})


def media_get(*, user: User, media_id: int) -> MediaRecord:
    """A record the user may see: on (or assigned to) a case in scope, or — not yet tied to any case —
    stored under the user's own agency. Confidential ones need clearance."""
    try:
        record = MediaRecord.objects.select_related("case", "agency").get(pk=media_id)
    except MediaRecord.DoesNotExist:
        raise NotFound(f"音像记录 {media_id} 不存在") from None
    if not user.can(Permission.MEDIA_VIEW):
        raise NotFound(f"音像记录 {media_id} 不存在")
    if record.confidential and not user.can(Permission.CONFIDENTIAL_VIEW):
        raise NotFound(f"音像记录 {media_id} 不存在")
    case_ids = media_case_ids(record)
    if not case_ids:
        if record.agency_id not in visible_agency_ids(user):
            raise NotFound(f"音像记录 {media_id} 不存在")
        return record
    if not case_queryset(user=user).filter(pk__in=case_ids).exists():
        raise NotFound(f"音像记录 {media_id} 不存在")
    return record


def party_list(*, user: User) -> QuerySet[Party]:
    return Party.objects.filter(agency_id__in=visible_agency_ids(user)).order_by("name")


def party_get(*, user: User, party_id: int) -> Party:
    try:
        return party_list(user=user).get(pk=party_id)
    except Party.DoesNotExist:
        raise NotFound(f"当事人 {party_id} 不存在") from None


@transaction.atomic
def record_read(*, user: User, obj: Case | Document | MediaRecord, purpose: str) -> None:
    """Log a read of A/V or of a confidential record as a ledger entry (standing rule 3; R6)."""
    case = obj if isinstance(obj, Case) else obj.case
    if isinstance(obj, MediaRecord) and case is None and (linked := media_case_ids(obj)):
        case = Case.objects.select_related("agency").get(pk=linked[0])  # footage linked after intake
    kind = {Case: "case", Document: "document", MediaRecord: "media"}[type(obj)]
    console = getattr(user, "pk", None) is None  # the server operator at the console (liuhen case …)
    ledger_append(
        action=f"{kind}.{purpose}",
        actor=None if console else user,
        agency=case.agency if case else getattr(obj, "agency", None),
        case=case,
        objects={kind: obj.pk},
        details={"purpose": purpose, "via": "console" if console else "request"},
    )


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
    """Every record, transition, signature and approval of ``case`` in time order, with who and when."""
    can_confidential = user.can(Permission.CONFIDENTIAL_VIEW)
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
    for d in case.documents.select_related("created_by").prefetch_related(
        "signatures", "refusals__cosigner_1", "refusals__cosigner_2", "amendments__amended_by"
    ):
        items.extend(_document_items(d, can_confidential))
    for a in case.approvals.select_related("actor"):
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
    for m in case_media(case.pk).select_related("uploaded_by"):
        title = f"音像记录：{m.title}" if (can_confidential or not m.confidential) else "音像记录（涉密）"
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


def _document_items(d: Document, can_confidential: bool) -> list[TimelineItem]:
    spec = get_type(d.doc_type)
    hidden = d.confidential and not can_confidential
    detail = "（涉密内容）" if hidden else summary(spec, d.fields)
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

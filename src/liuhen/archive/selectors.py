"""Reads for the archivist: the queue and the case file being assembled. Every read starts from the
access layer's "archiving" reason (:func:`liuhen.access.scope.archiving_cases`), which lets the
archivist archive a confidential case without being cleared for its content: what these selectors
return is what archiving needs (titles, dates, hashes, page counts), and the read of a confidential case
for it is logged (``case.archiving``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from liuhen.access import scope
from liuhen.access.reads import Read, log_reads
from liuhen.accounts.models import User
from liuhen.accounts.roles import ROLE_LABELS, Permission, Role
from liuhen.archive import assembly
from liuhen.archive.models import (
    CaseFile,
    CaseFileCompilation,
    CaseFileDraft,
    CaseFileSupplement,
    SupplementApproval,
)
from liuhen.archive.retention import ArchiveSettings, Hold, archive_settings, holds_for, period_for
from liuhen.cases.models import Case
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.core.stages import Stage

CONFIDENTIAL_CAUSE = "（涉密案件）"
PURPOSE = "archiving"


def settings_for(case_or_agency_case: Case) -> ArchiveSettings:
    agency = case_or_agency_case.agency
    return archive_settings(agency_profile(agency), agency_code=agency.code)


def shown_cause(user: User, case: Case) -> str:
    """The 案由 as the archivist may see it: a confidential case's is content, so it is not shown."""
    if case.confidential and not user.can(Permission.CONFIDENTIAL_VIEW):
        return CONFIDENTIAL_CAUSE
    return case.cause


@dataclass(frozen=True)
class QueueRow:
    case: Case
    cause: str
    ended_at: datetime
    due_at: datetime
    overdue: bool
    days_left: int
    early: bool  # closed before service and enforcement (不予立案、撤销)
    status: str  # 待整理 / 整理中 / 待检查

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)


def archive_queue(*, user: User) -> list[QueueRow]:
    """Cases whose enforcement act ended (closed: at the end, early, or a summary case done) and that
    are not archived yet, with the profile's deadline: overdue first, then the nearest deadline."""
    cases = (
        scope.archiving_cases(user)
        .filter(stage=Stage.CLOSED, enforcement_ended_at__isnull=False, archived_at__isnull=True)
        .select_related("agency")
        .prefetch_related("transitions")
    )
    now = clock.now()
    drafts = set(CaseFileDraft.objects.filter(case__in=cases).values_list("case_id", flat=True))
    compiled = set(CaseFileCompilation.objects.filter(case__in=cases).values_list("case_id", flat=True))
    rows = []
    for case in cases:
        assert case.enforcement_ended_at is not None
        due = case.enforcement_ended_at + timedelta(days=settings_for(case).deadline_days)
        status = "待检查" if case.pk in compiled else "整理中" if case.pk in drafts else "待整理"
        rows.append(
            QueueRow(
                case=case,
                cause=shown_cause(user, case),
                ended_at=case.enforcement_ended_at,
                due_at=due,
                overdue=due < now,
                days_left=(
                    due.astimezone(clock.SHANGHAI).date() - now.astimezone(clock.SHANGHAI).date()
                ).days,
                early=_closed_early(case),
                status=status,
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.due_at, r.case.pk))
    return rows


def _closed_early(case: Case) -> bool:
    closing = [t for t in case.transitions.all() if t.to_stage == Stage.CLOSED]
    return bool(closing) and closing[-1].from_stage != Stage.SERVICE_ENFORCEMENT


def archiving_case(*, user: User, case_id: int | None = None, case_no: str | None = None) -> Case:
    """One case for the "archiving" reason; a confidential one's read is logged."""
    qs = scope.archiving_cases(user).select_related("agency", "handler", "unit")
    found = qs.filter(pk=case_id) if case_id is not None else qs.filter(case_no=case_no)
    case = found.first()
    if case is None:
        raise NotFound(f"案件 {case_id if case_id is not None else case_no} 不存在")
    if case.confidential:
        log_reads(user=user, reads=[Read(case, ("confidential",))], purpose=PURPOSE)
    return case


@dataclass(frozen=True)
class AssemblyView:
    """The case file as the archivist sees it while assembling, or once signed off."""

    case: Case
    cause: str
    settings: ArchiveSettings
    holds: list[Hold]
    retention: str
    retention_basis: str  # in Chinese: the rule that gave the period
    items: list[assembly.Item]
    notes: str
    due_at: datetime | None
    compilation: CaseFileCompilation | None  # the 立卷人's signature over the current assembly
    stale_compilation: bool  # a compilation exists but the assembly changed since
    case_file: CaseFile | None
    supplements: list[NumberedSupplement] = field(default_factory=list)  # 补充归档, approved first

    @property
    def total_pages(self) -> int:
        return sum(i.pages for i in self.items)

    @property
    def ready(self) -> bool:
        return self.case.stage == Stage.CLOSED and self.case_file is None


def signed_case_file(case: Case) -> CaseFile | None:
    """The signed-off case file of ``case`` (read through :func:`archiving_case` or another scoped read),
    or ``None`` while it is being assembled."""
    return CaseFile.objects.filter(case=case).select_related("compiled_by", "checked_by").first()


def assembly_view(*, user: User, case_id: int) -> AssemblyView:
    case = archiving_case(user=user, case_id=case_id)
    settings = settings_for(case)
    case_file = signed_case_file(case)
    if case_file is not None:  # the holds and period as signed off
        holds = [Hold.from_dict(h) for h in case_file.holds]
        retention, basis = case_file.retention, case_file.retention_basis or settings.retention_basis
    else:
        holds = holds_for(agency_profile(case.agency), case=case)
        period = period_for(settings, procedure=case.procedure, holds=holds, flags=case.flags)
        retention, basis = period.retention, period.basis
    supplements = numbered_supplements(case_file) if case_file is not None else []
    if case_file is not None:  # the file's own items, then the approved 补充归档 numbered after them
        items = [assembly.Item.from_dict(d) for d in case_file.items]
        items += [i for n in supplements if n.approval is not None for i in n.items]
        notes = case_file.notes
        compilation, stale = None, False
    else:  # the items of a case still in progress are not assembled (nor their 存档联 issued) yet
        draft = CaseFileDraft.objects.filter(case=case).first()
        order = draft.order if draft else None
        items = (
            assembly.items_of(case, settings=settings, user=user, order=order)
            if case.stage == Stage.CLOSED
            else []
        )
        notes = draft.notes if draft else ""
        compilation = latest_compilation(case)
        stale = compilation is not None and compilation.digest != assembly.digest_of(items, notes)
    due = None
    if case.enforcement_ended_at is not None:
        due = case.enforcement_ended_at + timedelta(days=settings.deadline_days)
    return AssemblyView(
        case=case,
        cause=shown_cause(user, case),
        settings=settings,
        holds=holds,
        retention=retention,
        retention_basis=basis,
        items=items,
        notes=notes,
        due_at=due,
        compilation=None if stale else compilation,
        stale_compilation=stale,
        case_file=case_file,
        supplements=supplements,
    )


def latest_compilation(case: Case) -> CaseFileCompilation | None:
    return (
        CaseFileCompilation.objects.filter(case=case)
        .select_related("compiled_by")
        .order_by("-compiled_at", "-id")
        .first()
    )


def case_file_get(*, user: User, case_id: int | None = None, case_no: str | None = None) -> CaseFile:
    """A signed-off case file the user may see (its case visible, or archivable by them)."""
    qs = scope.case_files(user).select_related("case__agency", "compiled_by", "checked_by", "compilation")
    found = qs.filter(case_id=case_id) if case_id is not None else qs.filter(case__case_no=case_no)
    case_file = found.first()
    if case_file is None:
        raise NotFound(f"案件 {case_id if case_id is not None else case_no} 没有已签署的案卷")
    if case_file.case.confidential:
        log_reads(user=user, reads=[Read(case_file.case, ("confidential",))], purpose=PURPOSE)
    return case_file


def canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class NumberedSupplement:
    """A supplement as the case file shows it: its items numbered when approved (``piece_no`` 0 while
    pending)."""

    supplement: CaseFileSupplement
    items: list[assembly.Item]

    @property
    def approval(self) -> SupplementApproval | None:
        return getattr(self.supplement, "approval", None)


def numbered_supplements(case_file: CaseFile) -> list[NumberedSupplement]:
    """Every supplement of ``case_file``: the approved ones first, in the order of their approvals,
    numbered after the file's last 件号 and last page; then the pending ones, unnumbered."""
    supplements = list(case_file.supplements.select_related("approval__approved_by", "added_by"))
    approved = sorted(
        (s for s in supplements if hasattr(s, "approval")),
        key=lambda s: (s.approval.approved_at, s.approval.pk),
    )
    pending = [s for s in supplements if not hasattr(s, "approval")]
    piece = max((i["piece_no"] for i in case_file.items), default=0)
    page = max((i["first_page"] + i["pages"] for i in case_file.items), default=1)
    # bound at the very end of the file: in the volume of its last item (the 副卷 when it has one), so
    # the binding order (正卷, then 副卷) keeps the 件号 and page numbers running on
    volume = max(case_file.items, key=lambda i: i["piece_no"])["volume"] if case_file.items else "main"
    out = []
    for supplement in approved:
        items = []
        for raw in supplement.items:
            piece += 1
            numbered = replace(assembly.Item.from_dict(raw), piece_no=piece, first_page=page, volume=volume)
            items.append(numbered)
            page += raw["pages"]
        out.append(NumberedSupplement(supplement, items))
    out += [NumberedSupplement(s, [assembly.Item.from_dict(raw) for raw in s.items]) for s in pending]
    return out


def approved_items(case_file: CaseFile) -> list[assembly.Item]:
    """The approved supplements' items, numbered: what follows the file's own items."""
    return [item for n in numbered_supplements(case_file) if n.approval is not None for item in n.items]


@dataclass(frozen=True)
class SupplementsView:
    """A case's 补充归档 as a user may see them: the archivist adds, the profile's approver approves."""

    case: Case
    cause: str
    case_file: CaseFile | None
    supplements: list[NumberedSupplement]
    may_add: bool
    may_approve: bool
    approver_label: str
    basis: str  # the rule that names the approver, in Chinese


def supplements_view(*, user: User, case_id: int) -> SupplementsView:
    """The case (for archiving to a ``case.archive`` holder, else as the user may see it; ``NotFound``
    otherwise), its signed-off case file if any, and its supplements numbered as the file counts them."""
    from liuhen.cases.selectors import case_get

    if user.can(Permission.CASE_ARCHIVE):
        case = archiving_case(user=user, case_id=case_id)
    else:
        case = case_get(user=user, case_id=case_id)
    case_file = scope.case_files(user).filter(case_id=case.pk).select_related("case__agency").first()
    settings = settings_for(case)
    approver = settings.supplement_approver_role
    return SupplementsView(
        case=case,
        cause=shown_cause(user, case),
        case_file=case_file,
        supplements=numbered_supplements(case_file) if case_file is not None else [],
        may_add=case_file is not None and user.can(Permission.CASE_ARCHIVE),
        may_approve=case_file is not None and user.has_role(approver),
        approver_label=ROLE_LABELS.get(Role(approver), approver),
        basis=settings.supplement_basis,
    )


def supplement_get(*, user: User, supplement_id: int) -> CaseFileSupplement:
    """One 补充归档 of a case file the user may see (or archive); ``NotFound`` otherwise."""
    found = (
        CaseFileSupplement.objects.filter(pk=supplement_id, case_file__in=scope.case_files(user))
        .select_related("case_file__case__agency", "added_by")
        .first()
    )
    if found is None:
        raise NotFound(f"补充归档 {supplement_id} 不存在")
    return found

"""Retention of a signed-off case file's contents, and approved disposal (销毁清册).

* **Retention follows the case file.** At sign-off every blob of its items (A/V originals, issued PDFs)
  is locked write-once until its 保管期限 ends: N年 counts N calendar years from the 立卷 date (the
  检查人's signature); 永久, or any hold (a long-term trigger, :func:`liuhen.archive.retention.holds_for`,
  now or at sign-off), locks to the long-term horizon of :func:`liuhen.rules.retention.lock_until`.
  Locks are only ever extended (S3 Object Lock; the local store records the date), so a hold that
  arrives later extends them (the scheduled :func:`disposal_upkeep`).
* **Approved disposal.** A case file whose period has ended and that no hold applies to is a candidate
  (:func:`disposal_candidates`); the archivist proposes a 销毁清册 listing each item's content
  (SHA-256, size); every role the profile names approves it, each a different person; then the
  contents are destroyed. A content that the store still locks stays pending and is retried by the
  scheduled task; one that a record outside the list still holds is kept. The list, its approvals
  and every destruction are records with ledger entries carrying the hashes, so ``liuhen verify``
  reports such files as destroyed by approval, not as missing.
* Nothing inside its period or under a hold is destroyed, by anyone: each step re-checks and refuses
  naming the hold's citation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from liuhen.access import scope
from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import ROLE_LABELS, Permission, Role
from liuhen.archive.models import CaseFile, DisposalApproval, DisposalDestruction, DisposalList
from liuhen.archive.retention import Hold, _baseline_params, holds_for
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import SignatureMark, SignedCopy
from liuhen.cases.services.common import require
from liuhen.compliance.profiles import agency_profile
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, NotFound, PermissionDenied, invalid
from liuhen.evidence.models import MediaRecord
from liuhen.issuing.models import IssuedDocument
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.services import ContentRef, ledger_append
from liuhen.rules.deadlines import due_months_after
from liuhen.rules.retention import lock_until
from liuhen.storage import BlobRetained
from liuhen.tlog.bundle import DESTROYED_ACTION

PERMANENT = "永久"
DESTROYED, KEPT_SHARED = "destroyed", "kept_shared"
OUTCOME_LABELS = {DESTROYED: "已销毁", KEPT_SHARED: "保留（其他记录仍在使用）"}
MAX_TEXT = 2000


# --- periods, holds and locks ------------------------------------------------------------------------


def period_end(case_file: CaseFile) -> datetime | None:
    """When the 保管期限 ends: N calendar years after the 立卷 date; ``None`` for 永久."""
    if case_file.retention == PERMANENT or not case_file.retention.endswith("年"):
        return None
    return due_months_after(case_file.checked_at, int(case_file.retention[:-1]) * 12)


def current_holds(case_file: CaseFile) -> list[Hold]:
    """The holds recorded at sign-off and those the case's records and flags raise now (a complaint
    registered by a 补充归档, a regulation that lists one more trigger)."""
    now = holds_for(agency_profile(case_file.agency), case=case_file.case)
    recorded = [Hold.from_dict(h) for h in case_file.holds]
    seen = {h.code for h in now}
    return now + [h for h in recorded if h.code not in seen]


def lock_date(case_file: CaseFile, *, now: datetime) -> datetime:
    """Until when the contents are locked: the period's end, or the long-term horizon under a hold."""
    end = period_end(case_file)
    if end is None or current_holds(case_file):
        return lock_until(None, now=now, floor_days=0)
    return end


def contents_of(case_file: CaseFile) -> list[tuple[str, int]]:
    """(SHA-256, size) of every item's content: the file's items and its approved 补充归档."""
    items = list(case_file.items)
    for supplement in case_file.supplements.filter(approval__isnull=False):
        items += supplement.items
    seen: dict[str, int] = {}
    for item in items:
        if item.get("sha256"):
            seen.setdefault(item["sha256"], int(item["size"]))
    return sorted(seen.items())


def case_file_retention_lock(*, case_file: CaseFile) -> datetime:
    """Lock every stored content of the case file until :func:`lock_date` (extended, never shortened).
    Called by the 检查人's sign-off and again by the scheduled upkeep when a hold arrives."""
    until = lock_date(case_file, now=clock.now())
    store = blob_store()
    for sha256, _ in contents_of(case_file):
        if store.exists(sha256):
            store.extend_retention(sha256, until)
    return until


def refusal(case_file: CaseFile, *, today: date) -> str | None:
    """Why this case file may not be destroyed today (in Chinese, citing the hold), or ``None``."""
    holds = current_holds(case_file)
    if holds:
        return f"案卷 {case_file.archive_no} 须长期保存：{'；'.join(h.shown for h in holds)}，不得销毁"
    end = period_end(case_file)
    if end is None:
        return f"案卷 {case_file.archive_no} 保管期限为永久，不得销毁"
    if local_day(end) > today:
        return (
            f"案卷 {case_file.archive_no} 保管期限{case_file.retention}，至 {local_day(end):%Y年%m月%d日} 届满，"
            "期限内不得销毁"
        )
    return None


def local_day(at: datetime) -> date:
    return at.astimezone(clock.SHANGHAI).date()


def _today(today: date | None) -> date:
    return today if today is not None else local_day(clock.now())


# --- settings ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisposalSettings:
    approver_roles: tuple[str, ...]
    basis: str


def disposal_settings(agency: Agency) -> DisposalSettings:
    """The profile's ``archive_disposal_*`` keys over the baseline's."""
    profile = agency_profile(agency)
    params = {**_baseline_params(), **(dict(profile.params) if profile else {})}
    return DisposalSettings(
        approver_roles=tuple(str(r) for r in params["archive_disposal_approver_roles"]),
        basis=str(params["archive_disposal_basis"]),
    )


def role_label(role: str) -> str:
    return ROLE_LABELS.get(Role(role), role) if role in set(Role) else role


# --- reads ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    case_file: CaseFile
    period_end: datetime
    contents: list[tuple[str, int]]

    @property
    def total_size(self) -> int:
        return sum(size for _, size in self.contents)


def _reader(user: User) -> None:
    require(user, Permission.ARCHIVE_DISPOSAL)
    if user.agency_id is None:
        raise PermissionDenied("只有本机关人员可以办理档案销毁")


def _case_files(user: User):
    return (
        scope.case_files(user)
        .filter(agency_id=user.agency_id or 0)
        .select_related("case__agency", "agency")
        .order_by("checked_at", "id")
    )


def _listed_case_files(agency_id: int) -> set[int]:
    listed: set[int] = set()
    for entries in DisposalList.objects.filter(agency_id=agency_id).values_list("entries", flat=True):
        listed.update(int(e["case_file"]) for e in entries)
    return listed


def disposal_candidates(*, user: User, today: date | None = None) -> list[Candidate]:
    """Case files of the user's agency whose period has ended, under no hold, on no 销毁清册 yet."""
    _reader(user)
    day, listed = _today(today), _listed_case_files(user.agency_id or 0)
    out = []
    for case_file in _case_files(user).exclude(retention=PERMANENT):
        if case_file.pk in listed or refusal(case_file, today=day) is not None:
            continue
        end = period_end(case_file)
        assert end is not None
        out.append(Candidate(case_file, end, contents_of(case_file)))
    return out


@dataclass(frozen=True)
class DisposalView:
    disposal: DisposalList
    approvals: list[DisposalApproval]
    missing_roles: list[str]
    destructions: list[DisposalDestruction]
    pending: list[tuple[str, int]]

    @property
    def approved(self) -> bool:
        return not self.missing_roles

    @property
    def status(self) -> str:
        if not self.approved:
            return "待审批"
        if not self.destructions:
            return "已批准，待销毁"
        return "部分待销毁（存储锁定期未满）" if self.pending else "已销毁"

    @property
    def missing_labels(self) -> list[str]:
        return [role_label(r) for r in self.missing_roles]


def _view(disposal: DisposalList) -> DisposalView:
    approvals = list(disposal.approvals.select_related("approved_by"))
    done = {a.role for a in approvals}
    roles = disposal_settings(disposal.agency).approver_roles
    destructions = list(disposal.destructions.all())
    handled = {d.sha256 for d in destructions}
    return DisposalView(
        disposal=disposal,
        approvals=approvals,
        missing_roles=[r for r in roles if r not in done],
        destructions=destructions,
        pending=[c for c in listed_contents(disposal) if c[0] not in handled],
    )


def listed_contents(disposal: DisposalList) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    for entry in disposal.entries:
        for item in entry["items"]:
            seen.setdefault(item["sha256"], int(item["size"]))
    return sorted(seen.items())


def disposal_lists(*, user: User) -> list[DisposalView]:
    """The 销毁清册 of the user's agency, newest first."""
    _reader(user)
    rows = DisposalList.objects.filter(agency_id=user.agency_id or 0).select_related("agency", "proposed_by")
    return [_view(d) for d in rows.order_by("-proposed_at", "-id")]


def disposal_get(*, user: User, disposal_id: int) -> DisposalView:
    _reader(user)
    found = DisposalList.objects.filter(pk=disposal_id, agency_id=user.agency_id or 0).select_related(
        "agency", "proposed_by"
    )
    disposal = found.first()
    if disposal is None:
        raise NotFound(f"销毁清册 {disposal_id} 不存在")
    return _view(disposal)


# --- writes --------------------------------------------------------------------------------------------


def _refuse_any(case_files: Sequence[CaseFile], *, today: date) -> None:
    reasons = [r for cf in case_files if (r := refusal(cf, today=today)) is not None]
    if reasons:
        raise Conflict(reasons[0], errors=[FieldError("case_files", "not_disposable", r) for r in reasons])


def _entry(case_file: CaseFile) -> dict:
    end = period_end(case_file)
    return {
        "case_file": case_file.pk,
        "case_no": case_file.case.case_no,
        "archive_no": case_file.archive_no,
        "retention": case_file.retention,
        "period_end": local_day(end).isoformat() if end else "",
        "items": [
            {
                "piece_no": i["piece_no"],
                "record": i["record"],
                "title": i["title"],
                "sha256": i["sha256"],
                "size": int(i["size"]),
            }
            for i in case_file.items
            if i.get("sha256")
        ],
    }


def _next_number(agency: Agency, year: int) -> str:
    Agency.objects.select_for_update().get(pk=agency.pk)  # one proposal at a time per agency
    taken = DisposalList.objects.filter(agency=agency, number__startswith=f"{year}-").count()
    return f"{year}-{taken + 1:03d}"


@transaction.atomic
def disposal_propose(
    *, by: User, reason: str, case_file_ids: Sequence[int] | None = None, today: date | None = None
) -> DisposalList:
    """The archivist proposes a 销毁清册 of the named case files (all candidates when none are named)."""
    _reader(by)
    if not by.can(Permission.CASE_ARCHIVE):
        raise PermissionDenied("销毁清册由档案管理员编制")
    if not reason.strip():
        raise invalid("reason", "required", "请填写销毁理由（鉴定意见）")
    if len(reason) > MAX_TEXT:
        raise invalid("reason", "too_long", f"销毁理由不能超过{MAX_TEXT}字")
    day = _today(today)
    if case_file_ids is None:
        chosen = [c.case_file for c in disposal_candidates(user=by, today=day)]
    else:
        by_id = {cf.pk: cf for cf in _case_files(by).filter(pk__in=list(case_file_ids))}
        missing = [i for i in case_file_ids if i not in by_id]
        if missing:
            raise NotFound(f"案卷 {missing[0]} 不存在")
        chosen = [by_id[i] for i in dict.fromkeys(case_file_ids)]
        _refuse_any(chosen, today=day)
        listed = _listed_case_files(by.agency_id or 0) & {cf.pk for cf in chosen}
        if listed:
            raise Conflict(
                "所选案卷已列入其他销毁清册",
                errors=[FieldError("case_files", "listed", "所选案卷已列入其他销毁清册")],
            )
    if not chosen:
        raise invalid("case_files", "required", "没有保管期限已满且无长期保存事由的案卷可以列入销毁清册")
    agency = by.agency
    assert agency is not None
    now = clock.now()
    entries = [_entry(cf) for cf in chosen]
    digest = hashlib.sha256(_canonical({"entries": entries, "reason": reason.strip()}).encode()).hexdigest()
    disposal = DisposalList.objects.create(
        agency=agency,
        number=_next_number(agency, local_day(now).year),
        entries=entries,
        reason=reason.strip(),
        digest=digest,
        proposed_by=by,
        proposed_at=now,
    )
    ledger_append(
        action="archive.disposal_proposed",
        actor=by,
        agency=agency,
        objects={"disposal": disposal.pk},
        details={
            "number": disposal.number,
            "archive_nos": [e["archive_no"] for e in entries],
            "digest": digest,
            STATE_KEY: row_states(disposal=disposal.pk),
        },
        at=now,
    )
    return disposal


def _case_files_of(disposal: DisposalList) -> list[CaseFile]:
    ids = [int(e["case_file"]) for e in disposal.entries]
    return list(CaseFile.objects.filter(pk__in=ids).select_related("case", "agency"))


@transaction.atomic
def disposal_approve(*, disposal: DisposalList, by: User, opinion: str) -> DisposalApproval:
    """One approval in a role the profile names that ``by`` holds and nobody has given yet; one person
    approves a list once, so the head's and the archive unit's approvals are two people's."""
    _reader(by)
    if by.agency_id != disposal.agency_id:
        raise NotFound(f"销毁清册 {disposal.pk} 不存在")
    disposal = DisposalList.objects.select_for_update().get(pk=disposal.pk)
    view = _view(disposal)
    roles = disposal_settings(disposal.agency).approver_roles
    if not any(by.has_role(r) for r in roles):
        raise PermissionDenied(f"销毁清册须由{'、'.join(role_label(r) for r in roles)}审批")
    if any(a.approved_by_id == by.pk for a in view.approvals):
        raise PermissionDenied("您已审批过该销毁清册：须由另一人以其他角色审批")
    role = next((r for r in view.missing_roles if by.has_role(r)), None)
    if role is None:
        raise Conflict(f"该销毁清册已有{'、'.join(role_label(r) for r in roles if by.has_role(r))}的审批")
    if not opinion.strip():
        raise invalid("opinion", "required", "审批意见为必填项")
    if len(opinion) > MAX_TEXT:
        raise invalid("opinion", "too_long", f"审批意见不能超过{MAX_TEXT}字")
    _refuse_any(_case_files_of(disposal), today=_today(None))
    now = clock.now()
    approval = DisposalApproval.objects.create(
        disposal=disposal, role=role, opinion=opinion.strip(), approved_by=by, approved_at=now
    )
    ledger_append(
        action="archive.disposal_approved",
        actor=by,
        agency=disposal.agency,
        objects={"disposal_approval": approval.pk, "disposal": disposal.pk},
        details={
            "number": disposal.number,
            "role": role,
            STATE_KEY: row_states(disposal_approval=approval.pk),
        },
        at=now,
    )
    return approval


@dataclass(frozen=True)
class ExecutionResult:
    destroyed: int
    kept: int
    pending: int


def disposal_execute(*, disposal: DisposalList, by: User | None) -> ExecutionResult:
    """Destroy the approved list's contents; ``by=None`` is the scheduled retry. Each content is its own
    transaction (the record and its entry, then the deletion), so a content still locked by the store
    stays pending without holding back the others."""
    if by is not None:
        _reader(by)
        if by.agency_id != disposal.agency_id:
            raise NotFound(f"销毁清册 {disposal.pk} 不存在")
        if not by.can(Permission.CASE_ARCHIVE):
            raise PermissionDenied("销毁由档案管理员执行")
    view = _view(disposal)
    if not view.approved:
        raise Conflict(f"销毁清册 {disposal.number} 尚缺{'、'.join(view.missing_labels)}的审批，不能销毁")
    case_files = _case_files_of(disposal)
    _refuse_any(case_files, today=_today(None))
    if by is not None:
        _execution_started(disposal, by)
    cases = [cf.case_id for cf in case_files]
    destroyed = kept = pending = 0
    for sha256, size in view.pending:
        try:
            outcome = _destroy_one(disposal, sha256, size, by=by, cases=cases)
        except BlobRetained:
            pending += 1
            continue
        destroyed += outcome == DESTROYED
        kept += outcome == KEPT_SHARED
    return ExecutionResult(destroyed, kept, pending)


EXECUTED = "archive.disposal_executed"


@transaction.atomic
def _execution_started(disposal: DisposalList, by: User) -> None:
    """The archivist's order to destroy (an entry; the scheduled retry acts on lists that have one)."""
    ledger_append(
        action=EXECUTED,
        actor=by,
        agency=disposal.agency,
        objects={"disposal": disposal.pk},
        details={"number": disposal.number},
    )


def _held_elsewhere(sha256: str, cases: list[int]) -> bool:
    """Whether a record outside the listed cases still holds this content (a blob is stored once): a
    recording of another case, linked to another case, or not yet linked to any; or a document's
    issued PDF, mark or scan in another case."""
    for record in MediaRecord.objects.filter(sha256=sha256):
        linked = set(scope.active_assignments().filter(media_id=record.pk).values_list("case_id", flat=True))
        owners = linked | ({record.case_id} if record.case_id else set())
        if not owners or owners - set(cases):
            return True
    return any(
        model.objects.filter(sha256=sha256).exclude(document__case_id__in=cases).exists()
        for model in (IssuedDocument, SignatureMark, SignedCopy)
    )


@transaction.atomic
def _destroy_one(disposal: DisposalList, sha256: str, size: int, *, by: User | None, cases: list[int]) -> str:
    outcome = KEPT_SHARED if _held_elsewhere(sha256, cases) else DESTROYED
    now = clock.now()
    row = DisposalDestruction.objects.create(
        disposal=disposal, sha256=sha256, size=size, outcome=outcome, executed_by=by, executed_at=now
    )
    ledger_append(
        action=DESTROYED_ACTION,
        actor=by,
        agency=disposal.agency,
        objects={"disposal_destruction": row.pk, "disposal": disposal.pk},
        contents=(ContentRef("media", sha256, size),),
        details={
            "number": disposal.number,
            "outcome": outcome,
            STATE_KEY: row_states(disposal_destruction=row.pk),
        },
        at=now,
    )
    if outcome == DESTROYED:
        blob_store().delete(sha256, now=now)  # last: a refusal rolls the record back, it stays pending
    return outcome


def disposal_upkeep() -> dict[str, int]:
    """The scheduled task: extend the locks of case files a hold reached after sign-off, and retry the
    contents of approved lists that the store still locked."""
    relocked = 0
    for case_file in CaseFile.objects.exclude(retention=PERMANENT).select_related("case", "agency"):
        recorded = {h["code"] for h in case_file.holds}
        if {h.code for h in current_holds(case_file)} - recorded:
            case_file_retention_lock(case_file=case_file)
            relocked += 1
    pending = 0
    ordered = LedgerEntry.objects.filter(action=EXECUTED, object_type="disposal").values("object_id")
    for disposal in DisposalList.objects.filter(pk__in=ordered).select_related("agency"):
        view = _view(disposal)
        if view.pending:
            try:
                pending += disposal_execute(disposal=disposal, by=None).pending
            except Conflict:
                continue  # a hold arrived after approval: nothing more is destroyed
    return {"relocked": relocked, "pending": pending}


def _canonical(value: object) -> str:
    from liuhen.archive.selectors import canonical

    return canonical(value)

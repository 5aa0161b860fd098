"""待办: what waits for a user, by role — read from the role table, the stored findings and the records.

Every read starts from the access layer (:mod:`liuhen.access.scope`): a user never sees another
agency's work, and a confidential case they may see is named by its number only (``（涉密案件）``,
as in the case list). Findings are read as stored (refreshed on every change and by the scheduler),
never recomputed here, so the home page stays fast on an agency with ten thousand open cases.

Each section is a count (for the nav badge) and its first :data:`SHOWN` items, most urgent first.
The counts of the finding-based sections come from one aggregate query (:func:`_tallies`) and each
section lists its items with ``LIMIT``, walking the ``(rule_kind, due_at)`` index in deadline order,
so neither the number of queries nor the rows read for the items grow with the agency's cases.
Items say what to do, why (the rule's Chinese title) and by when; the web layer turns ``case_id`` /
``place`` into links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from importlib import import_module
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from liuhen.access import scope
from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import APPROVAL_KIND_LABELS, Permission, approval_kinds_for
from liuhen.cases.models import ApprovalStep, Case, Document, Signature, SignatureRefusal
from liuhen.cases.selectors import CONFIDENTIAL_LISTED
from liuhen.catalogue import CATALOGUE, get_type
from liuhen.catalogue.versions import current_fields
from liuhen.compliance.models import StoredFinding
from liuhen.compliance.services import agency_profile
from liuhen.core import clock
from liuhen.evidence import selectors as evidence
from liuhen.evidence.models import DeviceEvent, MediaRecord
from liuhen.rules.codes import UNMET_STATUSES
from liuhen.rules.upload import UploadDeadline

SHOWN = 8  # items listed per section; the count says how many there are in all
_CLIPS_SCANNED = 200  # unassigned clips whose clocks are computed (the oldest uploads first)
_OPEN = ("initiation", "investigation", "decision", "service_enforcement")
_PARTY_SIDE = ("party", "agent", "recipient")  # who signs for the party on a party_signs form
PARTY_SIGNS = tuple(code for code, spec in CATALOGUE.items() if spec.party_signs)
ARCHIVE_DAYS = 30  # the catalogue's reading of "及时归档" (R5.2) where a profile states no figure
ARCHIVE_RULE = "执法行为终结之日起30日内归档"
RECTIFICATION_RULE = "责令改正应按期复查"


@dataclass(frozen=True)
class InboxItem:
    """One thing to do: ``what``, ``why`` (a rule's title), where (a case and a part of its page, or
    a page named by ``place``) and by when (``due_at``, aware; shown in Beijing time)."""

    what: str
    why: str
    case_id: int | None = None
    case_no: str = ""
    cause: str = ""
    due_at: datetime | None = None
    anchor: str = ""  # the part of the case page where it is done
    place: str = ""  # a page that is not a case's: "unassigned" (待关联音像), "archive" (the case file),
    # "access_request" (a 调阅/复制 request, ``ref_id``), "disclosure" (a party's request, ``ref_id``)
    overdue: bool = False
    ref_id: int | None = None


@dataclass(frozen=True)
class InboxSection:
    code: str
    title: str
    count: int
    items: list[InboxItem] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


@dataclass(frozen=True)
class Inbox:
    sections: list[InboxSection]

    @property
    def count(self) -> int:
        return sum(s.count for s in self.sections)


def inbox(*, user: User, now: datetime | None = None, counts_only: bool = False) -> Inbox:
    """What waits for ``user``: one section per kind of work their roles do (empty ones left out).
    ``counts_only`` skips building the items (the nav badge on every page needs the numbers only)."""
    now = now or clock.now()
    builders = [build for can, build in _SECTIONS if user.is_authenticated and can(user)]
    ask = _Ask(user, now, counts_only, _tallies(user, {b.__name__ for b in builders}))
    sections = [build(ask) for build in builders]
    return Inbox([s for s in sections if s.count])


def inbox_count(*, user: User, now: datetime | None = None) -> int:
    return inbox(user=user, now=now, counts_only=True).count


@dataclass(frozen=True)
class _Ask:
    """What every section builder is given: who asks, when, whether items are wanted, and the counts
    of the finding-based sections already taken in one query."""

    user: User
    now: datetime
    counts_only: bool
    tallies: dict[str, int]


# --- what is whose ---------------------------------------------------------------------------------


def _my_open_cases(user: User) -> QuerySet[Case]:
    """Open cases the user handles or opened, in their scope."""
    mine = Q(handler_id=user.pk) | Q(opened_by_id=user.pk)
    return scope.cases(user).filter(mine, stage__in=_OPEN)


def _findings(cases: QuerySet[Case]) -> QuerySet[StoredFinding]:
    """Unmet findings of ``cases`` that are due now: the rule guards the stage the case is at (or
    one it has already left, ``missing``/``overdue``); pending ones of later stages wait."""
    due_now = Q(guards=F("case__stage")) | Q(status__in=("missing", "overdue"))
    return StoredFinding.objects.filter(case__in=cases.values("pk"), status__in=UNMET_STATUSES).filter(
        due_now
    )


def _case_item(case: Case, what: str, why: str, **extra) -> InboxItem:
    cause = CONFIDENTIAL_LISTED if case.confidential else case.cause
    return InboxItem(what=what, why=why, case_id=case.pk, case_no=case.case_no, cause=cause, **extra)


def _finding_items(
    rows: Iterable[StoredFinding], what: str | Callable[[StoredFinding], str], anchor: str, now: datetime
) -> list[InboxItem]:
    """Items from findings: ``what`` is the task (or says it from the finding), the title says why."""
    return [
        _case_item(
            f.case,
            what if isinstance(what, str) else what(f),
            f.title,
            due_at=f.due_at,
            anchor=anchor,
            overdue=bool(f.due_at and f.due_at < now) or f.status == "overdue",
        )
        for f in rows
    ]


def _most_urgent(qs: QuerySet[StoredFinding]) -> list[StoredFinding]:
    """The first :data:`SHOWN` findings of ``qs`` by deadline, those without one after (oldest
    first). Two ``LIMIT`` queries rather than one ``NULLS LAST`` sort: each walks the
    ``(rule_kind, due_at)`` index in order and stops at :data:`SHOWN` rows, where the sort would
    read every unmet finding of the agency first."""
    qs = qs.select_related("case")
    dated = list(qs.filter(due_at__isnull=False).order_by("due_at", "id")[:SHOWN])
    if len(dated) == SHOWN:
        return dated
    return dated + list(qs.filter(due_at__isnull=True).order_by("id")[: SHOWN - len(dated)])


# --- counts ----------------------------------------------------------------------------------------

_MEDIA = Q(rule_kind__in=("required_av", "deadline")) & (Q(rule_kind="required_av") | Q(av_upload=True))


def _tallies(user: User, sections: set[str]) -> dict[str, int]:
    """The counts of the finding-based sections (``_approvals``, ``_documents``, ``_media``) the user
    has, in one aggregate query over the unmet findings of the open cases they may see."""
    wanted = {name: q for name, q in _tally_filters(user).items() if name.split(":")[0] in sections}
    if not wanted:
        return {}
    open_cases = scope.cases(user).filter(stage__in=_OPEN)
    totals = _findings(open_cases).aggregate(**{name: Count("id", filter=q) for name, q in wanted.items()})
    return {name: int(n or 0) for name, n in totals.items()}


def _tally_filters(user: User) -> dict[str, Q]:
    mine = Q(case__handler_id=user.pk) | Q(case__opened_by_id=user.pk)
    return {
        **{f"_approvals:{kind}": q for kind, q in _approval_kinds(user)},
        "_documents": mine & Q(rule_kind="required_document"),
        "_media": mine & _MEDIA,
    }


# --- approvals -------------------------------------------------------------------------------------


def _approval_rules(user: User, kinds: frozenset[str]) -> dict[str, list[str]]:
    """Per approval_chain rule of the user's agencies' profiles: the steps of its sequence the user
    may record."""
    wanted: dict[str, list[str]] = {}
    for agency in Agency.objects.filter(pk__in=scope.visible_agency_ids(user, "change")):
        profile = agency_profile(agency)
        for rule in profile.rules if profile else ():
            if rule.kind == "approval_chain":
                steps = wanted.setdefault(rule.id, [])
                steps += [k for k in rule.params.get("sequence", ()) if k in kinds and k not in steps]
    return {rule_id: steps for rule_id, steps in wanted.items() if steps}


def _approval_kinds(user: User) -> list[tuple[str, Q]]:
    """Per approval step the user may record: which unmet findings ask for it — an approval_chain
    rule of their agency's profile whose sequence holds the step, on a case of their own agency
    where nobody has recorded it yet (a handler's own proposal only on the cases they handle)."""
    rules = _approval_rules(user, approval_kinds_for(user.roles))
    own_agency = Q(agency_id__in=scope.visible_agency_ids(user, "change"))
    kinds: list[tuple[str, Q]] = []
    for kind in sorted({k for steps in rules.values() for k in steps}):
        recorded = ApprovalStep.objects.filter(case_id=OuterRef("case_id"), kind=kind)
        rule_ids = [r for r, steps in rules.items() if kind in steps]
        q = own_agency & Q(Q(rule_kind="approval_chain", rule_id__in=rule_ids), ~Exists(recorded))
        kinds.append((kind, q & Q(case__handler_id=user.pk) if kind == "handler_proposal" else q))
    return kinds


def _approvals(ask: _Ask) -> InboxSection:
    """Approval steps the rules expect at the case's stage, that the user's roles may record and
    nobody has recorded yet (a finding counts once for each such step)."""
    items: list[InboxItem] = []
    if not ask.counts_only:
        findings = _findings(scope.cases(ask.user, "change").filter(stage__in=_OPEN))
        for kind, q in _approval_kinds(ask.user):
            label = f"待填写{APPROVAL_KIND_LABELS.get(kind, kind)}"
            items += _finding_items(_most_urgent(findings.filter(q)), label, "panel-approval", ask.now)
    count = sum(n for name, n in ask.tallies.items() if name.startswith("_approvals:"))
    return InboxSection("approvals", "待审批", count, _sorted(items))


# --- signatures, documents, A/V of the user's own cases ---------------------------------------------


def _signatures(ask: _Ask) -> InboxSection:
    """Documents the party signs (catalogue ``party_signs``), on the user's cases, with neither the
    party's signature nor a recorded refusal."""
    user = ask.user
    signed = Signature.objects.filter(document_id=OuterRef("pk"), signer_role__in=_PARTY_SIDE)
    refused = SignatureRefusal.objects.filter(document_id=OuterRef("pk"), refuser_role__in=_PARTY_SIDE)
    docs = (
        scope.documents(user)
        .filter(case__in=_my_open_cases(user).values("pk"), doc_type__in=PARTY_SIGNS)
        .filter(~Exists(signed), ~Exists(refused))
    )
    count = docs.count()
    items = []
    if not ask.counts_only:
        # oldest first by id (the order they were created in): the scan stops at SHOWN rows, where
        # ordering by created_at sorts every unsigned document of the agency first
        for doc in docs.select_related("case").order_by("id")[:SHOWN]:
            title = get_type(doc.doc_type).title
            items.append(
                _case_item(
                    doc.case,
                    f"《{title}》待当事人签名",
                    "当事人应在文书上签名（拒签应记录）",
                    anchor=f"doc-{doc.pk}",
                )
            )
    return InboxSection("signatures", "待签名", count, items)


def _documents(ask: _Ask) -> InboxSection:
    items = []
    if not ask.counts_only:
        qs = _findings(_my_open_cases(ask.user)).filter(rule_kind="required_document")
        items = _finding_items(_most_urgent(qs), _missing_what, "panel-document", ask.now)
    return InboxSection("documents", "待制作文书", ask.tallies["_documents"], items)


def _missing_what(f: StoredFinding) -> str:
    """The finding's own detail ("缺少《…》"), which names the document; the title says why."""
    detail = f.message.split("：", 1)[-1]
    return detail if detail.startswith("缺少") else f"待制作：{f.title}"


def _media(ask: _Ask) -> InboxSection:
    """Unmet A/V findings on the user's cases, and footage of the agency waiting to be linked, each
    clip with its upload clock (overdue first)."""
    clips = evidence.unassigned_media(user=ask.user)
    count = ask.tallies["_media"] + clips.count()
    if ask.counts_only:
        return InboxSection("media", "待上传、标注、关联音像", count)
    qs = _findings(_my_open_cases(ask.user)).filter(_MEDIA)
    pending = _finding_items(_most_urgent(qs), "待上传或标注音像记录", "panel-media", ask.now)
    items = _sorted(_clip_items(clips, ask.now) + pending)[:SHOWN]
    return InboxSection("media", "待上传、标注、关联音像", count, items)


def _clip_items(clips: QuerySet[MediaRecord], now: datetime) -> list[InboxItem]:
    """Footage waiting for its case, with the deadline of the agency's own upload rule (none where the
    agency's regulation sets none: the one rule of :mod:`liuhen.rules.upload`, as everywhere else)."""
    rules: dict[int, UploadDeadline | None] = {}
    items = []
    for clip in clips.select_related("agency").order_by("uploaded_at", "id")[:_CLIPS_SCANNED]:
        if clip.agency_id not in rules:
            rules[clip.agency_id] = evidence.agency_upload_deadline(clip.agency)
        rule = rules[clip.agency_id]
        due = evidence.media_upload_due(clip, rule)
        title = (
            "（涉密音像）"
            if clip.confidential
            else (clip.title or clip.original_filename or f"音像记录 {clip.pk}")
        )
        items.append(
            InboxItem(
                what=f"待关联案件：{title}",
                why=f"音像记录应在{rule.hours}小时内存储并关联案件" if rule else "音像记录尚未关联案件",
                due_at=due,
                place="unassigned",
                overdue=due is not None and due < now,
            )
        )
    return items


# --- archive, rectification checks, devices ---------------------------------------------------------


def _archive_rule(user: User) -> tuple[int, str]:
    """The archive deadline (days after enforcement ended) and its title, from the user's profile."""
    profile = agency_profile(user.agency) if user.agency is not None else None
    for rule in profile.rules if profile else ():
        if rule.kind == "deadline" and rule.params.get("complete") == "case.archived_at":
            return int(rule.params.get("days", ARCHIVE_DAYS)), rule.title_zh
    return ARCHIVE_DAYS, ARCHIVE_RULE


def _archive(ask: _Ask) -> InboxSection:
    """Closed cases not yet archived, oldest end of enforcement first, with the archive deadline."""
    user, now = ask.user, ask.now
    cases = scope.archiving_cases(user).filter(
        stage="closed", enforcement_ended_at__isnull=False, archived_at__isnull=True
    )
    count = cases.count()
    items = []
    if not ask.counts_only:
        days, title = _archive_rule(user)
        for case in cases.order_by("enforcement_ended_at", "id")[:SHOWN]:
            assert case.enforcement_ended_at is not None
            due = case.enforcement_ended_at + timedelta(days=days)
            items.append(_case_item(case, "整理案卷", title, due_at=due, place="archive", overdue=due < now))
    return InboxSection("archive", "待归档", count, items)


def _rectification(ask: _Ask) -> InboxSection:
    """责令改正通知书 on the user's cases whose 改正期限 (``due_date``, as amended) has passed, with no
    整改复查记录 on the case yet."""
    user, now = ask.user, ask.now
    checked = Document.objects.filter(case_id=OuterRef("case_id"), doc_type="rectification_check_record")
    notices = (
        scope.documents(user)
        .filter(case__in=_my_open_cases(user).values("pk"), doc_type="rectification_notice")
        .filter(~Exists(checked))
        .select_related("case")
        .prefetch_related("amendments")
        .order_by("created_at", "id")
    )
    today = now.astimezone(clock.SHANGHAI).date()
    due = []
    for notice in notices:
        fields = current_fields(notice.fields, [a.changes for a in notice.amendments.all()])
        deadline = _end_of_day(fields.get("due_date"))
        if deadline is not None and deadline.date() < today:
            due.append((deadline, notice))
    due.sort(key=lambda pair: pair[0])
    items = [
        _case_item(n.case, "待整改复查", RECTIFICATION_RULE, due_at=d, anchor="panel-document", overdue=True)
        for d, n in due[:SHOWN]
    ]
    return InboxSection("rectification", "待整改复查", len(due), [] if ask.counts_only else items)


def _end_of_day(value: object) -> datetime | None:
    """The end of the day a catalogue date field names (Beijing time), or ``None`` if it names none."""
    try:
        day = datetime.fromisoformat(str(value)).date() if value else None
    except ValueError:
        return None
    return datetime.combine(day, time(23, 59), tzinfo=clock.SHANGHAI) if day else None


def _devices(ask: _Ask) -> InboxSection:
    """Devices handed out (领用) with no pre-duty check recorded today (Beijing day)."""
    user, now = ask.user, ask.now
    start = datetime.combine(now.astimezone(clock.SHANGHAI).date(), time(0), tzinfo=clock.SHANGHAI)
    checked = DeviceEvent.objects.filter(device_id=OuterRef("pk"), kind="checked", at__gte=start)
    devices = scope.devices(user, "change").filter(status="issued").filter(~Exists(checked))
    count = devices.count()
    items = []
    if not ask.counts_only:
        end = start + timedelta(days=1)
        for device in devices.select_related("holder").order_by("number")[:SHOWN]:
            holder = device.holder.display_name if device.holder else "—"
            items.append(
                InboxItem(
                    what=f"设备 {device.number}（{device.get_kind_display()}，领用人 {holder}）今日未检查",
                    why="执法记录设备使用前应检查电量和存储空间",
                    due_at=end,
                )
            )
    return InboxSection("devices", "待检查设备", count, items)


def _access_requests(ask: _Ask) -> InboxSection:
    """调阅/复制/对外提供 requests waiting for the user's decision (the profile names who decides)."""
    from liuhen.grants.policy import agency_policy
    from liuhen.grants.selectors import to_decide
    from liuhen.grants.services import approver_basis

    pending = to_decide(user=ask.user)
    items = []
    if not ask.counts_only and pending:
        policy = agency_policy(pending[0].agency)
        for r in pending[:SHOWN]:
            what = f"审批{r.get_kind_display()}申请 {r.number}（{r.requested_by.display_name}）"
            items.append(InboxItem(what, approver_basis(policy, r.kind), place="access_request", ref_id=r.pk))
    return InboxSection("access_requests", "调阅复制审批", len(pending), items)


def _disclosures(ask: _Ask) -> InboxSection:
    """Parties' requests open at the desk, with their working-day deadlines (overdue first)."""
    from liuhen.disclosure.selectors import disclosure_due
    from liuhen.grants.policy import agency_policy

    due = disclosure_due(ask.user)
    items = []
    if not ask.counts_only and due and ask.user.agency is not None:
        policy = agency_policy(ask.user.agency)
        rule = f"{policy.disclosure_basis}：{policy.disclosure_working_days}个工作日内答复"
        for d in due[:SHOWN]:
            at = datetime.combine(d.due_on, time(23, 59), tzinfo=clock.SHANGHAI)
            why = rule + ("（期限暂定）" if d.provisional else "")
            what = f"{d.label}：{d.number}（{d.requester}）"
            items.append(
                InboxItem(what, why, due_at=at, place="disclosure", ref_id=d.request_id, overdue=d.overdue)
            )
    return InboxSection("disclosures", "依申请公开", len(due), _sorted(items))


def _decides_access(user: User) -> bool:
    from liuhen.grants.policy import deciding_roles

    return user.agency is not None and bool(set(user.roles) & deciding_roles(user.agency))


def _sorted(items: list[InboxItem]) -> list[InboxItem]:
    """Overdue first, then by deadline, items without one last."""
    far = datetime.max.replace(tzinfo=clock.SHANGHAI)
    return sorted(items, key=lambda i: (not i.overdue, i.due_at or far))


def _elsewhere(module: str, name: str) -> Callable[..., Any]:
    """A section (or its test) kept in its feature's own app, imported when first called: those modules
    build on this one's InboxItem and InboxSection."""

    def call(arg: Any) -> Any:
        return getattr(import_module(module), name)(arg)

    call.__name__ = f"{module.rsplit('.', 2)[-2]}_{name}"
    return call


_SECTIONS: tuple[tuple[Callable[[User], bool], Callable[[_Ask], InboxSection]], ...] = (
    (lambda u: bool(approval_kinds_for(u.roles)), _approvals),
    (lambda u: u.can(Permission.DOCUMENT_SIGN) and u.can(Permission.DOCUMENT_CREATE), _signatures),
    (lambda u: u.can(Permission.DOCUMENT_CREATE), _documents),
    (lambda u: u.can(Permission.MEDIA_UPLOAD), _media),
    (lambda u: u.can(Permission.CASE_ARCHIVE), _archive),
    (lambda u: u.can(Permission.DOCUMENT_CREATE), _rectification),
    (lambda u: u.can(Permission.DEVICE_MANAGE), _devices),
    (_decides_access, _access_requests),
    (lambda u: u.can(Permission.DISCLOSURE_HANDLE), _disclosures),
    # supervision (issue #14): each feature's section lives in its own app
    (_elsewhere("liuhen.spotchecks.inbox", "shown"), _elsewhere("liuhen.spotchecks.inbox", "section")),
    (_elsewhere("liuhen.filereview.inbox", "shown"), _elsewhere("liuhen.filereview.inbox", "section")),
    (_elsewhere("liuhen.publication.inbox", "shown"), _elsewhere("liuhen.publication.inbox", "section")),
)

"""Writes of a party's request (R6.2): register, extend, decide, approve. Redaction and delivery live
in :mod:`liuhen.disclosure.redaction` and :mod:`liuhen.disclosure.delivery`.

Each service checks who acts, validates, writes its row and appends its ledger entry in one
transaction. The desk is whoever holds ``disclosure.handle`` (the legal unit, the head); the approval
is by the role the agency's profile names (``disclosure_approver_role``; gaochang-sthj§31: the head),
never by the person who decided.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import ROLE_LABELS, Permission, Role
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed, invalid
from liuhen.disclosure.models import (
    DisclosureApproval,
    DisclosureAttachment,
    DisclosureCounter,
    DisclosureDecision,
    DisclosureExtension,
    DisclosureRequest,
)
from liuhen.disclosure.state import decision_in_force, effective_due, entry_state, missing_redactions
from liuhen.grants.policy import agency_policy
from liuhen.ledger.services import ContentRef, ledger_append
from liuhen.media.sniff import HEAD_BYTES, sniff_type
from liuhen.rules.workdays import CalendarMissing, add_working_days, is_provisional

NUMBER_FORMAT = "依申请〔{year}〕{seq}号"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}

# Legal reasons for withholding (政府信息公开条例), code → what the decision and the page say.
REASONS: dict[str, str] = {
    "state_secret": "依法确定为国家秘密（《政府信息公开条例》第十四条）",
    "law_forbidden": "法律、行政法规禁止公开（《政府信息公开条例》第十四条）",
    "public_safety": "公开后可能危及国家安全、公共安全、经济安全、社会稳定（《政府信息公开条例》第十四条）",
    "trade_secret": "涉及商业秘密，公开会对第三方合法权益造成损害（《政府信息公开条例》第十五条）",
    "privacy": "涉及个人隐私，公开会对第三方合法权益造成损害（《政府信息公开条例》第十五条）",
    "internal": "内部事务信息（《政府信息公开条例》第十六条第一款）",
    "process": "过程性信息或行政执法案卷信息（《政府信息公开条例》第十六条第二款）",
    "not_exist": "经检索没有所申请公开的信息（《政府信息公开条例》第三十六条第四项）",
    "not_ours": "不属于本机关负责公开（《政府信息公开条例》第三十六条第五项）",
}
ITEM_OUTCOMES = {"given": "公开", "redacted": "遮蔽后公开", "withheld": "不予公开"}
ITEM_KINDS = ("document", "media")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its kind (identity / authorisation / other), its name and its bytes."""

    kind: str
    filename: str
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class RequestFacts:
    """What the desk enters from the application form."""

    requester_kind: str
    requester_name: str
    asked_for: str
    received_on: date
    requester_id_type: str = ""
    requester_id_number: str = ""
    requester_phone: str = ""
    requester_address: str = ""
    case_id: int | None = None
    party_id: int | None = None
    items: Sequence[tuple[str, int]] = field(default_factory=tuple)


def require_desk(user: User) -> None:
    if not user.can(Permission.DISCLOSURE_HANDLE):
        raise PermissionDenied("只有依申请公开受理人员（法制审核、机关负责人）可以办理")


# -- register ---------------------------------------------------------------------------------------


def request_register(*, by: User, facts: RequestFacts, uploads: Sequence[Upload] = ()) -> DisclosureRequest:
    """Register a request received at the desk of ``by``'s agency; the deadline is ``received_on`` +
    the profile's working days on the holiday calendar. The uploads are spooled to disk to be sniffed."""
    require_desk(by)
    with tempfile.TemporaryDirectory(prefix="liuhen-disclosure-") as folder:
        spooled = [_spool(Path(folder) / f"{i}", u, i) for i, u in enumerate(uploads)]
        return _register(by, facts, spooled)


@dataclass(frozen=True)
class _Spooled:
    kind: str
    filename: str
    path: Path
    sha256: str
    size: int
    media_type: str


def _spool(path: Path, upload: Upload, index: int) -> _Spooled:
    name = f"attachments[{index}]"
    if upload.kind not in DisclosureAttachment.Kind.values:
        raise invalid(name, "invalid", "附件类别无效")
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        for chunk in upload.chunks:
            size += len(chunk)
            if size > MAX_ATTACHMENT_BYTES:
                raise invalid(name, "too_large", "附件不得超过 20 MB")
            digest.update(chunk)
            out.write(chunk)
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    media_type = "application/pdf" if head.startswith(b"%PDF-") else sniff_type(head)
    if media_type not in ATTACHMENT_TYPES:
        raise invalid(name, "unsupported", "附件须为 PDF、JPEG 或 PNG 文件（按内容识别）")
    return _Spooled(upload.kind, upload.filename[:255], path, digest.hexdigest(), size, media_type)


@transaction.atomic
def _register(by: User, facts: RequestFacts, spooled: list[_Spooled]) -> DisclosureRequest:
    agency = by.agency
    if agency is None:
        raise PermissionDenied("只有机关工作人员可以受理依申请公开")
    clean = _validated(by, facts)
    case = clean.pop("case")
    policy = agency_policy(agency)
    try:
        due = add_working_days(facts.received_on, policy.disclosure_working_days)
        provisional = is_provisional(facts.received_on, due)
    except CalendarMissing as exc:
        raise invalid("received_on", "no_calendar", exc.message) from None
    year = facts.received_on.year
    DisclosureCounter.objects.get_or_create(agency=agency, year=year)
    counter = DisclosureCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    now = clock.now()
    request = DisclosureRequest.objects.create(
        agency=agency,
        number=NUMBER_FORMAT.format(year=year, seq=counter.last_seq),
        year=year,
        seq=counter.last_seq,
        case=case,
        due_on=due,
        due_provisional=provisional,
        registered_at=now,
        registered_by=by,
        **clean,
    )
    attachments = []
    for item in spooled:
        blob_store().put_file(item.path, sha256_hex=item.sha256)
        attachments.append(
            DisclosureAttachment.objects.create(
                request=request,
                kind=item.kind,
                sha256=item.sha256,
                size=item.size,
                media_type=item.media_type,
                original_filename=item.filename,
                added_at=now,
                added_by=by,
            )
        )
    ledger_append(
        action="disclosure.registered",
        actor=by,
        agency=agency,
        case=case,
        objects={"disclosure_request": request.pk},
        contents=[ContentRef(f"disclosure_{a.kind}", a.sha256, a.size) for a in attachments],
        details={
            "number": request.number,
            "requester_kind": request.requester_kind,
            "items": request.items,
            "received_on": request.received_on.isoformat(),
            "due_on": due.isoformat(),
            "due_provisional": provisional,
            **entry_state(disclosure_request=request.pk),
        },
        at=now,
    )
    for attachment in attachments:  # one entry per uploaded record, carrying its row's state
        ledger_append(
            action="disclosure.attached",
            actor=by,
            agency=agency,
            case=case,
            objects={"disclosure_request": request.pk, "disclosure_attachment": attachment.pk},
            details={"kind": attachment.kind, **entry_state(disclosure_attachment=attachment.pk)},
            at=now,
        )
    return request


def _validated(by: User, facts: RequestFacts) -> dict[str, Any]:
    """The request's columns, or every problem at its field (Chinese). A case, party or record the desk
    cannot see is "not found" (404, naming the field), whether or not it exists."""
    errors: list[FieldError] = []

    def need(name: str, value: str, label: str, limit: int) -> str:
        value = value.strip()
        if not value:
            errors.append(FieldError(name, "required", f"请填写{label}"))
        elif len(value) > limit:
            errors.append(FieldError(name, "too_long", f"{label}不得超过 {limit} 字"))
        return value

    kind = facts.requester_kind
    if kind not in DisclosureRequest.RequesterKind.values:
        errors.append(FieldError("requester_kind", "invalid", "请选择申请人身份"))
    name = need("requester_name", facts.requester_name, "申请人姓名或名称", 200)
    asked_for = need("asked_for", facts.asked_for, "申请公开的内容", 2000)
    if facts.received_on > clock.now().astimezone(clock.SHANGHAI).date():
        errors.append(FieldError("received_on", "future", "收到申请的日期不能晚于今天"))
    case = party = None
    if facts.case_id is not None:
        case = scope.cases(by, "change").filter(pk=facts.case_id).first()
        if case is None:
            raise NotFound(
                f"案件 {facts.case_id} 不存在", errors=[FieldError("case", "not_found", "案件不存在")]
            )
    if facts.party_id is not None:
        party = case.parties.filter(pk=facts.party_id).first() if case is not None else None
        if party is None:
            raise NotFound(
                "当事人不存在", errors=[FieldError("party", "not_found", "所选当事人不是本案当事人")]
            )
    items = _items(by, case, facts.items, errors)
    if errors:
        raise ValidationFailed(errors[0].message, errors=errors)
    return {
        "case": case,
        "party": party,
        "requester_kind": kind,
        "requester_name": name,
        "requester_id_type": facts.requester_id_type.strip()[:32],
        "requester_id_number": facts.requester_id_number.strip()[:64],
        "requester_phone": facts.requester_phone.strip()[:32],
        "requester_address": facts.requester_address.strip()[:300],
        "asked_for": asked_for,
        "items": items,
        "received_on": facts.received_on,
    }


def _items(
    by: User, case: Case | None, wanted: Sequence[tuple[str, int]], errors: list[FieldError]
) -> list[dict[str, Any]]:
    """The records asked for: documents and A/V of the request's case, each visible to the desk."""
    if wanted and case is None:
        errors.append(FieldError("items", "no_case", "请先选择案件，再选择申请公开的文书或音像记录"))
        return []
    out: list[dict[str, Any]] = []
    for index, (kind, pk) in enumerate(wanted):
        found = kind in ITEM_KINDS and case is not None and _item_visible(by, case, kind, pk)
        if not found:
            message = f"记录 {kind}:{pk} 不存在"
            raise NotFound(message, errors=[FieldError(f"items[{index}]", "not_found", message)])
        elif {"kind": kind, "id": pk} not in out:
            out.append({"kind": kind, "id": pk})
    return out


def _item_visible(by: User, case: Case, kind: str, pk: int) -> bool:
    if kind == "document":
        return scope.documents(by, case_id=case.pk).filter(pk=pk).exists()
    return scope.media_of_case(scope.media(by), case.pk).filter(pk=pk).exists()


# -- extend ------------------------------------------------------------------------------------------


@transaction.atomic
def request_extend(*, request: DisclosureRequest, by: User, reason: str) -> DisclosureExtension:
    """Extend the deadline once, by the profile's working days, with the head's approval (``by``)."""
    require_desk(by)
    if not by.has_role(Role.HEAD):
        raise PermissionDenied("延长答复期限须经机关负责人同意")
    reason = reason.strip()
    if not reason:
        raise invalid("reason", "required", "请填写延长答复期限的理由")
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    if DisclosureExtension.objects.filter(request=request).exists():
        raise Conflict("答复期限只能延长一次（《政府信息公开条例》第三十三条）")
    if hasattr(request, "delivery"):
        raise Conflict("已答复送达的申请不能再延长期限")
    policy = agency_policy(request.agency)
    try:
        due = add_working_days(request.due_on, policy.disclosure_extension_days)
        provisional = is_provisional(request.received_on, due)
    except CalendarMissing as exc:
        raise Conflict(exc.message) from None
    now = clock.now()
    extension = DisclosureExtension.objects.create(
        request=request,
        reason=reason,
        due_on=due,
        due_provisional=provisional,
        approved_at=now,
        approved_by=by,
    )
    ledger_append(
        action="disclosure.extended",
        actor=by,
        agency=request.agency,
        case=request.case,
        objects={"disclosure_request": request.pk, "disclosure_extension": extension.pk},
        details={
            "number": request.number,
            "from": request.due_on.isoformat(),
            "due_on": due.isoformat(),
            **entry_state(disclosure_extension=extension.pk),
        },
        at=now,
    )
    return extension


# -- decide and approve ------------------------------------------------------------------------------


@transaction.atomic
def request_decide(
    *,
    request: DisclosureRequest,
    by: User,
    outcome: str,
    reason: str,
    note: str = "",
    item_outcomes: dict[tuple[str, int], str],
) -> DisclosureDecision:
    """Decide the request: grant (every item given), partial (some withheld or redacted) or refusal
    (every item withheld), with the legal reason whenever anything is withheld or redacted."""
    require_desk(by)
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    if hasattr(request, "delivery"):
        raise Conflict("该申请已答复送达")
    current = decision_in_force(request)
    if current is not None and not (hasattr(current, "approval") and not current.approval.approved):
        raise Conflict("该申请已作出答复决定；只有审批未同意的决定才能重新作出")
    items = _decided_items(request, outcome, reason, item_outcomes)
    now = clock.now()
    decision = DisclosureDecision.objects.create(
        request=request,
        outcome=outcome,
        reason=reason if outcome != "grant" or reason else "",
        note=note.strip()[:2000],
        items=items,
        decided_at=now,
        decided_by=by,
    )
    ledger_append(
        action="disclosure.decided",
        actor=by,
        agency=request.agency,
        case=request.case,
        objects={"disclosure_request": request.pk, "disclosure_decision": decision.pk},
        details={
            "number": request.number,
            "outcome": outcome,
            "reason": REASONS.get(decision.reason, ""),
            "items": items,
            "late": now.astimezone(clock.SHANGHAI).date() > effective_due(request),
            **entry_state(disclosure_decision=decision.pk),
        },
        at=now,
    )
    return decision


def _decided_items(
    request: DisclosureRequest, outcome: str, reason: str, item_outcomes: dict[tuple[str, int], str]
) -> list[dict[str, Any]]:
    if outcome not in DisclosureDecision.Outcome.values:
        raise invalid("outcome", "invalid", "请选择答复结果")
    items = []
    for index, item in enumerate(request.items):
        chosen = item_outcomes.get((item["kind"], item["id"]), "")
        if chosen not in ITEM_OUTCOMES:
            raise invalid(f"items[{index}]", "required", "请为每一项申请公开的记录选择处理方式")
        items.append({**item, "outcome": chosen})
    outcomes = {i["outcome"] for i in items}
    if outcome == "grant" and outcomes - {"given"}:
        raise invalid("outcome", "mismatch", "予以公开时每一项都应为“公开”；有遮蔽或不予公开的请选择部分公开")
    if outcome == "refuse" and outcomes - {"withheld"}:
        raise invalid("outcome", "mismatch", "不予公开时每一项都应为“不予公开”")
    if outcome == "partial" and not (outcomes & {"given", "redacted"} and outcomes != {"given"}):
        raise invalid("outcome", "mismatch", "部分公开须至少公开一项，并至少遮蔽或不予公开一项")
    if outcome != "grant" and reason not in REASONS:
        raise invalid("reason", "required", "部分公开或不予公开须选择法定理由")
    if outcome == "grant" and reason and reason not in REASONS:
        raise invalid("reason", "invalid", "法定理由无效")
    return items


@transaction.atomic
def decision_approve(
    *, request: DisclosureRequest, by: User, approved: bool, note: str = ""
) -> DisclosureApproval:
    """The approver the profile names approves (or refuses) the decision in force; not its author."""
    role = agency_policy(request.agency).disclosure_approver_role
    if not role:
        raise Conflict("本机关的规则不要求对依申请公开的答复另行审批")
    if not by.has_role(Role(role)) or by.agency_id != request.agency_id:
        raise PermissionDenied(f"依申请公开的答复须由{ROLE_LABELS.get(Role(role), role)}审批")
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    decision = decision_in_force(request)
    if decision is None:
        raise Conflict("该申请尚未作出答复决定")
    if hasattr(decision, "approval"):
        raise Conflict("该答复决定已审批")
    if missing_redactions(request, decision):
        raise Conflict("答复决定中需遮蔽的记录尚未全部遮蔽，请先完成遮蔽再审批")
    if decision.decided_by_id == by.pk:
        raise PermissionDenied("作出答复决定的人员不能审批自己的决定")
    if not approved and not note.strip():
        raise invalid("note", "required", "不同意时请写明意见")
    now = clock.now()
    approval = DisclosureApproval.objects.create(
        decision=decision, approved=approved, note=note.strip()[:2000], at=now, by=by
    )
    ledger_append(
        action="disclosure.approved" if approved else "disclosure.approval_refused",
        actor=by,
        agency=request.agency,
        case=request.case,
        objects={
            "disclosure_request": request.pk,
            "disclosure_approval": approval.pk,
            "disclosure_decision": decision.pk,
        },
        details={
            "number": request.number,
            "role": role,
            "note": approval.note,
            **entry_state(disclosure_approval=approval.pk),
        },
        at=now,
    )
    return approval

"""Text records (文书): creating, signing, refusals to sign, amendments."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission, Role, may_author
from liuhen.cases.models import (
    SIGNATURE_METHOD_CHOICES,
    SIGNER_ROLE_CHOICES,
    Amendment,
    Case,
    Document,
    Signature,
    SignatureRefusal,
)
from liuhen.cases.services.common import (
    refresh_compliance,
    require,
    require_open,
    require_same_agency,
    require_stored,
)
from liuhen.catalogue import UnknownDocumentType, get_type, validate_fields
from liuhen.catalogue.versions import current_fields, document_body
from liuhen.core import clock
from liuhen.core.errors import FieldError, PermissionDenied, ValidationFailed, invalid
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ContentRef, ledger_append

_METHODS = {code for code, _ in SIGNATURE_METHOD_CHOICES}
_SIGNER_ROLES = {code for code, _ in SIGNER_ROLE_CHOICES}


def require_author(user: User, doc_type: str) -> None:
    """The user's roles write this type (the catalogue's ``author_roles``, else ``document.create``)."""
    try:
        spec = get_type(doc_type)
    except UnknownDocumentType:
        raise invalid("doc_type", "unknown", f"未知的文书类型：{doc_type}") from None
    if not may_author(list(user.roles), spec.author_roles):
        raise PermissionDenied(f"您的角色不能制作{spec.title}")


def _validated(doc_type: str, data: Mapping[str, Any], *, prefix: str = "fields") -> dict[str, Any]:
    try:
        spec = get_type(doc_type)
    except UnknownDocumentType:
        raise invalid("doc_type", "unknown", f"未知的文书类型：{doc_type}") from None
    clean, errors = validate_fields(spec, dict(data))
    if errors:
        raise ValidationFailed(
            "文书内容不符合格式要求",
            errors=[FieldError(f"{prefix}.{e.field}", e.reason, e.message) for e in errors],
        )
    return clean


@transaction.atomic
def document_create(
    *,
    case: Case,
    created_by: User,
    doc_type: str,
    fields: Mapping[str, Any],
    number: str = "",
    confidential: bool = False,
) -> Document:
    require_author(created_by, doc_type)
    require_same_agency(created_by, case)
    require_open(case)
    clean = _validated(doc_type, fields)
    body = document_body(doc_type=doc_type, case_no=case.case_no, number=number, fields=clean)
    digest = hashlib.sha256(body).hexdigest()
    document = Document.objects.create(
        case=case,
        doc_type=doc_type,
        number=number,
        fields=clean,
        body_sha256=digest,
        stage=case.stage,
        confidential=confidential,
        created_at=clock.now(),
        created_by=created_by,
    )
    ledger_append(
        action="document.created",
        actor=created_by,
        agency=case.agency,
        case=case,
        objects={"document": document.pk, "case": case.pk},
        contents=[ContentRef("document", digest, len(body))],
        details={
            "doc_type": doc_type,
            "number": number,
            "stage": case.stage,
            STATE_KEY: row_states(document=document.pk),
        },
        at=document.created_at,
    )
    refresh_compliance(case)
    return document


@transaction.atomic
def document_sign(
    *,
    document: Document,
    recorded_by: User,
    signer_role: str,
    signer_name: str,
    method: str,
    signed_at: datetime | None = None,
    signer_user: User | None = None,
    cross_page_seal: bool = False,
) -> Signature:
    require(recorded_by, Permission.DOCUMENT_SIGN)
    require_same_agency(recorded_by, document.case)
    require_open(document.case)
    if signer_role not in _SIGNER_ROLES:
        raise invalid("signer_role", "invalid", f"签名人身份须为 {'/'.join(sorted(_SIGNER_ROLES))}")
    if method not in _METHODS:
        raise invalid("method", "invalid", f"签名方式须为 {'/'.join(sorted(_METHODS))}")
    if not signer_name.strip():
        raise invalid("signer_name", "required", "签名人姓名为必填项")
    now = clock.now()
    if signed_at is not None and signed_at > now:
        raise invalid("signed_at", "in_future", "签名时间不能晚于当前时间")
    signature = Signature.objects.create(
        document=document,
        signer_role=signer_role,
        signer_name=signer_name.strip(),
        signer_user=signer_user,
        method=method,
        cross_page_seal=cross_page_seal,
        signed_at=signed_at or now,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    ledger_append(
        action="document.signed",
        actor=recorded_by,
        agency=document.case.agency,
        case=document.case,
        objects={"signature": signature.pk, "document": document.pk},
        details={
            "role": signer_role,
            "name": signature.signer_name,
            "method": method,
            STATE_KEY: row_states(signature=signature.pk),
        },
        at=now,
    )
    refresh_compliance(document.case)
    return signature


def second_officer_confirm(*, request: HttpRequest, username: str, password: str) -> User:
    """The second officer of a refusal (xinle-fg§14), proven by their own username and password typed
    on the first officer's device, so one officer cannot name a colleague who was not there.

    Checked by Django's ``authenticate``, so each wrong password counts toward that account's and this
    address's login lockout (django-axes) exactly like a failed login. Called by the adapters before
    :func:`document_refusal_record`; not inside its transaction, so a failure stays counted."""
    field = "second_officer_password"
    if not username.strip():
        raise invalid("second_officer_username", "required", "请填写第二名执法人员的用户名")
    if not password:
        raise invalid(field, "required", "请第二名执法人员输入本人密码")
    officer = authenticate(request, username=username.strip(), password=password)
    if getattr(request, "axes_locked_out", False):
        # answer at the field, in the one error shape, instead of axes' login-lockout page
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise invalid(field, "locked_out", "该账号密码错误次数过多，已被暂时锁定，请稍后再试")
    if not isinstance(officer, User):
        raise invalid(field, "wrong_password", "用户名或密码不正确")
    return officer


@transaction.atomic
def document_refusal_record(
    *,
    document: Document,
    recorded_by: User,
    refuser_role: str,
    refuser_name: str,
    reason: str,
    second_officer: User,
) -> SignatureRefusal:
    """Note a refusal to sign, co-signed by two different officers of the agency (xinle-fg§14): the
    officer recording it and ``second_officer``, whom the adapter has confirmed with
    :func:`second_officer_confirm`."""
    require(recorded_by, Permission.DOCUMENT_SIGN)
    require_same_agency(recorded_by, document.case)
    require_open(document.case)
    if refuser_role not in _SIGNER_ROLES:
        raise invalid("refuser_role", "invalid", "拒签人身份无效")
    if not refuser_name.strip():
        raise invalid("refuser_name", "required", "拒签人姓名为必填项")
    if not reason.strip():
        raise invalid("reason", "required", "须注明拒绝签名的情况")
    first, second = recorded_by, second_officer
    if first.pk == second.pk:
        raise invalid("second_officer_username", "not_distinct", "拒签须由另一名执法人员确认")
    for name, officer in (("recorded_by", first), ("second_officer_username", second)):
        if officer.agency_id != document.case.agency_id or not officer.has_role(Role.OFFICER):
            raise invalid(name, "not_officer", "签字人须为本机关执法人员")
    now = clock.now()
    refusal = SignatureRefusal.objects.create(
        document=document,
        refuser_role=refuser_role,
        refuser_name=refuser_name.strip(),
        reason=reason.strip(),
        noted_at=now,
        cosigner_1=first,
        cosigner_2=second,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    ledger_append(
        action="document.signature_refused",
        actor=recorded_by,
        agency=document.case.agency,
        case=document.case,
        objects={"refusal": refusal.pk, "document": document.pk},
        details={
            "role": refuser_role,
            "name": refusal.refuser_name,
            "cosigners": [first.pk, second.pk],
            STATE_KEY: row_states(refusal=refusal.pk),
        },
        at=now,
    )
    refresh_compliance(document.case)
    return refusal


def document_current_fields(document: Document) -> dict[str, Any]:
    """The document's fields with every amendment applied, oldest first (replayed by
    :mod:`liuhen.catalogue.versions`)."""
    return current_fields(document.fields, [a.changes for a in document.amendments.all()])


@transaction.atomic
def document_amend(
    *,
    document: Document,
    amended_by: User,
    changes: Mapping[str, Any],
    reason: str,
    party_ack_method: str = "",
    party_ack_name: str = "",
) -> Amendment:
    """Correct a document: the original stays; the amendment states what changed, why, by whom, and the
    party's acknowledgement at the change (手印 or seal, xinle-fg§14) where the party signs the form."""
    require_stored(document)
    require(amended_by, Permission.DOCUMENT_AMEND)
    require_same_agency(amended_by, document.case)
    require_open(document.case)
    if not changes:
        raise invalid("changes", "required", "须至少更正一项内容")
    if not reason.strip():
        raise invalid("reason", "required", "须说明更正理由")
    current = document_current_fields(document)
    proposed = {**current, **dict(changes)}
    clean = _validated(document.doc_type, proposed, prefix="changes")
    if get_type(document.doc_type).party_signs:
        if party_ack_method not in {"fingerprint", "seal"}:
            raise invalid("party_ack_method", "required", "当事人须在更改处捺手印或盖章")
        if not party_ack_name.strip():
            raise invalid("party_ack_name", "required", "须记录在更改处确认的当事人姓名")
    diff = {
        k: {"from": current.get(k), "to": clean.get(k)} for k in changes if current.get(k) != clean.get(k)
    }
    if not diff:
        raise invalid("changes", "unchanged", "更正内容与原内容相同")
    body = document_body(
        doc_type=document.doc_type, case_no=document.case.case_no, number=document.number, fields=clean
    )
    digest = hashlib.sha256(body).hexdigest()
    now = clock.now()
    amendment = Amendment.objects.create(
        document=document,
        changes=diff,
        reason=reason.strip(),
        amended_by=amended_by,
        amended_at=now,
        party_ack_method=party_ack_method,
        party_ack_name=party_ack_name.strip(),
        body_sha256=digest,
    )
    ledger_append(
        action="document.amended",
        actor=amended_by,
        agency=document.case.agency,
        case=document.case,
        objects={"amendment": amendment.pk, "document": document.pk},
        contents=[ContentRef("document", digest, len(body))],
        details={
            "fields": sorted(diff),
            "reason": amendment.reason,
            STATE_KEY: row_states(amendment=amendment.pk),
        },
        at=now,
    )
    refresh_compliance(document.case)
    return amendment

"""Agencies, their units and people: creating and changing them, and API tokens.

Who may do what is a ledger entry: ``user.created``, ``user.roles_changed``, ``user.updated``,
``user.deactivated`` and ``user.reactivated`` carry the roles, the agency, the supervised agencies,
whether the account is active, and the user row's state hash (:mod:`liuhen.ledger.integrity.state`), so
``liuhen verify`` names a role granted in the database. Agencies and units are tracked rows too
(``agency.created``/``agency.updated``, ``unit.created``/``unit.renamed``).

An administrator (``user.manage``) manages only their own agency and never their own account's roles or
activity, so no administrator can lock themself out or grant themself more."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.contrib.auth.hashers import identify_hasher
from django.db import transaction

from liuhen.accounts.models import Agency, ApiToken, OrgUnit, User
from liuhen.accounts.passwords import password_check
from liuhen.accounts.roles import Permission, Role
from liuhen.core import clock
from liuhen.core.errors import Conflict, FieldError, PermissionDenied, invalid
from liuhen.ledger.integrity.state import STATE_KEY, row_states
from liuhen.ledger.services import ledger_append


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str = "",
    password_hash: str = "",
    agency: Agency,
    roles: Sequence[str],
    full_name: str = "",
    certificate_no: str = "",
    unit: OrgUnit | None = None,
    supervised: Sequence[Agency] = (),
    created_by: User | None = None,
) -> User:
    _check_roles(roles, certificate_no=certificate_no)
    if password_hash:
        if not identify_hasher(password_hash):
            raise invalid("password_hash", "invalid", "不是 Django 的密码哈希")
    else:
        password_check(password, username=username, full_name=full_name)
    if created_by is not None:
        _check_manager(created_by, agency)
    if User.objects.filter(username=username).exists():
        raise Conflict(
            f"用户名 {username} 已存在", errors=[FieldError("username", "taken", "该用户名已被使用")]
        )
    if unit is not None and unit.agency_id != agency.pk:
        raise invalid("unit", "not_found", "内设机构不属于该机关")
    user = User.objects.create_user(
        username=username,
        password=None if password_hash else password,
        agency=agency,
        unit=unit,
        full_name=full_name,
        certificate_no=certificate_no,
        roles=list(dict.fromkeys(roles)),
    )
    if password_hash:  # an already hashed password (the demo hashes its one password once)
        user.password = password_hash
        user.save(update_fields=["password"])
    if supervised:
        user.supervised_agencies.set(supervised)
    ledger_append(
        action="user.created",
        actor=created_by,
        agency=agency,
        objects={"user": user.pk},
        details={"username": username, **_access(user)},
    )
    return user


def _check_roles(roles: Sequence[str], *, certificate_no: str) -> None:
    unknown = [r for r in roles if r not in Role.__members__.values()]
    if unknown:
        raise invalid("roles", "unknown", f"未知角色：{', '.join(unknown)}；可选 {', '.join(Role)}")
    if not roles:
        raise invalid("roles", "required", "至少指定一个角色")
    if Role.OFFICER in roles and not certificate_no:
        raise invalid("certificate_no", "required", "执法人员须有执法证号")


def _access(user: User) -> dict:
    """What a user may do, for the entry that grants it (and the row's state hash)."""
    supervised = user.supervised_agencies.order_by("code").values_list("code", flat=True)
    return {
        "roles": list(user.roles),
        "agency": user.agency.code if user.agency else None,
        "supervised": list(supervised),
        "is_active": user.is_active,
        STATE_KEY: row_states(user=user.pk),
    }


@transaction.atomic
def user_roles_set(
    *,
    user: User,
    by: User | None,
    roles: Sequence[str],
    reason: str,
    supervised: Sequence[Agency] | None = None,
    is_active: bool | None = None,
) -> User:
    """Change ``user``'s roles (and, when given, supervised agencies and whether the account is active).

    ``by`` is an administrator of the user's agency (``user.manage``), never the user themself;
    ``None`` is the command line run by whoever runs the server. The entry is ``user.roles_changed``."""
    if by is not None:
        if not by.can(Permission.USER_MANAGE) or by.agency_id != user.agency_id:
            raise PermissionDenied("只有本机关的系统管理员可以变更用户角色")
        if by.pk == user.pk:
            message = "不能变更自己的角色，须由本机关另一名系统管理员办理"
            raise PermissionDenied(message, errors=[FieldError("roles", "own_account", message)])
    _check_roles(roles, certificate_no=user.certificate_no)
    if not reason.strip():
        raise invalid("reason", "required", "须说明变更角色的理由")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.roles = list(dict.fromkeys(roles))
    if is_active is not None:
        user.is_active = is_active
    user.save(update_fields=["roles", "is_active"])
    if supervised is not None:
        user.supervised_agencies.set(supervised)
    ledger_append(
        action="user.roles_changed",
        actor=by,
        agency=user.agency,
        objects={"user": user.pk},
        details={"username": user.username, "reason": reason.strip(), **_access(user)},
    )
    return user


def _check_manager(by: User, agency: Agency | None) -> None:
    """``by`` may manage the people, units and settings of ``agency`` (their own, with ``user.manage``)."""
    if not by.can(Permission.USER_MANAGE) or agency is None or by.agency_id != agency.pk:
        raise PermissionDenied("只有本机关的系统管理员可以管理人员与机构")


def _check_other(by: User | None, user: User, field: str, message: str) -> None:
    if by is not None:
        _check_manager(by, user.agency)
        if by.pk == user.pk:
            raise invalid(field, "own_account", message)


@transaction.atomic
def user_update(
    *, by: User | None, user: User, full_name: str, unit: OrgUnit | None, certificate_no: str
) -> User:
    """Change a person's name, unit and 执法证号 (roles: :func:`user_roles_set`). An officer keeps a
    执法证号. The entry ``user.updated`` names the columns that changed."""
    if by is not None:
        _check_manager(by, user.agency)
    if unit is not None and unit.agency_id != user.agency_id:
        raise invalid("unit", "not_found", "内设机构不属于本机关")
    _check_roles(user.roles, certificate_no=certificate_no)
    user = User.objects.select_for_update().get(pk=user.pk)
    wanted = {
        "full_name": full_name.strip(),
        "unit_id": unit.pk if unit else None,
        "certificate_no": certificate_no,
    }
    changed = sorted(name for name, value in wanted.items() if getattr(user, name) != value)
    if not changed:
        return user
    for name in changed:
        setattr(user, name, wanted[name])
    user.save(update_fields=changed)
    ledger_append(
        action="user.updated",
        actor=by,
        agency=user.agency,
        objects={"user": user.pk},
        details={
            "username": user.username,
            "changed": [c.removesuffix("_id") for c in changed],
            **_access(user),
        },
    )
    return user


@transaction.atomic
def user_active_set(*, by: User | None, user: User, active: bool, reason: str) -> User:
    """Deactivate a person (they can no longer log in; everything they recorded stays theirs) or
    reactivate them. Accounts are never deleted: records point at them. Not one's own account."""
    _check_other(by, user, "active", "不能停用或启用自己的账号")
    if not reason.strip():
        raise invalid("reason", "required", "须说明停用或启用的理由")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        raise Conflict("该账号已是启用状态" if active else "该账号已停用")
    user.is_active = active
    user.save(update_fields=["is_active"])
    ledger_append(
        action="user.reactivated" if active else "user.deactivated",
        actor=by,
        agency=user.agency,
        objects={"user": user.pk},
        details={"username": user.username, "reason": reason.strip(), **_access(user)},
    )
    return user


@transaction.atomic
def user_password_reset(*, by: User | None, user: User, password: str) -> User:
    """Set a temporary password that meets the policy, for a person who forgot theirs. The entry
    ``user.password_reset`` says who reset whose password, never the password or its hash; the
    person's open sessions end (Django ties a session to the password)."""
    _check_other(by, user, "password", "不能在此重置自己的密码")
    password_check(password, username=user.username, full_name=user.full_name)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    ledger_append(
        action="user.password_reset",
        actor=by,
        agency=user.agency,
        objects={"user": user.pk},
        details={"username": user.username, STATE_KEY: row_states(user=user.pk)},
    )
    return user


# --- agencies and their units -----------------------------------------------------------------------


@transaction.atomic
def agency_create(
    *,
    code: str,
    name: str,
    short_name: str,
    case_prefix: str,
    kind: str = Agency.Kind.ENFORCEMENT,
    profile_id: str = "",
    province: str = "",
) -> Agency:
    """Register an agency (the demo, an installation's set-up); the entry ``agency.created``."""
    agency = Agency.objects.create(
        code=code,
        name=name,
        short_name=short_name,
        case_prefix=case_prefix,
        kind=kind,
        profile_id=profile_id,
        province=province,
    )
    ledger_append(
        action="agency.created",
        agency=agency,
        objects={"agency": agency.pk},
        details={"name": name, "case_prefix": case_prefix, STATE_KEY: row_states(agency=agency.pk)},
    )
    return agency


@transaction.atomic
def agency_update(*, by: User, agency: Agency, name: str, short_name: str, case_prefix: str) -> Agency:
    """Rename an agency or change its case-number prefix. Case numbers already given keep their old
    prefix (a case number never changes once issued); the new one applies to cases opened after.
    The rule profile is not changed here: it is the agency's regulation, set at installation."""
    _check_manager(by, agency)
    wanted = {"name": name.strip(), "short_name": short_name.strip(), "case_prefix": case_prefix.strip()}
    for field, value in wanted.items():
        if not value:
            raise invalid(field, "required", "不能为空")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = {field: getattr(agency, field) for field in wanted}
    changed = [field for field, value in wanted.items() if before[field] != value]
    if not changed:
        return agency
    for field in changed:
        setattr(agency, field, wanted[field])
    agency.save(update_fields=changed)
    ledger_append(
        action="agency.updated",
        actor=by,
        agency=agency,
        objects={"agency": agency.pk},
        details={
            "changes": {field: {"from": before[field], "to": wanted[field]} for field in changed},
            STATE_KEY: row_states(agency=agency.pk),
        },
    )
    return agency


@transaction.atomic
def org_unit_create(*, by: User | None, agency: Agency, name: str, kind: str) -> OrgUnit:
    """Add a unit (中队、科室 …) to an agency; the entry ``unit.created``."""
    if by is not None:
        _check_manager(by, agency)
    name = _unit_name(agency, name)
    if kind not in OrgUnit.Kind.values:
        raise invalid("kind", "invalid", "请选择机构类别")
    unit = OrgUnit.objects.create(agency=agency, name=name, kind=kind)
    ledger_append(
        action="unit.created",
        actor=by,
        agency=agency,
        objects={"unit": unit.pk},
        details={"name": name, "kind": kind, STATE_KEY: row_states(unit=unit.pk)},
    )
    return unit


@transaction.atomic
def org_unit_rename(*, by: User, unit: OrgUnit, name: str) -> OrgUnit:
    """Rename a unit; its members and cases stay with it. The entry ``unit.renamed`` keeps the old name."""
    _check_manager(by, unit.agency)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    old = unit.name
    if name.strip() == old:
        return unit
    unit.name = _unit_name(unit.agency, name)
    unit.save(update_fields=["name"])
    ledger_append(
        action="unit.renamed",
        actor=by,
        agency=unit.agency,
        objects={"unit": unit.pk},
        details={"from": old, "to": unit.name, STATE_KEY: row_states(unit=unit.pk)},
    )
    return unit


def _unit_name(agency: Agency, name: str) -> str:
    name = name.strip()
    if not name:
        raise invalid("name", "required", "机构名称为必填项")
    if OrgUnit.objects.filter(agency=agency, name=name).exists():
        raise invalid("name", "taken", "本机关已有同名机构")
    return name


@transaction.atomic
def token_issue(*, user: User, name: str = "cli") -> str:
    """Create an API token and return it; only its hash is kept."""
    token = "lh_" + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, token_sha256=ApiToken.digest(token), created_at=clock.now()
    )
    ledger_append(
        action="token.issued",
        actor=user,
        agency=user.agency,
        objects={"user": user.pk, "token": row.pk},
        details={"name": name, STATE_KEY: row_states(token=row.pk)},
    )
    return token

"""Creating users, changing what they may do, and API tokens.

Who may do what is a ledger entry: ``user.created`` and ``user.roles_changed`` carry the roles, the
agency, the supervised agencies, whether the account is active, and the user row's state hash
(:mod:`liuhen.ledger.integrity.state`), so ``liuhen verify`` names a role granted in the database."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.contrib.auth.hashers import identify_hasher
from django.db import transaction

from liuhen.accounts.models import Agency, ApiToken, OrgUnit, User
from liuhen.accounts.passwords import password_check
from liuhen.accounts.roles import Permission, Role
from liuhen.core import clock
from liuhen.core.errors import Conflict, PermissionDenied, invalid
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
    if User.objects.filter(username=username).exists():
        raise Conflict(f"用户名 {username} 已存在")
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
            raise PermissionDenied("不能变更自己的角色")
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

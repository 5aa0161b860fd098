"""Creating users and API tokens."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.contrib.auth.hashers import identify_hasher
from django.db import transaction

from liuhen.accounts.models import Agency, ApiToken, OrgUnit, User
from liuhen.accounts.passwords import password_check
from liuhen.accounts.roles import Role
from liuhen.core import clock
from liuhen.core.errors import Conflict, invalid
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
    unknown = [r for r in roles if r not in Role.__members__.values()]
    if unknown:
        raise invalid("roles", "unknown", f"未知角色：{', '.join(unknown)}；可选 {', '.join(Role)}")
    if not roles:
        raise invalid("roles", "required", "至少指定一个角色")
    if Role.OFFICER in roles and not certificate_no:
        raise invalid("certificate_no", "required", "执法人员须有执法证号")
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
        details={"username": username, "roles": list(user.roles)},
    )
    return user


@transaction.atomic
def token_issue(*, user: User, name: str = "cli") -> str:
    """Create an API token and return it; only its hash is kept."""
    token = "lh_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, token_sha256=ApiToken.digest(token), created_at=clock.now())
    ledger_append(
        action="token.issued",
        actor=user,
        agency=user.agency,
        objects={"user": user.pk},
        details={"name": name},
    )
    return token

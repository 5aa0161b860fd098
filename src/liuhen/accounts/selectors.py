"""Reads of people, scoped to the acting user's own agency."""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.core.errors import NotFound


def colleagues(*, user: User, role: Role | str | None = None) -> list[User]:
    """Active users of ``user``'s agency (holding ``role`` if given), by name."""
    if user.agency_id is None:
        return []
    people = User.objects.filter(agency_id=user.agency_id, is_active=True).order_by("full_name", "username")
    return [person for person in people if role is None or person.has_role(role)]


def colleague_get(*, user: User, user_id: int) -> User:
    """An active user of ``user``'s own agency; anyone else is not found."""
    if user.agency_id is None:
        raise NotFound(f"用户 {user_id} 不存在")
    colleague = User.objects.filter(pk=user_id, agency_id=user.agency_id, is_active=True).first()
    if colleague is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return colleague

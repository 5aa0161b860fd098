"""Reads of people, through the one access layer (:func:`liuhen.access.scope.colleagues`)."""

from __future__ import annotations

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.core.errors import NotFound


def colleagues(*, user: User, role: Role | str | None = None) -> list[User]:
    """Active users of ``user``'s agency (holding ``role`` if given), by name."""
    people = scope.colleagues(user).order_by("full_name", "username")
    return [person for person in people if role is None or person.has_role(role)]


def colleague_get(*, user: User, user_id: int) -> User:
    """An active user of ``user``'s own agency; anyone else is not found."""
    colleague = scope.colleagues(user).filter(pk=user_id).first()
    if colleague is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return colleague

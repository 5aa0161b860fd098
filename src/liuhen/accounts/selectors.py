"""Reads of people, units and agencies, through the one access layer (:mod:`liuhen.access.scope`)."""

from __future__ import annotations

from django.db.models import Count, Q

from liuhen.access import scope
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.roles import Permission, Role
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


def people_list(*, user: User) -> list[User]:
    """Everyone of the administrator's agency, active or not, by unit and name (empty for others)."""
    if not user.can(Permission.USER_MANAGE):
        return []
    people = scope.agency_people(user).select_related("unit")
    return list(people.order_by("-is_active", "unit__name", "full_name", "username"))


def person_get(*, user: User, person_id: int) -> User:
    """A person of the user's own agency; anyone else is not found. Whether the user may change them
    is the caller's check (``user.manage``, a 403)."""
    person = scope.agency_people(user).filter(pk=person_id).select_related("unit").first()
    if person is None:
        raise NotFound(f"用户 {person_id} 不存在")
    return person


def units_list(*, user: User, action: scope.Action = "view") -> list[OrgUnit]:
    """The units of the user's agency, by name, each with ``member_count`` (active people)."""
    units = scope.org_units(user, action).annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )
    return list(units.order_by("name"))


def unit_get(*, user: User, unit_id: int, action: scope.Action = "view") -> OrgUnit:
    unit = scope.org_units(user, action).filter(pk=unit_id).select_related("agency").first()
    if unit is None:
        raise NotFound(f"内设机构 {unit_id} 不存在")
    return unit


def own_agency(*, user: User, action: scope.Action = "view") -> Agency:
    """The user's own agency (to show or, with ``change``, to edit its settings)."""
    agency = scope.agencies(user, action).filter(pk=user.agency_id).first() if user.agency_id else None
    if agency is None:
        raise NotFound("机关不存在")
    return agency

"""The access layer's rules for statistics (which agencies' figures a user may see) (issue #14).

Part of :mod:`liuhen.access.scope` (imported at its end): every read of these objects starts here.

The figures are counts over whole agencies, so they follow the agencies, not the cases: a holder of
``supervision.view`` (the legal unit and the head: their own agency; a justice bureau's supervisor: the
agencies it supervises) sees the counters and tags of :func:`stats_agency_ids`; nobody else sees any.
The cases behind a number are listed from :func:`liuhen.access.scope.cases` (a confidential case the
user may not open is counted, not listed). Counters are derived data with no ledger entries, so
nothing is added to ``_ENTRY_MODELS``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from liuhen.access.scope import _BY_MODEL, Action, visible_agency_ids
from liuhen.accounts.models import OrgUnit, User
from liuhen.accounts.roles import Permission
from liuhen.stats.models import CaseTag, Counter


def stats_agency_ids(user: User) -> list[int]:
    """The agencies whose statistics ``user`` may see (none without ``supervision.view``)."""
    if not user.is_authenticated or not user.can(Permission.SUPERVISION_VIEW):
        return []
    return visible_agency_ids(user)


def stats_counters(user: User, action: Action = "view") -> QuerySet[Counter]:
    if action != "view":
        return Counter.objects.none()
    return Counter.objects.filter(agency_id__in=stats_agency_ids(user))


def stats_case_tags(user: User, action: Action = "view") -> QuerySet[CaseTag]:
    if action != "view":
        return CaseTag.objects.none()
    return CaseTag.objects.filter(agency_id__in=stats_agency_ids(user))


_BY_MODEL[Counter] = stats_counters
_BY_MODEL[CaseTag] = stats_case_tags


def stats_units(user: User) -> QuerySet[OrgUnit]:
    """The units of the agencies whose statistics ``user`` sees (their names label the figures)."""
    return OrgUnit.objects.filter(agency_id__in=stats_agency_ids(user))


def stats_officers(user: User) -> QuerySet[User]:
    """The active people of those agencies (for 持证率: who holds an enforcement certificate)."""
    return User.objects.filter(agency_id__in=stats_agency_ids(user), is_active=True)

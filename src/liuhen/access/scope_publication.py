"""The access layer's rules for publication records and the 双公示 export (issue #14).

Part of :mod:`liuhen.access.scope` (imported at its end): every read of these objects starts here.

* The publication list (:func:`publication_clocks`) is for ``supervision.view`` or
  ``publication.manage`` holders (the legal unit, the head; a justice bureau's supervisor reads the
  agencies it supervises); decisions on a confidential case or in a confidential document need
  ``confidential.view``.
* Publication records and their withdrawals (:func:`publications`, :func:`publication_withdrawals`)
  follow the same rule for reading; ``change`` is for ``publication.manage`` holders of their own
  agency only (the supervisor never writes).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.publication.models import Publication, PublicationClock, PublicationWithdrawal


def _agency_ids(user: User, action: scope.Action) -> list[int] | None:
    """The agencies whose publications ``user`` may see / record; ``None`` when none at all."""
    if not scope._authenticated(user):
        return None
    if action == "change":
        return scope.visible_agency_ids(user, "change") if user.can(Permission.PUBLICATION_MANAGE) else None
    if not (user.can(Permission.SUPERVISION_VIEW) or user.can(Permission.PUBLICATION_MANAGE)):
        return None
    return scope.visible_agency_ids(user, "view")


def _not_confidential(user: User, prefix: str) -> Q:
    if user.can(Permission.CONFIDENTIAL_VIEW):
        return Q()
    return Q(**{f"{prefix}case__confidential": False, f"{prefix}document__confidential": False})


def publication_clocks(user: User, action: scope.Action = "view") -> QuerySet[PublicationClock]:
    ids = _agency_ids(user, action)
    if ids is None:
        return PublicationClock.objects.none()
    return PublicationClock.objects.filter(_not_confidential(user, ""), agency_id__in=ids)


def publications(user: User, action: scope.Action = "view") -> QuerySet[Publication]:
    ids = _agency_ids(user, action)
    if ids is None:
        return Publication.objects.none()
    return Publication.objects.filter(_not_confidential(user, ""), agency_id__in=ids)


def publication_withdrawals(user: User, action: scope.Action = "view") -> QuerySet[PublicationWithdrawal]:
    return PublicationWithdrawal.objects.filter(publication__in=publications(user, action))


scope._BY_MODEL[PublicationClock] = publication_clocks
scope._BY_MODEL[Publication] = publications
scope._BY_MODEL[PublicationWithdrawal] = publication_withdrawals
scope._ENTRY_MODELS["publication"] = Publication
scope._ENTRY_MODELS["publication_withdrawal"] = PublicationWithdrawal

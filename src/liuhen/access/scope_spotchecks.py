"""The access layer's rules for spot checks, their items, rectifications and the check register (issue #14).

Part of :mod:`liuhen.access.scope` (imported at its end): every read of these objects starts here.

* **Checks** (and their draws, samples and judgements) are seen by ``supervision.view`` holders (the
  legal unit, the head, the bureau's supervisor) when either the checking agency or the checked agency
  is one they see: an agency's legal unit sees the checks the bureau made of it. They are changed
  (drawn, judged, rectifications issued and closed) by ``spot_check.manage`` holders of the checking
  agency only.
* **Rectifications** are seen by whoever sees their check, and by their addressee: the person named,
  or the people of the unit named.
* **The population** of a check is fixed by the check's scope alone, not by who looks
  (:func:`spot_check_population`): the announcer was authorised for the target agency when announcing,
  and the draw must be recomputable by anyone from the log.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liuhen.access import scope
from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Permission, Role
from liuhen.cases.models import Case
from liuhen.spotchecks.models import (
    Rectification,
    RectificationResponse,
    RectificationReview,
    SpotCheck,
    SpotCheckDraw,
    SpotCheckJudgement,
    SpotCheckSample,
)


def runs_spot_checks(user: User) -> bool:
    """Whether ``user`` runs its agency's checks: ``spot_check.manage`` as the legal unit of an agency,
    or as the supervisor of a justice bureau (a supervisor's role belongs to the bureau)."""
    if not scope._authenticated(user) or user.agency is None or not user.can(Permission.SPOT_CHECK_MANAGE):
        return False
    if user.agency.kind == Agency.Kind.SUPERVISION:
        return user.has_role(Role.SUPERVISOR)
    return user.has_role(Role.LEGAL_UNIT)


def spot_checks(user: User, action: scope.Action = "view") -> QuerySet[SpotCheck]:
    if not scope._authenticated(user):
        return SpotCheck.objects.none()
    if action == "change":
        if not runs_spot_checks(user) or user.agency_id is None:
            return SpotCheck.objects.none()
        return SpotCheck.objects.filter(agency_id=user.agency_id)
    if not user.can(Permission.SUPERVISION_VIEW):
        return SpotCheck.objects.none()
    agencies = scope.visible_agency_ids(user)
    return SpotCheck.objects.filter(Q(agency_id__in=agencies) | Q(target_agency_id__in=agencies))


def spot_check_known(user: User) -> QuerySet[SpotCheck]:
    """The checks of or by the agencies the user belongs to or supervises, whatever the user's role:
    what they may be told exists (a write by someone who may not run it is refused, 403, not hidden)."""
    agencies = scope.visible_agency_ids(user)
    return SpotCheck.objects.filter(Q(agency_id__in=agencies) | Q(target_agency_id__in=agencies))


def spot_check_draws(user: User, action: scope.Action = "view") -> QuerySet[SpotCheckDraw]:
    return SpotCheckDraw.objects.filter(check_ref__in=spot_checks(user, action))


def spot_check_samples(user: User, action: scope.Action = "view") -> QuerySet[SpotCheckSample]:
    return SpotCheckSample.objects.filter(check_ref__in=spot_checks(user, action))


def spot_check_judgements(user: User, action: scope.Action = "view") -> QuerySet[SpotCheckJudgement]:
    return SpotCheckJudgement.objects.filter(sample__check_ref__in=spot_checks(user, action))


def _addressed_q(user: User) -> Q:
    q = Q(addressee_user_id=user.pk)
    if user.unit_id is not None:
        q |= Q(addressee_unit_id=user.unit_id)
    return q


def rectifications(user: User, action: scope.Action = "view") -> QuerySet[Rectification]:
    """Those of the checks the user sees (changes: of the checks the user may change), and those
    addressed to the user or the user's unit (``addressed``: the addressee answers them)."""
    if not scope._authenticated(user):
        return Rectification.objects.none()
    return Rectification.objects.filter(Q(check_ref__in=spot_checks(user, action)) | _addressed_q(user))


def rectifications_addressed(user: User) -> QuerySet[Rectification]:
    """The rectifications the user answers: addressed to them or to their unit."""
    if not scope._authenticated(user):
        return Rectification.objects.none()
    return Rectification.objects.filter(_addressed_q(user))


def rectification_responses(user: User, action: scope.Action = "view") -> QuerySet[RectificationResponse]:
    return RectificationResponse.objects.filter(rectification__in=rectifications(user, action))


def rectification_reviews(user: User, action: scope.Action = "view") -> QuerySet[RectificationReview]:
    return RectificationReview.objects.filter(rectification__in=rectifications(user, action))


def spot_check_population(check: SpotCheck) -> QuerySet[Case]:
    """The cases a check draws from: of its target agency, in its period and scope (see module doc)."""
    qs = Case.objects.filter(agency_id=check.target_agency_id)
    if check.period_basis == SpotCheck.PeriodBasis.OPENED:
        qs = qs.filter(opened_at__date__gte=check.period_from, opened_at__date__lte=check.period_to)
    else:
        qs = qs.filter(
            enforcement_ended_at__date__gte=check.period_from,
            enforcement_ended_at__date__lte=check.period_to,
        )
    if check.unit_ids:
        qs = qs.filter(unit_id__in=check.unit_ids)
    if check.officer_ids:
        qs = qs.filter(handler_id__in=check.officer_ids)
    if check.procedures:
        qs = qs.filter(procedure__in=check.procedures)
    return qs


def sampled_cases(user: User) -> QuerySet[Case]:
    """The cases of the checks the user sees, as the checklist shows them (header only: their records
    are read through :func:`liuhen.access.scope.documents` and :func:`liuhen.access.scope.media`)."""
    return Case.objects.filter(pk__in=spot_check_samples(user).values("case_id"))


scope._BY_MODEL.update(
    {
        SpotCheck: spot_checks,
        SpotCheckDraw: spot_check_draws,
        SpotCheckSample: spot_check_samples,
        SpotCheckJudgement: spot_check_judgements,
        Rectification: rectifications,
        RectificationResponse: rectification_responses,
        RectificationReview: rectification_reviews,
    }
)
scope._ENTRY_MODELS.update(
    {
        "spot_check": SpotCheck,
        "rectification": Rectification,
    }
)

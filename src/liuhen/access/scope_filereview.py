"""The access layer's rules for case-file reviews and campaigns (issue #14).

Part of :mod:`liuhen.access.scope` (imported at its end): every read of these objects starts here.
Register each model's queryset function in ``scope._BY_MODEL`` and each ledger object type in
``scope._ENTRY_MODELS`` so that ``restrict()`` and ``entries_visible()`` know them.

Reviews are read by those who review (``file_review.manage``: the legal unit, the bureau's supervisor)
and those who watch the results (``supervision.view``: the head too): the reviews their own agency made,
and the reviews of the case files of the agencies they see (their own; a supervisor, the supervised
ones) — so an agency's legal unit sees the bureau's reviews of its case files. A review of a confidential
case is seen beyond the reviewing agency only by those cleared for confidential records. Campaigns:
their agency's, and those of the bureau that reviewed the agency's files (read only)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.filereview.models import FileReview, ReviewCampaign


def _reads_reviews(user: User) -> bool:
    return scope._authenticated(user) and (
        user.can(Permission.FILE_REVIEW_MANAGE) or user.can(Permission.SUPERVISION_VIEW)
    )


def file_reviews(user: User, action: scope.Action = "view") -> QuerySet[FileReview]:
    if not _reads_reviews(user):
        return FileReview.objects.none()
    own = Q(agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
    if action == "change":
        return (
            FileReview.objects.filter(own)
            if user.can(Permission.FILE_REVIEW_MANAGE)
            else FileReview.objects.none()
        )
    theirs = Q(case_agency_id__in=scope.visible_agency_ids(user))
    if not user.can(Permission.CONFIDENTIAL_VIEW):
        theirs &= Q(case__confidential=False)
    return FileReview.objects.filter(own | theirs)


def review_campaigns(user: User, action: scope.Action = "view") -> QuerySet[ReviewCampaign]:
    if not _reads_reviews(user):
        return ReviewCampaign.objects.none()
    own = Q(agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
    if action == "change":
        return (
            ReviewCampaign.objects.filter(own)
            if user.can(Permission.FILE_REVIEW_MANAGE)
            else ReviewCampaign.objects.none()
        )
    reviewed = FileReview.objects.filter(case_agency_id__in=scope.visible_agency_ids(user)).values(
        "campaign_id"
    )
    return ReviewCampaign.objects.filter(own | Q(pk__in=reviewed))


scope._BY_MODEL[FileReview] = file_reviews
scope._BY_MODEL[ReviewCampaign] = review_campaigns
scope._ENTRY_MODELS["file_review"] = FileReview
scope._ENTRY_MODELS["review_campaign"] = ReviewCampaign

"""Copies made in the background (django-tasks, run by ``liuhen db_worker``; ``liuhen serve`` runs one):
a package holding a video's viewing copy takes about as long as the video plays."""

from __future__ import annotations

from django_tasks import task

from liuhen.accounts.models import User
from liuhen.grants.delivery import delivery_make
from liuhen.grants.models import AccessRequest


@task()
def access_package_task(*, request_id: int, user_id: int, handed_to: str, viewing_copies: bool) -> int:
    """Make the package of a copy or release grant for its requester (every check again: the grant may
    have expired or been revoked while it waited). A killed worker leaves no package and no record:
    the files are written to a temporary folder and recorded in one transaction at the end."""
    request = AccessRequest.objects.select_related("agency").get(pk=request_id)
    user = User.objects.get(pk=user_id)
    made = delivery_make(request=request, by=user, handed_to=handed_to, viewing_copies=viewing_copies)
    return made.pk

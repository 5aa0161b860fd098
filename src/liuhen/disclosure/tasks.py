"""Redactions rendered in the background (django-tasks, run by ``liuhen db_worker``; ``liuhen serve``
runs one): a recording's derivative takes about as long as the recording plays."""

from __future__ import annotations

from django_tasks import task

from liuhen.accounts.models import User
from liuhen.disclosure.models import DisclosureRequest
from liuhen.disclosure.redaction import redact_media
from liuhen.media.redact import Rect, TimeRange, VideoRegion


@task()
def redaction_task(
    *, request_id: int, user_id: int, media_id: int, regions: list[dict], mute: list[dict]
) -> int:
    """Render and record one recording's redacted derivative (every check again: the decision may have
    changed while it waited). A killed worker leaves no derivative and no record: the file is rendered
    into a temporary folder and recorded in one transaction at the end."""
    request = DisclosureRequest.objects.select_related("agency", "case").get(pk=request_id)
    user = User.objects.get(pk=user_id)
    made = redact_media(
        request=request,
        by=user,
        media_id=media_id,
        regions=[VideoRegion(Rect(r["x"], r["y"], r["w"], r["h"]), r["start"], r["end"]) for r in regions],
        mute=[TimeRange(m["start"], m["end"]) for m in mute],
    )
    return made.pk

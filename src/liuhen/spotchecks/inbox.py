"""The inbox section of spot checks: rectification requests (整改通知) addressed to the user or the user's
unit that are not closed, overdue first then by due date. Wired into
:data:`liuhen.compliance.inbox._SECTIONS`; ``place="rectification"`` links to the rectification's page
(``spotchecks:rectification`` with ``ref_id``)."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Exists, OuterRef

from liuhen.access import scope, scope_spotchecks
from liuhen.accounts.models import User
from liuhen.compliance.inbox import SHOWN, InboxItem, InboxSection
from liuhen.core import clock
from liuhen.spotchecks import services
from liuhen.spotchecks.models import RectificationReview

PLACE = "rectification"


def shown(user: User) -> bool:
    """Anyone may be sent a rectification (a handler, a unit's members): the section shows when some are
    open."""
    return scope_spotchecks.rectifications_addressed(user).exists()


def section(ask) -> InboxSection:  # type: ignore[no-untyped-def]  # the inbox's _Ask
    user: User = ask.user
    open_rows = scope_spotchecks.rectifications_addressed(user).exclude(
        Exists(RectificationReview.objects.filter(rectification=OuterRef("pk"), closed=True))
    )
    count = open_rows.count()
    items: list[InboxItem] = []
    if not ask.counts_only and count:
        today = ask.now.astimezone(clock.SHANGHAI).date()
        for r in open_rows.select_related("sample__case", "judgement", "check_ref").order_by("due_on", "id")[
            :SHOWN
        ]:
            state = services.rectification_state(r)
            case = r.sample.case
            items.append(
                InboxItem(
                    f"整改：{r.judgement.item_text}（{services.STATE_LABELS[state]}）",
                    f"{r.check_ref.number}抽查发现的问题：{r.judgement.remark}",
                    case_id=case.pk,
                    case_no=case.case_no,
                    cause=case.cause if scope.case_visible(user, case) else "",
                    due_at=datetime.combine(r.due_on, time(23, 59), tzinfo=clock.SHANGHAI),
                    place=PLACE,
                    ref_id=r.pk,
                    overdue=state != "closed" and r.due_on < today,
                )
            )
    return InboxSection("rectifications", "抽查整改", count, items)

"""The inbox section of case-file review (案卷评查): the reviews the user started and has not yet
finalised, oldest first, for ``file_review.manage`` holders (the legal unit, the bureau's supervisor).
Wired into :data:`liuhen.compliance.inbox._SECTIONS`; ``place="file_review"`` links to the review
(``filereview:detail``, ``ref_id`` = the review's id)."""

from __future__ import annotations

from liuhen.access.scope_filereview import file_reviews
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.compliance.inbox import SHOWN, InboxItem, InboxSection

PLACE = "file_review"


def shown(user: User) -> bool:
    return user.can(Permission.FILE_REVIEW_MANAGE)


def section(ask) -> InboxSection:  # type: ignore[no-untyped-def]  # the inbox's _Ask
    user: User = ask.user
    open_reviews = file_reviews(user, "change").filter(created_by=user, finalisation__isnull=True)
    count = open_reviews.count()
    items: list[InboxItem] = []
    if not ask.counts_only and count:
        for review in open_reviews.select_related("case", "campaign").order_by("id")[:SHOWN]:
            why = f"评查活动「{review.campaign.name}」" if review.campaign else "逐项评定并定稿"
            items.append(
                InboxItem(
                    f"完成案卷评查：{review.case.case_no}",
                    why,
                    case_id=review.case_id,
                    case_no=review.case.case_no,
                    cause=review.case.cause,
                    place=PLACE,
                    ref_id=review.pk,
                )
            )
    return InboxSection("file_reviews", "案卷评查", count, items)

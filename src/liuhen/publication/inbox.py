"""The inbox section of publication (执法公示): decisions of the user's own agency not yet published,
overdue first then by deadline, for ``publication.manage`` holders (the legal unit, the head).
Wired into :data:`liuhen.compliance.inbox._SECTIONS`; ``place="publication"`` links to the list
(``publication:list``), ``ref_id`` is the decision document's id (the list's row anchor)."""

from __future__ import annotations

from datetime import datetime, time

from liuhen.access import scope
from liuhen.access.scope_publication import publication_clocks
from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.compliance.inbox import SHOWN, InboxItem, InboxSection
from liuhen.core import clock as core_clock
from liuhen.publication.clock import clock_sync
from liuhen.publication.policy import agency_policy

PLACE = "publication"


def shown(user: User) -> bool:
    return user.can(Permission.PUBLICATION_MANAGE)


def section(ask) -> InboxSection:  # type: ignore[no-untyped-def]  # the inbox's _Ask
    user: User = ask.user
    agency_ids = scope.visible_agency_ids(user, "change")
    clock_sync(agency_ids)
    open_rows = publication_clocks(user, "change").filter(open=True)
    count = open_rows.count()
    items: list[InboxItem] = []
    if not ask.counts_only and count and user.agency is not None:
        policy = agency_policy(user.agency)
        rule = f"{policy.basis}：决定作出之日起{policy.working_days}个工作日内公示"
        today = ask.now.astimezone(core_clock.SHANGHAI).date()
        for row in open_rows.select_related("case").order_by("sort_on", "id")[:SHOWN]:
            known = row.due_on is not None
            due_at = (
                datetime.combine(row.sort_on, time(23, 59), tzinfo=core_clock.SHANGHAI) if known else None
            )
            why = rule + ("（期限暂定）" if row.provisional else "") + ("" if known else "（缺少节假日安排）")
            items.append(
                InboxItem(
                    f"公示决定：{row.doc_number or row.case.case_no}（{row.party_name}）",
                    why,
                    case_id=row.case_id,
                    case_no=row.case.case_no,
                    cause=row.case.cause,
                    due_at=due_at,
                    place=PLACE,
                    ref_id=row.document_id,
                    overdue=known and today > row.sort_on,
                )
            )
    return InboxSection("publications", "执法公示", count, items)

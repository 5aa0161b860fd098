"""本阶段待办 on top of the case page: what the case still lacks at its stage, and where it is done.

On a phone the case page is long; the officer opens it to do the next thing, so the page starts with
what the rules still expect at the case's current stage — read from the case's stored findings through
the compliance selector (scoped like the case), never recomputed here. Each item shows the rule's
Chinese title (never its id or the finding's detail, which may name an internal field), its deadline
and a link to the panel where it is done; the rest is on the compliance page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from liuhen.accounts.models import User
from liuhen.accounts.roles import may_author
from liuhen.cases.models import Case
from liuhen.catalogue import CATALOGUE
from liuhen.compliance.selectors import STATUS_LABELS, case_compliance
from liuhen.compliance.services import agency_profile
from liuhen.rules.profile import Rule

SHOWN = 5  # items listed; the rest are counted and linked to the compliance page
_ALWAYS_DUE = ("overdue", "missing")  # already late or lacking, whatever stage the rule guards
_ORDER = {"overdue": 0, "missing": 1, "pending": 2}


@dataclass(frozen=True)
class TodoItem:
    """One unmet rule: its title, status (in Chinese), deadline (aware; shown in Beijing time) and link."""

    title: str
    status: str
    status_label: str
    due_at: datetime | None
    href: str


@dataclass(frozen=True)
class StageTodo:
    items: list[TodoItem]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def stage_todo(*, user: User, case: Case, panels: dict[str, bool], document_ids: set[int]) -> StageTodo:
    """The unmet findings due at the case's stage, overdue first. ``panels`` are the action panels the
    page shows this user (none when they may not act on the case) and ``document_ids`` the documents
    it shows them: a link never leads to a panel they lack or names a record they may not see."""
    view = case_compliance(user=user, case_id=case.pk)
    rows = [
        row
        for status in _ORDER
        for row in view.findings.get(status, [])
        if status in _ALWAYS_DUE or row["guards"] in (None, "", case.stage)
    ]
    rows.sort(key=_urgency)
    profile = agency_profile(case.agency)
    rules = {rule.id: rule for rule in profile.rules} if profile else {}
    compliance = reverse("compliance:case", args=[case.pk])
    items = [
        TodoItem(
            title=row["title"],
            status=row["status"],
            status_label=STATUS_LABELS[row["status"]],
            due_at=row["due_at"],
            href=_where(rules.get(row["rule_id"]), row, case, user, panels, document_ids) or compliance,
        )
        for row in rows[:SHOWN]
    ]
    return StageTodo(items, len(rows))


def _urgency(row: dict[str, Any]) -> tuple:
    due = row["due_at"]
    return (_ORDER[row["status"]], due is None, due.timestamp() if due else 0.0)


def _where(
    rule: Rule | None,
    row: dict[str, Any],
    case: Case,
    user: User,
    panels: dict[str, bool],
    document_ids: set[int],
) -> str:
    """The part of the case page where the finding is met: the 制作文书 form with the type chosen, the
    A/V, approval or stage panel, or the document the finding is about; "" when the page has none."""
    kind = rule.kind if rule else ""
    if kind == "required_document" and panels.get("document"):
        for code in rule.params.get("document_types", ()) if rule else ():
            if code in CATALOGUE and may_author(list(user.roles), CATALOGUE[code].author_roles):
                return f"{reverse('web:document_new', args=[case.pk])}?doc_type={code}"
    if kind == "required_av" and panels.get("media"):
        return "#panel-media"
    if kind == "approval_chain" and panels.get("approval"):
        return "#panel-approval"
    if kind == "deadline" and rule and rule.params.get("complete") == "case.archived_at":
        return "#panel-transition" if panels.get("transition") else ""
    for ref in row["record_ids"]:
        kind_of_record, _, pk = str(ref).partition(":")
        if kind_of_record == "document" and pk.isdigit() and int(pk) in document_ids:
            return f"#doc-{pk}"
    return ""

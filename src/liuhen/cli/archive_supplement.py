"""``liuhen archive supplement CASE_NO FILE --title … --reason …`` and ``liuhen archive
approve-supplement ID``: 补充归档 at the console, as a real user (``--as``), through the same services
as the pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission
from liuhen.archive import selectors, supplements
from liuhen.core import clock


def add_parsers(sub) -> list:
    """The two subcommands' parsers (the caller adds ``--as`` to each)."""
    add = sub.add_parser("supplement", help="补充归档: add a file to a signed-off case file (to be approved)")
    add.add_argument("case_no")
    add.add_argument("file")
    add.add_argument("--title", required=True, help="题名")
    add.add_argument("--reason", required=True, help="补充理由")
    add.add_argument("--responsible", default="", help="责任者 (default: the agency)")
    add.add_argument("--date", default="", help="日期 YYYY-MM-DD (default: today)")
    add.add_argument("--doc-no", default="", help="文号")
    approve = sub.add_parser("approve-supplement", help="approve 补充归档 ID (the profile's approver)")
    approve.add_argument("id", type=int)
    approve.add_argument("--opinion", default="同意补充归档", help="审批意见")
    return [add, approve]


def supplement(user: User, o: dict, write: Callable[[str], object]) -> None:
    if not user.can(Permission.CASE_ARCHIVE):
        raise CommandError(f"{user.username} may not archive case files (needs case.archive)")
    case_file = selectors.case_file_get(user=user, case_no=o["case_no"])
    path = Path(o["file"])
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    facts = supplements.SupplementFacts(
        title=o["title"],
        responsible=o["responsible"] or case_file.case.agency.name,
        date=o["date"] or clock.now().astimezone(clock.SHANGHAI).date().isoformat(),
        reason=o["reason"],
        doc_no=o["doc_no"],
    )
    with path.open("rb") as handle:
        added = supplements.supplement_add(
            case_file=case_file, by=user, chunks=iter(lambda: handle.read(1 << 20), b""), facts=facts
        )
    item = added.items[0]
    write(
        f"{added.pk}\t{case_file.archive_no}\t{item['file_format']}\t{item['sha256']}\t待审批\t{item['title']}"
    )


def approve_supplement(user: User, o: dict, write: Callable[[str], object]) -> None:
    if not user.can(Permission.APPROVAL_RECORD):
        raise CommandError(f"{user.username} may not approve (needs approval.record)")
    supplement = selectors.supplement_get(user=user, supplement_id=o["id"])
    supplements.supplement_approve(supplement=supplement, by=user, opinion=o["opinion"])
    numbered = next(
        n for n in selectors.numbered_supplements(supplement.case_file) if n.supplement.pk == supplement.pk
    )
    for item in numbered.items:
        write(
            f"{supplement.pk}\t{supplement.case_file.archive_no}\t件号 {item.piece_no}\t已审批\t{item.title}"
        )

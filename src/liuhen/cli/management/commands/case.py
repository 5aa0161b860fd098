"""``liuhen case list | show NO | export NO --json`` — as a real user (``--as USERNAME``), scoped,
masked and logged like the web and the API."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import User
from liuhen.cases import selectors
from liuhen.cases.export import case_export
from liuhen.cases.models import Case
from liuhen.cli.acting import acting_user, add_acting_argument
from liuhen.core import clock
from liuhen.core.errors import NotFound


class Command(BaseCommand):
    help = "List, show and export cases (as a user: --as USERNAME or LIUHEN_USER)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        lst = sub.add_parser("list", help="list cases")
        lst.add_argument("--agency", default="")
        lst.add_argument("--stage", default="")
        show = sub.add_parser("show", help="show a case and its timeline")
        show.add_argument("case_no")
        exp = sub.add_parser("export", help="export a case")
        exp.add_argument("case_no")
        exp.add_argument("--json", action="store_true", required=True, help="JSON output (the only format)")
        for command in (lst, show, exp):
            add_acting_argument(command)

    def handle(self, *args, **o):
        getattr(self, f"_{o['action']}")(acting_user(o["acting_user"]), o)

    def _list(self, user: User, o):
        qs = selectors.case_list(user=user, filters=selectors.CaseFilters(stage=o["stage"] or None))
        if o["agency"]:
            qs = qs.filter(agency__code=o["agency"])
        for case in qs.order_by("agency__code", "year", "seq"):
            cause = "（涉密案件）" if case.confidential else case.cause
            self.stdout.write(f"{case.case_no}\t{case.agency.code}\t{case.stage}\t{case.procedure}\t{cause}")

    def _get(self, user: User, case_no: str, purpose: str) -> Case:
        try:
            return selectors.case_get(user=user, case_no=case_no, purpose=purpose)
        except NotFound:
            raise CommandError(f"no case numbered {case_no!r} visible to {user.username}") from None

    def _show(self, user: User, o):
        case = self._get(user, o["case_no"], "viewed")
        w = self.stdout.write
        w(f"{case.case_no}  {case.agency.name}")
        w(f"案由：{case.cause}")
        w(f"程序：{case.procedure_label}  阶段：{case.stage_label}  承办人：{case.handler.display_name}")
        w("全过程时间轴：")
        for item in selectors.case_timeline(user=user, case=case):
            at = item.at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
            w(f"  {at}  {item.title}  {item.actor}  {item.detail}")

    def _export(self, user: User, o):
        case = self._get(user, o["case_no"], "exported")
        self.stdout.write(json.dumps(case_export(user=user, case=case), ensure_ascii=False, indent=2))

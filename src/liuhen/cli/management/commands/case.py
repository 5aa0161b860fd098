"""``liuhen case list | show NO | export NO --json``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.roles import Role
from liuhen.cases.export import case_export
from liuhen.cases.models import Case
from liuhen.cases.selectors import case_timeline
from liuhen.core import clock


class _Operator:
    """The server operator at the console: sees every agency, including confidential records."""

    pk = None
    username = "operator"
    display_name = "系统操作员"
    roles = [Role.ADMIN]
    is_authenticated = True

    def can(self, permission) -> bool:
        return True

    def has_role(self, role) -> bool:
        return False


class Command(BaseCommand):
    help = "List, show and export cases."

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

    def handle(self, *args, **o):
        getattr(self, f"_{o['action']}")(o)

    def _list(self, o):
        qs = Case.objects.select_related("agency", "handler").order_by("agency__code", "year", "seq")
        if o["agency"]:
            qs = qs.filter(agency__code=o["agency"])
        if o["stage"]:
            qs = qs.filter(stage=o["stage"])
        for case in qs:
            self.stdout.write(
                f"{case.case_no}\t{case.agency.code}\t{case.stage}\t{case.procedure}\t{case.cause}"
            )

    def _get(self, case_no: str) -> Case:
        case = Case.objects.select_related("agency", "handler", "opened_by").filter(case_no=case_no).first()
        if case is None:
            raise CommandError(f"no case numbered {case_no!r}")
        return case

    def _show(self, o):
        case = self._get(o["case_no"])
        w = self.stdout.write
        w(f"{case.case_no}  {case.agency.name}")
        w(f"案由：{case.cause}")
        w(f"程序：{case.procedure_label}  阶段：{case.stage_label}  承办人：{case.handler.display_name}")
        w("全过程时间轴：")
        for item in case_timeline(user=_Operator(), case=case):  # type: ignore[arg-type]
            at = item.at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
            w(f"  {at}  {item.title}  {item.actor}  {item.detail}")

    def _export(self, o):
        case = self._get(o["case_no"])
        data = case_export(user=_Operator(), case=case)  # type: ignore[arg-type]
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

"""``liuhen compliance refresh [--agency CODE] | show CASE_NO``: recompute and show compliance."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import Agency
from liuhen.cases.selectors import case_get
from liuhen.cli.acting import acting_user, add_acting_argument
from liuhen.compliance.services import compliance_evaluate, compliance_refresh_all
from liuhen.core import clock
from liuhen.core.errors import NotFound

ORDER = ("overdue", "missing", "violated", "pending", "satisfied")
LABELS = {
    "overdue": "已逾期",
    "missing": "缺失",
    "violated": "违规",
    "pending": "待完成",
    "satisfied": "已满足",
}


class Command(BaseCommand):
    help = "Recompute stored compliance findings, or show one case's."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="recompute every case (of one agency) and today's totals")
        refresh.add_argument("--agency", default="", help="agency code")
        show = sub.add_parser("show", help="show a case's findings")
        show.add_argument("case_no")
        show.add_argument("--all", action="store_true", help="list satisfied rules too")
        add_acting_argument(show)

    def handle(self, *args, **o):
        getattr(self, f"_{o['action']}")(o)

    def _refresh(self, o):
        agency = None
        if o["agency"]:
            agency = Agency.objects.filter(code=o["agency"]).first()
            if agency is None:
                raise CommandError(f"no agency {o['agency']!r}")
        count = compliance_refresh_all(agency=agency)
        self.stdout.write(f"refreshed {count} case(s)")

    def _show(self, o):
        user = acting_user(o["acting_user"])
        try:
            case = case_get(user=user, case_no=o["case_no"])
        except NotFound:
            raise CommandError(f"no case numbered {o['case_no']!r} visible to {user.username}") from None
        result = compliance_evaluate(case=case)
        if result is None:
            self.stdout.write(f"{case.case_no}: 机关未配置规则，不检查")
            return
        profile, findings = result
        now = clock.now().astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(
            f"{case.case_no}  {case.agency.name}  规则 {profile.id}  阶段 {case.stage_label}  ({now})"
        )
        for status in ORDER:
            items = [f for f in findings if f.status == status]
            if status == "satisfied" and not o["all"]:
                self.stdout.write(f"{LABELS[status]}：{len(items)} 项（--all 列出）")
                continue
            self.stdout.write(f"{LABELS[status]}：{len(items)} 项")
            for f in items:
                due = f"  期限 {f.due_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}" if f.due_at else ""
                self.stdout.write(f"  [{f.citation}] {f.rule_id}: {f.message_zh}{due}")

"""``liuhen createuser USERNAME --agency CODE --roles officer,handler [--name 姓名] [--cert 执法证号]``."""

from __future__ import annotations

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import Agency, OrgUnit
from liuhen.accounts.services import user_create
from liuhen.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a Liuhen user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="agency code, e.g. dalian-cg")
        parser.add_argument("--roles", required=True, help="comma-separated roles, e.g. officer,handler")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--cert", default="", help="enforcement certificate number (执法证号)")
        parser.add_argument("--unit", default="", help="org unit name")
        parser.add_argument("--supervises", default="", help="comma-separated agency codes (supervisors)")
        parser.add_argument(
            "--password",
            default=None,
            help="password (else LIUHEN_PASSWORD or a prompt): at least 10 characters, not like the "
            "username or name, not a common password, not only digits",
        )

    def handle(self, *args, **o):
        agency = Agency.objects.filter(code=o["agency"]).first()
        if agency is None:
            raise CommandError(f"no agency with code {o['agency']!r}")
        unit = None
        if o["unit"]:
            unit = OrgUnit.objects.filter(agency=agency, name=o["unit"]).first()
            if unit is None:
                raise CommandError(f"agency {agency.code} has no unit named {o['unit']!r}")
        supervised = list(Agency.objects.filter(code__in=[c for c in o["supervises"].split(",") if c]))
        password = o["password"] or os.environ.get("LIUHEN_PASSWORD") or getpass.getpass("password: ")
        try:
            user = user_create(
                username=o["username"],
                password=password,
                agency=agency,
                roles=[r.strip() for r in o["roles"].split(",") if r.strip()],
                full_name=o["name"],
                certificate_no=o["cert"],
                unit=unit,
                supervised=supervised,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"created user {user.username} ({', '.join(user.roles)}) in {agency.code}")

"""``liuhen demo``: load the demo agencies, people and cases (idempotent) and print the logins."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from liuhen.demo.agencies import DEMO_PASSWORD
from liuhen.demo.load import load_demo


class Command(BaseCommand):
    help = "Load demo data (five agencies, their people and example cases). Running it twice changes nothing."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）/ demo logins (password: {DEMO_PASSWORD}):")
        current = None
        for agency, username, roles in logins:
            if agency != current:
                self.stdout.write(f"  [{agency}]")
                current = agency
            self.stdout.write(f"    {username:<26} {roles}")

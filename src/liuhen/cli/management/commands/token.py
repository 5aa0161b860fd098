"""``liuhen token USERNAME``: issue an API token (printed once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.models import User
from liuhen.accounts.services import token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user; it is printed once and only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {o['username']!r}")
        self.stdout.write(token_issue(user=user, name=o["name"]))

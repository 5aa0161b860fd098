"""``liuhen unlock USERNAME`` / ``liuhen unlock --address IP``: end a login lockout now, with a ledger entry."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from liuhen.accounts.lockout import lockout_clear
from liuhen.core.errors import DomainError


class Command(BaseCommand):
    help = "Unlock an account or an address locked out after failed logins (recorded in the ledger)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="", help="the locked account")
        parser.add_argument("--address", default="", help="a locked client IP address instead")

    def handle(self, *args, **o):
        if bool(o["username"]) == bool(o["address"]):
            raise CommandError("give either USERNAME or --address IP")
        try:
            cleared = lockout_clear(username=o["username"], address=o["address"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        what = f"user {o['username']}" if o["username"] else f"address {o['address']}"
        self.stdout.write(f"unlocked {what} ({cleared} failed logins cleared)")

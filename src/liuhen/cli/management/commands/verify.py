"""``liuhen verify``: exit 0 when the ledger, the records and the stored files all hold; otherwise exit 1
and one line per problem, ``<kind>: <object>: <detail>`` (kinds as the offline verifier's)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from liuhen.ledger.integrity import verify_all


class Command(BaseCommand):
    help = "Check the ledger, its checkpoints, the record rows and the stored files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-rehash", action="store_true", help="check files exist and sizes, skip re-hashing"
        )

    def handle(self, *args, **o):
        problems = verify_all(files=not o["no_rehash"])
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise SystemExit(1)
        self.stderr.write("OK: ledger, checkpoints, records and files verified")

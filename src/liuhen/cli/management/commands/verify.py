"""``liuhen verify``: exit 0 when the ledger, the records and the stored files all hold; otherwise exit 1
and one line per problem, ``<kind>: <object>: <detail>`` (kinds as the offline verifier's).

Records: every current row of cases, parties, users (roles, supervised agencies, active), API tokens,
devices and every record table against the state hash of the latest entry that set it
(:mod:`liuhen.ledger.integrity.state`): ``modified: case 12: row differs from the state entry 340
recorded …``, ``missing: …`` for a row gone, ``extra: …`` for a row no entry set.

Files destroyed by an approved disposal are not missing: each is one line ``destroyed by approval
(销毁清册 No. 2026-001): blob <sha256>`` and does not fail the run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from liuhen.archive.integrity import verify_all


class Command(BaseCommand):
    help = "Check the ledger, its checkpoints, every record row against its entries, and the stored files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-rehash", action="store_true", help="check files exist and sizes, skip re-hashing"
        )

    def handle(self, *args, **o):
        from liuhen.archive.integrity import destroyed_contents

        for sha256, number in sorted(destroyed_contents().items()):
            self.stdout.write(f"destroyed by approval (销毁清册 No. {number}): blob {sha256}")
        problems = verify_all(files=not o["no_rehash"])
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise SystemExit(1)
        self.stderr.write("OK: ledger, checkpoints, records and files verified")

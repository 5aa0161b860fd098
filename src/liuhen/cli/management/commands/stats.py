"""``liuhen stats rebuild``: recompute every statistics counter from the records (after a restore, a
bulk load by SQL, or to repair counters changed behind the services' back); ``liuhen stats check``:
report whether the stored counters equal a rebuild, without changing them."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from liuhen.stats.counters import rebuild_all
from liuhen.stats.models import Counter

_KEY = ("agency_id", "unit_id", "grain", "start", "dimension", "value", "n", "amount_fen")


def _stored() -> set[tuple]:
    return set(Counter.objects.exclude(n=0).values_list(*_KEY))


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Rebuild the statistics counters from the records, or check them against a rebuild."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="recompute every counter and tag from the records")
        sub.add_parser("check", help="compare the stored counters with a rebuild (changes nothing)")

    def handle(self, *args, **o):
        if o["action"] == "rebuild":
            started = time.monotonic()
            tags = rebuild_all()
            self.stdout.write(
                f"rebuilt {tags} tag(s), {Counter.objects.count()} counter(s) in {time.monotonic() - started:.1f} s"
            )
            return
        before = _stored()
        try:
            with transaction.atomic():
                rebuild_all()
                after = _stored()
                raise _Rollback
        except _Rollback:
            pass
        if before != after:
            raise CommandError(
                f"counters differ from the records: {len(before - after)} stale, {len(after - before)} missing; "
                "run `liuhen stats rebuild`"
            )
        self.stdout.write(f"counters match the records ({len(before)} counter(s))")

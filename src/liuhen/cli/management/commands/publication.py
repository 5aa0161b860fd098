"""``liuhen publication sync``: bring the publication clock (执法公示 deadlines) up to date for every
agency at once — after a bulk import of cases (which bypasses the services), so that the first person
to open the list or the inbox does not wait for thousands of decisions to be read. The list, the inbox
and the export sync on their own otherwise (incrementally: only what is new since the last sync)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from liuhen.accounts.models import Agency
from liuhen.publication.clock import clock_sync


class Command(BaseCommand):
    help = "Bring the publication clock up to date for every agency (after a bulk import)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync"])

    def handle(self, *args, **o):
        started = time.monotonic()
        total = 0
        for agency_id in Agency.objects.filter(kind=Agency.Kind.ENFORCEMENT).values_list("pk", flat=True):
            total += clock_sync([agency_id])
        self.stdout.write(f"执法公示期限：新增或更新 {total} 条，用时 {time.monotonic() - started:.1f} 秒")

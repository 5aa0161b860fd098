"""``liuhen spotcheck verify-draw <number>``: recompute a spot check's draw from the log (the draw's
entry and the signed checkpoint it names) and the population stored with it; exit 0 and "match" when
the seed, the population and the stored sample all agree, otherwise exit 1 and one line per problem."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from liuhen.spotchecks.models import SpotCheck
from liuhen.spotchecks.verify import verify_draw


class Command(BaseCommand):
    help = "Spot checks: verify-draw <number> recomputes a check's draw from the log."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify-draw", help="recompute a check's draw and compare")
        verify.add_argument("number", help="the check's number, e.g. 抽查〔2026〕1号, or its id")
        verify.add_argument(
            "--agency", default="", help="the checking agency's code (numbers are per agency)"
        )

    def handle(self, *args, **o):
        checks = SpotCheck.objects.filter(number=o["number"])
        if o["number"].isdigit():
            checks = SpotCheck.objects.filter(pk=int(o["number"]))
        if o["agency"]:
            checks = checks.filter(agency__code=o["agency"])
        found = list(checks.select_related("target_agency")[:2])
        if not found:
            raise CommandError(f"no spot check {o['number']}")
        if len(found) > 1:
            raise CommandError(f"{o['number']} names checks of several agencies: give --agency")
        result = verify_draw(found[0])
        for line in result.notes:
            self.stdout.write(f"note: {result.number}: {line}")
        for line in result.problems:
            self.stdout.write(f"mismatch: {result.number}: {line}")
        if not result.ok:
            raise SystemExit(1)
        self.stdout.write(f"match: {result.number}: {', '.join(result.sample)}")

"""Statistics for the justice bureau and heads: counters maintained by the services, the 统计年报 tables (issue #14).

Both tables hold **derived data**, not records (like :mod:`liuhen.compliance.models`): every row can be
recomputed at any time from the cases' append-only records (``liuhen stats rebuild``), so they are not
append-only and carry no ledger entries. The services keep them current in the same transaction as the
change (:func:`liuhen.stats.counters.stats_case_refresh`, called at the end of the compliance refresh that
every case write ends with).

- :class:`CaseTag`: what one case contributes to the figures — one row per (figure, value) that applies
  to it, with the Beijing day it is counted on. The drill-down lists the cases behind a number from here.
- :class:`Counter`: the number of cases (and the yuan, in fen) per agency, unit, period, figure and value,
  per month (``grain`` ``m``) and per day (``d``, for the partial months at the ends of a period).
"""

from __future__ import annotations

from django.db import models


class CaseTag(models.Model):
    """One figure (``dimension``, ``value``) that one case counts towards, on ``day`` (Beijing)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    unit_id = models.IntegerField(default=0, help_text="the case's unit; 0 for none")
    confidential = models.BooleanField(
        default=False, help_text="the case is confidential (counted, listed to few)"
    )
    day = models.DateField()
    month = models.DateField(help_text="first day of the month of ``day``")
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=200, blank=True)
    amount_fen = models.BigIntegerField(default=0, help_text="罚没金额 in fen, for the penalty figure")

    class Meta:
        verbose_name = "统计标记"
        constraints = [
            models.UniqueConstraint(fields=["case", "dimension", "value"], name="stats_tag_unique"),
        ]
        indexes = [
            # the drill-down walks a figure's cases newest first (keyset on the case id)
            models.Index(fields=["dimension", "value", "case"], name="stats_tag_keyset_idx"),
            # and counts the confidential ones it may not list
            models.Index(fields=["dimension", "value", "confidential"], name="stats_tag_secret_idx"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} {self.dimension}={self.value}"


class Counter(models.Model):
    """Cases counted per agency, unit, period (a month or a day), figure and value."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    unit_id = models.IntegerField(default=0, help_text="0 for none, and for figures not shown by unit")
    grain = models.CharField(max_length=1, help_text="m: the month starting on ``start``; d: that day")
    start = models.DateField()
    dimension = models.CharField(max_length=40)
    value = models.CharField(max_length=200, blank=True)
    n = models.BigIntegerField(default=0)
    amount_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "统计计数"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "unit_id", "grain", "start", "dimension", "value"], name="stats_counter_key"
            ),
        ]
        indexes = [models.Index(fields=["dimension", "grain", "start"], name="stats_counter_read_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.unit_id} {self.grain}{self.start} {self.dimension}={self.value}: {self.n}"

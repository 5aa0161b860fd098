"""档号: the agency's template (profile data, DA/T 22 style) and the counter rows it is numbered from.

:func:`next_seq` must run inside the sign-off transaction: it locks the series' counter row
(``select_for_update``; SQLite serialises writers anyway), takes the next number and saves it. If the
sign-off rolls back, so does the counter, so numbers are never reused and never skipped.
"""

from __future__ import annotations

from liuhen.accounts.models import Agency
from liuhen.archive.models import ArchiveCounter
from liuhen.archive.retention import ArchiveSettings, retention_code


def format_archive_no(settings: ArchiveSettings, *, year: int, retention: str, seq: int) -> str:
    """The 档号 from the template: ``{fonds}``, ``{category}``, ``{year}``, ``{retention}`` (DA/T 22
    code: Y, D30, D10) and ``{seq}`` (with any format spec, e.g. ``{seq:04d}``)."""
    return settings.no_template.format(
        fonds=settings.fonds_no,
        category=settings.category,
        year=year,
        retention=retention_code(retention),
        seq=seq,
    )


def next_seq(*, agency: Agency, year: int, retention: str) -> tuple[ArchiveCounter, int]:
    """Take the next sequence number of the (agency, year, retention) series, under a row lock."""
    ArchiveCounter.objects.get_or_create(agency=agency, year=year, retention=retention)
    counter = ArchiveCounter.objects.select_for_update().get(agency=agency, year=year, retention=retention)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return counter, counter.last_seq

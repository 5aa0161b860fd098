"""What the engine reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule for one case (or one record of the case).

    ``status``: ``satisfied`` | ``missing`` (required and absent) | ``overdue`` (deadline passed, not
    done) | ``pending`` (not yet due / the guarded stage has not been left) | ``violated`` (done late,
    done wrongly, or a prohibited act detected).
    """

    rule_id: str
    severity: str
    status: str
    message_zh: str
    citation: str
    quote: str
    record_ids: tuple[str, ...] = ()
    due_at: datetime | None = None
    guards: str | None = None

    @property
    def unmet(self) -> bool:
        return self.status in ("missing", "overdue", "pending")

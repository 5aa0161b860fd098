"""Per-kind rule evaluators, dispatched on ``Rule.kind``.

Each evaluator is ``evaluate(crule, ctx, instance, now) -> Finding | None`` where ``instance`` is the
selected record (a document, media record or interruption) or ``None`` for a case-level rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from liuhen.rules.evaluators import (
    approval_chain,
    deadline,
    prohibition,
    required_av,
    required_document,
    required_field,
    required_signatures,
    retention,
)

EVALUATORS: dict[str, Callable[..., Any]] = {
    "required_document": required_document.evaluate,
    "required_field": required_field.evaluate,
    "required_signatures": required_signatures.evaluate,
    "required_av": required_av.evaluate,
    "deadline": deadline.evaluate,
    "retention": retention.evaluate,
    "approval_chain": approval_chain.evaluate,
    "prohibition": prohibition.evaluate,
}

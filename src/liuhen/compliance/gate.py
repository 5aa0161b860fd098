"""What a refused or overridden stage move says about the rules that blocked it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liuhen.cases.models import Case
from liuhen.compliance.services import compliance_gate
from liuhen.core.errors import FieldError
from liuhen.rules import Finding


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding as stored on an overriding ``StageTransition`` and listed in a 409."""
    return {
        "rule_id": finding.rule_id,
        "citation": finding.citation,
        "status": finding.status,
        "message": finding.message_zh,
        "record_ids": list(finding.record_ids),
        "due_at": finding.due_at.isoformat() if finding.due_at else None,
    }


def blocking_findings(*, case: Case, to_stage: str) -> list[dict[str, Any]]:
    return [finding_dict(f) for f in compliance_gate(case=case, to_stage=to_stage)]


@dataclass(frozen=True)
class GateFinding(FieldError):
    """One blocking rule in a 409's ``errors``: the usual field/reason/message plus rule and citation."""

    rule_id: str = ""
    citation: str = ""

    @classmethod
    def of(cls, finding: dict[str, Any]) -> GateFinding:
        return cls(
            field=f"rules.{finding['rule_id']}",
            reason=finding["status"],
            message=f"{finding['message']}（{finding['citation']}）",
            rule_id=finding["rule_id"],
            citation=finding["citation"],
        )

    def as_dict(self) -> dict[str, str]:
        return {**super().as_dict(), "rule_id": self.rule_id, "citation": self.citation}

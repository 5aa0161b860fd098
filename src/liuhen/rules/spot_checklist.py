"""The spot-check checklist (抽查检查表) of a profile: ``[[spot_check_items]]`` tables, pure data.

Each item is one thing a checker looks for in a sampled case's records (longjiang-cg§22: 法制股对
文字和音像记录进行抽查), with the article (``citation``, the agency's own regulation) or the other basis
(``basis``, free text) that requires it. An item the system can judge names its judge in ``auto``
(implemented in :mod:`liuhen.spotchecks.judges`); the checker confirms or overrides every item.

    [[spot_check_items]]
    id = "av-uploaded-24h"
    text_zh = "音像记录在规定时限内上传存储"
    scope = "av"                 # "av", "text" or "both": which checks (A/V, text or both) include it
    citation = "longjiang-cg§16" # or basis = "…" where no article of the agency's own regulation says so
    auto = "av_upload_in_time"   # optional: a judge from AUTO_JUDGES
    rules = ["av-upload-within-24h"]  # optional: the rule ids whose findings the judge reads
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

SCOPES = frozenset({"av", "text", "both"})
# The judges the system implements (code → what it decides), kept in step with liuhen.spotchecks.judges.
AUTO_JUDGES: dict[str, str] = {
    "findings": "the findings of the rules the item names in ``rules``",
    "av_required": "A/V recorded where a required_av rule applies",
    "av_upload_in_time": "A/V stored within the upload time limit",
    "av_labelled": "A/V labelled (unit, officers, time, cause, party)",
    "signatures_complete": "signatures required by required_signatures rules present",
    "documents_present": "documents required by required_document rules present",
    "no_unrelated_recording": "no prohibition rule violated",
    "archived_in_time": "archived within the period after the enforcement action ended",
    "interruptions_explained": "each interruption explained (spoken or written)",
    "av_linked_to_text": "each A/V record linked to a text record of the same step",
}
KEYS = frozenset({"id", "text_zh", "scope", "citation", "basis", "auto", "rules", "disabled"})


@dataclass(frozen=True)
class SpotCheckItem:
    id: str
    text_zh: str
    scope: str
    citation: str = ""
    basis: str = ""
    auto: str = ""
    rules: tuple[str, ...] = ()  # rule ids whose findings the judge reads (narrows its default)

    @property
    def basis_zh(self) -> str:
        """What a person reads: 《…制度》第N条 for a citation, else the basis as written."""
        if not self.citation:
            return self.basis
        from liuhen.rules.citations import cite_zh

        return cite_zh(self.citation)


def validate(tables: list[tuple[str, Any]], own_profile: str | None) -> list[tuple[str, str]]:
    """Located problems of the resolved ``[[spot_check_items]]`` (empty: valid)."""
    from liuhen.rules.validate import validate_items

    return validate_items(
        tables,
        own_profile,
        what="spot-check item",
        keys=KEYS,
        autos=AUTO_JUDGES,
        auto_word="judge",
        check=_own,
    )


def _own(raw: Mapping[str, Any], err: Callable[[str, str], None]) -> None:
    """A spot-check item's own keys: its scope, and the rule ids a judge reads."""
    if raw.get("scope") not in SCOPES:
        err("scope", f"scope must be one of {', '.join(sorted(SCOPES))}")
    rules = raw.get("rules")
    if rules is not None and (
        not isinstance(rules, list) or not all(isinstance(r, str) and r for r in rules)
    ):
        err("rules", "rules must be a list of rule ids")
    elif raw.get("auto") == "findings" and not rules:
        err("rules", "the findings judge needs the rule ids it reads (rules = [...])")


def build(tables: list[tuple[str, Any]]) -> tuple[SpotCheckItem, ...]:
    return tuple(
        SpotCheckItem(
            id=raw["id"],
            text_zh=raw["text_zh"],
            scope=raw["scope"],
            citation=raw.get("citation", ""),
            basis=raw.get("basis", ""),
            auto=raw.get("auto", ""),
            rules=tuple(raw.get("rules", ())),
        )
        for _, raw in tables
    )

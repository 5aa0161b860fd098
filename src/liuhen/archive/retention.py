"""What the agency's profile says about its case files (pure: a profile in, plain values out).

* 保管期限 by procedure (``archive_retention``: general / summary / long_term), with its basis;
* the long-term triggers (holds): every case flag a ``retention`` rule of the profile lists in
  ``long_term_flags`` (longjiang-cg§19: used as evidence; review or litigation; objection or complaint;
  obstruction or violence; emergencies; major or complex cases), each with that rule's citation; a case
  carrying any of them is kept 永久;
* the 档号 template, category and 全宗号; the 副卷 document types; who signs and who approves a 补充归档;
* the archiving deadline (the ``deadline`` rule completed by ``case.archived_at``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from liuhen.core.codes import CASE_FLAGS
from liuhen.rules.citations import cite_zh
from liuhen.rules.profile import Profile, profile_path, resolve_raw

RETENTIONS = ("永久", "30年", "10年")
RETENTION_CODES = {"永久": "Y", "30年": "D30", "10年": "D10"}  # DA/T 22-2015 保管期限代码
ARCHIVE_DAYS = 30
_FLAG_LABELS = dict(CASE_FLAGS)


@dataclass(frozen=True)
class Hold:
    """A long-term trigger that applies to a case: the flag, its label and the rule's citation."""

    code: str
    label: str
    citation: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "citation": self.citation}

    @property
    def shown(self) -> str:
        return f"{self.label}（{cite_zh(self.citation)}）" if self.citation else self.label


@dataclass(frozen=True)
class ArchiveSettings:
    no_template: str
    category: str
    fonds_no: str
    retention_by_procedure: Mapping[str, str]
    long_term: str
    retention_basis: str
    auxiliary_types: frozenset[str]
    signer_role: str
    supplement_approver_role: str
    deadline_days: int
    deadline_title: str
    deadline_citation: str


def archive_settings(profile: Profile | None, *, agency_code: str) -> ArchiveSettings:
    """The profile's archiving keys over the defaults; raises ``ValueError`` on a value it cannot use."""
    params = {**_baseline_params(), **(dict(profile.params) if profile else {})}
    periods = dict(params["archive_retention"])
    for key in ("general", "summary", "long_term"):
        if periods.get(key) not in RETENTIONS:
            raise ValueError(f"archive_retention.{key} must be one of {', '.join(RETENTIONS)}")
    days, title, citation = _deadline(profile)
    return ArchiveSettings(
        no_template=str(params["archive_no_template"]),
        category=str(params["archive_category"]),
        fonds_no=str(params.get("archive_fonds_no") or agency_code.upper()),
        retention_by_procedure={k: v for k, v in periods.items() if k != "long_term"},
        long_term=periods["long_term"],
        retention_basis=str(params["archive_retention_basis"]),
        auxiliary_types=frozenset(params["archive_auxiliary_types"]),
        signer_role=str(params["archive_signer_role"]),
        supplement_approver_role=str(params["archive_supplement_approver_role"]),
        deadline_days=days,
        deadline_title=title,
        deadline_citation=citation,
    )


@cache
def _baseline_params() -> dict[str, Any]:
    """The shipped baseline's keys: the defaults, also for an agency without a profile."""
    return dict(resolve_raw(profile_path("baseline")).params)


def _deadline(profile: Profile | None) -> tuple[int, str, str]:
    for rule in profile.rules if profile else ():
        if rule.kind == "deadline" and rule.params.get("complete") == "case.archived_at":
            return int(rule.params.get("days", ARCHIVE_DAYS)), rule.title_zh, rule.citation
    return ARCHIVE_DAYS, "执法行为终结之日起30日内归档", ""


def holds_for(profile: Profile | None, *, case_flags: Iterable[str]) -> list[Hold]:
    """The long-term triggers among ``case_flags``, each with the first rule citing it, in flag order."""
    cited: dict[str, str] = {}
    for rule in profile.rules if profile else ():
        if rule.kind == "retention":
            for flag in rule.params.get("long_term_flags", ()):
                cited.setdefault(str(flag), rule.citation)
    flags = set(case_flags)
    return [
        Hold(code, _FLAG_LABELS.get(code, code), cited[code]) for code in _ordered(cited) if code in flags
    ]


def _ordered(codes: Iterable[str]) -> list[str]:
    known = [code for code, _ in CASE_FLAGS]
    return sorted(codes, key=lambda c: known.index(c) if c in known else len(known))


def retention_for(settings: ArchiveSettings, *, procedure: str, holds: list[Hold]) -> str:
    """永久 (or the profile's long-term period) under any hold, else the procedure's period."""
    if holds:
        return settings.long_term
    return settings.retention_by_procedure.get(procedure, settings.retention_by_procedure["general"])


def retention_code(retention: str) -> str:
    return RETENTION_CODES[retention]

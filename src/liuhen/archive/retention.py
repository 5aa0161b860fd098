"""What the agency's profile says about its case files, and the long-term triggers a case has recorded.

* 保管期限 by procedure (``archive_retention``: general / summary / long_term), with the rule that gave
  it (:func:`period_for`): the long-term period under a hold, cited to the rule that lists the trigger;
  a period set by risk where the profile has ``archive_retention_by_risk`` (xinle-fg§27: 根据风险情况
  确定保存期限); else the baseline's (国家档案局令第8号), since the other regulations set no period;
* the long-term triggers (holds, longjiang-cg§19: used as evidence; review or litigation; objection or
  complaint; obstruction or violence; emergencies or mass incidents; major or complex cases) derived
  from what the case records (:func:`recorded_triggers`: its flags, a 投诉举报登记表, an emergency start,
  an A/V interruption because of obstruction, a 集体讨论记录), each a hold when a ``retention`` rule of
  the profile lists it in ``long_term_flags``, with that rule's citation;
* the 档号 template, category and 全宗号; the 副卷 document types; who signs and who approves a 补充归档;
* the archiving deadline (the ``deadline`` rule completed by ``case.archived_at``).

Everything but :func:`recorded_triggers` is pure (a profile and plain values in, plain values out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from liuhen.core import clock
from liuhen.core.codes import CASE_FLAGS
from liuhen.rules.citations import cite_zh
from liuhen.rules.profile import Profile, profile_path, resolve_raw

if TYPE_CHECKING:
    from liuhen.cases.models import Case

RETENTIONS = ("永久", "30年", "10年")
RETENTION_CODES = {"永久": "Y", "30年": "D30", "10年": "D10"}  # DA/T 22-2015 保管期限代码
ARCHIVE_DAYS = 30
_FLAG_LABELS = dict(CASE_FLAGS)


@dataclass(frozen=True)
class Hold:
    """A long-term trigger that applies to a case: the trigger, its label, the rule's citation and the
    recorded fact it was derived from (in Chinese)."""

    code: str
    label: str
    citation: str
    fact: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Hold:
        return cls(data["code"], data["label"], data.get("citation", ""), data.get("fact", ""))

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "citation": self.citation, "fact": self.fact}

    @property
    def shown(self) -> str:
        """In Chinese, never a rule code: 阻碍执法、妨害公务、暴力抗法（音像记录中断：当事人阻挠，
        2026-04-13；《…》第19条）."""
        said = "；".join(
            part for part in (self.fact, cite_zh(self.citation) if self.citation else "") if part
        )
        return f"{self.label}（{said}）" if said else self.label


@dataclass(frozen=True)
class Period:
    """A 保管期限 and, in Chinese, the rule that gave it."""

    retention: str
    basis: str


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
    supplement_basis: str
    deadline_days: int
    deadline_title: str
    deadline_citation: str
    risk_flags: frozenset[str] = frozenset()
    risk_retention: str = ""
    risk_citation: str = ""


def archive_settings(profile: Profile | None, *, agency_code: str) -> ArchiveSettings:
    """The profile's archiving keys over the defaults; raises ``ValueError`` on a value it cannot use."""
    params = {**_baseline_params(), **(dict(profile.params) if profile else {})}
    periods = dict(params["archive_retention"])
    for key in ("general", "summary", "long_term"):
        if periods.get(key) not in RETENTIONS:
            raise ValueError(f"archive_retention.{key} must be one of {', '.join(RETENTIONS)}")
    days, title, citation = _deadline(profile)
    risk = dict(params.get("archive_retention_by_risk") or {})
    if risk and risk.get("retention") not in RETENTIONS:
        raise ValueError(f"archive_retention_by_risk.retention must be one of {', '.join(RETENTIONS)}")
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
        supplement_basis=str(params.get("archive_supplement_basis", "")),
        deadline_days=days,
        deadline_title=title,
        deadline_citation=citation,
        risk_flags=frozenset(risk.get("flags", ())),
        risk_retention=str(risk.get("retention", "")),
        risk_citation=str(risk.get("citation", "")),
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


def holds_for(
    profile: Profile | None, *, case: Case | None = None, case_flags: Iterable[str] = ()
) -> list[Hold]:
    """The long-term triggers ``case`` has recorded (:func:`recorded_triggers`; or just ``case_flags``
    without a case), each with the first rule of the profile listing it, in flag order."""
    triggers = recorded_triggers(case) if case is not None else {flag: "" for flag in case_flags}
    return holds_from(profile, triggers)


def holds_from(profile: Profile | None, triggers: Mapping[str, str]) -> list[Hold]:
    """Pure: the triggers (code → recorded fact) that a ``retention`` rule of the profile lists in
    ``long_term_flags``, each with that rule's citation; a regulation without one has no holds."""
    cited: dict[str, str] = {}
    for rule in profile.rules if profile else ():
        if rule.kind == "retention":
            for flag in rule.params.get("long_term_flags", ()):
                cited.setdefault(str(flag), rule.citation)
    return [
        Hold(code, _FLAG_LABELS.get(code, code), cited[code], triggers[code])
        for code in _ordered(cited)
        if code in triggers
    ]


def recorded_triggers(case: Case) -> dict[str, str]:
    """The long-term triggers the case's records show, each with the first fact that shows it, in
    Chinese: a 投诉举报登记表 (complaint); an emergency start (on the case or its 立案审批表); an A/V
    interruption because the party obstructed; a 集体讨论记录 (a major or complex case, decided
    collectively); then the case's flags for what no record shows. The catalogue has no 复议/诉讼
    document: review and litigation, and use as evidence, come from the case's flags."""
    from liuhen.cases.models import Document
    from liuhen.evidence.models import Interruption

    found: dict[str, str] = {}
    documents = Document.objects.filter(case_id=case.pk).order_by("created_at", "id")
    for document in documents.filter(doc_type="complaint_registration")[:1]:
        found.setdefault("complaint_about_enforcement", f"投诉举报登记表，{_day(document.created_at)}")
    started = case.emergency_started_at if case.emergency_start else None
    if started is None:
        for document in documents.filter(doc_type="initiation_approval"):
            if document.fields.get("emergency_start") is True:
                started = document.created_at
                break
    if started is not None:
        found.setdefault("emergency_incident", f"情况紧急先行启动，{_day(started)}")
    obstructed = Interruption.objects.filter(case_id=case.pk, reason="obstruction").order_by("interrupted_at")
    for interruption in obstructed[:1]:
        found.setdefault("obstruction", f"音像记录中断：当事人阻挠，{_day(interruption.interrupted_at)}")
    for document in documents.filter(doc_type="collective_discussion_record")[:1]:
        found.setdefault("major_complex", f"集体讨论记录，{_day(document.created_at)}")
    for flag in case.flags:
        found.setdefault(flag, "办案人员已在案件中标记")
    return found


def _day(at: Any) -> str:
    return at.astimezone(clock.SHANGHAI).date().isoformat()


def _ordered(codes: Iterable[str]) -> list[str]:
    known = [code for code, _ in CASE_FLAGS]
    return sorted(codes, key=lambda c: known.index(c) if c in known else len(known))


def retention_for(
    settings: ArchiveSettings, *, procedure: str, holds: list[Hold], flags: Iterable[str] = ()
) -> str:
    """The 保管期限 alone (see :func:`period_for`)."""
    return period_for(settings, procedure=procedure, holds=holds, flags=flags).retention


def period_for(
    settings: ArchiveSettings, *, procedure: str, holds: list[Hold], flags: Iterable[str] = ()
) -> Period:
    """The long-term period under any hold (cited to the rules listing the triggers); else the period
    the profile sets by risk for a case flagged with a risk it names (xinle-fg§27), when longer; else
    the procedure's period under the baseline's basis."""
    if holds:
        rules = "、".join(dict.fromkeys(cite_zh(h.citation) for h in holds if h.citation))
        return Period(settings.long_term, f"{rules}：长期保存情形" if rules else settings.retention_basis)
    base = settings.retention_by_procedure.get(procedure, settings.retention_by_procedure["general"])
    if settings.risk_flags & set(flags) and _longer(settings.risk_retention, base):
        return Period(settings.risk_retention, f"{cite_zh(settings.risk_citation)}：根据执法风险情况确定")
    return Period(base, settings.retention_basis)


def _longer(a: str, b: str) -> bool:
    return RETENTIONS.index(a) < RETENTIONS.index(b)


def retention_code(retention: str) -> str:
    return RETENTION_CODES[retention]

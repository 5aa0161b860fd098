"""Items of the scoring sheet the records decide (案卷评查自动评分), each with the evidence.

A scorer reads one case's records — its documents, approval steps, stored compliance findings and
dates — gathered once in :class:`CaseFacts`, and answers pass, fail or not applicable with the
evidence as a reviewer reads it (Chinese, document numbers, Beijing time). The codes are those of
:data:`liuhen.rules.review_sheet.AUTO_SCORERS` (a test keeps the two equal); a sheet item names one in
``auto``. The reviewer may override any automatic result, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from liuhen.cases.models import ApprovalStep, Case, Document
from liuhen.catalogue import get_type
from liuhen.compliance.models import StoredFinding
from liuhen.core import clock

PASS, FAIL, NA = "pass", "fail", "na"
INVESTIGATION_RECORDS = ("inquiry_record", "inspection_record", "sampling_record")
DECISIONS = ("penalty_decision", "summary_decision")
EX_OFFICIO = ("ex_officio", "complaint", "transferred")
MAJOR_FLAGS = ("major_complex", "liberty_life_health_property")
PROBLEM = ("missing", "violated", "overdue")
ARCHIVE_DAYS = 30
EMERGENCY_HOURS = 24


@dataclass(frozen=True)
class AutoResult:
    result: str  # pass / fail / na
    evidence: str


@dataclass
class CaseFacts:
    """What the scorers read of one case, loaded once."""

    case: Case
    documents: list[Document]
    approvals: list[ApprovalStep]
    findings: list[StoredFinding]
    now: datetime
    by_type: dict[str, list[Document]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for doc in self.documents:
            self.by_type.setdefault(doc.doc_type, []).append(doc)

    def of(self, *doc_types: str) -> list[Document]:
        return sorted(
            (d for t in doc_types for d in self.by_type.get(t, [])), key=lambda d: (d.created_at, d.pk)
        )


def case_facts(case: Case, *, now: datetime | None = None) -> CaseFacts:
    return CaseFacts(
        case=case,
        documents=list(Document.objects.filter(case=case).order_by("created_at", "id")),
        approvals=list(ApprovalStep.objects.filter(case=case).order_by("decided_at", "id")),
        findings=list(StoredFinding.objects.filter(case=case).order_by("id")),
        now=now or clock.now(),
    )


def at(moment: datetime) -> str:
    """2026-11-30 08:05 (Beijing time, as every page shows it)."""
    return clock.local_text(moment)


def doc_ref(doc: Document) -> str:
    """「立案审批表」（文号…，2026-11-30 08:05 制作）"""
    title = get_type(doc.doc_type).title
    number = f"文号{doc.number}，" if doc.number else ""
    return f"「{title}」（{number}{at(doc.created_at)}制作）"


def _general_ex_officio(facts: CaseFacts) -> bool:
    case = facts.case
    return (
        case.procedure == "general"
        and case.initiation_kind in EX_OFFICIO
        and not facts.of("complaint_not_filed_notice")
    )


def initiation_approval(facts: CaseFacts) -> AutoResult:
    if not _general_ex_officio(facts):
        return AutoResult(NA, "非依职权启动的一般程序案件，无须立案审批表")
    forms = facts.of("initiation_approval")
    if not forms:
        return AutoResult(FAIL, "卷内无立案（程序启动）审批表")
    return AutoResult(PASS, f"卷内有{doc_ref(forms[0])}")


def initiation_timely(facts: CaseFacts) -> AutoResult:
    case = facts.case
    if not case.emergency_start:
        return AutoResult(NA, "非紧急先行启动，不适用24小时补报")
    started = case.emergency_started_at or case.opened_at
    due = started + timedelta(hours=EMERGENCY_HOURS)
    late = [a for a in facts.approvals if a.kind == "late_approval" and a.decision == "approve"]
    if not late:
        if facts.now < due:
            return AutoResult(NA, f"紧急先行启动于{at(started)}，补报期限{at(due)}尚未届满")
        return AutoResult(FAIL, f"紧急先行启动于{at(started)}，至{at(due)}未见补报审批")
    first = late[0]
    if first.decided_at <= due:
        return AutoResult(
            PASS, f"紧急先行启动于{at(started)}，{at(first.decided_at)}补报审批同意（24小时内）"
        )
    return AutoResult(FAIL, f"紧急先行启动于{at(started)}，{at(first.decided_at)}才补报审批，超过24小时")


def two_officers(facts: CaseFacts) -> AutoResult:
    records = facts.of(*INVESTIGATION_RECORDS)
    if not records:
        return AutoResult(NA, "卷内无询问、检查、抽样笔录")
    short: list[str] = []
    for doc in records:
        names = [n for n in doc.fields.get("officer_names") or [] if str(n).strip()]
        certs = [c for c in doc.fields.get("officer_certificate_nos") or [] if str(c).strip()]
        if len(names) < 2 or len(certs) < 2:
            short.append(f"{doc_ref(doc)}记载执法人员{len(names)}人、证件编号{len(certs)}个")
    if short:
        return AutoResult(FAIL, "；".join(short))
    return AutoResult(PASS, f"{len(records)}份调查取证笔录均记载两名以上执法人员及其执法证件编号")


def final_report(facts: CaseFacts) -> AutoResult:
    decisions = facts.of("penalty_decision")
    if facts.case.procedure != "general" or not decisions:
        return AutoResult(NA, "非作出处罚决定的一般程序案件")
    reports = facts.of("investigation_final_report")
    if not reports:
        return AutoResult(FAIL, f"已作出{doc_ref(decisions[0])}，卷内无调查终结报告")
    return AutoResult(PASS, f"卷内有{doc_ref(reports[0])}")


def rights_notice(facts: CaseFacts) -> AutoResult:
    decisions = facts.of("penalty_decision")
    if not decisions:
        return AutoResult(NA, "未作出一般程序处罚决定")
    decision = decisions[0]
    notices = facts.of("rights_notice")
    if not notices:
        return AutoResult(FAIL, f"作出{doc_ref(decision)}，卷内无权利告知书")
    notice = notices[0]
    if notice.created_at >= decision.created_at:
        return AutoResult(FAIL, f"{doc_ref(notice)}晚于{doc_ref(decision)}")
    return AutoResult(PASS, f"{doc_ref(notice)}早于{doc_ref(decision)}")


def legal_review(facts: CaseFacts) -> AutoResult:
    case = facts.case
    discussed = [a for a in facts.approvals if a.kind == "collective_discussion"]
    flags = [f for f in MAJOR_FLAGS if f in (case.flags or [])]
    if not flags and not discussed:
        return AutoResult(NA, "非重大、复杂案件，未经集体讨论，无须法制审核")
    why = "案件标记为重大、复杂或涉及重大权益" if flags else "案件经集体讨论"
    opinions = facts.of("legal_review_opinion")
    steps = [a for a in facts.approvals if a.kind == "legal_review"]
    if opinions:
        return AutoResult(PASS, f"{why}，卷内有{doc_ref(opinions[0])}")
    if steps:
        return AutoResult(PASS, f"{why}，{at(steps[0].decided_at)}法制审核意见：{steps[0].opinion[:60]}")
    return AutoResult(FAIL, f"{why}，卷内无法制审核意见")


def service_complete(facts: CaseFacts) -> AutoResult:
    decisions = facts.of(*DECISIONS)
    if not decisions:
        return AutoResult(NA, "未作出决定，无须送达")
    receipts = facts.of("service_receipt")
    if not receipts:
        return AutoResult(FAIL, f"作出{doc_ref(decisions[0])}，卷内无送达回证")
    receipt_ids = {d.pk for d in receipts}
    gaps = [
        f
        for f in facts.findings
        if f.rule_id.startswith("service-")
        and f.status in PROBLEM
        and (not f.record_ids or receipt_ids & set(f.record_ids))
    ]
    served = "；".join(f"{doc_ref(d)}（{_method(d)}）" for d in receipts)
    if gaps:
        missing = "；".join(f"{f.title}：{f.message}" for f in gaps)
        return AutoResult(FAIL, f"{served}。送达手续不完整：{missing}")
    return AutoResult(PASS, f"{served}，送达手续完整")


def _method(doc: Document) -> str:
    value = doc.fields.get("method", "")
    spec = get_type(doc.doc_type).all_fields().get("method")
    return spec.choice_label(value) if spec is not None and value else "送达方式未记载"


def archived_30_days(facts: CaseFacts) -> AutoResult:
    case = facts.case
    ended = case.enforcement_ended_at
    if ended is None:
        return AutoResult(NA, "执法行为尚未终结")
    due = ended + timedelta(days=ARCHIVE_DAYS)
    if case.archived_at is None:
        if facts.now <= due:
            return AutoResult(NA, f"执法行为终结于{at(ended)}，归档期限{at(due)}尚未届满")
        return AutoResult(FAIL, f"执法行为终结于{at(ended)}，至{at(due)}未归档")
    if case.archived_at <= due:
        return AutoResult(PASS, f"执法行为终结于{at(ended)}，{at(case.archived_at)}归档（30日内）")
    return AutoResult(FAIL, f"执法行为终结于{at(ended)}，{at(case.archived_at)}才归档，超过30日")


def av_mandatory(facts: CaseFacts) -> AutoResult:
    required = [f for f in facts.findings if f.rule_kind == "required_av"]
    if not required:
        return AutoResult(NA, "无依规定应当音像记录的执法环节")
    missing = [f for f in required if f.status in PROBLEM]
    if missing:
        return AutoResult(FAIL, "；".join(f"{f.title}：{f.message}" for f in missing))
    return AutoResult(PASS, "；".join(f"{f.title}：已有音像记录" for f in required))


SCORERS: dict[str, Callable[[CaseFacts], AutoResult]] = {
    "initiation_approval": initiation_approval,
    "initiation_timely": initiation_timely,
    "two_officers": two_officers,
    "final_report": final_report,
    "rights_notice": rights_notice,
    "legal_review": legal_review,
    "service_complete": service_complete,
    "archived_30_days": archived_30_days,
    "av_mandatory": av_mandatory,
}

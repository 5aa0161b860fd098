"""A small world for the statistics tests: two supervised agencies under rule profiles (each with its
staff), one agency nobody here supervises, a justice bureau's supervisor, and a realistic sequence of
service calls that touches every figure."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from liuhen.accounts.models import Agency, User
from liuhen.accounts.services import agency_create
from liuhen.cases import services
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.evidence.services.interruptions import interruption_record
from liuhen.evidence.services.media import media_record_create
from tests.compliance.conftest import Office, office
from tests.factories import make_document, make_user

_HASHES = itertools.count(1)


@dataclass
class World:
    a: Office
    b: Office
    other: Office
    supervisor: User


def make_world() -> World:
    a, b, other = office("dalian-cg"), office("xinle-fg"), office("dalian-cg")
    bureau = agency_create(
        code=f"bureau-{a.agency.pk}",
        name="某区司法局",
        short_name="司法局",
        case_prefix="司",
        kind=Agency.Kind.SUPERVISION,
    )
    supervisor = make_user(bureau, ["supervisor"], name="钱监督")
    supervisor.supervised_agencies.add(a.agency, b.agency)
    return World(a, b, other, supervisor)


def media(case: Case, user: User, *, hours_late: int = 0, **extra) -> object:
    """An A/V record captured ``hours_late`` + 1 hours before its upload (over 24: uploaded late)."""
    start = clock.now() - timedelta(hours=hours_late + 1)
    return media_record_create(
        case=case,
        uploaded_by=user,
        sha256=f"{next(_HASHES):064x}",
        size=10,
        storage_key="k",
        kind="video",
        title="现场检查录像",
        captured_start=start,
        captured_end=start + timedelta(minutes=10),
        **extra,
    )


def to_decision(o: Office, case: Case) -> None:
    """Move ``case`` to 审查决定 past the gates (the head overrides what the profile still asks)."""
    o.approve_initiation(case)
    stages = ("decision",) if case.procedure == "summary" else ("investigation", "decision")
    for stage in stages:
        services.case_transition(case=case, by=o.head, to_stage=stage, reason="测试：越过把关", override=True)


def penalty(
    o: Office, case: Case, kinds: list[str], fine: str = "", confiscation: str = "", on: str = "2026-03-30"
):
    fields = {"penalty_kinds": kinds, "decided_on": on, "payment_deadline": "2026-12-31"}
    fields["fine_amount"] = fine if "fine" in kinds else ""
    fields["confiscation_amount"] = confiscation if "confiscation" in kinds else ""
    return make_document(case, o.officer, "penalty_decision", **fields)


def realistic_sequence(w: World) -> dict[str, Case]:
    """Cases opened, moved (with overrides), decided (combined penalties), refused signatures, late and
    unlinked A/V, an interruption: in both supervised agencies and the other one."""
    cases: dict[str, Case] = {}
    a = w.a
    c1 = cases["fine_and_licence"] = a.case(cause="超标排放")
    to_decision(a, c1)
    penalty(a, c1, ["fine", "license", "correction"], fine="5000.00")
    c2 = cases["fine_and_confiscation"] = a.case(cause="占道经营")
    to_decision(a, c2)
    penalty(a, c2, ["fine", "confiscation"], fine="200.50", confiscation="1000.00")
    c3 = cases["warning_only"] = a.case(cause="占道经营", initiation_kind="complaint")
    to_decision(a, c3)
    penalty(a, c3, ["warning"])
    c4 = cases["correction_only"] = a.case(cause="违规张贴")
    to_decision(a, c4)
    penalty(a, c4, ["correction"])
    c5 = cases["av_problems"] = a.case(cause="超标排放")
    a.approve_initiation(c5)
    services.case_transition(case=c5, by=a.officer, to_stage="investigation")
    inspection = make_document(c5, a.officer, "inspection_record")
    services.document_refusal_record(
        document=inspection,
        recorded_by=a.officer,
        refuser_role="party",
        refuser_name="王某某",
        reason="拒绝签名",
        second_officer=a.officer2,
    )
    media(c5, a.officer, hours_late=30, activity="inspection", device_no="DSJ-001", officers=["张伟", "李娜"])
    clip = media(
        c5,
        a.officer,
        device_no="DSJ-002",
        officers=["张伟"],
        activity="inspection",
        linked_documents=[inspection],
    )
    now = clock.now()
    interruption_record(
        case=c5,
        recorded_by=a.officer,
        reason="device_fault",
        interrupted_at=now - timedelta(minutes=30),
        resumed_at=now - timedelta(minutes=20),
        device_no="DSJ-002",
        explanation_media=clip,
    )
    b = w.b
    c6 = cases["b_summary"] = b.case(cause="占道经营", procedure="summary")
    to_decision(b, c6)
    make_document(c6, b.officer, "summary_decision", penalty="fine", fine_amount="100.00")
    cases["b_plain"] = b.case(cause="噪声扰民", confidential=True)
    cases["other"] = w.other.case(cause="占道经营")
    return cases

"""Compliance: re-evaluating one case after a change — snapshot built from the database, every rule of
the agency's profile evaluated, findings stored — on SQLite (file database), for each of the five
profiles, on a case with realistic record counts (≈ 20 documents with signatures, 10 A/V records,
6 approvals). Target (issue 4): < 20 ms per case.

``refresh_one_case`` times ``compliance_refresh`` (snapshot + evaluate + store, one commit) on a case whose
findings are stored: after a write most findings are unchanged and only the changed rows are rewritten.
``sign_and_recompute`` times a whole write that changes the findings (the service, its ledger entry
and the recompute in one transaction).

Run alone: ``.venv/bin/python -m bench compliance`` (``LIUHEN_BENCH_COMPLIANCE_ROUNDS``, default 100).
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from bench.common import BenchResult, django_sandbox

ROUNDS = int(os.environ.get("LIUHEN_BENCH_COMPLIANCE_ROUNDS", "100"))
PROFILES = ("dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg")
DOC_TYPES = ("inquiry_record", "inspection_record", "sampling_record", "rights_notice", "service_receipt")


def _realistic_case(profile_id: str):
    from liuhen.accounts.models import Agency, OrgUnit
    from liuhen.accounts.services import user_create
    from liuhen.cases import services
    from liuhen.catalogue import example_fields
    from liuhen.core import clock
    from liuhen.evidence.services.media import media_record_create

    agency = Agency.objects.create(
        code=f"bench-{profile_id}",
        name=profile_id,
        short_name=profile_id,
        case_prefix="测",
        profile_id=profile_id,
    )
    unit = OrgUnit.objects.create(agency=agency, name="一中队", kind=OrgUnit.Kind.SQUAD)
    officer, head = (
        user_create(
            username=f"{profile_id}-{r}",
            password="x-bench-2026-long",
            agency=agency,
            roles=[r, "officer"],
            full_name=r,
            certificate_no="21000001",
        )
        for r in ("handler", "head")
    )
    party = services.party_create(created_by=officer, kind="person", name="王某某")
    case = services.case_open(
        opened_by=officer,
        procedure="general",
        initiation_kind="ex_officio",
        cause="占道经营",
        parties=[party],
        unit=unit,
    )
    docs = []
    for i in range(20):
        doc_type = DOC_TYPES[i % len(DOC_TYPES)]
        doc = services.document_create(
            case=case, created_by=officer, doc_type=doc_type, fields=example_fields(doc_type)
        )
        for role in ("officer", "officer", "party"):
            services.document_sign(
                document=doc, recorded_by=officer, signer_role=role, signer_name=role, method="electronic"
            )
        docs.append(doc)
    now = clock.now()
    for i in range(10):
        media_record_create(
            case=case,
            uploaded_by=officer,
            sha256="ab" * 32,
            size=1,
            storage_key="k",
            kind="video",
            title=f"录像{i}",
            activity=("inspection", "inquiry", "sampling")[i % 3],
            device_no=f"D{i % 3}",
            officers=["甲", "乙"],
            captured_start=now - timedelta(hours=3),
            captured_end=now - timedelta(hours=2),
            linked_documents=[docs[i]],
        )
    services.approval_record(
        case=case, actor=officer, kind="handler_proposal", decision="approve", opinion="建议立案"
    )
    for kind in ("approval", "collective_discussion", "head_approval", "head_approval", "approval"):
        services.approval_record(case=case, actor=head, kind=kind, decision="approve", opinion="同意")
    return case


def _time_refresh(case) -> list[float]:
    from django.db import transaction

    from liuhen.compliance.services import compliance_refresh

    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        with transaction.atomic():
            compliance_refresh(case=case)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _time_change(case) -> list[float]:
    """A real change: one signature recorded through the service (ledger entry + recompute, one commit)."""
    from liuhen.accounts.models import User
    from liuhen.cases import services

    officer = User.objects.get(username__endswith="-handler", agency=case.agency)
    documents = list(case.documents.all())
    timings = []
    for i in range(ROUNDS // 2):
        start = time.perf_counter()
        services.document_sign(
            document=documents[i % len(documents)],
            recorded_by=officer,
            signer_role="witness",
            signer_name=f"见证人{i}",
            method="handwritten_scan",
        )
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run() -> list[BenchResult]:
    django_sandbox("liuhen-compliance-bench-")
    results = []
    everything: list[float] = []
    changes: list[float] = []
    for profile_id in PROFILES:
        case = _realistic_case(profile_id)
        timings = _time_refresh(case)
        everything += timings
        changes += _time_change(case)
        results.append(
            BenchResult(
                f"compliance.refresh_one_case.{profile_id}.p50", round(statistics.median(timings), 2), "ms"
            )
        )
    results.append(
        BenchResult(
            "compliance.sign_and_recompute.p50",
            round(statistics.median(changes), 2),
            "ms",
            "document_sign service end to end: signature row + ledger entry + recompute + commit",
        )
    )
    everything.sort()
    p95 = everything[int(len(everything) * 0.95)]
    results.append(
        BenchResult(
            "compliance.refresh_one_case.p95",
            round(p95, 2),
            "ms",
            f"{ROUNDS} rounds × 5 profiles; snapshot + evaluate + store, SQLite file DB; target < 20 ms",
        )
    )
    return results


if __name__ == "__main__":
    for result in run():
        print(result)

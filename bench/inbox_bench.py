"""待办 (issue 11): the home page GET as the handler/officer of 10,000 open cases in their agency
(dalian-cg profile, SQLite file database), with the inbox built from the stored findings and the nav
badge; against a baseline measured in the same run: the same view asked by htmx (``HX-Request``), which
renders the case list alone (plus the nav badge), and the case list searched by a party's name.
Target: home page p95 < 150 ms of CPU time on one core.

Data: four cases are opened through the services and refreshed (one bare at 程序启动, one with an
unsigned 询问笔录 at 调查取证, one with a signed one at 审查决定, one closed); the three open ones are
cloned in bulk to 10,000 open cases and the closed one to 1,000 more (cases, party links, documents,
signatures, stored findings with ``record_ids`` pointing at the copy's own documents, compliance
summaries: about 11 findings a case, as the refresh stores them), so the measured code — the view,
the access layer, the selectors, the templates — is the real one over realistic tables. The bulk rows have no ledger
entries: nothing measured reads the ledger. Run alone: ``.venv/bin/python -m bench inbox``
(``LIUHEN_BENCH_INBOX_CASES``, default 10000; ``LIUHEN_BENCH_INBOX_ROUNDS``, default 60).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from bench.common import BenchResult, django_sandbox

CASES = int(os.environ.get("LIUHEN_BENCH_INBOX_CASES", "10000"))
ROUNDS = int(os.environ.get("LIUHEN_BENCH_INBOX_ROUNDS", "60"))
CLOSED = CASES // 10  # closed cases beside the open ones: in the case list, not in the inbox
TARGET_MS = 150.0


def _templates():
    """Cases through the services, their findings stored: the shapes the bulk rows copy. Three open
    (a bare one at 程序启动, one at 调查取证 with an unsigned 询问笔录, one at 审查决定 with a signed one)
    and one closed (不予立案), so the case list also holds cases that are not in the inbox."""
    from liuhen.accounts.models import Agency, OrgUnit
    from liuhen.accounts.services import user_create
    from liuhen.cases import services
    from liuhen.cases.models import Document
    from liuhen.catalogue import example_fields

    agency = Agency.objects.create(
        code="bench", name="基准测试执法局", short_name="基准", case_prefix="基", profile_id="dalian-cg"
    )
    unit = OrgUnit.objects.create(agency=agency, name="一中队", kind=OrgUnit.Kind.SQUAD)
    officer = user_create(
        username="bench_officer",
        password="bench-Passw0rd-2026",
        agency=agency,
        roles=["officer", "handler"],
        full_name="基准执法员",
        certificate_no="21020019001",
        unit=unit,
    )
    head = user_create(
        username="bench_head",
        password="bench-Passw0rd-2026",
        agency=agency,
        roles=["head"],
        full_name="基准局长",
    )
    party = services.party_create(
        created_by=officer, kind="person", name="刘某某", id_number="210203198801015678"
    )
    opened = [
        services.case_open(
            opened_by=officer,
            procedure="general",
            initiation_kind="ex_officio",
            cause=f"占道经营（样板{i}）",
            parties=[party],
            unit=unit,
            handler=officer,
        )
        for i in range(4)
    ]
    for case in opened[1:3]:
        services.case_transition(case=case, by=head, to_stage="investigation", override=True, reason="基准")
        services.document_create(
            case=case, created_by=officer, doc_type="inquiry_record", fields=example_fields("inquiry_record")
        )
    signed = Document.objects.filter(case=opened[2]).get()
    services.document_sign(
        document=signed, recorded_by=officer, signer_role="party", signer_name="刘某某", method="fingerprint"
    )
    services.case_transition(case=opened[2], by=head, to_stage="decision", override=True, reason="基准")
    services.case_transition(case=opened[3], by=head, to_stage="closed", override=True, reason="不予立案")
    return agency, officer, opened[:3], opened[3:]


def _shape(case):
    """What a bulk copy of ``case`` copies: the case, its documents, signatures, stored findings and
    compliance summary, its party links."""
    from liuhen.cases.models import Document, Signature
    from liuhen.compliance.models import CaseCompliance, StoredFinding

    case.refresh_from_db()
    return (
        case,
        list(Document.objects.filter(case=case).order_by("id").values()),
        list(Signature.objects.filter(document__case=case).values()),
        list(StoredFinding.objects.filter(case=case).values()),
        CaseCompliance.objects.filter(case=case).values().get(),
        list(case.parties.values_list("pk", flat=True)),
    )


def _clone(templates, n: int, first_seq: int) -> int:
    """``n`` cases copied from ``templates`` round-robin, with their links, documents, signatures,
    findings and compliance summary; a finding's ``record_ids`` name the copy's own documents, as the
    refresh would store them. Returns the next free sequence number."""
    from django.db import transaction

    from liuhen.cases.models import Case, Document, Signature
    from liuhen.compliance.models import CaseCompliance, StoredFinding

    shapes = [_shape(case) for case in templates]
    with transaction.atomic():
        new = []
        for i in range(n):
            case = shapes[i % len(shapes)][0]
            seq = first_seq + i
            new.append(
                Case(
                    **{
                        f.attname: getattr(case, f.attname)
                        for f in Case._meta.concrete_fields
                        if f.attname not in ("id", "case_no", "seq", "cause")
                    },
                    case_no=f"基罚〔{case.year}〕{seq}号",
                    seq=seq,
                    cause=f"占道经营{seq}",
                )
            )
        Case.objects.bulk_create(new, batch_size=2000)
        links, docs = [], []
        for i, case in enumerate(new):
            _, shape_docs, _, _, _, party_ids = shapes[i % len(shapes)]
            links += [Case.parties.through(case_id=case.pk, party_id=p) for p in party_ids]
            docs += [Document(**{**d, "id": None, "case_id": case.pk}) for d in shape_docs]
        Case.parties.through.objects.bulk_create(links, batch_size=5000)
        Document.objects.bulk_create(docs, batch_size=2000)
        copies = iter(docs)
        signatures, findings, summaries = [], [], []
        for i, case in enumerate(new):
            _, shape_docs, shape_sigs, shape_findings, summary, _ = shapes[i % len(shapes)]
            doc_ids = {d["id"]: next(copies).pk for d in shape_docs}
            refs = {f"document:{old}": f"document:{pk}" for old, pk in doc_ids.items()}
            signatures += [
                Signature(**{**s, "id": None, "document_id": doc_ids[s["document_id"]]}) for s in shape_sigs
            ]
            findings += [
                StoredFinding(
                    **{
                        **f,
                        "id": None,
                        "case_id": case.pk,
                        "record_ids": [refs.get(r, r) for r in f["record_ids"]],
                    }
                )
                for f in shape_findings
            ]
            summaries.append(CaseCompliance(**{**summary, "id": None, "case_id": case.pk}))
        Signature.objects.bulk_create(signatures, batch_size=2000)
        StoredFinding.objects.bulk_create(findings, batch_size=5000)
        CaseCompliance.objects.bulk_create(summaries, batch_size=2000)
    return first_seq + n


def _time(client, path: str, rounds: int, **headers) -> list[tuple[float, float]]:
    """Wall-clock and CPU milliseconds per request. The test client, the view and SQLite all run in
    this thread, so CPU time is the request's cost on one core, whatever else loads the machine."""
    times = []
    for _ in range(rounds):
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        response = client.get(path, headers=headers)
        times.append(((time.perf_counter() - begin) * 1000, (time.thread_time() - begin_cpu) * 1000))
        assert response.status_code == 200, response.status_code
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def _p95s(times: list[tuple[float, float]]) -> tuple[float, float]:
    """The wall-clock and the CPU p95."""
    return _p95([w for w, _ in times]), _p95([c for _, c in times])


def run() -> list[BenchResult]:
    django_sandbox("liuhen-inbox-bench-")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from liuhen.cases.models import Case
    from liuhen.compliance.inbox import inbox
    from liuhen.compliance.models import StoredFinding

    agency, officer, open_shapes, closed_shapes = _templates()
    start = time.perf_counter()
    seq = _clone(open_shapes, CASES - len(open_shapes), 1000)
    _clone(closed_shapes, CLOSED, seq)
    built = time.perf_counter() - start
    client = Client()
    client.force_login(officer)
    measures = {
        "home": ("/", {}),
        "case_list_only": ("/", {"HX-Request": "true"}),
        "search_party_name": ("/?q=刘某某", {"HX-Request": "true"}),
    }
    for path, headers in measures.values():  # warm up: templates, profile cache, SQLite pages
        _time(client, path, 3, **headers)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in measures}
    for _ in range(ROUNDS):  # interleaved, so drift on a busy machine hits every measure alike
        for name, (path, headers) in measures.items():
            times[name] += _time(client, path, 1, **headers)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    box = inbox(user=officer)
    open_cases = Case.objects.filter(agency=agency).exclude(stage__in=("closed", "archived")).count()
    print(f"inbox bench: {open_cases:,} open cases built in the user's agency", file=sys.stderr)
    assert open_cases == CASES, f"built {open_cases} open cases, not {CASES}"
    setting = (
        f"{open_cases:,} open cases ({Case.objects.count():,} in all), "
        f"{StoredFinding.objects.count():,} stored findings; built in {built:.0f} s"
    )
    home_p95, home_cpu = _p95s(times["home"])
    base_p95, base_cpu = _p95s(times["case_list_only"])
    search_p95, search_cpu = _p95s(times["search_party_name"])
    verdict = "met" if home_cpu < TARGET_MS else "MISSED"
    return [
        BenchResult(
            "inbox.home.cpu_p95",
            round(home_cpu, 2),
            "ms",
            f"{ROUNDS} requests; {len(queries)} queries; {box.count:,} items waiting in "
            f"{len(box.sections)} sections; CPU time on one core, target < {TARGET_MS:.0f} ms: {verdict}",
        ),
        BenchResult(
            "inbox.home.p95", round(home_p95, 2), "ms", "wall clock (includes waiting on a loaded machine)"
        ),
        BenchResult(
            "inbox.home.p50", round(statistics.median(w for w, _ in times["home"]), 2), "ms", setting
        ),
        BenchResult(
            "inbox.case_list_only.cpu_p95", round(base_cpu, 2), "ms", "baseline: htmx request, no inbox"
        ),
        BenchResult("inbox.case_list_only.p95", round(base_p95, 2), "ms", "baseline, wall clock"),
        BenchResult("inbox.search_party_name.cpu_p95", round(search_cpu, 2), "ms", "q=刘某某 (htmx)"),
        BenchResult("inbox.search_party_name.p95", round(search_p95, 2), "ms", "q=刘某某 (htmx), wall clock"),
        BenchResult(
            "inbox.home_over_case_list.ratio", round(home_cpu / base_cpu, 3), "x", "CPU p95 / CPU p95"
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)

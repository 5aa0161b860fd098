"""待办 (issue 11): the home page GET as the handler/officer of 10,000 open cases in their agency
(dalian-cg profile, SQLite file database), with the inbox built from the stored findings and the nav
badge; against a baseline measured in the same run: the same view asked by htmx (``HX-Request``), which
renders the case list alone (plus the nav badge), and the case list searched by a party's name.
Target: home page p95 < 150 ms.

Data: three cases are opened through the services and refreshed (one bare at 程序启动, one with an
unsigned 询问笔录 at 调查取证, one closed), then cloned in bulk (cases, their party links, documents and
stored findings: about 30 findings a case), so the measured code — the view, the access layer, the
selectors, the templates — is the real one over realistic tables. The bulk rows have no ledger
entries: nothing measured reads the ledger. Run alone: ``.venv/bin/python -m bench inbox``
(``LIUHEN_BENCH_INBOX_CASES``, default 10000; ``LIUHEN_BENCH_INBOX_ROUNDS``, default 60).
"""

from __future__ import annotations

import os
import statistics
import time

from bench.common import BenchResult, django_sandbox

CASES = int(os.environ.get("LIUHEN_BENCH_INBOX_CASES", "10000"))
ROUNDS = int(os.environ.get("LIUHEN_BENCH_INBOX_ROUNDS", "60"))
TARGET_MS = 150.0


def _templates():
    """Three cases through the services, their findings stored: the shapes the bulk rows copy."""
    from liuhen.accounts.models import Agency, OrgUnit
    from liuhen.accounts.services import user_create
    from liuhen.cases import services
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
        for i in range(3)
    ]
    services.case_transition(case=opened[1], by=head, to_stage="investigation", override=True, reason="基准")
    services.document_create(
        case=opened[1], created_by=officer, doc_type="inquiry_record", fields=example_fields("inquiry_record")
    )
    services.case_transition(case=opened[2], by=head, to_stage="closed", override=True, reason="不予立案")
    return agency, officer, opened


def _clone(agency, officer, templates, n: int) -> None:
    """``n`` cases in all, copied from ``templates`` round-robin, with their links, documents, findings."""
    from django.db import transaction

    from liuhen.cases.models import Case, Document
    from liuhen.compliance.models import StoredFinding

    shapes = []
    for case in templates:
        case.refresh_from_db()
        shapes.append(
            (
                case,
                list(Document.objects.filter(case=case).values()),
                list(StoredFinding.objects.filter(case=case).values()),
                list(case.parties.values_list("pk", flat=True)),
            )
        )
    with transaction.atomic():
        new = []
        for i in range(n - len(templates)):
            case = shapes[i % len(shapes)][0]
            seq = 1000 + i
            new.append(
                Case(
                    **{
                        f.attname: getattr(case, f.attname)
                        for f in Case._meta.concrete_fields
                        if f.attname not in ("id", "case_no", "seq", "cause")
                    },
                    case_no=f"基罚〔{case.year}〕{seq}号",
                    seq=seq,
                    cause=f"占道经营{i}",
                )
            )
        Case.objects.bulk_create(new, batch_size=2000)
        links, docs, findings = [], [], []
        for i, case in enumerate(new):
            _, shape_docs, shape_findings, party_ids = shapes[i % len(shapes)]
            links += [Case.parties.through(case_id=case.pk, party_id=p) for p in party_ids]
            docs += [Document(**{**d, "id": None, "case_id": case.pk}) for d in shape_docs]
            findings += [StoredFinding(**{**f, "id": None, "case_id": case.pk}) for f in shape_findings]
        Case.parties.through.objects.bulk_create(links, batch_size=5000)
        Document.objects.bulk_create(docs, batch_size=2000)
        StoredFinding.objects.bulk_create(findings, batch_size=5000)


def _time(client, path: str, rounds: int, **headers) -> list[float]:
    times = []
    for _ in range(rounds):
        begin = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def run() -> list[BenchResult]:
    django_sandbox("liuhen-inbox-bench-")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from liuhen.cases.models import Case
    from liuhen.compliance.inbox import inbox
    from liuhen.compliance.models import StoredFinding

    agency, officer, templates = _templates()
    start = time.perf_counter()
    _clone(agency, officer, templates, CASES)
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
    times: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(ROUNDS):  # interleaved, so drift on a busy machine hits every measure alike
        for name, (path, headers) in measures.items():
            times[name] += _time(client, path, 1, **headers)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    box = inbox(user=officer)
    open_cases = Case.objects.filter(agency=agency).exclude(stage__in=("closed", "archived")).count()
    setting = (
        f"{open_cases:,} open cases ({Case.objects.count():,} in all), "
        f"{StoredFinding.objects.count():,} stored findings; built in {built:.0f} s"
    )
    home_p95 = _p95(times["home"])
    base_p95 = _p95(times["case_list_only"])
    return [
        BenchResult(
            "inbox.home.p95",
            round(home_p95, 2),
            "ms",
            f"{ROUNDS} requests; {len(queries)} queries; {box.count:,} items waiting in "
            f"{len(box.sections)} sections; target < {TARGET_MS:.0f} ms: "
            + ("met" if home_p95 < TARGET_MS else "MISSED"),
        ),
        BenchResult("inbox.home.p50", round(statistics.median(times["home"]), 2), "ms", setting),
        BenchResult("inbox.case_list_only.p95", round(base_p95, 2), "ms", "baseline: htmx request, no inbox"),
        BenchResult(
            "inbox.search_party_name.p95", round(_p95(times["search_party_name"]), 2), "ms", "q=刘某某 (htmx)"
        ),
        BenchResult("inbox.home_over_case_list.ratio", round(home_p95 / base_p95, 3), "x", "p95 / p95"),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)

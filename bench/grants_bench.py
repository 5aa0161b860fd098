"""Governed access (issue 13): the access check of a playback under a grant, against the same check
for a user with a standing right, in the same run. Target: a grant adds < 5 ms to the check.

Data (SQLite file database): one agency with two squads; 2,000 cases of squad one, each with a video
record; squad one's officer plays by standing right; squad two's officer holds 20 live grants (one per
clip, of 20 cases) and a refused and an expired one. Each measured call is what ``GET
/api/media/{id}/content`` does before streaming: a fresh user object (as each request loads one), the
record through the access layer, the reason it may be played (standing right, or the grant's number:
:func:`liuhen.access.scope.content_grant`) and the read's ledger entry naming it
(:func:`liuhen.evidence.selectors.media_open`). The two sides alternate in batches; the result is each
side's median per call and their difference. Run alone: ``.venv/bin/python -m bench grants``
(``LIUHEN_BENCH_GRANTS_CASES``, default 2000; ``LIUHEN_BENCH_GRANTS_ROUNDS``, default 30).
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from bench.common import BenchResult, django_sandbox

CASES = int(os.environ.get("LIUHEN_BENCH_GRANTS_CASES", "2000"))
ROUNDS = int(os.environ.get("LIUHEN_BENCH_GRANTS_ROUNDS", "30"))
BATCH = 20
TARGET_MS = 5.0


def _world() -> dict:
    from liuhen.accounts.models import Agency, OrgUnit
    from liuhen.accounts.services import user_create
    from liuhen.cases.models import Case
    from liuhen.core import clock
    from liuhen.evidence.models import MediaRecord
    from liuhen.grants.services import ItemSpec, access_request_decide, access_request_file

    agency = Agency.objects.create(code="bench", name="基准测试执法局", short_name="基准", case_prefix="基")
    one = OrgUnit.objects.create(agency=agency, name="一中队", kind=OrgUnit.Kind.SQUAD)
    two = OrgUnit.objects.create(agency=agency, name="二中队", kind=OrgUnit.Kind.SQUAD)

    def person(name: str, roles: list[str], unit: OrgUnit | None, cert: str = "") -> object:
        return user_create(
            username=name,
            password="bench-Passw0rd-2026",
            agency=agency,
            roles=roles,
            full_name=name,
            certificate_no=cert,
            unit=unit,
        )

    mine = person("bench_one", ["officer", "handler"], one, "21020019001")
    other = person("bench_two", ["officer", "handler"], two, "21020019002")
    head = person("bench_head", ["head"], None)
    now = clock.now()
    cases = Case.objects.bulk_create(
        Case(
            agency=agency,
            unit=one,
            case_no=f"基罚〔2026〕{n}号",
            year=2026,
            seq=n,
            procedure="general",
            initiation_kind="ex_officio",
            cause="占道经营",
            opened_at=now,
            opened_by=mine,
            handler=mine,
        )
        for n in range(1, CASES + 1)
    )
    clips = MediaRecord.objects.bulk_create(
        MediaRecord(
            agency=agency,
            case=c,
            uploaded_by=mine,
            uploaded_at=now,
            sha256=f"{c.pk:064x}",
            size=1000,
            storage_key=f"{c.pk:064x}",
            kind="video",
            title="执法记录仪录像",
        )
        for c in cases
    )
    for i, clip in enumerate(clips[:22]):
        request = access_request_file(
            by=other, kind="view", reason="比对", days=30, items=[ItemSpec(clip.case_id, media_id=clip.pk)]
        )
        if i == 20:
            access_request_decide(request=request, by=head, approved=False, opinion="不予批准")
        else:
            access_request_decide(
                request=request, by=head, approved=True, opinion="同意", days=1 if i == 21 else 30
            )
    return {
        "mine": mine.pk,
        "other": other.pk,
        "standing_clip": clips[500].pk,
        "granted_clip": clips[7].pk,
        "later": now + timedelta(hours=2),
    }


def _timed(user_id: int, media_id: int) -> float:
    from liuhen.accounts.models import User
    from liuhen.evidence.selectors import media_open

    start = time.perf_counter()
    user = User.objects.get(pk=user_id)
    media_open(user=user, media_id=media_id)
    return (time.perf_counter() - start) * 1000


def run() -> list[BenchResult]:
    django_sandbox("liuhen-bench-grants-")
    from liuhen.core import clock

    world = _world()
    with clock.frozen(world["later"]):  # the 1-day grant has not expired; nothing expires mid-run
        for _ in range(10):  # warm-up
            _timed(world["mine"], world["standing_clip"])
            _timed(world["other"], world["granted_clip"])
        standing: list[float] = []
        granted: list[float] = []
        for round_no in range(ROUNDS):
            sides = [
                (standing, world["mine"], world["standing_clip"]),
                (granted, world["other"], world["granted_clip"]),
            ]
            for out, user_id, media_id in sides if round_no % 2 else reversed(sides):
                out.extend(_timed(user_id, media_id) for _ in range(BATCH))
    s, g = statistics.median(standing), statistics.median(granted)
    added = g - s
    verdict = "meets" if added < TARGET_MS else "misses"
    return [
        BenchResult("playback check, standing right (median)", round(s, 2), "ms"),
        BenchResult("playback check, under a grant (median)", round(g, 2), "ms"),
        BenchResult(
            "added by the grant",
            round(added, 2),
            "ms",
            f"{verdict} the < {TARGET_MS:g} ms target; ratio {g / s:.2f}× the standing check; "
            f"{CASES} cases, {len(standing)} calls a side",
        ),
    ]

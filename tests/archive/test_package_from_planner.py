"""The package of a case file as the archivist signs it off: the core's planner builds the plan from the
database, the package is written from it and the receiver's checker passes it."""

from __future__ import annotations

import struct

import pytest

from liuhen.archive import services
from liuhen.archive.case_bundle import case_bundle
from liuhen.archive.package import write_package
from liuhen.archive.planning import case_file_plan
from tests.archive.archiving import inquiry_recording
from tests.archive.package_world import failed_items, run_checker
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def _wav(seconds: int = 1) -> bytes:
    samples = b"\x00\x00" * 8000 * seconds
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_given_a_signed_off_case_file_when_packaged_from_the_planners_plan_then_the_checker_passes(tmp_path):
    agency = make_agency(profile_id="")
    officer, head = make_user(agency), make_user(agency, ["head"])
    compiler, checker = make_user(agency, ["archivist"]), make_user(agency, ["archivist"])
    case = closed_case(officer, head)
    inquiry_recording(case, officer, tmp_path, _wav())
    services.case_file_compile(case=case, by=compiler)
    plan = case_file_plan(services.case_file_sign(case=case, by=checker))

    summary = write_package(plan, tmp_path / "out" / "pkg", bundle=case_bundle(plan.case_id))
    proc = run_checker(summary.path, "--no-report")

    assert proc.returncode == 0, proc.stdout
    assert failed_items(proc) == set()
    assert summary.items == len(plan.items) and summary.originals >= len(plan.items)

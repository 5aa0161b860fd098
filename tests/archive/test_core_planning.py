"""The plan of a signed-off case file: items with their files, business actions from the ledger with
the rule's citation, A/V facts from the recording."""

from __future__ import annotations

import hashlib

import pytest

from liuhen.archive import services
from liuhen.archive.planning import case_file_plan
from tests.archive.archiving import inquiry_recording
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def test_given_a_signed_off_case_file_then_its_plan_carries_files_actions_and_av_facts(tmp_path):
    agency = make_agency(profile_id="")
    officer, head = make_user(agency), make_user(agency, ["head"])
    compiler, checker = make_user(agency, ["archivist"]), make_user(agency, ["archivist"])
    case = closed_case(officer, head)
    inquiry_recording(case, officer, tmp_path)
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)

    plan = case_file_plan(case_file)

    assert plan.archive_no == case_file.archive_no and plan.case_no == case.case_no
    assert [i.piece_no for i in plan.items] == list(range(1, len(plan.items) + 1))
    documents = [i for i in plan.items if i.kind == "document"]
    assert all(i.files[0].content and i.files[0].content.startswith(b"%PDF") for i in documents)
    assert all(hashlib.sha256(i.files[0].content or b"").hexdigest() == i.files[0].sha256 for i in documents)
    assert all("制作" in [a.action for a in i.actions] for i in documents)
    recording = next(i for i in plan.items if i.kind == "media")
    assert recording.files[0].blob == recording.files[0].sha256 and recording.files[0].format == "WAV"
    assert recording.av is not None and recording.av.device_no == "DSJ-009"
    assert recording.av.officers == ("张三", "李四") and recording.av.activity == "询问"
    assert "上传" in [a.action for a in recording.actions]
    assert recording.archive_no.startswith(plan.archive_no)


def test_the_basis_of_an_action_is_the_rule_naming_the_record_kind():
    from liuhen.archive.planning import _basis
    from liuhen.rules.profile import load_profile

    agency = make_agency()
    officer = make_user(agency)
    case = make_case(officer)
    document = make_document(case, officer, "initiation_approval")
    rows = [{"record": f"document:{document.pk}", "kind": "document"}]
    assert _basis(rows, load_profile("dalian-cg"))[f"document:{document.pk}"].startswith("dalian-cg§")

"""The 归档信息包 as written from a plan: layout, originals bit for bit, the signed EEPs, the case-only log
bundle, the XLSX 目录, and what happens when a blob is missing or the build dies half way."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from openpyxl import load_workbook

from liuhen.archive import package as package_mod
from liuhen.archive.case_bundle import case_bundle
from liuhen.archive.check import CHECKER_EXTRA, CHECKER_MODULES, NS, canonical_signed_bytes, q
from liuhen.archive.package import MissingContent, PackageExists, missing_content_alert, write_package
from liuhen.cases.blobs import blob_store
from liuhen.ledger.models import LedgerEntry
from liuhen.signing import ca
from liuhen.tlog.receipt import check_receipt
from tests.archive.package_world import SRC, failed_items, mp4_bytes, read_xml, run_checker, small_case_plan
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tmp_path):
    return small_case_plan(tmp_path)


def test_given_a_signed_off_case_file_when_packaged_then_the_receivers_checker_passes_under_python_S(
    plan, tmp_path
):
    summary = write_package(plan, tmp_path / "out" / plan.archive_no, bundle=case_bundle(plan.case_id))

    proc = run_checker(summary.path)

    assert proc.returncode == 0, proc.stdout
    assert failed_items(proc) == set()
    assert "4-1 安全性 病毒检测：未检测" in proc.stdout or "4-1 安全性 病毒检测：通过" in proc.stdout
    report = (tmp_path / "out" / f"{plan.archive_no}.四性检测报告.xml").read_text(encoding="utf-8")
    assert "<结论>通过</结论>" in report and summary.sha256 in report
    assert (tmp_path / "out" / f"{plan.archive_no}.四性检测报告.md").is_file()
    assert run_checker(summary.path, "--expect", summary.sha256, "--no-report").returncode == 0


def test_given_only_the_modules_the_checker_lists_then_it_runs_from_a_copy_and_verifies_the_log_proofs(
    plan, tmp_path
):
    summary = write_package(plan, tmp_path / "pkg", bundle=case_bundle(plan.case_id))
    copy = tmp_path / "checker"
    for entry in (*CHECKER_MODULES, *CHECKER_EXTRA):
        source = SRC / entry
        if source.is_dir():
            shutil.copytree(source, copy / entry, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (copy / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, copy / entry)

    proc = run_checker(summary.path, "--no-report", source=copy)

    assert proc.returncode == 0, proc.stdout
    proven = LedgerEntry.objects.filter(case_id=plan.case_id).count()
    assert f"{proven} 条案件日志条目已证明包含于签名检查点" in proc.stdout


def test_given_a_package_then_its_layout_counts_and_originals_are_what_the_plan_says(plan, tmp_path):
    summary = write_package(plan, tmp_path / "pkg", bundle=None)

    description = read_xml(summary.path / "说明文件.xml")
    assert description.findtext("归档文件数量") == "3" and description.findtext("原文数量") == "3"
    assert description.findtext("起止件号") == "1-3"
    assert description.findtext("文件容量") == str(sum(f.size for i in plan.items for f in i.files))
    assert description.findtext("移交单位") == "龙江县城市管理综合行政执法局"
    media_item = plan.items[2]
    folder = summary.path / media_item.archive_no
    stored = b"".join(blob_store().open_range(media_item.files[0].sha256))
    assert (folder / media_item.files[0].name).read_bytes() == stored == mp4_bytes()
    eep = read_xml(folder / f"{media_item.archive_no}.xml")
    assert eep.tag == f"{{{NS}}}电子文件封装包"
    entity = eep.find(q("被签名对象/封装内容/文件实体块"))
    assert entity.findtext(q("内容描述/档号")) == media_item.archive_no
    assert entity.findtext(q("音视频属性/摄录设备编号")) == "ZFJLY-0231"
    codes = {c.findtext(q("校验算法")): c.findtext(q("校验值")) for c in entity.iter(q("校验码"))}
    assert codes == {"SHA-256": media_item.files[0].sha256, "SM3": media_item.files[0].sm3}
    sheet = load_workbook(summary.path / "目录.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "件号", "档号") and [r[2] for r in rows[2:]] == [
        i.archive_no for i in plan.items
    ]
    manifest = json.loads((summary.path / "manifest.json").read_bytes())
    assert hashlib.sha256((summary.path / "manifest.json").read_bytes()).hexdigest() == summary.sha256
    assert {f["path"] for f in manifest["files"]} == {
        p.relative_to(summary.path).as_posix()
        for p in summary.path.rglob("*")
        if p.is_file() and p.name not in ("manifest.json", "package.sha256")
    }


def test_given_an_eep_then_its_signature_verifies_with_openssl_cms_and_names_the_agency_seal(plan, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    summary = write_package(plan, tmp_path / "pkg")
    item = plan.items[0]
    eep = read_xml(summary.path / item.archive_no / f"{item.archive_no}.xml")
    (tmp_path / "signed.xml").write_bytes(canonical_signed_bytes(eep.find(q("被签名对象"))))
    (tmp_path / "sig.der").write_bytes(base64.b64decode(eep.findtext(q("电子签名块/电子签名/签名结果"))))
    (tmp_path / "ca.pem").write_bytes(ca.ca_credentials().certificate.public_bytes(Encoding.PEM))
    command = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "sig.der")]
    command += [
        "-content",
        str(tmp_path / "signed.xml"),
        "-CAfile",
        str(tmp_path / "ca.pem"),
        "-purpose",
        "any",
    ]
    ok = subprocess.run([*command, "-out", "/dev/null"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "signed.xml").write_bytes(b"x" + (tmp_path / "signed.xml").read_bytes())
    tampered = subprocess.run([*command, "-out", "/dev/null"], capture_output=True, text=True, check=False)
    assert tampered.returncode != 0


def test_given_two_cases_when_bundled_then_the_bundle_holds_only_this_cases_entries_each_proven(
    plan, tmp_path
):
    other_officer = make_user(make_agency(name="新乐市发展和改革局"), ["officer", "handler"], name="外单位人")
    make_document(make_case(other_officer), other_officer)

    bundle = case_bundle(plan.case_id)

    ours = list(LedgerEntry.objects.filter(case_id=plan.case_id).values_list("index", flat=True))
    assert [index for index, _ in bundle.proofs] == ours
    for _index, text in bundle.proofs:
        entry = check_receipt(text, bundle.verifier_keys)
        assert "外单位人" not in json.dumps(entry, ensure_ascii=False)
    assert not any("外单位人" in text for _, text in bundle.proofs)


def test_given_a_missing_blob_when_packaged_then_it_stops_naming_the_item_leaves_nothing_and_alerts(
    plan, tmp_path
):
    recording = plan.items[2].files[0]
    blob_store().path_for(recording.sha256).unlink()
    dest = tmp_path / "out" / "pkg"

    with pytest.raises(MissingContent) as caught:
        write_package(plan, dest)

    assert "第 3 件" in caught.value.message and plan.items[2].archive_no in caught.value.message
    assert not dest.exists() and list(dest.parent.glob(".pkg.partial-*")) == []
    alert = missing_content_alert(plan=plan, error=caught.value)
    assert alert.subject == f"blob {recording.sha256}" and "第 3 件" in alert.detail
    assert alert.agency.name == plan.fonds_name
    assert LedgerEntry.objects.filter(
        action="archive.package_missing_content", index=alert.ledger_index
    ).exists()


def test_given_a_build_that_dies_half_way_then_nothing_is_at_dest_and_a_rerun_works(
    plan, tmp_path, monkeypatch
):
    dest = tmp_path / "out" / "pkg"
    real = package_mod._Writer.stream_blob

    def dies(self, rel, sha256):
        real(self, rel, sha256)
        raise KeyboardInterrupt  # what a SIGINT or a crash mid-copy looks like from inside

    monkeypatch.setattr(package_mod._Writer, "stream_blob", dies)
    with pytest.raises(KeyboardInterrupt):
        write_package(plan, dest)
    assert not dest.exists() and list(dest.parent.iterdir()) == []

    monkeypatch.undo()
    assert write_package(plan, dest).path == dest
    with pytest.raises(PackageExists):
        write_package(plan, dest)


def test_given_a_partial_folder_left_by_a_killed_build_then_a_rerun_removes_it_and_completes(plan, tmp_path):
    dest = tmp_path / "out" / "pkg"
    dest.parent.mkdir()
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    partial = dest.parent / f".pkg.partial-{killed.pid}"
    (partial / plan.items[0].archive_no).mkdir(parents=True)
    (partial / plan.items[0].archive_no / "half.pdf").write_bytes(b"%PDF-1.7 half")
    killed.kill()  # SIGKILL: the build had no chance to clean up
    killed.wait()

    summary = write_package(plan, dest)

    assert not partial.exists() and sorted(p.name for p in dest.parent.iterdir()) == ["pkg"]
    assert run_checker(summary.path, "--no-report").returncode == 0

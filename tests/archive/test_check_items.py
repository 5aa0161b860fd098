"""Each DA/T 70 item the standalone checker covers, made to fail once: the checker (run as the receiver
runs it, ``python3 -S -m liuhen.archive.check``) exits non-zero and names the item by its number."""

from __future__ import annotations

import base64
import io
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from liuhen.archive.case_bundle import case_bundle
from liuhen.archive.check import NS, q
from liuhen.archive.package import write_package
from liuhen.archive.plan import PackagePlan
from tests.archive.package_world import (
    failed_items,
    plan_file,
    read_xml,
    run_checker,
    small_case_plan,
    with_item_file,
)

pytestmark = pytest.mark.django_db


def _eep_path(package: Path, plan: PackagePlan, n: int) -> Path:
    archive_no = plan.items[n].archive_no
    return package / archive_no / f"{archive_no}.xml"


def _edit_eep(package: Path, plan: PackagePlan, n: int, edit: Callable[[ET.Element], None]) -> None:
    path = _eep_path(package, plan, n)
    root = read_xml(path)
    edit(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True, default_namespace=NS)


def _entity(root: ET.Element) -> ET.Element:
    found = root.find(q("被签名对象/封装内容/文件实体块"))
    assert found is not None
    return found


def _original(package: Path, plan: PackagePlan, n: int) -> Path:
    return package / plan.items[n].archive_no / plan.items[n].files[0].name


def _flip_byte(package: Path, plan: PackagePlan) -> None:
    path = _original(package, plan, 2)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _append_byte(package: Path, plan: PackagePlan) -> None:
    with _original(package, plan, 2).open("ab") as handle:
        handle.write(b"\x00")


def _retitle(package: Path, plan: PackagePlan) -> None:
    def edit(root: ET.Element) -> None:
        _entity(root).find(q("内容描述/题名")).text = "改过的题名"  # type: ignore[union-attr]

    _edit_eep(package, plan, 0, edit)


def _wrong_format(package: Path, plan: PackagePlan) -> None:
    def edit(root: ET.Element) -> None:
        for name in root.iter(q("格式名称")):
            name.text = "JPEG"

    _edit_eep(package, plan, 2, edit)


def _catalogue_points_elsewhere(package: Path, plan: PackagePlan) -> None:
    path = package / "目录.xml"
    root = read_xml(path)
    root.findall("条目")[1].find("档号").text = plan.items[0].archive_no  # type: ignore[union-attr]
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _rewrite_package_digest(package: Path, plan: PackagePlan) -> None:
    (package / "package.sha256").write_text("0" * 64 + "  manifest.json\n", encoding="ascii")


def _delete_original(package: Path, plan: PackagePlan) -> None:
    _original(package, plan, 1).unlink()


def _remove_title(package: Path, plan: PackagePlan) -> None:
    def edit(root: ET.Element) -> None:
        description = _entity(root).find(q("内容描述"))
        description.remove(description.find(q("题名")))  # type: ignore[union-attr,arg-type]

    _edit_eep(package, plan, 1, edit)


def _empty_responsible(package: Path, plan: PackagePlan) -> None:
    def edit(root: ET.Element) -> None:
        _entity(root).find(q("内容描述/责任者")).text = ""  # type: ignore[union-attr]

    _edit_eep(package, plan, 1, edit)


def _drop_process(package: Path, plan: PackagePlan) -> None:
    def edit(root: ET.Element) -> None:
        block = root.find(q("被签名对象/封装内容/业务实体块"))
        for action in list(block):  # type: ignore[arg-type]
            block.remove(action)  # type: ignore[union-attr]

    _edit_eep(package, plan, 0, edit)


def _break_xml(package: Path, plan: PackagePlan) -> None:
    path = _eep_path(package, plan, 1)
    path.write_bytes(path.read_bytes()[:-40])


def _forget_system_name(package: Path, plan: PackagePlan) -> None:
    path = package / "说明文件.xml"
    root = read_xml(path)
    root.find("信息系统名称").text = ""  # type: ignore[union-attr]
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _extra_file(package: Path, plan: PackagePlan) -> None:
    (package / plan.items[0].archive_no / "smuggled.pdf").write_bytes(b"%PDF-1.7\n")


TAMPERING = {  # what is done to a good package → the DA/T 70 item that must fail
    "1-1 metadata changed after signing": (_retitle, "1-1"),
    "1-10 format in metadata is not the file's": (_wrong_format, "1-10"),
    "1-11 catalogue points at another item": (_catalogue_points_elsewhere, "1-11"),
    "1-14 package digest rewritten": (_rewrite_package_digest, "1-14"),
    "2-1 an original deleted": (_delete_original, "2-1"),
    "2-1 a file smuggled in": (_extra_file, "2-1"),
    "2-2 a byte appended": (_append_byte, "2-2"),
    "2-3 a metadata element removed": (_remove_title, "2-3"),
    "2-4 a required element emptied": (_empty_responsible, "2-4"),
    "2-5 process information removed": (_drop_process, "2-5"),
    "2-7 a byte changed": (_flip_byte, "2-7"),
    "3-1 an EEP cut short": (_break_xml, "3-1"),
    "4-7 the producing system not recorded": (_forget_system_name, "4-7"),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_given_a_tampered_package_when_checked_then_the_item_is_named_and_the_exit_is_non_zero(
    case, tmp_path
):
    tamper, item = TAMPERING[case]
    plan = small_case_plan(tmp_path)
    package = write_package(plan, tmp_path / "out" / "pkg").path
    assert run_checker(package, "--no-report").returncode == 0

    tamper(package, plan)
    proc = run_checker(package, "--no-report")

    assert proc.returncode == 1
    assert item in failed_items(proc), proc.stdout
    assert "不通过：" in proc.stderr and item in proc.stderr


def _gap(plan: PackagePlan) -> PackagePlan:
    last = plan.items[-1]
    return replace(plan, items=(*plan.items[:-1], replace(last, piece_no=last.piece_no + 1)))


def _png(plan: PackagePlan) -> PackagePlan:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return with_item_file(plan, 1, plan_file("photo.png", png, "PNG", "image/png"))


def _mp4_named_pdf(plan: PackagePlan) -> PackagePlan:
    fake = plan.items[2].files[0]
    return with_item_file(
        plan, 1, replace(fake, name="looks-like.pdf", format="PDF/A-3b", media_type="application/pdf")
    )


def _encrypted_pdf(plan: PackagePlan) -> PackagePlan:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner-secret", user="", R=6))
    return with_item_file(plan, 0, plan_file("locked.pdf", out.getvalue(), "PDF/A-3b", "application/pdf"))


BAD_PLANS = {
    "2-6 a gap in the piece numbers": (_gap, "2-6"),
    "3-3 a format GB/T 18894 does not allow": (_png, "3-3"),
    "1-10 an MP4 under a PDF's name and metadata": (_mp4_named_pdf, "1-10"),
    "3-8 an encrypted PDF": (_encrypted_pdf, "3-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_given_a_package_written_from_a_faulty_plan_when_checked_then_the_item_is_named(case, tmp_path):
    spoil, item = BAD_PLANS[case]
    package = write_package(spoil(small_case_plan(tmp_path)), tmp_path / "out" / "pkg").path

    proc = run_checker(package, "--no-report")

    assert proc.returncode == 1
    assert item in failed_items(proc), proc.stdout


def test_given_a_wrong_transfer_digest_then_1_14_fails(tmp_path):
    package = write_package(small_case_plan(tmp_path), tmp_path / "pkg").path
    proc = run_checker(package, "--no-report", "--expect", "f" * 64)
    assert proc.returncode == 1 and failed_items(proc) == {"1-14"}


def test_given_clamav_finds_a_virus_then_4_1_fails_and_without_clamav_it_is_recorded_as_not_run(tmp_path):
    package = write_package(small_case_plan(tmp_path), tmp_path / "out" / "pkg").path
    without = run_checker(package, "--no-report")
    if "4-1 安全性 病毒检测：未检测" not in without.stdout:
        pytest.skip("clamscan is installed here: the not-run path cannot be shown")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scanner = bin_dir / "clamscan"  # stands in for ClamAV with its documented exit code 1 = infected
    scanner.write_text('#!/bin/sh\necho "$5/x.pdf: Eicar-Test-Signature FOUND"\nexit 1\n', encoding="ascii")
    os.chmod(scanner, 0o700)

    proc = run_checker(package, "--no-report", path_prefix=str(bin_dir))

    assert proc.returncode == 1 and failed_items(proc) == {"4-1"}
    assert "Eicar-Test-Signature" in proc.stdout


def test_given_a_package_then_the_report_beside_it_lists_every_item_with_its_result(tmp_path):
    plan = small_case_plan(tmp_path)
    package = write_package(plan, tmp_path / "out" / "pkg").path
    _flip_byte(package, plan)
    run_checker(package)
    report = read_xml(tmp_path / "out" / "pkg.四性检测报告.xml")
    results = {row.findtext("编号"): row.findtext("结果") for row in report.iter("检测项")}
    assert results["2-7"] == "不通过" and results["3-1"] == "通过" and report.findtext("结论") == "不通过"
    assert "| 2-7 | 完整性 |" in (tmp_path / "out" / "pkg.四性检测报告.md").read_text(encoding="utf-8")


def test_given_a_log_entry_altered_in_the_bundle_then_1_1_names_the_proof(tmp_path):
    plan = small_case_plan(tmp_path)
    package = write_package(plan, tmp_path / "out" / "pkg", bundle=case_bundle(plan.case_id)).path
    proof = sorted((package / "bundle" / "proofs").glob("*.proof"))[0]
    head, _, rest = proof.read_text(encoding="utf-8").partition("\n")
    extra, _, tail = rest.partition("\n")
    entry = base64.b64decode(extra.removeprefix("extra ")).replace(b'"time":"', b'"time":"1')
    proof.write_text(f"{head}\nextra {base64.b64encode(entry).decode()}\n{tail}", encoding="utf-8")

    proc = run_checker(package, "--no-report")

    assert proc.returncode == 1 and "1-1" in failed_items(proc)
    assert f"日志证明 {proof.name} 不成立" in proc.stdout

"""Disc copies: the ISO image read back with pycdlib holds the package bit for bit under its real names
(Joliet, Rock Ridge and UDF trees), the checker runs from the disc alone under ``python3 -S``, and a
changed byte in a copy fails the check."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pycdlib
import pytest

from liuhen.archive.disc import DiscError, check_disc, extract_iso, iso_volume_id, write_iso

pytest.importorskip("liuhen.archive.check")
package_module = pytest.importorskip("liuhen.archive.package")

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(tmp_path) -> Path:
    from tests.archive.plans import case_plan

    return package_module.write_package(case_plan(), tmp_path / "LJ01-ZF·2026-Y-0007").path


@pytest.fixture
def disc(package, tmp_path):
    return write_iso(package, tmp_path / "disc.iso", volume_id="LJ01-ZF·2026-Y-0007")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_image_holds_the_package_bit_for_bit_in_every_directory_tree(package, disc):
    image = disc.path.read_bytes()
    assert disc.sha256 == hashlib.sha256(image).hexdigest() and disc.size == len(image)
    assert disc.volume_id == "LJ01ZF2026Y0007" and disc.package == package.name
    expected = _files(package)
    assert "说明文件.xml" in expected  # Chinese names are what the trees must carry
    iso = pycdlib.PyCdlib()
    iso.open_fp(io.BytesIO(image))
    try:
        assert iso.has_joliet() and iso.has_rock_ridge() and iso.has_udf()
        for tree in ("joliet_path", "rr_path", "udf_path"):
            for name, content in expected.items():
                out = io.BytesIO()
                iso.get_file_from_iso_fp(out, **{tree: f"/{package.name}/{name}"})
                assert out.getvalue() == content, (tree, name)
        readme = io.BytesIO()
        iso.get_file_from_iso_fp(readme, joliet_path="/README.txt")
        assert f"python3 -S check.py {package.name}" in readme.getvalue().decode()
    finally:
        iso.close()
    assert not list(disc.path.parent.glob(".disc.iso.*"))  # the temporary file was renamed


def test_the_checker_on_the_disc_runs_alone_and_check_disc_reads_the_iso(disc, tmp_path):
    assert check_disc(disc.path).ok
    root = tmp_path / "mounted"
    assert extract_iso(disc.path, root) == disc.files
    reports = tmp_path / "reports"
    reports.mkdir()
    run = subprocess.run(
        [sys.executable, "-S", "check.py", disc.package, "--report-dir", str(reports), "--no-virus-scan"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert check_disc(root).ok  # a mounted disc's folder


def test_a_changed_byte_on_a_copy_of_the_disc_fails_the_check(disc, tmp_path):
    root = tmp_path / "mounted"
    extract_iso(disc.path, root)
    original = next(p for p in (root / disc.package).rglob("*.pdf"))
    content = bytearray(original.read_bytes())
    content[len(content) // 2] ^= 0x01
    original.write_bytes(bytes(content))
    report = check_disc(root)
    assert not report.ok and "2-7" in report.failed


def test_the_image_is_replaced_whole_or_not_at_all(package, tmp_path):
    dest = tmp_path / "disc.iso"
    dest.write_bytes(b"an older image")
    first = write_iso(package, dest, volume_id="x")
    assert dest.read_bytes()[:5] != b"an ol" and first.volume_id == "X"
    (package / "link").symlink_to(package / "说明文件.xml")
    with pytest.raises(DiscError, match="链接"):
        write_iso(package, dest, volume_id="x")
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == first.sha256  # the earlier image is untouched


def test_the_volume_id_keeps_to_iso_9660_characters():
    assert iso_volume_id("龙江·LJ01-ZF·2026-Y-0007") == "LJ01ZF2026Y0007"
    assert iso_volume_id("lj-2026-7") == "LJ_2026_7"
    assert iso_volume_id("案卷") == "LIUHEN_ARCHIVE"
    assert iso_volume_id("A" * 30 + "B") == "A" * 15 + "B"


def test_a_folder_or_file_that_is_no_disc_is_named(tmp_path):
    (tmp_path / "notes.txt").write_text("not a package")
    with pytest.raises(DiscError, match="不是归档信息包"):
        check_disc(tmp_path)
    with pytest.raises(DiscError, match="不是可读的光盘镜像"):
        check_disc(tmp_path / "notes.txt")

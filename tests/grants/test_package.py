"""The delivery package of a copy: the zip's layout, the agency's signature over the manifest checked by
``openssl cms``, ``sha256sum -c`` and the stdlib checker run as a receiver runs it, each kind of
tampering caught with its own reason, no half package after a failure, and flat memory for big A/V."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from liuhen.grants import check
from liuhen.grants.package import (
    ContentMismatch,
    PackageFile,
    PackageInvalid,
    PackageMeta,
    write_package,
)
from liuhen.signing import ca
from tests.factories import make_agency
from tests.signing.conftest import make_cert, pem

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src"
# what a receiver needs to run the checker: the modules it imports, nothing from site-packages
CHECKER_MODULES = (
    "liuhen/__init__.py",
    "liuhen/archive/__init__.py",
    "liuhen/archive/cms.py",
    "liuhen/grants/__init__.py",
    "liuhen/grants/check.py",
)
PDF = b"%PDF-1.7\n" + "询问笔录（加水印）".encode() + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8 + b"\xff\xd9"


def run_checker(package: Path, *args: str, source: Path = SRC) -> subprocess.CompletedProcess[str]:
    """``python3 -S -m liuhen.grants.check PACKAGE``: no site-packages, only ``source`` on the path."""
    env = {"PYTHONPATH": str(source), "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-S", "-m", "liuhen.grants.check", str(package), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


OPENSSL_VERIFY = "openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json -CAfile {ca} -purpose any"


def run_in(folder: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(shlex.split(command), cwd=folder, capture_output=True, text=True, check=False)


def meta_for(agency, number: str = "复制〔2026〕3号") -> PackageMeta:
    return PackageMeta(
        number=number,
        kind="copy",
        agency_code=agency.code,
        agency_name=agency.name,
        made_by="张三",
        made_at=datetime(2026, 3, 5, 6, 30, tzinfo=UTC),
        approved_by="李四（法制股）",
        approved_at=datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        recipient="龙江市中级人民法院",
        purpose="行政诉讼举证",
        basis="longjiang-cg§20",
    )


def recording(path: Path, size: int) -> Path:
    """A stand-in A/V original of ``size`` bytes, written in chunks."""
    with path.open("wb") as handle:
        block = hashlib.sha256(b"seed").digest() * 32768  # 1 MiB
        left = size
        while left:
            handle.write(block[: min(left, len(block))])
            left -= min(left, len(block))
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def delivered(tmp_path: Path) -> list[PackageFile]:
    video = recording(tmp_path / "src.mp4", 3 * 1024 * 1024 + 17)
    return [
        PackageFile(
            "音视频/01-现场检查.mp4",
            video,
            "original",
            {"kind": "media", "id": 7, "title": "现场检查", "original_sha256": sha256_file(video)},
        ),
        PackageFile(
            "文书/03-询问笔录.pdf", PDF, "watermarked", {"kind": "document", "id": 17, "title": "询问笔录"}
        ),
        PackageFile(
            "照片/现场照片1.jpg", JPEG, "watermarked", {"kind": "media", "id": 8, "title": "现场照片"}
        ),
    ]


@pytest.fixture
def built(settings, tmp_path):
    agency = make_agency()
    dst = tmp_path / "out" / "复制〔2026〕3号.zip"
    summary = write_package(dst, delivered(tmp_path), meta_for(agency), agency=agency)
    return dst, summary, agency


def ca_pem(tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    path.write_bytes(ca.ca_credentials().certificate.public_bytes(Encoding.PEM))
    return path


def rebuild(src: Path, dst: Path, *, edit=None, drop: str = "", add: tuple[str, bytes] | None = None) -> Path:
    """A copy of the zip with one member changed, dropped or added (CRCs recomputed, as a forger would)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = zin.read(info)
            if edit is not None:
                data = edit(info.filename, data)
            zout.writestr(info, data)
        if add is not None:
            zout.writestr(add[0], add[1])
    return dst


# --- a good package ---------------------------------------------------------------------------------


def test_given_a_copy_when_packaged_then_the_zip_holds_the_files_the_signed_manifest_sums_and_readme(built):
    dst, summary, agency = built

    with zipfile.ZipFile(dst) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        manifest_bytes = zf.read("manifest.json")
        sums = zf.read("SHA256SUMS").decode()
        readme = zf.read("说明.txt").decode()

    assert set(infos) == {
        "音视频/01-现场检查.mp4",
        "文书/03-询问笔录.pdf",
        "照片/现场照片1.jpg",
        "manifest.json",
        "manifest.json.p7s",
        "SHA256SUMS",
        "说明.txt",
    }
    assert all(i.flag_bits & 0x800 for name, i in infos.items() if not name.isascii())  # UTF-8 names
    assert infos["音视频/01-现场检查.mp4"].compress_type == zipfile.ZIP_STORED
    assert infos["文书/03-询问笔录.pdf"].compress_type == zipfile.ZIP_DEFLATED
    manifest = json.loads(manifest_bytes)
    canonical = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert manifest_bytes == canonical
    assert manifest["made_at"] == "2026-03-05T14:30:00+08:00"
    assert manifest["approved_at"] == "2026-03-04T17:00:00+08:00"
    assert (manifest["number"], manifest["agency_name"]) == ("复制〔2026〕3号", agency.name)
    pdf = next(f for f in manifest["files"] if f["name"] == "文书/03-询问笔录.pdf")
    assert pdf == {
        "name": "文书/03-询问笔录.pdf",
        "role": "watermarked",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
        "record": {"kind": "document", "id": 17, "title": "询问笔录"},
    }
    assert f"{hashlib.sha256(PDF).hexdigest()}  文书/03-询问笔录.pdf" in sums
    assert f"{hashlib.sha256(manifest_bytes).hexdigest()}  manifest.json" in sums
    assert "复制〔2026〕3号" in readme and "张三" in readme and "李四（法制股）" in readme
    assert "2026年3月5日 14:30（北京时间）" in readme
    assert "sha256sum -c SHA256SUMS" in readme and "python3 -S -m liuhen.grants.check" in readme
    assert ca.fingerprint(ca.ca_credentials().certificate) in readme
    assert summary.sha256 == sha256_file(dst) and summary.size == dst.stat().st_size
    assert summary.manifest_sha256 == hashlib.sha256(manifest_bytes).hexdigest() and summary.files == 3


def test_given_a_package_when_the_receiver_runs_the_checker_under_python_S_then_it_passes(built, tmp_path):
    dst, _, agency = built
    fingerprint = ca.fingerprint(ca.ca_credentials().certificate)

    proc = run_checker(dst)
    trusted = run_checker(dst, "--trust", str(ca_pem(tmp_path)))

    assert proc.returncode == 0, proc.stderr
    assert "通过" in proc.stdout and "PASSED" in proc.stdout
    assert fingerprint in proc.stdout and "包内所附根证书" in proc.stdout
    assert f"签名人：{agency.name}" in proc.stdout and "批准文号：复制〔2026〕3号" in proc.stdout
    assert trusted.returncode == 0, trusted.stderr
    assert "所给根证书" in trusted.stdout


def test_given_only_the_checkers_own_modules_then_it_runs_from_a_bare_copy(built, tmp_path):
    """GIVEN a folder holding just the modules the checker imports WHEN it runs under -S THEN it passes:
    nothing outside the standard library is needed."""
    dst, _, _ = built
    bare = tmp_path / "checker"
    for module in CHECKER_MODULES:
        (bare / module).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SRC / module, bare / module)

    proc = run_checker(dst, source=bare)

    assert proc.returncode == 0, proc.stderr


def test_given_the_readme_commands_when_run_on_the_unpacked_package_then_openssl_and_sha256sum_agree(
    built, tmp_path
):
    dst, _, _ = built
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(dst) as zf:
        zf.extractall(unpacked)
    ca_file = ca_pem(tmp_path)

    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True)
    verify = run_in(unpacked, OPENSSL_VERIFY.format(ca=ca_file))
    certs = run_in(unpacked, "openssl pkcs7 -inform DER -in manifest.json.p7s -print_certs -out 证书.pem")
    from_package = run_in(unpacked, OPENSSL_VERIFY.format(ca="证书.pem"))

    assert sums.returncode == 0 and sums.stdout.count(": OK") == 6, sums.stdout + sums.stderr
    assert verify.returncode == 0 and "Verification successful" in verify.stderr, verify.stderr
    assert certs.returncode == 0
    assert from_package.returncode == 0 and "Verification successful" in from_package.stderr
    readme = (unpacked / "说明.txt").read_text(encoding="utf-8")
    assert OPENSSL_VERIFY.format(ca="根证书.pem") in readme
    assert "openssl pkcs7 -inform DER -in manifest.json.p7s -print_certs -out 证书.pem" in readme
    shown = run_in(unpacked, f"openssl x509 -noout -fingerprint -sha256 -in {ca_file}").stdout.strip()
    assert shown.split("=")[1] in readme  # the fingerprint as the receiver's openssl prints it
    manifest = unpacked / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace("李四".encode(), "王五".encode()))
    assert run_in(unpacked, OPENSSL_VERIFY.format(ca=ca_file)).returncode != 0


# --- tampering --------------------------------------------------------------------------------------


def _flip_one_byte(name: str, data: bytes) -> bytes:
    if name != "文书/03-询问笔录.pdf":
        return data
    return data[:3] + bytes([data[3] ^ 0x01]) + data[4:]


def _alter_manifest(name: str, data: bytes) -> bytes:
    return data.replace("李四".encode(), "王五".encode()) if name == "manifest.json" else data


TAMPERING: dict[str, tuple[dict[str, Any], str, str]] = {
    "one byte of a file": ({"edit": _flip_one_byte}, "file_changed", "文书/03-询问笔录.pdf"),
    "a file dropped": ({"drop": "照片/现场照片1.jpg"}, "file_missing", "照片/现场照片1.jpg"),
    "a file added": ({"add": ("文书/补充.pdf", PDF)}, "file_extra", "文书/补充.pdf"),
    "the manifest altered": ({"edit": _alter_manifest}, "manifest_altered", "manifest.json"),
    "SHA256SUMS dropped": ({"drop": "SHA256SUMS"}, "file_missing", "SHA256SUMS"),
    "说明 altered": ({"edit": lambda n, d: d + b"x" if n == "说明.txt" else d}, "readme_changed", "说明.txt"),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_given_a_tampered_package_then_the_checker_fails_with_the_reason(built, tmp_path, how):
    """GIVEN a package changed after it was made WHEN checked THEN exit 1 and the first reason names the
    change and the file."""
    dst, _, _ = built
    change, code, name = TAMPERING[how]
    forged = rebuild(dst, tmp_path / "forged.zip", **change)

    result = check.check_package(forged)
    proc = run_checker(forged)

    assert result.reason is not None and result.reason.code == code, result.problems
    assert name in result.reason.zh
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("不通过：") and "FAILED" in last and name in last


def test_given_a_damaged_zip_then_the_checker_reports_it_damaged(built, tmp_path):
    dst, _, _ = built
    data = bytearray(dst.read_bytes())
    offset = data.index(hashlib.sha256(b"seed").digest())  # inside the stored recording
    data[offset + 100] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))

    result = check.check_package(damaged)

    assert result.reason is not None and result.reason.code == "damaged"
    assert run_checker(damaged).returncode == 1
    assert run_checker(tmp_path / "nothing.zip").returncode == 2


def test_given_a_manifest_resigned_by_another_ca_then_trusting_the_agencys_ca_refuses_it(
    settings, built, tmp_path
):
    """GIVEN a forger who alters the manifest and signs it with a CA of their own WHEN checked without
    --trust THEN it passes only as 'embedded' with the forger's fingerprint; WHEN checked with the
    agency's CA THEN it fails as untrusted."""
    dst, _, agency = built
    real_ca = ca_pem(tmp_path)
    settings.LIUHEN_SIGNING_DIR = tmp_path / "forger-keys"
    from liuhen.grants.package import sign_detached

    with zipfile.ZipFile(dst) as zf:
        old = {name: zf.read(name) for name in ("manifest.json", "manifest.json.p7s", "SHA256SUMS")}
    altered = _alter_manifest("manifest.json", old["manifest.json"])
    replaced = {"manifest.json": altered, "manifest.json.p7s": sign_detached(altered, agency)}
    sums = old["SHA256SUMS"].decode()
    for name, data in replaced.items():  # a careful forger fixes SHA256SUMS too
        sums = sums.replace(hashlib.sha256(old[name]).hexdigest(), hashlib.sha256(data).hexdigest())
    replaced["SHA256SUMS"] = sums.encode()
    forged = rebuild(dst, tmp_path / "forged.zip", edit=lambda name, data: replaced.get(name, data))

    embedded = check.check_package(forged)
    trusted = check.check_package(forged, trust=real_ca.read_bytes())
    proc = run_checker(forged, "--trust", str(real_ca))

    assert embedded.ok and embedded.trust == "embedded"
    assert embedded.root_fingerprint == ca.fingerprint(ca.ca_credentials().certificate)  # the forger's
    assert trusted.reason is not None and trusted.reason.code == "untrusted"
    assert proc.returncode == 1 and "所给根证书" in proc.stderr.strip().splitlines()[-1]


def test_given_a_trust_file_that_is_not_a_certificate_then_exit_2(built, tmp_path):
    dst, _, _ = built
    other, _ = make_cert("别的根证书")
    (tmp_path / "other.pem").write_bytes(pem(other))
    (tmp_path / "junk.pem").write_bytes(b"not a certificate")

    assert run_checker(dst, "--trust", str(tmp_path / "junk.pem")).returncode == 2
    assert run_checker(dst, "--trust", str(tmp_path / "other.pem")).returncode == 1


# --- writing safely ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../逃逸.pdf", "/etc/passwd", "文书\\a.pdf", "文书/./a.pdf", "manifest.json", "a\nb.pdf", ""]
)
def test_given_a_bad_file_name_then_nothing_is_written(settings, tmp_path, name):
    agency = make_agency()
    out = tmp_path / "out"

    with pytest.raises(PackageInvalid):
        write_package(
            out / "p.zip", [PackageFile(name, PDF, "watermarked", {})], meta_for(agency), agency=agency
        )

    assert not out.exists() or list(out.iterdir()) == []


def test_given_an_original_whose_bytes_are_not_the_records_then_no_package_is_left(settings, tmp_path):
    """GIVEN an 'original' whose bytes differ from the recorded SHA-256 (a damaged blob), after another
    file was already zipped WHEN packaged THEN it fails and neither the package nor a partial remains."""
    agency = make_agency()
    files = [
        PackageFile("文书/a.pdf", PDF, "watermarked", {}),
        PackageFile("音视频/b.mp4", b"not the recording", "original", {"original_sha256": "0" * 64}),
    ]

    with pytest.raises(ContentMismatch):
        write_package(tmp_path / "out" / "p.zip", files, meta_for(agency), agency=agency)

    assert list((tmp_path / "out").iterdir()) == []


def test_given_an_existing_package_then_it_is_not_overwritten(built):
    dst, summary, agency = built

    with pytest.raises(PackageInvalid):
        write_package(dst, [PackageFile("a.pdf", PDF, "watermarked", {})], meta_for(agency), agency=agency)

    assert sha256_file(dst) == summary.sha256


def test_given_a_partial_left_by_a_killed_build_then_the_next_build_removes_it(settings, tmp_path):
    agency = make_agency()
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (out / f".p.zip.partial-{dead.stdout.strip()}").write_bytes(b"PK half a zip")

    write_package(
        out / "p.zip", [PackageFile("a.pdf", PDF, "watermarked", {})], meta_for(agency), agency=agency
    )

    assert sorted(p.name for p in out.iterdir()) == ["p.zip"]


def test_given_a_50_mb_recording_then_packing_and_checking_keep_memory_flat(settings, tmp_path):
    """GIVEN a 50 MB A/V original WHEN packaged and checked THEN Python's peak allocation stays under
    20 MB each (the file is streamed in 1 MiB chunks, never held whole)."""
    agency = make_agency()
    video = recording(tmp_path / "big.mp4", 50 * 1024 * 1024)
    files = [PackageFile("音视频/big.mp4", video, "original", {"original_sha256": sha256_file(video)})]
    ca.agency_credentials(agency)  # keys made outside the measurement

    tracemalloc.start()
    try:
        write_package(tmp_path / "big.zip", files, meta_for(agency), agency=agency)
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = check.check_package(tmp_path / "big.zip")
        _, check_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.ok, result.problems
    assert write_peak < 20 * 1024 * 1024, write_peak
    assert check_peak < 20 * 1024 * 1024, check_peak

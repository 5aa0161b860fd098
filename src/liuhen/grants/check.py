"""Check a delivery package (:mod:`liuhen.grants.package`): ``python3 -S -m liuhen.grants.check 包.zip``.

Standard library only (and :mod:`liuhen.archive.cms`, itself stdlib-only), so that a court, another
authority or a party can run it as it comes, without unpacking the zip:

1. the detached CMS signature ``manifest.json.p7s`` over ``manifest.json``: its message-digest attribute
   binds the manifest's bytes, its ECDSA P-256 signature holds, and the signer's certificate chains to
   the CA certificate given with ``--trust`` or, without it, to the CA certificate carried in the
   signature (then the fingerprint is printed, to compare with the one the agency publishes);
2. every file the manifest lists is in the zip, and nothing else besides the four package files;
3. every file's SHA-256 and size are the manifest's (read in 1 MiB chunks: memory stays flat); an
   original's SHA-256 is the one of the record it came from; ``说明.txt`` is the one the manifest binds;
4. ``SHA256SUMS`` agrees with what was read and covers every file and ``manifest.json``.

Certificate validity periods and revocation are not checked (the installation CA issues no OCSP).
Exit status: 0 all passed, 1 a check failed (the last line says which), 2 unreadable input.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liuhen.archive import cms

FORMAT = "liuhen-delivery-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"
SUMS = "SHA256SUMS"
README = "说明.txt"
FIXED_NAMES = (MANIFEST, SIGNATURE, SUMS, README)
SMALL_LIMIT = 64 << 20  # the four package files are small; a bigger one is not read into memory
CHUNK = 1 << 20
_COMMON_NAME = "2.5.4.3"
_SUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a path in the package ("" when it can): relative, forward slashes, no
    ``.``/``..`` segment, nothing ``sha256sum`` would escape (backslash, control characters)."""
    if not name or name.startswith("/") or "\\" in name or any(ord(c) < 32 for c in name):
        return "须为相对路径，不得含反斜杠或控制字符"
    if name.endswith("/") or any(part in (".", "..") for part in name.split("/")) or "//" in name:
        return "不得含 . 或 .. 或空路径段"
    return ""


@dataclass(frozen=True)
class Finding:
    code: str  # stable: signature_invalid, manifest_altered, untrusted, file_changed, file_missing …
    zh: str
    en: str


@dataclass
class CheckResult:
    problems: list[Finding] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (Chinese, English) lines
    manifest: dict[str, Any] | None = None
    trust: str = ""  # "given" (--trust) | "embedded" (the CA certificate in the signature) | ""
    root_fingerprint: str = ""  # SHA-256 of the CA certificate the signature chains to
    signer: str = ""  # the signing certificate's common name

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> Finding | None:
        return self.problems[0] if self.problems else None

    def fail(self, code: str, zh: str, en: str) -> None:
        self.problems.append(Finding(code, zh, en))

    def note(self, zh: str, en: str) -> None:
        self.notes.append((zh, en))


class Unreadable(ValueError):
    """The package or the trust file cannot be read at all."""


def check_package(path: Path | str, *, trust: bytes | None = None) -> CheckResult:
    """Check the package zip at ``path``; ``trust``: PEM or DER bytes of the CA certificate(s) to trust.
    Raises :class:`Unreadable` when ``path`` is not a zip or ``trust`` holds no certificate."""
    anchors = load_certificates(trust) if trust is not None else None
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise Unreadable(f"无法作为 zip 打开 / cannot open as a zip: {exc}") from None
    result = CheckResult()
    with zf:
        try:
            _check(zf, result, anchors)
        except zipfile.BadZipFile as exc:
            result.fail("damaged", f"压缩包已损坏：{exc}", f"the zip is damaged: {exc}")
    return result


def _check(zf: zipfile.ZipFile, result: CheckResult, anchors: list[cms.Certificate] | None) -> None:
    members = _members(zf, result)
    fixed = {name: _small(zf, members, name, result) for name in FIXED_NAMES}
    manifest_bytes, signature = fixed[MANIFEST], fixed[SIGNATURE]
    if manifest_bytes is None or signature is None:
        return
    if not _check_signature(signature, manifest_bytes, anchors, result):
        return
    manifest = _parse_manifest(manifest_bytes, result)
    if manifest is None:
        return
    result.manifest = manifest
    _describe(manifest, result)
    listed = {entry["name"]: entry for entry in manifest["files"]}
    if len(listed) != len(manifest["files"]):
        result.fail("manifest_unreadable", f"{MANIFEST} 中文件重复列出", f"{MANIFEST} lists a file twice")
    _check_members(members, listed, result)
    digests = _check_files(zf, members, listed, result)
    for name, data in fixed.items():
        if data is not None:
            digests[name] = hashlib.sha256(data).hexdigest()
    readme = manifest.get("readme") or {}
    if fixed[README] is not None and readme.get("sha256") != digests[README]:
        result.fail(
            "readme_changed", f"{README} 与清单不符（签名后被改动）", f"{README} differs from the manifest"
        )
    sums = fixed[SUMS]
    if sums is not None:
        _check_sums(sums, digests, listed, result)


def _members(zf: zipfile.ZipFile, result: CheckResult) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        if info.filename in members:
            result.fail("file_extra", f"包内文件重名：{info.filename}", f"duplicate entry: {info.filename}")
        elif problem := name_problem(info.filename):
            result.fail(
                "bad_name",
                f"包内文件名无效：{info.filename}（{problem}）",
                f"bad entry name: {info.filename}",
            )
        members[info.filename] = info
    return members


def _small(
    zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str, result: CheckResult
) -> bytes | None:
    info = members.get(name)
    if info is None:
        result.fail("file_missing", f"缺少 {name}", f"{name} is missing")
        return None
    if info.file_size > SMALL_LIMIT:
        result.fail(
            "file_changed", f"{name} 大小异常（{info.file_size} 字节）", f"{name} is implausibly large"
        )
        return None
    return zf.read(info)


# --- the signature ----------------------------------------------------------------------------------


def _check_signature(
    signature: bytes, manifest: bytes, anchors: list[cms.Certificate] | None, result: CheckResult
) -> bool:
    verdict = cms.verify_detached(signature, manifest)
    if verdict.problem or verdict.signer is None:
        result.fail("signature_invalid", verdict.problem or "签名数据无效", "the signature cannot be read")
        return False
    result.signer = common_name(verdict.signer.subject)
    if not verdict.digest_matches:
        result.fail(
            "manifest_altered",
            f"{MANIFEST} 与签名不符（签名后被改动）",
            f"{MANIFEST} does not match its signature (changed after signing)",
        )
        return False
    if not verdict.signature_valid:
        result.fail("signature_invalid", "签名值验证失败", "the ECDSA signature does not verify")
        return False
    if anchors is not None:
        root = next((a for a in anchors if verdict.signer.signed_by(a)), None)
        if root is None:
            result.fail(
                "untrusted",
                "签名证书不是由所给根证书签发的",
                "the signing certificate was not issued by the trusted CA given",
            )
            return False
        result.trust, result.root_fingerprint = "given", root.fingerprint
        result.note(
            f"签名证书链至所给根证书（SHA-256 指纹 {root.fingerprint}）",
            "the signing certificate chains to the CA certificate given with --trust",
        )
        return True
    if not verdict.chain_valid or verdict.root is None:
        result.fail(
            "untrusted",
            "签名证书不能链至所附根证书",
            "the signing certificate does not chain to the CA included",
        )
        return False
    result.trust, result.root_fingerprint = "embedded", verdict.root.fingerprint
    result.note(
        f"签名证书链至包内所附根证书，指纹 {verdict.root.fingerprint}，请与机构公布的指纹核对（或用 --trust）",
        "chains to the CA certificate carried in the package: compare its fingerprint with the published one",
    )
    return True


def common_name(name_der: bytes) -> str:
    """The CN of a DER X.501 Name (the agency's name in its seal certificate), "" if none."""
    try:
        for rdn in cms.children(cms.parse(name_der)):
            for attribute in cms.children(rdn):
                kind, value = cms.children(attribute)
                if cms.oid(kind) == _COMMON_NAME:
                    return value.value.decode("utf-8", "replace")
    except (ValueError, IndexError):
        pass
    return ""


def load_certificates(data: bytes) -> list[cms.Certificate]:
    """Certificates from PEM (one or more) or DER bytes."""
    blobs = [m.group(1) for m in _PEM.finditer(data)]
    try:
        ders = [base64.b64decode(b"".join(b.split())) for b in blobs] if blobs else [data]
        return [cms.certificate(der) for der in ders]
    except (ValueError, IndexError, binascii.Error) as exc:
        raise Unreadable(f"根证书文件无法读取 / cannot read the trust certificate: {exc}") from None


# --- the manifest and the files ---------------------------------------------------------------------


def _parse_manifest(data: bytes, result: CheckResult) -> dict[str, Any] | None:
    try:
        manifest = json.loads(data.decode("utf-8"))
        files = manifest["files"]
        ok = manifest.get("format") == FORMAT and all(
            isinstance(f["name"], str) and isinstance(f["sha256"], str) and isinstance(f["size"], int)
            for f in files
        )
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        result.fail("manifest_unreadable", f"{MANIFEST} 格式无效", f"{MANIFEST} is not a {FORMAT} manifest")
        return None
    return manifest  # type: ignore[no-any-return]


def _describe(manifest: dict[str, Any], result: CheckResult) -> None:
    for zh, en, key in (
        ("批准文号", "Approval number", "number"),
        ("制作单位", "Agency", "agency_name"),
        ("制作人", "Made by", "made_by"),
        ("制作时间", "Made at", "made_at"),
        ("批准人", "Approved by", "approved_by"),
        ("批准时间", "Approved at", "approved_at"),
        ("接收方", "Recipient", "recipient"),
    ):
        result.note(f"{zh}：{manifest.get(key) or '—'}", f"{en}: {manifest.get(key) or '-'}")


def _check_members(members: dict[str, zipfile.ZipInfo], listed: dict[str, Any], result: CheckResult) -> None:
    for name in sorted(set(listed) - set(members)):
        result.fail(
            "file_missing", f"清单中的文件不在包内：{name}", f"listed in the manifest but missing: {name}"
        )
    for name in sorted(set(members) - set(listed) - set(FIXED_NAMES)):
        result.fail("file_extra", f"包内有清单以外的文件：{name}", f"not in the manifest: {name}")


def _check_files(
    zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], listed: dict[str, Any], result: CheckResult
) -> dict[str, str]:
    digests = {}
    for name, entry in listed.items():
        info = members.get(name)
        if info is None:
            continue
        sha, size = _hash_member(zf, info)
        digests[name] = sha
        if sha != entry["sha256"].lower() or size != entry["size"]:
            result.fail(
                "file_changed",
                f"{name}：内容与清单不符（SHA-256 或大小不同）",
                f"{name}: content differs from the manifest",
            )
        original = (entry.get("record") or {}).get("original_sha256")
        if entry.get("role") == "original" and original and str(original).lower() != sha:
            result.fail(
                "original_mismatch",
                f"{name}：标为原件，但与所记原件的 SHA-256 不同",
                f"{name}: marked original but differs from the record's SHA-256",
            )
    result.note(f"已核对 {len(digests)} 个文件的 SHA-256", f"checked the SHA-256 of {len(digests)} files")
    return digests


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with zf.open(info) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_sums(data: bytes, digests: dict[str, str], listed: dict[str, Any], result: CheckResult) -> None:
    covered = set()
    for line in data.decode("utf-8", "replace").splitlines():
        match = _SUM_LINE.match(line)
        if not match:
            result.fail("sums_mismatch", f"{SUMS} 有无法解析的行", f"{SUMS} has a malformed line")
            return
        sha, name = match.group(1).lower(), match.group(2)
        covered.add(name)
        if name != SUMS and digests.get(name) != sha:
            result.fail("sums_mismatch", f"{SUMS} 中 {name} 的摘要与实际不符", f"{SUMS} disagrees for {name}")
    for name in sorted((set(listed) | {MANIFEST}) - covered):
        result.fail("sums_mismatch", f"{SUMS} 未包含 {name}", f"{SUMS} does not cover {name}")


# --- command line -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -S -m liuhen.grants.check", description="核验电子文件交付包 / check a delivery package"
    )
    parser.add_argument("package", type=Path, help="交付包（zip）/ the package zip")
    parser.add_argument("--trust", type=Path, help="信任的根证书（PEM 或 DER）/ the CA certificate to trust")
    args = parser.parse_args(argv)
    try:
        trust = args.trust.read_bytes() if args.trust else None
        result = check_package(args.package, trust=trust)
    except (OSError, Unreadable) as exc:
        print(f"不通过 / FAILED: {exc}", file=sys.stderr)
        return 2
    if result.signer:
        print(f"签名人：{result.signer} / Signed by: {result.signer}")
    for zh, en in result.notes:
        print(f"{zh} / {en}")
    for problem in result.problems[1:]:
        print(f"问题：{problem.zh} / Problem: {problem.en}")
    reason = result.reason
    if reason is None:
        print("通过：签名有效，文件齐全且未被改动 / PASSED: signature valid, files complete and unchanged")
        return 0
    print(f"不通过：{reason.zh} / FAILED: {reason.en}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

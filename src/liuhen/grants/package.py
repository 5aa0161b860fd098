"""The delivery package of a copy (复制), an external release (对外提供) or a party's request: one zip.

Inside the zip (names UTF-8: :mod:`zipfile` sets general-purpose bit 11 on every non-ASCII name, and an
ASCII name reads the same either way):

- each delivered file at its ``name`` (A/V originals bit for bit, watermarked PDFs and photos, viewing
  copies, redacted derivatives, verification sheets);
- ``说明.txt``: in Chinese, what the package is, who made it under which approval, and how to check it;
- ``manifest.json``: canonical JSON (sorted keys, no spaces, UTF-8) with the package's facts (number,
  kind, agency, maker, approval, recipient, purpose, basis; times ISO 8601 in Beijing time), and per file
  its name, role, SHA-256, size and the record it came from; it also binds ``说明.txt`` by its SHA-256;
- ``manifest.json.p7s``: a detached CMS SignedData (RFC 5652; SHA-256, ecdsa-with-SHA256) over the bytes
  of ``manifest.json``, made with the agency's seal key — the installation CA's certificate for the
  agency (:func:`liuhen.signing.ca.agency_credentials`), as the archive package signs its EEPs; the
  agency's certificate and the CA certificate ride inside, so ``openssl cms -verify`` needs nothing else;
- ``SHA256SUMS``: ``sha256sum -c`` input covering every file above except itself.

:mod:`liuhen.grants.check` checks a package with the standard library alone.

Memory stays flat: a file given as a path is read once, in 1 MiB chunks, hashed while it is copied into
the zip (A/V and images stored as they are, text and PDF deflated; ZIP64 when a file needs it). The zip
is written to ``.<name>.partial-<pid>`` beside ``dst``, fsynced and renamed at the end: a killed process
leaves no half package at ``dst`` (a later build removes its partial file once the process is gone).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from liuhen.archive.package import ContentMismatch  # the same refusal as the archive package's
from liuhen.core.errors import DomainError
from liuhen.grants.check import FIXED_NAMES, FORMAT, MANIFEST, README, SIGNATURE, SUMS, name_problem
from liuhen.signing import ca
from liuhen.storage.local import dead_partials, fsync_dir

BEIJING = ZoneInfo("Asia/Shanghai")
ROLES = ("original", "watermarked", "viewing_copy", "redacted", "verification")
KINDS = ("copy", "release", "disclosure")
CHUNK = 1 << 20
# formats that are compressed already: stored, so a GB recording costs no CPU to pack
STORED_SUFFIXES = frozenset(
    ".mp4 .m4v .mov .mkv .avi .3gp .ts .m4a .mp3 .aac .amr .ogg .opus .jpg .jpeg .png .gif .webp .heic "  # noqa: SIM905
    ".zip .gz .7z".split()
)

KIND_ZH = {"copy": "复制", "release": "对外提供", "disclosure": "依申请公开（当事人查阅复制）"}
ROLE_ZH = {
    "original": "原件（逐位复制）",
    "watermarked": "加水印件",
    "viewing_copy": "加水印浏览件",
    "redacted": "遮蔽处理件",
    "verification": "核验单",
}


@dataclass(frozen=True)
class PackageFile:
    """One file to deliver. ``record`` says what it came from (kind, id, title, original_sha256,
    ledger_leaf …); for role ``original`` the bytes must hash to ``record["original_sha256"]``."""

    name: str  # path inside the zip, e.g. "文书/03-询问笔录.pdf"
    source: Path | bytes
    role: str  # original | watermarked | viewing_copy | redacted | verification
    record: Mapping[str, object]


@dataclass(frozen=True)
class PackageMeta:
    number: str  # the approval's number, e.g. "复制〔2026〕3号"
    kind: str  # copy | release | disclosure
    agency_code: str
    agency_name: str
    made_by: str
    made_at: datetime  # aware
    approved_by: str
    approved_at: datetime | None
    recipient: str
    purpose: str
    basis: str


@dataclass(frozen=True)
class PackageSummary:
    sha256: str  # of the zip file
    size: int  # of the zip file, bytes
    manifest_sha256: str
    files: int  # delivered files (the four fixed ones not counted)


class PackageInvalid(DomainError):
    """A file name, role or the meta cannot make a package."""

    status = 422
    code = "package_invalid"


class AgencyLike(Protocol):
    code: str
    name: str


def write_package(
    dst: Path, files: Sequence[PackageFile], meta: PackageMeta, *, agency: AgencyLike
) -> PackageSummary:
    """Write the signed delivery package ``dst`` (a zip; must not exist yet) and return its digests."""
    dst = Path(dst)
    _validate(files, meta)
    if dst.exists():
        raise PackageInvalid(f"{dst.name} 已存在；交付包不覆盖已有文件")
    dst.parent.mkdir(parents=True, exist_ok=True)
    for partial in dead_partials(dst):  # left by a killed build of the same package
        partial.unlink(missing_ok=True)
    work = dst.parent / f".{dst.name}.partial-{os.getpid()}"
    try:
        with work.open("wb") as handle:
            manifest = _write_zip(handle, files, meta, agency)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(work, dst)
        fsync_dir(dst.parent)
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    sha, size = _digest(dst)
    return PackageSummary(
        sha256=sha, size=size, manifest_sha256=hashlib.sha256(manifest).hexdigest(), files=len(files)
    )


def _validate(files: Sequence[PackageFile], meta: PackageMeta) -> None:
    if meta.kind not in KINDS:
        raise PackageInvalid(f"交付包类型 {meta.kind!r} 无效")
    if meta.made_at.tzinfo is None or (meta.approved_at is not None and meta.approved_at.tzinfo is None):
        raise PackageInvalid("制作时间和批准时间须带时区")
    seen: set[str] = set()
    for number, item in enumerate(files, start=1):
        problem = name_problem(item.name)
        if problem:
            raise PackageInvalid(f"第 {number} 个文件名 {item.name!r} 无效：{problem}")
        if item.name.casefold() in seen or item.name in FIXED_NAMES:
            raise PackageInvalid(f"文件名 {item.name!r} 重复或与包内固定文件同名")
        seen.add(item.name.casefold())
        if item.role not in ROLES:
            raise PackageInvalid(f"文件 {item.name} 的用途 {item.role!r} 无效")


# --- the zip ----------------------------------------------------------------------------------------


def _write_zip(
    handle: IO[bytes], files: Sequence[PackageFile], meta: PackageMeta, agency: AgencyLike
) -> bytes:
    stamp = _zip_time(meta.made_at)
    listed: list[dict[str, Any]] = []
    sums: list[tuple[str, str]] = []
    with zipfile.ZipFile(handle, "w", allowZip64=True) as zf:
        for item in files:
            sha, size = _add_file(zf, item, stamp)
            _check_original(item, sha)
            listed.append(
                {
                    "name": item.name,
                    "role": item.role,
                    "sha256": sha,
                    "size": size,
                    "record": dict(item.record),
                }
            )
            sums.append((sha, item.name))
        readme = readme_text(meta, listed).encode("utf-8")
        _add_bytes(zf, README, readme, stamp)
        manifest = manifest_bytes(meta, listed, readme)
        _add_bytes(zf, MANIFEST, manifest, stamp)
        signature = sign_detached(manifest, agency)
        _add_bytes(zf, SIGNATURE, signature, stamp)
        for name, data in ((README, readme), (MANIFEST, manifest), (SIGNATURE, signature)):
            sums.append((hashlib.sha256(data).hexdigest(), name))
        _add_bytes(zf, SUMS, "".join(f"{sha}  {name}\n" for sha, name in sums).encode("utf-8"), stamp)
    return manifest


def _entry(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    info.external_attr = 0o644 << 16
    stored = PurePosixPath(name).suffix.lower() in STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _add_file(
    zf: zipfile.ZipFile, item: PackageFile, stamp: tuple[int, int, int, int, int, int]
) -> tuple[str, int]:
    if isinstance(item.source, bytes | bytearray):
        _add_bytes(zf, item.name, bytes(item.source), stamp)
        return hashlib.sha256(item.source).hexdigest(), len(item.source)
    info = _entry(item.name, stamp)
    info.file_size = Path(item.source).stat().st_size  # lets zipfile choose ZIP64 up front
    digest, size = hashlib.sha256(), 0
    with Path(item.source).open("rb") as src, zf.open(info, "w") as out:
        for chunk in _chunks(src):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _add_bytes(
    zf: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, int, int, int, int, int]
) -> None:
    zf.writestr(_entry(name, stamp), data)


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def _check_original(item: PackageFile, sha: str) -> None:
    expected = item.record.get("original_sha256")
    if item.role == "original" and expected and str(expected).lower() != sha:
        raise ContentMismatch(f"{item.name} 的内容与记录的 SHA-256 不符，不能作为原件交付")


def _zip_time(at: datetime) -> tuple[int, int, int, int, int, int]:
    local = at.astimezone(BEIJING)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


# --- manifest, signature, 说明 ---------------------------------------------------------------------


def beijing(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(BEIJING).isoformat(timespec="seconds")


def manifest_bytes(meta: PackageMeta, listed: list[dict[str, Any]], readme: bytes) -> bytes:
    """Canonical JSON: sorted keys, no whitespace, UTF-8 (the bytes the signature covers)."""
    body = {
        "format": FORMAT,
        "digest": "SHA-256",
        "number": meta.number,
        "kind": meta.kind,
        "agency_code": meta.agency_code,
        "agency_name": meta.agency_name,
        "made_by": meta.made_by,
        "made_at": beijing(meta.made_at),
        "approved_by": meta.approved_by,
        "approved_at": beijing(meta.approved_at),
        "recipient": meta.recipient,
        "purpose": meta.purpose,
        "basis": meta.basis,
        "files": listed,
        "readme": {"name": README, "sha256": hashlib.sha256(readme).hexdigest(), "size": len(readme)},
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_value)
    return text.encode("utf-8")


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return beijing(value) if value.tzinfo else value.isoformat()
    if isinstance(value, date | Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} 不能写入清单")


def sign_detached(content: bytes, agency: AgencyLike) -> bytes:
    """Detached CMS SignedData (DER) over ``content`` with the agency's seal key from the installation
    CA, the agency's and the CA's certificates included (as :mod:`liuhen.archive.package` signs)."""
    return ca.detached_cms(content, ca.agency_credentials(agency))


def _when(at: datetime | None) -> str:
    if at is None:
        return "—"
    local = at.astimezone(BEIJING)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（北京时间）"


def readme_text(meta: PackageMeta, listed: list[dict[str, Any]]) -> str:
    """说明.txt: what the package is, who made it under which approval, and three ways to check it."""
    fingerprint = ca.fingerprint(ca.ca_credentials().certificate)
    lines = [
        f"{meta.agency_name} 电子文件交付包（{KIND_ZH.get(meta.kind, meta.kind)}）",
        "",
        f"批准文号：{meta.number}",
        f"批准人：{meta.approved_by or '—'}    批准时间：{_when(meta.approved_at)}",
        f"制作人：{meta.made_by}    制作时间：{_when(meta.made_at)}",
        f"接收方：{meta.recipient or '—'}",
        f"用途：{meta.purpose or '—'}",
        f"依据：{meta.basis or '—'}",
        "",
        f"本包共有 {len(listed)} 个交付文件：",
    ]
    for entry in listed:
        lines.append(
            f"  - {entry['name']}（{ROLE_ZH.get(entry['role'], entry['role'])}，{entry['size']} 字节）"
        )
    lines += [
        "",
        *_role_notes({str(entry["role"]) for entry in listed}),
        f"{MANIFEST} 列出每个文件的 SHA-256 摘要和大小，{SIGNATURE} 是本单位电子印章密钥对 {MANIFEST} 的",
        "CMS 分离式签名（SHA-256、ECDSA P-256），内含本单位证书和签发它的根证书。",
        f"根证书 SHA-256 指纹：{fingerprint}",
        "请向本单位索取根证书文件（下称 根证书.pem），先核对其指纹与上面一致：",
        "    openssl x509 -noout -fingerprint -sha256 -in 根证书.pem",
        f"    （应显示 sha256 Fingerprint={openssl_fingerprint(fingerprint)}）",
        "",
        "核验方法（解压本包后，在解压目录中执行）：",
        "",
        "一、核对每个文件的摘要：",
        f"    sha256sum -c {SUMS}",
        "",
        "二、核验清单签名：",
        f"    openssl cms -verify -binary -inform DER -in {SIGNATURE} -content {MANIFEST} "
        "-CAfile 根证书.pem -purpose any",
        "    最后显示 Verification successful 即签名有效、清单未被改动。",
        "    手头没有根证书文件时，可先取出包内所附证书代替（只证明包内一致，来源须另核对指纹）：",
        f"    openssl pkcs7 -inform DER -in {SIGNATURE} -print_certs -out 证书.pem",
        "    再把上面命令中的 根证书.pem 换成 证书.pem。",
        "",
        "三、用留痕核验程序（仅需 Python 3 标准库）检查整个压缩包，不必解压：",
        "    PYTHONPATH=<留痕程序 src 目录> python3 -S -m liuhen.grants.check 本包.zip [--trust 根证书.pem]",
        "    退出码 0 表示全部通过；否则最后一行说明原因。",
        "",
    ]
    return "\n".join(lines)


def openssl_fingerprint(hex_digest: str) -> str:
    """A fingerprint as ``openssl x509 -fingerprint`` prints it: upper case, bytes joined by colons."""
    upper = hex_digest.upper()
    return ":".join(upper[i : i + 2] for i in range(0, len(upper), 2))


def _role_notes(roles: set[str]) -> list[str]:
    notes = []
    if "original" in roles:
        notes.append("标为“原件”的文件逐位复制自系统中的原始记录，未作任何改动。")
    if roles & {"watermarked", "viewing_copy"}:
        notes.append("加水印件和浏览件附有注明制作人、时间和批准文号的可见水印。")
    if "redacted" in roles:
        notes.append("遮蔽处理件已按决定遮蔽不予提供的内容；系统中的原件未被改动。")
    return notes


# --- files ------------------------------------------------------------------------------------------


def _digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for chunk in _chunks(handle):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size

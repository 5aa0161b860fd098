"""Write the 归档信息包 of a signed-off case file from its :class:`~liuhen.archive.plan.PackagePlan`.

The package is a folder a county archive system takes in (layout: ``docs/archive-package.md``): the
说明文件, the 目录 (XML and XLSX), one folder per 件 named by its 档号 with the originals and the signed
DA/T 48 EEP, the case's own log bundle, and ``manifest.json`` (SHA-256 and size of every file) whose
SHA-256 is the package digest in ``package.sha256``. :mod:`liuhen.archive.check` checks it.

Crash safety: everything is written into ``.<name>.partial-<pid>`` beside ``dest``, each file fsynced,
then the folder is renamed to ``dest`` and the parent fsynced. A kill leaves at most a partial folder
(removed by the next run once its process is gone) and never a half package at ``dest``.
A/V is streamed from the blob store in chunks, its SHA-256 checked on the way: memory stays flat.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.db import transaction

from liuhen.archive import eep
from liuhen.archive.case_bundle import CaseBundle
from liuhen.archive.check import (
    BUNDLE_DIR,
    CATALOGUE_XLSX,
    CATALOGUE_XML,
    DESCRIPTION,
    MANIFEST,
    MANIFEST_FORMAT,
    NS,
    PACKAGE_DIGEST,
    canonical_signed_bytes,
    q,
)
from liuhen.archive.models import IntegrityAlert
from liuhen.archive.plan import PackagePlan, PlanFile, PlanItem
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.core.errors import DomainError
from liuhen.ledger.services import ledger_append
from liuhen.signing import ca
from liuhen.storage.local import dead_partials, fsync_dir

ECDSA_SHA256 = "1.2.840.10045.4.3.2 (ecdsa-with-SHA256)"
MISSING_ALERT_KIND = "archive content missing"


class MissingContent(DomainError):
    """A file of the plan has neither bytes nor a blob in the store: the package cannot be complete."""

    status = 409
    code = "missing_content"

    def __init__(self, item: PlanItem, plan_file: PlanFile) -> None:
        super().__init__(
            f"第 {item.piece_no} 件（{item.archive_no}，{item.title}）的文件 {plan_file.name} "
            f"（SHA-256 {plan_file.sha256}）不在存储中，无法归档"
        )
        self.item = item
        self.plan_file = plan_file


class ContentMismatch(DomainError):
    """A file's bytes do not hash to what the plan (the ledger) recorded."""

    status = 409
    code = "content_mismatch"


class PackageExists(DomainError):
    status = 409
    code = "package_exists"


@dataclass(frozen=True)
class PackageSummary:
    path: Path
    sha256: str  # the package digest: SHA-256 of manifest.json (DA/T 70 1-14)
    files: int
    bytes: int  # every file of the package
    items: int  # 归档文件数量
    originals: int  # 原文数量
    original_bytes: int  # 文件容量


def write_package(
    plan: PackagePlan,
    dest: Path,
    *,
    bundle: CaseBundle | None = None,
    carrier_no: str = "",
    carrier_type: str = "在线移交",
) -> PackageSummary:
    """Write the package folder ``dest`` (which must not exist yet) from ``plan``.

    Raises :class:`MissingContent` before writing anything if a blob is missing (the caller raises the
    alert with :func:`missing_content_alert`), :class:`ContentMismatch` if a blob's bytes are not the
    recorded ones, :class:`PackageExists` if ``dest`` exists."""
    dest = Path(dest)
    if dest.exists():
        raise PackageExists(f"{dest} 已存在；归档信息包不覆盖已有文件夹")
    _require_content(plan)
    dest.parent.mkdir(parents=True, exist_ok=True)
    for partial in dead_partials(dest):  # folders left by a killed build of the same package
        shutil.rmtree(partial, ignore_errors=True)
    work = dest.parent / f".{dest.name}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        writer = _Writer(work)
        summary = _write_all(writer, plan, bundle, carrier_no or plan.archive_no, carrier_type)
        _fsync_tree(work)
        os.rename(work, dest)
        fsync_dir(dest.parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return PackageSummary(path=dest, **summary)


def _require_content(plan: PackagePlan) -> None:
    store = blob_store()
    for item in plan.items:
        for plan_file in item.files:
            if plan_file.content is None and (plan_file.blob is None or not store.exists(plan_file.blob)):
                raise MissingContent(item, plan_file)


class _Writer:
    """Writes files under the work folder, fsyncs each, and remembers size and SHA-256 for the manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, tuple[int, str]] = {}

    def write(self, rel: str, data: bytes) -> None:
        path = self._path(rel)
        with path.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self.files[rel] = (len(data), hashlib.sha256(data).hexdigest())

    def stream_blob(self, rel: str, sha256: str) -> None:
        path, digest, size = self._path(rel), hashlib.sha256(), 0
        with path.open("wb") as handle:
            for chunk in blob_store().open_range(sha256):
                digest.update(chunk)
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if digest.hexdigest() != sha256:
            raise ContentMismatch(f"存储中的文件 {sha256} 内容与记录不符（实际 {digest.hexdigest()}）")
        self.files[rel] = (size, sha256)

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def _write_all(
    writer: _Writer, plan: PackagePlan, bundle: CaseBundle | None, carrier_no: str, carrier_type: str
) -> dict[str, Any]:
    now = clock.now()
    signer = _Signer(plan)
    original_bytes, originals = 0, 0
    for item in plan.items:
        folder = eep.folder_name(item.archive_no)
        for plan_file in item.files:
            _write_original(writer, f"{folder}/{plan_file.name}", plan_file)
            original_bytes += writer.files[f"{folder}/{plan_file.name}"][0]
            originals += 1
        root = eep.eep_element(plan, item, eep.EepContext(created_at=now, carrier_no=carrier_no))
        writer.write(f"{folder}/{folder}.xml", signer.signed_eep(root, now))
    carrier = eep.Carrier(number=carrier_no, kind=carrier_type, made_at=now)
    description = eep.description_element(plan, carrier, total_bytes=original_bytes, originals=originals)
    writer.write(DESCRIPTION, eep.xml_bytes(description))
    writer.write(CATALOGUE_XML, eep.xml_bytes(eep.catalogue_element(plan)))
    writer.write(CATALOGUE_XLSX, _catalogue_xlsx(plan))
    if bundle is not None:
        for rel, data in bundle.files().items():
            writer.write(f"{BUNDLE_DIR}/{rel}", data)
    manifest = _manifest(plan, writer.files, now)
    writer.write(MANIFEST, manifest)
    package_sha = hashlib.sha256(manifest).hexdigest()
    writer.write(PACKAGE_DIGEST, f"{package_sha}  {MANIFEST}\n".encode("ascii"))
    return {
        "sha256": package_sha,
        "files": len(writer.files),
        "bytes": sum(size for size, _ in writer.files.values()),
        "items": len(plan.items),
        "originals": originals,
        "original_bytes": original_bytes,
    }


def _write_original(writer: _Writer, rel: str, plan_file: PlanFile) -> None:
    if plan_file.content is not None:
        actual = hashlib.sha256(plan_file.content).hexdigest()
        if actual != plan_file.sha256:
            raise ContentMismatch(f"{rel} 的内容与计划记录的 SHA-256 不符")
        writer.write(rel, plan_file.content)
    else:
        assert plan_file.blob is not None  # _require_content checked it
        writer.stream_blob(rel, plan_file.blob)


def _manifest(plan: PackagePlan, files: dict[str, tuple[int, str]], now: datetime) -> bytes:
    listed = [{"path": rel, "size": size, "sha256": sha} for rel, (size, sha) in sorted(files.items())]
    body = {
        "format": MANIFEST_FORMAT,
        "archive_no": plan.archive_no,
        "case_no": plan.case_no,
        "created_at": eep.beijing(now),
        "digest": "SHA-256",
        "files": listed,
        "total_bytes": sum(size for size, _ in files.values()),
    }
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


class _Signer:
    """The agency's seal key (the installation CA's certificate for it, as PDFs are sealed by the
    ``local-ca`` sealer) signing each 被签名对象 as a detached CMS, the CA certificate included."""

    def __init__(self, plan: PackagePlan) -> None:
        self.creds = ca.agency_credentials(_AgencyRef(plan.agency_code, plan.fonds_name))
        self.cert = self.creds.certificate
        self.signer = plan.fonds_name
        self.cert_der = self.cert.public_bytes(serialization.Encoding.DER)

    def signed_eep(self, root: ET.Element, now: datetime) -> bytes:
        ET.indent(root)  # before signing: the indentation inside 被签名对象 is part of what is signed
        signed = root.find(q("被签名对象"))
        assert signed is not None
        cms = ca.detached_cms(canonical_signed_bytes(signed), self.creds)
        eep.add_signature(
            root,
            eep.SignatureFacts(
                identifier=f"seal-{ca.fingerprint(self.cert)[:16]}",
                signed_at=now,
                signer=self.signer,
                cms_b64=base64.b64encode(cms).decode("ascii"),
                certificate_b64=base64.b64encode(self.cert_der).decode("ascii"),
                certificate_sha256=ca.fingerprint(self.cert),
                algorithm=ECDSA_SHA256,
            ),
        )
        return eep.xml_bytes(root, namespace=NS)


@dataclass
class _AgencyRef:
    code: str
    name: str


def _catalogue_xlsx(plan: PackagePlan) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("卷内文件目录")
    sheet.append([f"{plan.archive_no}  {plan.title}"])
    sheet.append(list(eep.CATALOGUE_COLUMNS))
    for row in eep.catalogue_rows(plan):
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _fsync_tree(root: Path) -> None:
    for folder, _dirs, _files in os.walk(root):
        fsync_dir(Path(folder))


@transaction.atomic
def missing_content_alert(*, plan: PackagePlan, error: MissingContent, agency: Any = None) -> IntegrityAlert:
    """Record a package build stopped by a missing file: an entry in the case's log and an integrity
    alert for the administrators of ``agency`` (default: the case's), since the blob the log promises
    is gone."""
    case = Case.objects.select_related("agency").get(pk=plan.case_id)
    agency = agency or case.agency
    entry = ledger_append(
        action="archive.package_missing_content",
        agency=agency,
        case=case,
        objects={"case": case.pk},
        details={
            "archive_no": error.item.archive_no,
            "record": error.item.record,
            "sha256": error.plan_file.sha256,
        },
    )
    return IntegrityAlert.objects.create(
        kind=MISSING_ALERT_KIND,
        agency=agency,
        subject=f"blob {error.plan_file.sha256}",
        detail=f"归档信息包生成中止：{error.message}",
        ledger_index=entry.index,
        created_at=clock.now(),
    )

"""四性检测 of an archive package (DA/T 70-2018, the 归档 items): ``python -m liuhen.archive.check PACKAGE``.

Standard library only (no Django, no third-party module), so that the receiving archive can run it as
it comes, even under ``python3 -S``; the disc copy carries it (:data:`CHECKER_MODULES`). It reads the
package alone (layout in ``docs/archive-package.md``) and reports each DA/T 70 item it covers as passed,
failed or not run, with a Chinese message. Exit status 0 when nothing failed, 1 otherwise, 2 when the
path is not a package folder. The report is written beside the package as XML and Markdown.

Each original is read once, in 1 MiB chunks (memory flat): SHA-256 always, SM3 (OpenSSL's, else
:mod:`liuhen.archive.sm3`) for files up to :data:`SM3_FULL_LIMIT` or all files with ``--sm3-all``,
because SM3 runs at a quarter of SHA-256's speed and the SHA-256 check already covers every byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from liuhen.archive import cms
from liuhen.archive.fileformat import ALLOWED, FileFacts, hash_file

NS = "http://www.saac.gov.cn/standards/ERM/encapsulation"
DESCRIPTION = "说明文件.xml"
CATALOGUE_XML = "目录.xml"
CATALOGUE_XLSX = "目录.xlsx"
MANIFEST = "manifest.json"
PACKAGE_DIGEST = "package.sha256"
BUNDLE_DIR = "bundle"
MANIFEST_FORMAT = "liuhen-archive-package/1"
SM3_FULL_LIMIT = 64 << 20
# what a disc copy must carry for ``python -m liuhen.archive.check`` to run: the modules it imports, and
# the log verifier (stdlib-only too) for the case's log proofs; without it 1-1 reports them as not run
CHECKER_MODULES = (
    "liuhen/__init__.py",
    "liuhen/archive/__init__.py",
    "liuhen/archive/check.py",
    "liuhen/archive/cms.py",
    "liuhen/archive/fileformat.py",
    "liuhen/archive/sm3.py",
)
CHECKER_EXTRA = ("liuhen/tlog",)

CATEGORY = {"1": "真实性", "2": "完整性", "3": "可用性", "4": "安全性"}
ITEMS = {
    "1-1": "固化信息有效性（摘要、签名、日志证明）",
    "1-10": "电子文件属性与元数据一致（大小、格式、文件名）",
    "1-11": "元数据与电子文件关联",
    "1-14": "信息包一致性（信息包摘要）",
    "2-1": "文件数量相符",
    "2-2": "字节数相符",
    "2-3": "元数据项完整（DA/T 46）",
    "2-4": "必填元数据项非空",
    "2-5": "过程信息完整（业务实体）",
    "2-6": "件号连续无断号",
    "2-7": "内容数据完整（内容摘要）",
    "3-1": "信息包格式可读（XML 可解析）",
    "3-3": "文件格式符合 GB/T 18894",
    "3-8": "无加密、无非公开压缩",
    "4-1": "病毒检测",
    "4-7": "过程安全性记录",
}

# DA/T 46 elements each 文件实体块 must carry (2-3), and those that must not be empty (2-4)
REQUIRED_PATHS = (
    "聚合层次",
    "来源/全宗名称",
    "来源/立档单位名称",
    "电子文件号",
    "内容描述/题名",
    "内容描述/年度",
    "内容描述/保管期限",
    "内容描述/档号",
    "内容描述/件号",
    "内容描述/责任者",
    "内容描述/日期",
    "内容描述/密级",
    "形式特征",
    "存储位置",
    "权限管理",
    "文件数据/文档",
)
NON_EMPTY_PATHS = tuple(
    p for p in REQUIRED_PATHS if p not in {"形式特征", "存储位置", "权限管理", "文件数据/文档"}
)
# … and each 文档 (every computer file of the 件), all non-empty
DOCUMENT_PATHS = (
    "文档数据/电子属性/格式信息/格式名称",
    "文档数据/电子属性/计算机文件名",
    "文档数据/电子属性/计算机文件大小",
    "文档数据/电子属性/校验码/校验算法",
    "文档数据/电子属性/校验码/校验值",
)
DESCRIPTION_FIELDS = (
    "载体编号",
    "载体类型",
    "制作时间",
    "文件容量",
    "移交单位",
    "年度",
    "归档文件数量",
    "原文数量",
    "起止件号",
    "信息系统名称",
)


def q(path: str, ns: str = NS) -> str:
    """An ElementTree path in the EEP namespace: ``来源/全宗名称`` → ``{ns}来源/{ns}全宗名称``.
    The 说明文件 and the 目录 are not EEPs and have no namespace (``ns=""``)."""
    return "/".join(f"{{{ns}}}{part}" if ns else part for part in path.split("/"))


def canonical_signed_bytes(element: ET.Element) -> bytes:
    """The bytes the 电子签名块 signs: the 被签名对象 element, its namespace as the default one,
    in XML C14N 2.0 (``xml.etree.ElementTree.canonicalize``), UTF-8. Writer and checker share it."""
    clone = ET.Element(element.tag, element.attrib)
    clone.text = element.text
    clone.extend(list(element))
    text = ET.tostring(clone, encoding="unicode", default_namespace=NS)
    return ET.canonicalize(text).encode("utf-8")


# --- report -----------------------------------------------------------------------------------------


@dataclass
class CheckItem:
    number: str  # DA/T 70 item, e.g. "2-6"
    category: str  # 真实性 / 完整性 / 可用性 / 安全性
    name: str
    status: str = "pass"  # pass | fail | not_run
    messages: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return "；".join(self.messages) if self.messages else "通过"


@dataclass
class CheckReport:
    package: str
    checked_at: str
    items: list[CheckItem]
    package_sha256: str = ""

    @property
    def ok(self) -> bool:
        return all(item.status != "fail" for item in self.items)

    @property
    def failed(self) -> list[str]:
        return [item.number for item in self.items if item.status == "fail"]

    def item(self, number: str) -> CheckItem:
        return next(i for i in self.items if i.number == number)


class _Findings:
    """Collects failures per item while the checks run."""

    def __init__(self) -> None:
        self.items = {n: CheckItem(n, CATEGORY[n.split("-")[0]], name) for n, name in ITEMS.items()}

    def fail(self, number: str, message: str) -> None:
        item = self.items[number]
        item.status = "fail"
        if len(item.messages) < 20:
            item.messages.append(message)
        elif len(item.messages) == 20:
            item.messages.append("……（更多问题从略）")

    def not_run(self, number: str, message: str) -> None:
        item = self.items[number]
        if item.status == "pass":
            item.status = "not_run"
        item.messages.append(message)

    def note(self, number: str, message: str) -> None:
        self.items[number].messages.append(message)


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class DocFile:
    name: str
    size: str
    format_name: str
    mime: str
    digests: dict[str, str]  # algorithm → hex


@dataclass
class ItemMeta:
    folder: str
    piece_no: str
    archive_no: str
    eep: ET.Element | None = None
    docs: list[DocFile] = field(default_factory=list)


def _text(element: ET.Element | None, path: str, ns: str = NS) -> str:
    found = element.find(q(path, ns)) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _parse_xml(path: Path, findings: _Findings) -> ET.Element | None:
    try:
        data = path.read_bytes()
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # no DTDs: no entity expansion, no external fetch
            raise ET.ParseError("含 DTD 或实体声明")
        return ET.fromstring(data)  # noqa: S314 - DTDs refused above; the checker must stay stdlib-only
    except FileNotFoundError:
        findings.fail("2-1", f"缺少文件 {path.name}")
    except (ET.ParseError, OSError) as exc:
        findings.fail("3-1", f"{path.name} 不是可解析的 XML：{exc}")
    return None


# --- the checks -------------------------------------------------------------------------------------


class NotAPackage(ValueError):
    """The path is not an archive package folder."""


def check_package(
    path: Path | str,
    *,
    expected_sha256: str | None = None,
    sm3_all: bool = False,
    report_dir: Path | None = None,
    virus_scan: bool = True,
) -> CheckReport:
    """Run the 归档 checks on the package folder ``path``; write the report into ``report_dir`` if given.

    ``expected_sha256`` is the package digest recorded at transfer (the 移交接收登记表, the disc record):
    without it, 1-14 can only compare the package with the digest it carries itself."""
    root = Path(path)
    if not (root / MANIFEST).is_file() and not (root / DESCRIPTION).is_file():
        raise NotAPackage(f"{root} 不是归档信息包（没有 {MANIFEST} 或 {DESCRIPTION}）")
    findings = _Findings()
    manifest = _read_manifest(root, findings)
    package_sha = _check_package_digest(root, findings, expected_sha256)
    description = _parse_xml(root / DESCRIPTION, findings)
    items = _catalogue_items(_parse_xml(root / CATALOGUE_XML, findings), findings)
    for item in items:
        item.eep = _parse_xml(root / item.folder / f"{item.folder}.xml", findings)
        item.docs = _documents(item.eep)
    _check_description(description, items, findings)
    _check_numbering(items, description, findings)
    _check_metadata(items, findings)
    facts = _check_files(root, manifest, items, findings, sm3_all=sm3_all)
    _check_originals(root, items, facts, description, findings)
    _check_signatures(items, findings)
    _check_bundle(root, items, findings)
    if virus_scan:
        _virus_scan(root, findings)
    else:
        findings.not_run("4-1", "本次未要求病毒检测")
    report = CheckReport(
        package=str(root),
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
        items=list(findings.items.values()),
        package_sha256=package_sha,
    )
    if report_dir is not None:
        write_report(report, report_dir, root.name)
    return report


def _read_manifest(root: Path, findings: _Findings) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = {entry["path"]: entry for entry in data["files"]}
    except FileNotFoundError:
        findings.fail("2-1", f"缺少清单 {MANIFEST}")
        return {}
    except (ValueError, KeyError, TypeError) as exc:
        findings.fail("3-1", f"清单 {MANIFEST} 无法解析：{exc}")
        return {}
    if data.get("format") != MANIFEST_FORMAT:
        findings.fail("3-1", f"清单格式不是 {MANIFEST_FORMAT}")
    return files


def _check_package_digest(root: Path, findings: _Findings, expected: str | None) -> str:
    try:
        actual = hashlib.sha256((root / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        findings.fail("1-14", "无法计算信息包摘要：清单缺失")
        return ""
    try:
        recorded = (root / PACKAGE_DIGEST).read_text(encoding="ascii").split()[0].lower()
    except (OSError, IndexError, UnicodeDecodeError):
        findings.fail("1-14", f"缺少信息包摘要文件 {PACKAGE_DIGEST}")
        recorded = ""
    if recorded and recorded != actual:
        findings.fail("1-14", f"信息包摘要不符：记录 {recorded}，实际 {actual}")
    if expected is not None and expected.lower() != actual:
        findings.fail("1-14", f"信息包摘要与移交登记不符：登记 {expected.lower()}，实际 {actual}")
    elif expected is None:
        findings.note("1-14", f"信息包摘要 SHA-256 {actual}（请与移交登记核对，或用 --expect 传入）")
    return actual


def _catalogue_items(catalogue: ET.Element | None, findings: _Findings) -> list[ItemMeta]:
    if catalogue is None:
        return []
    items = []
    for row in catalogue.findall("条目"):
        folder = _text(row, "文件夹", "")
        if not folder or "/" in folder or "\\" in folder or folder.startswith("."):
            findings.fail("1-11", f"目录条目的文件夹无效：{folder!r}")
            continue
        items.append(ItemMeta(folder, _text(row, "件号", ""), _text(row, "档号", "")))
    if not items:
        findings.fail("2-1", "目录中没有归档文件")
    return items


def _documents(eep: ET.Element | None) -> list[DocFile]:
    if eep is None:
        return []
    docs = []
    for doc in eep.iter(q("文档")):
        props = doc.find(q("文档数据/电子属性"))
        digests = {
            _text(code, "校验算法").upper(): _text(code, "校验值").lower()
            for code in (props.findall(q("校验码")) if props is not None else [])
        }
        docs.append(
            DocFile(
                name=_text(props, "计算机文件名"),
                size=_text(props, "计算机文件大小"),
                format_name=_text(props, "格式信息/格式名称"),
                mime=_text(props, "格式信息/MIME媒体类型"),
                digests=digests,
            )
        )
    return docs


def _entity(item: ItemMeta) -> ET.Element | None:
    return item.eep.find(q("被签名对象/封装内容/文件实体块")) if item.eep is not None else None


def _check_description(description: ET.Element | None, items: list[ItemMeta], findings: _Findings) -> None:
    if description is None:
        return
    for name in DESCRIPTION_FIELDS:
        if description.find(name) is None:
            findings.fail("2-3", f"{DESCRIPTION} 缺少 {name}")
        elif not _text(description, name, ""):
            findings.fail("2-4", f"{DESCRIPTION} 的 {name} 为空")
    for name in ("制作时间", "移交单位", "信息系统名称"):
        if not _text(description, name, ""):
            findings.fail("4-7", f"{DESCRIPTION} 未记录{name}")
    count = _text(description, "归档文件数量", "")
    if count and count != str(len(items)):
        findings.fail("2-1", f"归档文件数量为 {count}，目录中有 {len(items)} 件")
    originals = sum(len(item.docs) for item in items)
    stated = _text(description, "原文数量", "")
    if stated and stated != str(originals):
        findings.fail("2-1", f"原文数量为 {stated}，元数据中有 {originals} 个计算机文件")


def _check_numbering(items: list[ItemMeta], description: ET.Element | None, findings: _Findings) -> None:
    numbers = []
    for item in items:
        if not item.piece_no.isdigit():
            findings.fail("2-6", f"{item.folder} 的件号不是数字：{item.piece_no!r}")
            continue
        numbers.append(int(item.piece_no))
        eep_no = _text(_entity(item), "内容描述/件号")
        if item.eep is not None and eep_no and eep_no != item.piece_no:
            findings.fail("2-6", f"{item.folder} 的件号在目录中为 {item.piece_no}，在元数据中为 {eep_no}")
    if numbers:
        expected = list(range(1, len(numbers) + 1))
        if sorted(numbers) != expected:
            missing = sorted(set(expected) - set(numbers))
            repeated = sorted({n for n in numbers if numbers.count(n) > 1})
            findings.fail(
                "2-6", f"件号不连续：缺 {missing or '无'}，重复 {repeated or '无'}，应为 1—{len(numbers)}"
            )
        span = _text(description, "起止件号", "") if description is not None else ""
        if span and span != f"{min(numbers)}-{max(numbers)}":
            findings.fail("2-6", f"起止件号为 {span}，目录为 {min(numbers)}-{max(numbers)}")


def _check_metadata(items: list[ItemMeta], findings: _Findings) -> None:
    seen: dict[str, str] = {}
    for item in items:
        entity = _entity(item)
        if item.eep is None:
            continue
        if entity is None:
            findings.fail("2-3", f"{item.folder}：缺少 被签名对象/封装内容/文件实体块")
            continue
        for path in REQUIRED_PATHS:
            if entity.find(q(path)) is None:
                findings.fail("2-3", f"{item.folder}：缺少元数据 {path}")
        for path in NON_EMPTY_PATHS:
            if entity.find(q(path)) is not None and not _text(entity, path):
                findings.fail("2-4", f"{item.folder}：元数据 {path} 为空")
        for number, doc in enumerate(entity.findall(q("文件数据/文档")), start=1):
            for path in DOCUMENT_PATHS:
                if doc.find(q(path)) is None:
                    findings.fail("2-3", f"{item.folder}：第 {number} 个文档缺少元数据 {path}")
                elif not _text(doc, path):
                    findings.fail("2-4", f"{item.folder}：第 {number} 个文档的元数据 {path} 为空")
        archive_no = _text(entity, "内容描述/档号")
        if archive_no != item.archive_no:
            findings.fail("1-11", f"{item.folder}：元数据档号 {archive_no!r} 与目录 {item.archive_no!r} 不符")
        record_no = _text(entity, "电子文件号")
        if record_no and record_no in seen:
            findings.fail("1-11", f"{item.folder}：电子文件号 {record_no} 与 {seen[record_no]} 重复")
        seen[record_no] = item.folder
        _check_process(item, findings)


def _check_process(item: ItemMeta, findings: _Findings) -> None:
    assert item.eep is not None
    actions = item.eep.findall(q("被签名对象/封装内容/业务实体块/业务实体"))
    if not actions:
        findings.fail("2-5", f"{item.folder}：没有业务实体（过程信息）")
    for number, action in enumerate(actions, start=1):
        for name in ("业务行为", "行为时间"):
            if not _text(action, name):
                findings.fail("2-5", f"{item.folder}：第 {number} 个业务实体缺少{name}")


def _disk_files(root: Path) -> set[str]:
    skip = {MANIFEST, PACKAGE_DIGEST}
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - skip


def _check_files(
    root: Path,
    manifest: dict[str, dict[str, Any]],
    items: list[ItemMeta],
    findings: _Findings,
    *,
    sm3_all: bool,
) -> dict[str, FileFacts]:
    on_disk = _disk_files(root)
    for missing in sorted(set(manifest) - on_disk):
        findings.fail("2-1", f"清单中的文件不存在：{missing}")
    for extra in sorted(on_disk - set(manifest)):
        findings.fail("2-1", f"信息包中有清单以外的文件：{extra}")
    originals = {f"{item.folder}/{doc.name}" for item in items for doc in item.docs}
    facts = {}
    for rel in sorted(on_disk):
        path = root / rel
        with_sm3 = rel in originals and (sm3_all or path.stat().st_size <= SM3_FULL_LIMIT)
        facts[rel] = fact = hash_file(path, with_sm3=with_sm3)
        listed = manifest.get(rel)
        if listed is None:
            continue
        if listed.get("size") != fact.size:
            findings.fail("2-2", f"{rel}：清单记 {listed.get('size')} 字节，实际 {fact.size} 字节")
        if listed.get("sha256") != fact.sha256:
            findings.fail("2-7", f"{rel}：内容摘要（SHA-256）与清单不符")
    return facts


def _check_originals(
    root: Path,
    items: list[ItemMeta],
    facts: dict[str, FileFacts],
    description: ET.Element | None,
    findings: _Findings,
) -> None:
    total, skipped_sm3 = 0, 0
    for item in items:
        for doc in item.docs:
            rel = f"{item.folder}/{doc.name}"
            if not doc.name or "/" in doc.name or "\\" in doc.name:
                findings.fail("1-11", f"{item.folder}：计算机文件名无效：{doc.name!r}")
                continue
            fact = facts.get(rel)
            if fact is None:
                findings.fail("1-11", f"{item.folder}：元数据指向的文件 {doc.name} 不存在")
                continue
            total += fact.size
            _check_properties(rel, doc, fact, findings)
            if doc.digests.get("SHA-256") != fact.sha256:
                findings.fail("1-1", f"{rel}：SHA-256 与元数据中的校验码不符")
            if fact.sm3 is None:
                skipped_sm3 += 1
            elif doc.digests.get("SM3") != fact.sm3:
                findings.fail("1-1", f"{rel}：SM3 与元数据中的校验码不符")
    if skipped_sm3:
        findings.note(
            "1-1",
            f"{skipped_sm3} 个大于 {SM3_FULL_LIMIT >> 20} MiB 的文件只核对了 SHA-256（--sm3-all 核对全部 SM3）",
        )
    stated = _text(description, "文件容量", "") if description is not None else ""
    if stated and stated != str(total):
        findings.fail("2-2", f"文件容量为 {stated} 字节，原文实际共 {total} 字节")


def _check_properties(rel: str, doc: DocFile, fact: FileFacts, findings: _Findings) -> None:
    if doc.size != str(fact.size):
        findings.fail("1-10", f"{rel}：元数据记 {doc.size} 字节，文件为 {fact.size} 字节")
    if fact.family is None:
        findings.fail("3-3", f"{rel}：不是 GB/T 18894 允许的格式（按文件头识别）")
    else:
        if fact.family not in doc.format_name.upper().replace("-", ""):
            findings.fail("1-10", f"{rel}：元数据格式为 {doc.format_name!r}，文件实为 {fact.family}")
        if doc.mime not in ALLOWED[fact.family]:
            findings.fail("1-10", f"{rel}：MIME 媒体类型 {doc.mime!r} 与文件格式 {fact.family} 不符")
    if fact.encrypted:
        findings.fail("3-8", f"{rel}：{fact.encrypted}")


def _check_signatures(items: list[ItemMeta], findings: _Findings) -> None:
    import base64
    import binascii

    roots = set()
    for item in items:
        if item.eep is None:
            continue
        signature = item.eep.find(q("电子签名块/电子签名"))
        signed = item.eep.find(q("被签名对象"))
        if signature is None or signed is None or not _text(signature, "签名结果"):
            findings.fail("1-1", f"{item.folder}：没有电子签名")
            findings.fail("4-7", f"{item.folder}：未记录封装签名")
            continue
        if not _text(signature, "证书块/证书"):
            findings.fail("4-7", f"{item.folder}：电子签名块未附证书")
        try:
            der = base64.b64decode(_text(signature, "签名结果"), validate=True)
        except binascii.Error:
            findings.fail("1-1", f"{item.folder}：签名结果不是 base64")
            continue
        result = cms.verify_detached(der, canonical_signed_bytes(signed))
        if result.problem:
            findings.fail("1-1", f"{item.folder}：{result.problem}")
        elif not result.digest_matches:
            findings.fail("1-1", f"{item.folder}：被签名对象与签名不符（元数据在签名后被改动）")
        elif not result.signature_valid:
            findings.fail("1-1", f"{item.folder}：签名值验证失败")
        elif not result.chain_valid or result.root is None:
            findings.fail("1-1", f"{item.folder}：签名证书不能链至所附 CA 证书")
        else:
            roots.add(result.root.fingerprint)
    for fingerprint in sorted(roots):
        findings.note("1-1", f"签名证书链至 CA（SHA-256 指纹 {fingerprint}），请与机构公布的指纹核对")


def _check_bundle(root: Path, items: list[ItemMeta], findings: _Findings) -> None:
    bundle = root / BUNDLE_DIR
    if not bundle.is_dir():
        findings.note("1-1", "信息包未附案件日志证明")
        return
    try:
        from liuhen.tlog.receipt import check_receipt
    except ImportError:
        findings.not_run("1-1", "缺少 liuhen.tlog，日志证明未验证")
        return
    keys = [k for k in _lines(bundle / "keys" / "verifiers.txt") if not k.startswith("#")]
    checkpoint = (
        (bundle / "checkpoint.note").read_text(encoding="utf-8")
        if (bundle / "checkpoint.note").is_file()
        else ""
    )
    proven: set[int] = set()
    for proof in sorted((bundle / "proofs").glob("*.proof")):
        text = proof.read_text(encoding="utf-8")
        try:
            entry = check_receipt(text, keys)
        except ValueError as exc:
            findings.fail("1-1", f"日志证明 {proof.name} 不成立：{exc}")
            continue
        if text.partition("\n\n")[2] != checkpoint:
            findings.fail("1-1", f"日志证明 {proof.name} 不是对所附检查点的证明")
            continue
        proven.add(int(entry["index"]))
    findings.note("1-1", f"{len(proven)} 条案件日志条目已证明包含于签名检查点")
    for item in items:
        if item.eep is None:
            continue
        for action in item.eep.findall(q("被签名对象/封装内容/业务实体块/业务实体")):
            index = _text(action, "日志条目")
            if index.isdigit() and int(index) not in proven:
                findings.fail("2-5", f"{item.folder}：业务行为所引日志条目 {index} 不在日志证明中")


def _lines(path: Path) -> list[str]:
    try:
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError:
        return []


def _virus_scan(root: Path, findings: _Findings) -> None:
    scanner = shutil.which("clamscan")
    if scanner is None:
        findings.not_run("4-1", "未安装 ClamAV（clamscan），病毒检测未运行")
        return
    proc = subprocess.run(
        [scanner, "-r", "--no-summary", "--infected", str(root)], capture_output=True, text=True, check=False
    )
    if proc.returncode == 0:
        findings.note("4-1", "ClamAV 未发现病毒")
    elif proc.returncode == 1:
        for line in proc.stdout.splitlines():
            findings.fail("4-1", f"发现病毒：{line}")
    else:
        findings.not_run(
            "4-1", f"ClamAV 未能完成检测：{(proc.stderr.strip().splitlines() or ['未知错误'])[-1]}"
        )


# --- the report -------------------------------------------------------------------------------------

STATUS_ZH = {"pass": "通过", "fail": "不通过", "not_run": "未检测"}


def write_report(report: CheckReport, dest_dir: Path, name: str) -> tuple[Path, Path]:
    """The report as XML and Markdown, named after the package, in ``dest_dir`` (beside the package)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    root = ET.Element("四性检测报告")
    for tag, value in (
        ("信息包", name),
        ("检测环节", "归档（DA/T 70-2018）"),
        ("检测时间", report.checked_at),
        ("信息包摘要", report.package_sha256),
        ("摘要算法", "SHA-256"),
        ("结论", "通过" if report.ok else "不通过"),
    ):
        ET.SubElement(root, tag).text = value
    items = ET.SubElement(root, "检测项目")
    for item in report.items:
        row = ET.SubElement(items, "检测项")
        for tag, value in (
            ("编号", item.number),
            ("类别", item.category),
            ("名称", item.name),
            ("结果", STATUS_ZH[item.status]),
            ("说明", item.message),
        ):
            ET.SubElement(row, tag).text = value
    ET.indent(root)
    xml_path = dest_dir / f"{name}{REPORT_SUFFIX}.xml"
    ET.ElementTree(root).write(xml_path, encoding="utf-8", xml_declaration=True)
    md_path = dest_dir / f"{name}{REPORT_SUFFIX}.md"
    md_path.write_text(_markdown(report, name), encoding="utf-8")
    return xml_path, md_path


REPORT_SUFFIX = ".四性检测报告"  # the reports sit beside the package: <package>.四性检测报告.xml|md|pdf


def reports_beside(package: Path) -> list[Path]:
    """The 四性检测 reports written beside ``package`` (XML, Markdown and, from the server, PDF), which
    travel with it in a download or on a disc."""
    return sorted(package.parent.glob(f"{package.name}{REPORT_SUFFIX}.*"))


def _markdown(report: CheckReport, name: str) -> str:
    lines = [
        f"# 四性检测报告：{name}",
        "",
        f"- 检测环节：归档（DA/T 70-2018）；检测时间（UTC）：{report.checked_at}",
        f"- 信息包摘要（SHA-256）：{report.package_sha256}",
        f"- 结论：**{'通过' if report.ok else '不通过'}**",
        "",
        "| 编号 | 类别 | 检测项 | 结果 | 说明 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in report.items:
        message = item.message.replace("|", "\\|")
        lines.append(
            f"| {item.number} | {item.category} | {item.name} | {STATUS_ZH[item.status]} | {message} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liuhen.archive.check", description="归档信息包四性检测（DA/T 70-2018）"
    )
    parser.add_argument("package", type=Path, help="归档信息包文件夹")
    parser.add_argument("--expect", help="移交登记的信息包摘要（SHA-256）")
    parser.add_argument(
        "--sm3-all", action="store_true", help="对所有原文核对 SM3（默认大文件只核对 SHA-256）"
    )
    parser.add_argument("--report-dir", type=Path, help="报告写入的文件夹（默认：信息包旁边）")
    parser.add_argument("--no-report", action="store_true", help="不写报告文件")
    parser.add_argument("--no-virus-scan", action="store_true", help="不运行 ClamAV")
    args = parser.parse_args(argv)
    package = args.package.resolve()
    report_dir = None if args.no_report else (args.report_dir or package.parent)
    try:
        report = check_package(
            package,
            expected_sha256=args.expect,
            sm3_all=args.sm3_all,
            report_dir=report_dir,
            virus_scan=not args.no_virus_scan,
        )
    except NotAPackage as exc:
        print(exc, file=sys.stderr)
        return 2
    _print(report.items)
    print(("通过" if report.ok else "不通过：" + "、".join(report.failed)), file=sys.stderr)
    return 0 if report.ok else 1


def _print(items: Iterable[CheckItem]) -> None:
    for item in items:
        detail = f"（{item.message}）" if item.messages else ""
        print(f"{item.number} {item.category} {item.name}：{STATUS_ZH[item.status]}{detail}")


if __name__ == "__main__":
    sys.exit(main())

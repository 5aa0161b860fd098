"""The XML of an archive package, built from a :class:`~liuhen.archive.plan.PackagePlan`. No Django.

- one DA/T 48-2009 electronic-record encapsulation package (EEP) per 件, in the namespace
  :data:`~liuhen.archive.check.NS`, its 文件实体块 carrying the DA/T 46-2009 metadata and, for A/V,
  DA/T 63-2017-style 音视频属性; the 电子签名块 is added once 被签名对象 is final (:func:`add_signature`);
- the 说明文件 the county archive reads first (载体, counts, 起止件号);
- the 目录 (DA/T 22-2015: 序号, 档号, 文号, 责任者, 题名, 日期, 密级, 页数, 备注).

No XML attribute is written anywhere: the signed object is serialised with its namespace as the default
one (:func:`~liuhen.archive.check.canonical_signed_bytes`), which ElementTree allows only for
namespace-qualified names, and the county systems read element text, not attributes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from liuhen.archive.check import NS
from liuhen.archive.plan import PackagePlan, PlanAction, PlanFile, PlanItem

BEIJING = ZoneInfo("Asia/Shanghai")
FORMAT_NOTE = "本封装包依据中华人民共和国档案行业标准 DA/T 48-2009《基于XML的电子文件封装规范》生成"
SIGNATURE_RULE = (
    "CMS SignedData（RFC 5652）分离式签名：签名内容为“被签名对象”元素以本命名空间为默认命名空间、"
    "按 XML C14N 2.0 规范化后的 UTF-8 字节；摘要算法 SHA-256"
)
ROLE_ZH = {"original": "主文件", "signed_copy": "签章件", "viewing_copy": "浏览件"}
VOLUME_ZH = {"main": "正卷", "auxiliary": "副卷"}


def beijing(at: datetime) -> str:
    """An aware time as Beijing time, ISO 8601 with its offset: the archive shows it as it reads."""
    return at.astimezone(BEIJING).isoformat(timespec="seconds")


def folder_name(archive_no: str) -> str:
    """The item folder named by its 档号; path separators cannot be part of a folder name."""
    return archive_no.replace("/", "-").replace("\\", "-").strip(". ") or "item"


def _el(tag: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}{tag}")


def _sub(parent: ET.Element, tag: str, text: str | int | float | None = None) -> ET.Element:
    child = ET.SubElement(parent, f"{{{NS}}}{tag}")
    if text is not None:
        child.text = str(text)
    return child


def _plain(parent: ET.Element, tag: str, text: object = "") -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = str(text)
    return child


# --- EEP --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EepContext:
    """What the package adds to the plan: when it is built, the carrier, who packs."""

    created_at: datetime
    carrier_no: str


def eep_element(plan: PackagePlan, item: PlanItem, ctx: EepContext) -> ET.Element:
    """The EEP of one 件, without its 电子签名块."""
    root = _el("电子文件封装包")
    _sub(root, "封装包格式描述", FORMAT_NOTE)
    _sub(root, "版本", "2009")
    signed = _sub(root, "被签名对象")
    _sub(signed, "封装包类型", "原始型")
    _sub(signed, "封装包类型描述", "本封装包包含电子文件数据及其元数据，原始封装，未经修改")
    _sub(signed, "封装包创建时间", beijing(ctx.created_at))
    _sub(signed, "封装包创建单位", plan.fonds_name)
    content = _sub(signed, "封装内容")
    _file_entity(content, plan, item, ctx)
    _business_entities(content, plan, item, ctx)
    _agents(content, plan, item)
    return root


def _file_entity(content: ET.Element, plan: PackagePlan, item: PlanItem, ctx: EepContext) -> None:
    entity = _sub(content, "文件实体块")
    _sub(entity, "聚合层次", "文件")
    source = _sub(entity, "来源")
    _sub(source, "全宗名称", plan.fonds_name)
    _sub(source, "全宗号", plan.fonds_no)
    _sub(source, "立档单位名称", plan.fonds_name)
    _sub(entity, "电子文件号", f"{plan.agency_code}:{item.record}")
    _description(entity, plan, item)
    form = _sub(entity, "形式特征")
    _sub(form, "文件组合类型", "单件")
    _sub(form, "件数", 1)
    _sub(form, "页数", item.pages)
    _sub(form, "语种", "汉语")
    place = _sub(entity, "存储位置")
    _sub(place, "当前位置", folder_name(item.archive_no))
    _sub(place, "脱机载体编号", ctx.carrier_no)
    rights = _sub(entity, "权限管理")
    _sub(rights, "控制标识", "开放" if item.security == "公开" else "控制")
    _sub(rights, "知识产权说明", "")
    if item.av is not None:
        _av(entity, item)
    data = _sub(entity, "文件数据")
    for number, plan_file in enumerate(item.files, start=1):
        _document(data, plan, item, plan_file, number)


def _description(entity: ET.Element, plan: PackagePlan, item: PlanItem) -> None:
    desc = _sub(entity, "内容描述")
    _sub(desc, "题名", item.title)
    _sub(desc, "文件编号", item.doc_no)
    _sub(desc, "责任者", item.responsible)
    _sub(desc, "日期", item.date.isoformat())
    _sub(desc, "年度", plan.year)
    _sub(desc, "保管期限", plan.retention)
    _sub(desc, "档号", item.archive_no)
    _sub(desc, "件号", item.piece_no)
    _sub(desc, "密级", item.security)
    _sub(desc, "机构或问题", plan.unit)
    _sub(desc, "案卷档号", plan.archive_no)
    _sub(desc, "案件编号", plan.case_no)
    _sub(desc, "卷别", VOLUME_ZH[item.volume])
    _sub(desc, "页号", item.first_page if item.pages else "")
    _sub(desc, "附注", item.note)


def _av(entity: ET.Element, item: PlanItem) -> None:
    """DA/T 63-2017-style facts of a recording: what, when, where, how and which officers."""
    av = item.av
    assert av is not None
    block = _sub(entity, "音视频属性")
    _sub(block, "事项", av.activity)
    _sub(block, "时长", "" if av.duration_s is None else f"{av.duration_s:.3f}")
    _sub(block, "编码格式", av.codec)
    _sub(block, "分辨率", av.resolution)
    _sub(block, "摄录设备编号", av.device_no)
    _sub(block, "摄录开始时间", beijing(av.captured_start) if av.captured_start else "")
    _sub(block, "摄录结束时间", beijing(av.captured_end) if av.captured_end else "")
    _sub(block, "摄录地点", av.location)
    officers = _sub(block, "执法人员")
    for name in av.officers:
        _sub(officers, "姓名", name)


def _document(data: ET.Element, plan: PackagePlan, item: PlanItem, plan_file: PlanFile, number: int) -> None:
    doc = _sub(data, "文档")
    _sub(doc, "文档标识符", f"{item.archive_no}-{number}")
    _sub(doc, "文档序号", number)
    _sub(doc, "文档主从声明", ROLE_ZH.get(plan_file.role, plan_file.role))
    _sub(doc, "题名", item.title)
    props = _sub(_sub(doc, "文档数据"), "电子属性")
    fmt = _sub(props, "格式信息")
    _sub(fmt, "格式名称", plan_file.format)
    _sub(fmt, "MIME媒体类型", plan_file.media_type)
    _sub(props, "计算机文件名", plan_file.name)
    _sub(props, "计算机文件大小", plan_file.size)
    for algorithm, value in (("SHA-256", plan_file.sha256), ("SM3", plan_file.sm3)):
        code = _sub(props, "校验码")
        _sub(code, "校验算法", algorithm)
        _sub(code, "校验值", value)
    _sub(props, "文档创建程序", plan.system_name)


def _business_entities(content: ET.Element, plan: PackagePlan, item: PlanItem, ctx: EepContext) -> None:
    block = _sub(content, "业务实体块")
    for action in item.actions:
        _action(block, action)
    packing = PlanAction("封装", ctx.created_at, plan.fonds_name, "DA/T 48-2009", "形成归档信息包", -1)
    _action(block, packing)


def _action(block: ET.Element, action: PlanAction) -> None:
    entity = _sub(block, "业务实体")
    _sub(entity, "业务状态", "归档前")
    _sub(entity, "业务行为", action.action)
    _sub(entity, "行为时间", beijing(action.at))
    _sub(entity, "行为依据", action.basis)
    _sub(entity, "行为描述", action.description)
    _sub(entity, "机构人员名称", action.agent)
    _sub(entity, "日志条目", "" if action.ledger_index < 0 else action.ledger_index)


def _agents(content: ET.Element, plan: PackagePlan, item: PlanItem) -> None:
    block = _sub(content, "机构人员实体块")
    _agent(block, "单位", plan.fonds_name, plan.agency_code, "立档单位")
    _agent(block, "单位", plan.unit, plan.agency_code, "办案机构")
    people = _unique([*plan.handlers, *(a.agent for a in item.actions), plan.compiled_by, plan.checked_by])
    for name in people:
        if name and name not in (plan.fonds_name, plan.unit):
            _agent(block, "个人", name, "", _position(plan, name))


def _position(plan: PackagePlan, name: str) -> str:
    roles = []
    if name in plan.handlers:
        roles.append("承办人")
    if name == plan.compiled_by:
        roles.append("立卷人")
    if name == plan.checked_by:
        roles.append("检查人")
    return "、".join(roles)


def _agent(block: ET.Element, kind: str, name: str, code: str, position: str) -> None:
    entity = _sub(block, "机构人员实体")
    _sub(entity, "机构人员类型", kind)
    _sub(entity, "机构人员名称", name)
    _sub(entity, "组织机构代码", code)
    _sub(entity, "个人职位", position)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class SignatureFacts:
    identifier: str
    signed_at: datetime
    signer: str
    cms_b64: str
    certificate_b64: str
    certificate_sha256: str
    algorithm: str


def add_signature(root: ET.Element, facts: SignatureFacts) -> None:
    """The 电子签名块 over the (final) 被签名对象."""
    block = _sub(_sub(root, "电子签名块"), "电子签名")
    _sub(block, "签名标识符", facts.identifier)
    _sub(block, "签名规则", SIGNATURE_RULE)
    _sub(block, "签名时间", beijing(facts.signed_at))
    _sub(block, "签名人", facts.signer)
    _sub(block, "签名结果", facts.cms_b64)
    certs = _sub(block, "证书块")
    _sub(certs, "证书", facts.certificate_b64)
    _sub(certs, "证书引用", f"SHA-256:{facts.certificate_sha256}")
    _sub(block, "签名算法标识", facts.algorithm)


# --- 说明文件 and 目录 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Carrier:
    number: str  # 载体编号
    kind: str  # 载体类型: 在线, 光盘 …
    made_at: datetime


def description_element(
    plan: PackagePlan, carrier: Carrier, *, total_bytes: int, originals: int
) -> ET.Element:
    root = ET.Element("说明文件")
    numbers = [item.piece_no for item in plan.items]
    for tag, value in (
        ("载体编号", carrier.number),
        ("载体类型", carrier.kind),
        ("制作时间", beijing(carrier.made_at)),
        ("文件容量", total_bytes),
        ("文件容量单位", "字节"),
        ("移交单位", plan.fonds_name),
        ("全宗号", plan.fonds_no),
        ("年度", plan.year),
        ("案卷档号", plan.archive_no),
        ("案卷题名", plan.title),
        ("保管期限", plan.retention),
        ("归档文件数量", len(plan.items)),
        ("原文数量", originals),
        ("起止件号", f"{min(numbers)}-{max(numbers)}" if numbers else ""),
        ("信息系统名称", plan.system_name),
        ("封装标准", "DA/T 48-2009；元数据 DA/T 46-2009；音视频 DA/T 63-2017"),
    ):
        _plain(root, tag, value)
    if plan.holds:
        holds = ET.SubElement(root, "长期保存事由")
        for hold in plan.holds:
            _plain(holds, "事由", hold)
    return root


CATALOGUE_COLUMNS = (
    "序号",
    "件号",
    "档号",
    "文号",
    "责任者",
    "题名",
    "日期",
    "密级",
    "页数",
    "页号",
    "卷别",
    "备注",
)


def catalogue_rows(plan: PackagePlan) -> list[tuple[str | int, ...]]:
    """The 目录's rows, one per 件, in the file's order (the XLSX and the XML share them)."""
    return [
        (
            number,
            item.piece_no,
            item.archive_no,
            item.doc_no,
            item.responsible,
            item.title,
            _day(item.date),
            item.security,
            item.pages,
            item.first_page if item.pages else "",
            VOLUME_ZH[item.volume],
            item.note,
        )
        for number, item in enumerate(plan.items, start=1)
    ]


def _day(value: date) -> str:
    return value.isoformat()


def catalogue_element(plan: PackagePlan) -> ET.Element:
    root = ET.Element("目录")
    for tag, value in (
        ("案卷档号", plan.archive_no),
        ("案卷题名", plan.title),
        ("全宗名称", plan.fonds_name),
    ):
        _plain(root, tag, value)
    for item, row in zip(plan.items, catalogue_rows(plan), strict=True):
        entry = ET.SubElement(root, "条目")
        for column, cell in zip(CATALOGUE_COLUMNS, row, strict=True):
            _plain(entry, column, cell)
        _plain(entry, "文件夹", folder_name(item.archive_no))
    return root


def xml_bytes(root: ET.Element, *, namespace: str | None = None) -> bytes:
    """Indented UTF-8 XML with its declaration; ``namespace`` becomes the default namespace."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", default_namespace=namespace)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")

"""What goes into one archived case file (案卷) and its package, as plain data. No Django.

The case file (:mod:`liuhen.archive.services`, signed off by the 立卷人 and the 检查人) is turned into a
:class:`PackagePlan`; the package writer (:mod:`liuhen.archive.package`) writes the 归档信息包 from the
plan alone, and the checker (:mod:`liuhen.archive.check`) reads the package alone. So the writer and the
checker never query the database, and a plan can be built by hand in a test.

Names follow the standards the receiving archive checks against (``../shared/reference/standards.md``):
DA/T 22-2015 (件, 档号, 件号, 目录, 备考表), DA/T 46-2009 (the metadata of each 件), DA/T 48-2009 (the
encapsulation), DA/T 63-2017 (A/V metadata), DA/T 70-2018 (四性检测).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Volume = Literal["main", "auxiliary"]  # 正卷 (documents the party sees, external) / 副卷 (internal)
ItemKind = Literal["document", "media"]


@dataclass(frozen=True, slots=True)
class PlanFile:
    """One computer file of an item (计算机文件): the sealed PDF/A of a document, a recording bit for bit,
    a signed paper copy. ``blob`` is its SHA-256 in the blob store (``None`` when ``content`` carries the
    bytes, e.g. a PDF rendered for the package)."""

    name: str  # file name inside the item's folder, ASCII
    sha256: str
    sm3: str
    size: int
    format: str  # 格式信息 as GB/T 18894 names it: "PDF/A-3b", "MP4", "JPEG", "WAV" …
    media_type: str  # "application/pdf", "video/mp4" …
    role: str = "original"  # original | signed_copy | viewing_copy
    blob: str | None = None
    content: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One business action on the item (业务实体块), from the ledger entry that recorded it."""

    action: str  # 业务行为, in Chinese: 制作, 签名, 更正, 审批, 上传, 关联 …
    at: datetime  # 行为时间 (aware)
    agent: str  # 机构人员名称
    basis: str  # 行为依据: the rule citation where one applies (e.g. "longjiang-cg§16"), else ""
    description: str  # 行为描述
    ledger_index: int  # the log entry, so the receiver can check it in the case's bundle


@dataclass(frozen=True, slots=True)
class AvFacts:
    """DA/T 63-style metadata of a recording."""

    duration_s: float | None
    codec: str
    resolution: str  # "1920×1080" or ""
    device_no: str
    captured_start: datetime | None
    captured_end: datetime | None
    location: str
    officers: tuple[str, ...]
    activity: str  # 事项, in Chinese


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One 件 of the case file, in the file's order."""

    piece_no: int  # 件号, 1.. without gaps over the whole file
    archive_no: str  # the item's 档号 (the case file's 档号 plus the 件号)
    kind: ItemKind
    record: str  # "document:12", "media:5"
    volume: Volume
    title: str  # 题名
    doc_no: str  # 文号, "" when none
    responsible: str  # 责任者 (the agency, or the officer for a recording)
    date: date
    security: str  # 密级: "公开" / "内部" / …
    pages: int  # 页数 (documents), 0 for A/V
    first_page: int  # 页号 in the whole file, continuous
    files: tuple[PlanFile, ...]
    actions: tuple[PlanAction, ...]
    note: str = ""  # 备注
    av: AvFacts | None = None


@dataclass(frozen=True, slots=True)
class PackagePlan:
    """A signed-off case file, ready to be packaged."""

    case_id: int
    case_no: str
    archive_no: str  # 档号 of the case file
    fonds_no: str  # 全宗号
    fonds_name: str  # 全宗名称 (the agency)
    agency_code: str
    year: int  # 年度
    retention: str  # 保管期限: "永久" / "30年" / "10年"
    holds: tuple[str, ...]  # the long-term triggers that apply, each with its citation, in Chinese
    title: str  # 案件名称/案由
    parties: tuple[str, ...]  # 当事人 (as the archive may show them)
    decision_no: str  # 决定书文号
    unit: str  # 办案机构
    handlers: tuple[str, ...]  # 承办人
    opened_on: date  # 立案日期
    closed_on: date | None  # 结案日期
    compiled_by: str  # 立卷人
    checked_by: str  # 审核人/检查人
    compiled_on: date  # 立卷日期
    notes: str  # 备考表: 卷内情况说明
    items: tuple[PlanItem, ...]
    system_name: str = "留痕 Liuhen 行政执法全过程记录系统"  # 信息系统名称
    checked_on: date | None = None  # 检查日期 on the 备考表 (the 立卷日期 when not given)

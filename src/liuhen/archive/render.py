"""The whole case file (案卷) as one PDF/A-3b, from a :class:`~liuhen.archive.plan.PackagePlan` alone.

Order of the pages: the cover (案卷封面), the 卷内文件目录 (正卷 then 副卷), the documents' own pages
(正卷 then 副卷, each in the plan's order) with 页号 stamped in the top-right corner (DA/T 22: 正面右上角),
the 音像资料清单 and the 备考表. Cover, 目录, A/V list and 备考表 are typeset by typst through
:func:`liuhen.issuing.render.typeset` (same compiler, fonts and PDF/A level as the documents); the pages
are merged with pikepdf onto the cover's file, which keeps its XMP ``pdfaid`` and OutputIntent.

The documents' PDFs are sealed (PAdES); a merge cannot keep their signatures, so each sealed original
is attached to the case file as a PDF/A-3 associated file (``/AF``, relationship Source), as the stage
bundle of :mod:`liuhen.issuing.services` does, and the 备考表 says so.

页号 count the documents' pages only, from 1, so they are the same numbers the package's 目录 carries
(:attr:`PlanItem.first_page`); a plan whose numbers disagree with the documents' real page counts is
refused rather than printed with a 目录 that points at the wrong page.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pikepdf

from liuhen.archive.plan import PackagePlan, PlanFile, PlanItem
from liuhen.core.clock import SHANGHAI
from liuhen.core.errors import Conflict, NotFound
from liuhen.issuing.render import resolve, typeset

SHIPPED = Path(__file__).parent / "templates"
VOLUME_LABELS = {"main": "正卷", "auxiliary": "副卷"}
XMP_PAGES = "{http://ns.adobe.com/xap/1.0/t/pg/}NPages"  # xmpTPg:NPages
BEIJING = timezone(timedelta(hours=8))  # typst wants a fixed offset; Beijing has kept +08:00 since 1991
STAMP_MARGIN = 28.0  # points from the top and the right edge to the 页号 stamp's box (about 1 cm)


class ContentMissing(NotFound):
    """A document's PDF is neither in the plan nor in the blob store, or is not the bytes the plan names."""


class PagesDisagree(Conflict):
    """The plan's 页数/页号 for a document are not what its PDF holds."""


@dataclass(frozen=True, slots=True)
class _Document:
    item: PlanItem
    file: PlanFile
    content: bytes
    pages: int
    first_page: int


def case_file_pdf(plan: PackagePlan) -> bytes:
    """The case file's PDF/A-3b; the same plan renders to the same bytes."""
    documents = _documents(plan)
    stamp = _timestamp(plan)
    front = _typeset("archive-front.typ", _front_data(plan, documents), plan, stamp)
    back = _typeset("archive-back.typ", _back_data(plan, documents), plan, stamp)
    total = sum(d.pages for d in documents)
    numbers = (
        _typeset("archive-pageno.typ", {"numbers": list(range(1, total + 1))}, plan, stamp) if total else b""
    )
    return _merge(front, documents, numbers, back, stamp)


def _timestamp(plan: PackagePlan) -> datetime:
    return datetime.combine(plan.compiled_on, time(), tzinfo=BEIJING)


def _typeset(name: str, data: dict[str, Any], plan: PackagePlan, stamp: datetime) -> bytes:
    template = resolve(name, plan.agency_code) or SHIPPED / name  # an agency's own copy wins
    return typeset(template, data=data, files={}, agency_code=plan.agency_code, timestamp=stamp)


def in_file_order(items: Iterable[PlanItem]) -> list[PlanItem]:
    """The items as bound: the 正卷 first, then the 副卷, each in the plan's order."""
    listed = list(items)
    return [i for i in listed if i.volume == "main"] + [i for i in listed if i.volume == "auxiliary"]


def _documents(plan: PackagePlan) -> list[_Document]:
    documents: list[_Document] = []
    next_page = 1
    for item in in_file_order(plan.items):
        if item.kind != "document":
            continue
        file = _pdf_of(item)
        content = _content(item, file)
        pages = _page_count(content)
        if (item.pages, item.first_page) != (pages, next_page):
            raise PagesDisagree(
                f"件号 {item.piece_no}《{item.title}》：计划为第 {item.first_page} 页起共 {item.pages} 页，"
                f"文书实为第 {next_page} 页起共 {pages} 页（页号自正卷第一份文书起连续编写，副卷接续）"
            )
        documents.append(_Document(item, file, content, pages, next_page))
        next_page += pages
    return documents


def _pdf_of(item: PlanItem) -> PlanFile:
    pdfs = [f for f in item.files if f.media_type == "application/pdf"]
    originals = [f for f in pdfs if f.role == "original"] or pdfs
    if not originals:
        raise ContentMissing(f"件号 {item.piece_no}《{item.title}》没有 PDF 文件")
    return originals[0]


def _content(item: PlanItem, file: PlanFile) -> bytes:
    if file.content is not None:
        content = file.content
    else:
        from liuhen.cases.blobs import blob_store  # the blob store is configured from Django settings
        from liuhen.storage import BlobNotFound

        try:
            content = b"".join(blob_store().open_range(file.blob or file.sha256))
        except BlobNotFound:
            raise ContentMissing(
                f"件号 {item.piece_no}《{item.title}》的文件 {file.name} 在存储中缺失"
            ) from None
    if hashlib.sha256(content).hexdigest() != file.sha256:
        raise ContentMissing(f"件号 {item.piece_no}《{item.title}》的文件 {file.name} 与其摘要不符")
    return content


def _page_count(content: bytes) -> int:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return len(pdf.pages)


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _catalog_day(value: date) -> str:
    """DA/T 22: the 目录's 日期 as eight digits."""
    return value.strftime("%Y%m%d")


def _moment(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}"


def _until(start: datetime | None, end: datetime) -> str:
    """The end of a recording, without its date when it is the start's day."""
    same_day = start is not None and start.astimezone(SHANGHAI).date() == end.astimezone(SHANGHAI).date()
    return f"{end.astimezone(SHANGHAI):%H:%M:%S}" if same_day else _moment(end)


def _front_data(plan: PackagePlan, documents: Sequence[_Document]) -> dict[str, Any]:
    starts = {d.item.piece_no: d.first_page for d in documents}
    volumes = []
    for volume, label in VOLUME_LABELS.items():
        items = [i for i in plan.items if i.volume == volume]
        if not items:
            continue
        pages = sum(d.pages for d in documents if d.item.volume == volume)
        volumes.append(
            {
                "label": label,
                "summary": f"{len(items)} 件 {pages} 页",
                "rows": [_catalog_row(i, starts.get(i.piece_no)) for i in items],
            }
        )
    return {
        "cover_title": "行政执法案卷",
        "fonds_no": plan.fonds_no,
        "fonds_name": plan.fonds_name,
        "archive_no": plan.archive_no,
        "case_no": plan.case_no,
        "case_title": plan.title,
        "parties": "、".join(plan.parties),
        "decision_no": plan.decision_no or "无",
        "unit": plan.unit,
        "handlers": "、".join(plan.handlers),
        "opened_on": _day(plan.opened_on),
        "closed_on": _day(plan.closed_on),
        "retention": plan.retention,
        "pieces": len(plan.items),
        "pages": sum(d.pages for d in documents),
        "compiled_by": plan.compiled_by,
        "checked_by": plan.checked_by,
        "compiled_on": _day(plan.compiled_on),
        "system_name": plan.system_name,
        "volumes": volumes,
    }


def _catalog_row(item: PlanItem, first_page: int | None) -> dict[str, str]:
    notes = [item.note] if item.note else []
    if item.kind == "media":
        notes.append("音像资料，见音像资料清单")
    if item.security not in ("", "公开"):
        notes.append(item.security)
    return {
        "seq": str(item.piece_no),
        "doc_no": item.doc_no,
        "responsible": item.responsible,
        "title": item.title,
        "date": _catalog_day(item.date),
        "page": str(first_page) if first_page is not None else "—",
        "note": "；".join(notes),
    }


def _back_data(plan: PackagePlan, documents: Sequence[_Document]) -> dict[str, Any]:
    media = [i for i in in_file_order(plan.items) if i.kind == "media"]
    return {
        "archive_no": plan.archive_no,
        "fonds_name": plan.fonds_name,
        "av": [_av_row(i) for i in media],
        "notes": _notes(plan, documents, media),
        "originals": [{"name": _attachment_name(d), "sha256": d.file.sha256} for d in documents],
        "compiled_by": plan.compiled_by,
        "compiled_on": _day(plan.compiled_on),
        "checked_by": plan.checked_by,
        "checked_on": _day(plan.checked_on or plan.compiled_on),
    }


def _av_row(item: PlanItem) -> dict[str, Any]:
    av = item.av
    start, end = (av.captured_start, av.captured_end) if av else (None, None)
    time_text = _moment(start) + (f" 至 {_until(start, end)}" if end else "")
    return {
        "piece_no": item.piece_no,
        "title": item.title,
        "archive_no": item.archive_no,
        "activity": av.activity if av else item.title,
        "time": time_text or _day(item.date),
        "location": (av.location if av else "") or "未记录",
        "method": _method(item),
        "officers": "、".join(av.officers) if av and av.officers else item.responsible,
        "device_no": (av.device_no if av else "") or "未记录",
        "files": [
            {"name": f.name, "format": f.format, "size": _size(f.size), "sha256": f.sha256}
            for f in item.files
        ],
    }


def _method(item: PlanItem) -> str:
    """方式: how the recording was made, from its file type (and length and picture size when known)."""
    kinds = {f.media_type.split("/")[0] for f in item.files}
    way = (
        "录像" if "video" in kinds else "录音" if "audio" in kinds else "拍照" if "image" in kinds else "记录"
    )
    details = []
    if item.av and item.av.duration_s:
        minutes, seconds = divmod(round(item.av.duration_s), 60)
        details.append(f"时长 {minutes} 分 {seconds} 秒")
    if item.av and item.av.resolution:
        details.append(item.av.resolution)
    return way + (f"（{'，'.join(details)}）" if details else "")


def _size(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} 字节"


def _notes(plan: PackagePlan, documents: Sequence[_Document], media: Sequence[PlanItem]) -> list[str]:
    pages = sum(d.pages for d in documents)
    main = [i for i in plan.items if i.volume == "main"]
    notes = [
        f"本卷共 {len(plan.items)} 件，其中正卷 {len(main)} 件、副卷 {len(plan.items) - len(main)} 件；"
        f"文书 {len(documents)} 件共 {pages} 页，页号自正卷第一份文书起连续编写；"
        f"音像资料 {len(media)} 件，见音像资料清单，原文件随归档信息包保存。",
        f"保管期限：{plan.retention}。" + (f"延长保存事由：{'；'.join(plan.holds)}。" if plan.holds else ""),
    ]
    if plan.notes.strip():
        notes.append(plan.notes.strip())
    if documents:
        notes.append(
            "各文书原件为加盖电子印章（PAdES 签名）的 PDF/A 文件；合订后印章签名在本合订文件上不再有效，"
            "故各原件以附件形式嵌入本文件（PDF/A-3 关联文件），核验印章请打开附件或归档信息包中的原件。"
            "附件及其 SHA-256 摘要如下："
        )
    return notes


def _attachment_name(document: _Document) -> str:
    item = document.item
    return f"{item.piece_no:03d}-{item.title}-{document.file.name}"


def _merge(
    front: bytes, documents: Sequence[_Document], numbers: bytes, back: bytes, stamp: datetime
) -> bytes:
    """The front matter's file, with the documents' pages (stamped) and the back matter appended."""
    opened: list[pikepdf.Pdf] = []
    try:
        merged = pikepdf.open(io.BytesIO(front))
        opened.append(merged)
        stamps = _opened(numbers, opened)
        for document in documents:
            source = _opened(document.content, opened)
            for page in source.pages:
                _strip(page)  # signature widgets and structure links belong to the original, not the merge
            merged.pages.extend(source.pages)
        _stamp(merged, stamps, first=len(merged.pages) - sum(d.pages for d in documents))
        tail = _opened(back, opened)
        for page in tail.pages:
            _strip(page)
        merged.pages.extend(tail.pages)
        _attach(merged, documents, stamp)
        with merged.open_metadata(set_pikepdf_as_editor=False) as meta:  # no "now": same plan, same bytes
            meta[XMP_PAGES] = str(len(merged.pages))  # typst counted the cover and 目录 only
        out = io.BytesIO()
        merged.save(out, deterministic_id=True)
        return out.getvalue()
    finally:
        for pdf in reversed(opened):
            pdf.close()


def _opened(content: bytes, opened: list[pikepdf.Pdf]) -> pikepdf.Pdf:
    pdf = pikepdf.new() if not content else pikepdf.open(io.BytesIO(content))
    opened.append(pdf)  # kept open until the merge is saved: appended pages still read from it
    return pdf


def _strip(page: pikepdf.Page) -> None:
    for key in ("/Annots", "/StructParents"):
        if key in page.obj:
            del page.obj[key]


def _stamp(merged: pikepdf.Pdf, stamps: pikepdf.Pdf, *, first: int) -> None:
    """Each document page gets its 页号 box in the top-right corner, whatever the page's size. Drawn as
    a form named after its number (pikepdf's ``add_overlay`` picks a random name, and pages may share
    one resource dictionary), so the same plan still renders to the same bytes."""
    for offset, stamp_page in enumerate(stamps.pages):
        page = merged.pages[first + offset]
        right, top = float(page.mediabox[2]), float(page.mediabox[3])
        width, height = (float(v) for v in stamp_page.mediabox[2:4])
        x, y = right - STAMP_MARGIN - width, top - STAMP_MARGIN * 0.6 - height
        name = pikepdf.Name(f"/LiuhenPageNo{offset + 1}")
        page.add_resource(merged.copy_foreign(stamp_page.as_form_xobject()), pikepdf.Name.XObject, name)
        page.contents_add(pikepdf.Stream(merged, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(merged, f"Q\nq 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q\n".encode()))


def _attach(merged: pikepdf.Pdf, documents: Sequence[_Document], stamp: datetime) -> None:
    when = stamp.strftime("D:%Y%m%d%H%M%S+08'00'")
    specs = pikepdf.Array()
    for document in documents:
        name = _attachment_name(document)
        spec = pikepdf.AttachedFileSpec(
            merged,
            document.content,
            description=f"件号 {document.item.piece_no} 原件（加盖电子印章）",
            filename=name,
            mime_type="application/pdf",
            creation_date=when,
            mod_date=when,
            relationship=pikepdf.Name.Source,
        )
        merged.attachments[name] = spec
        specs.append(spec.obj)
    if len(specs):
        merged.Root.AF = specs

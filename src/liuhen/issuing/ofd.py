"""The same sheet (:mod:`liuhen.issuing.sheet`) as an unsigned OFD package (GB/T 33190-2016).

Chinese government systems exchange fixed-layout documents as OFD; this writes one next to the PDF/A so
a receiver whose tools take only OFD can file and print the document. It is a *rendering*, not the
issued original: it carries no seal signature (see docs on GB/T 38540 for what one needs), and the
sealed PDF/A stays the document of record.

Why the standard library: no maintained Python library writes OFD from text. easyofd converts PDFs
and images to OFD by drawing them (and pulls in PyMuPDF, which is AGPL); the others only read. An OFD
package is a zip of a few small XML parts, so this module lays the text out itself: every line is one
``TextObject`` positioned in millimetres, with glyph advances taken as the font size for CJK and
full-width characters and half of it for the rest, which is how the CJK faces set them.

Fonts are named, not embedded: the Noto CJK faces are 20-27 MB collections (``.ttc``) that OFD cannot
reference as they are, and cutting a subset would need a font library Liuhen does not ship. A reader
without Noto substitutes its own Song/Hei face; the glyph positions stay where they were put.

The same sheet and images give the same bytes: the document id is derived from the leaf hash and copy,
and every zip member is dated at the document's creation.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import segno
from PIL import Image

NS = "http://www.ofdspec.org/2016"
ET.register_namespace("ofd", NS)

PAGE_W, PAGE_H = 210.0, 297.0  # A4, millimetres (the unit of every OFD length)
LEFT, RIGHT, TOP, BOTTOM = 28.0, 26.0, 24.0, 30.0  # the PDF template's margins
TEXT_W = PAGE_W - LEFT - RIGHT
PT = 25.4 / 72  # one point in millimetres
LEADING = 1.6  # line height as a multiple of the font size
SEAL_MM = 42.0
MARK_MM = 12.0
QR_MM = 15.0

SERIF, BOLD, SANS = "serif", "bold", "sans"
FONTS = {  # key → (FontName/FamilyName, bold): the faces the PDF template uses
    SERIF: ("Noto Serif CJK SC", False),
    BOLD: ("Noto Serif CJK SC", True),
    SANS: ("Noto Sans CJK SC", False),
}
IMAGE_FORMATS = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG"}  # OFD takes raster images; SVG is skipped
DOC_ROOT = "Doc_0"


def q(tag: str) -> str:
    """``tag`` in the OFD namespace (serialised with the ``ofd:`` prefix)."""
    return f"{{{NS}}}{tag}"


def advance(char: str, size: float) -> float:
    """How far one glyph moves the pen: a full em for CJK and full-width forms, half for the rest."""
    return size if unicodedata.east_asian_width(char) in ("W", "F", "A") else size / 2


def text_width(text: str, size: float) -> float:
    return sum(advance(c, size) for c in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``, at any character (Chinese has no word
    spaces), each paragraph of a multi-line value on its own line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for char in paragraph:
            step = advance(char, size)
            if line and used + step > width:
                lines.append(line)
                line, used = "", 0.0
            line += char
            used += step
        lines.append(line)
    return lines


def delta_x(text: str, size: float) -> str:
    """The ``DeltaX`` of a ``TextCode``: the advance after each glyph but the last, runs of equal steps
    written ``g <count> <step>`` as GB/T 33190 §11.3 allows."""
    steps = [round(advance(c, size), 3) for c in text[:-1]]
    out: list[str] = []
    i = 0
    while i < len(steps):
        j = i
        while j < len(steps) and steps[j] == steps[i]:
            j += 1
        out.append(f"g {j - i} {_num(steps[i])}" if j - i > 1 else _num(steps[i]))
        i = j
    return " ".join(out)


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


# --- flow: what goes down the page, in order -----------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    size: float  # mm
    font: str = SERIF
    align: str = "left"  # left, center, right
    indent: float = 0.0

    @property
    def height(self) -> float:
        return self.size * LEADING


@dataclass(frozen=True)
class Pictures:
    """A row of captured marks (signature strokes, fingerprints) after the line they belong to."""

    names: tuple[str, ...]
    indent: float = 0.0

    @property
    def height(self) -> float:
        return MARK_MM + 1.0


@dataclass
class Group:
    """Lines that go on one page together when ``keep`` (a signature block, the issue block), else may
    break between any two lines. ``seal`` is drawn centred on the group, which then is at least as tall."""

    items: list[Line | Pictures]
    gap: float = 0.0  # space above
    keep: bool = False
    seal: str | None = None

    @property
    def height(self) -> float:
        own = sum(item.height for item in self.items)
        return max(own, SEAL_MM) if self.seal else own


def paragraph(text: str, size: float, *, font: str = SERIF, indent: float = 0.0, gap: float = 0.0) -> Group:
    lines = wrap(text, size, TEXT_W - indent)
    return Group([Line(t, size, font, indent=indent) for t in lines], gap=gap)


def flow(sheet: Mapping[str, Any], images: Mapping[str, bytes]) -> list[Group]:
    """The sheet's content in reading order, as the PDF templates print it (``notice.typ`` and
    ``record.typ``), fields as ``label：value`` paragraphs in both families."""

    def shown(names: Sequence[str]) -> tuple[str, ...]:
        return tuple(n for n in names if n in images and _image_format(images[n]))

    body = 12 * PT
    small = 9 * PT
    groups = [
        Group([Line(t, 15 * PT, BOLD, "center") for t in wrap(sheet["agency"]["name"], 15 * PT, TEXT_W)]),
        Group([Line(t, 20 * PT, BOLD, "center") for t in wrap(sheet["title"], 20 * PT, TEXT_W)], gap=1.0),
    ]
    if sheet["number"]:
        groups.append(Group([Line(sheet["number"], body, SERIF, "center")]))
    for row in sheet["rows"]:
        groups.append(paragraph(f"{row['label']}：{row['value']}", body, gap=1.5))
        for note in row["amendments"]:
            text = (
                f"更正：原为“{note['before']}”。理由：{note['reason']}。更正人 {note['by']}，{note['at']}。"
            )
            if note["ack"]:
                text += f"当事人确认：{note['ack']}。"
            group = paragraph(text, small, indent=4.0, gap=1.0)
            if marks := shown(note["images"]):
                group.items.append(Pictures(marks, indent=4.0))
            groups.append(group)
    if sheet["officers"]:
        parts = []
        for officer in sheet["officers"]:
            part = officer["name"] + (f"（执法证号 {officer['cert_no']}）" if officer["cert_no"] else "")
            parts.append(part + (f" {officer['signed']}" if officer["signed"] else ""))
        group = paragraph("执法人员：" + "；".join(parts), 11 * PT, gap=5.0)
        group.keep = True
        if marks := shown([img for o in sheet["officers"] for img in o["images"]]):
            group.items.append(Pictures(marks))
        groups.append(group)
    for signature in sheet["signatures"]:
        text = f"{signature['role']}：{signature['name']}  {signature['method']} {signature['at']}"
        if signature["cross_page"]:
            text += "，已捺骑缝手印/盖骑缝章"
        group = paragraph(text, 11 * PT, gap=3.0)
        group.keep = True
        if marks := shown(signature["images"]):
            group.items.append(Pictures(marks))
        groups.append(group)
    for refusal in sheet["refusals"]:
        witnesses = "、".join(
            c["name"] + (f"（执法证号 {c['cert_no']}）" if c["cert_no"] else "") for c in refusal["cosigners"]
        )
        text = (
            f"拒绝签名：{refusal['role']} {refusal['name']} 拒绝签名。情况：{refusal['reason']}（{refusal['at']}）"
            f"\n见证执法人员签名：{witnesses}"
        )
        group = paragraph(text, 11 * PT, gap=3.0)
        group.keep = True
        groups.append(group)
    if sheet["family"] == "notice":
        seal = sheet["seal"]["file"]
        issue: list[Line | Pictures] = [
            Line(sheet["agency"]["name"], body, SERIF, "right"),
            Line(sheet["issue_date"], body, SERIF, "right"),
        ]
        groups.append(Group(issue, gap=8.0, keep=True, seal=seal if seal and shown([seal]) else None))
    return groups


# --- pages: the flow cut to the body area, each item with its place -----------------------------


@dataclass(frozen=True)
class Placed:
    item: Line | Pictures
    y: float  # top of the item's box, mm from the top of the page


@dataclass
class Page:
    items: list[Placed] = field(default_factory=list)
    seals: list[tuple[str, float, float]] = field(default_factory=list)  # name, centre x, centre y


def paginate(groups: Sequence[Group]) -> list[Page]:
    """Groups down the body area, a new page where the next line (or kept group) does not fit."""
    bottom = PAGE_H - BOTTOM
    pages = [Page()]
    y = TOP
    for group in groups:
        if group.keep and y + group.gap + group.height > bottom and pages[-1].items:
            pages.append(Page())
            y = TOP
        y += group.gap if pages[-1].items else 0.0
        top = y
        pad = (group.height - sum(i.height for i in group.items)) / 2  # text centred under a seal
        y += pad
        for item in group.items:
            if y + item.height > bottom and pages[-1].items:
                pages.append(Page())
                y = TOP
            pages[-1].items.append(Placed(item, y))
            y += item.height
        y += pad
        if group.seal:
            widest = max(text_width(i.text, i.size) for i in group.items if isinstance(i, Line))
            pages[-1].seals.append((group.seal, PAGE_W - RIGHT - widest / 2, (top + y) / 2))
    return pages


# --- the package -----------------------------------------------------------------------------------


class _Ids:
    """One counter for every ID in the document (fonts, images, pages, layers, objects): GB/T 33190
    requires them unique within the document, and ``MaxUnitID`` is the largest."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self) -> str:
        self.last += 1
        return str(self.last)


def sheet_to_ofd(sheet: Mapping[str, Any], *, images: Mapping[str, bytes] = MappingProxyType({})) -> bytes:
    """The OFD package (zip bytes) of ``sheet``, with ``images`` (file name → bytes, as the sheet names
    them) drawn where the sheet places them: the seal over the issue date, captured marks after their
    lines. A QR code of the verification address is drawn in every footer, as on the PDF."""
    ids = _Ids()
    created = _created(sheet["created"])
    fonts = {key: ids() for key in FONTS}
    pages = paginate(flow(sheet, images))
    used = sorted(
        {n for page in pages for p in page.items if isinstance(p.item, Pictures) for n in p.item.names}
        | {name for page in pages for name, _, _ in page.seals}
    )
    media = {"qr.png": _qr_png(sheet["verify"]["url"]), **{n: images[n] for n in used}}
    media_ids = {name: ids() for name in media}
    sizes = {name: _pixel_size(data) for name, data in media.items()}

    parts: dict[str, bytes] = {}
    page_ids: list[str] = []
    for number, page in enumerate(pages, 1):
        page_ids.append(ids())
        content = _page(sheet, page, number, len(pages), ids, fonts, media_ids, sizes)
        parts[f"{DOC_ROOT}/Pages/Page_{number - 1}/Content.xml"] = content
    parts[f"{DOC_ROOT}/PublicRes.xml"] = _public_res(fonts)
    parts[f"{DOC_ROOT}/DocumentRes.xml"] = _document_res(media, media_ids)
    for name, data in media.items():
        parts[f"{DOC_ROOT}/Res/{name}"] = data
    parts[f"{DOC_ROOT}/Document.xml"] = _document(ids.last, page_ids)
    parts["OFD.xml"] = _entry(sheet, created)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in ("OFD.xml", *sorted(p for p in parts if p != "OFD.xml")):
            info = zipfile.ZipInfo(name, date_time=(created.year, created.month, created.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, parts[name])
    return out.getvalue()


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, q(tag), attrs)
    if text is not None:
        element.text = text
    return element


def _entry(sheet: Mapping[str, Any], created: date) -> bytes:
    """``OFD.xml``: the document's metadata, with the leaf hash among its keywords (as in the PDF)."""
    root = ET.Element(q("OFD"), {"Version": "1.0", "DocType": "OFD"})
    body = _sub(root, "DocBody")
    info = _sub(body, "DocInfo")
    leaf = sheet["verify"]["leaf_hash"]
    _sub(info, "DocID", uuid.uuid5(uuid.NAMESPACE_URL, f"{sheet['verify']['url']}#{sheet['copy']}").hex)
    _sub(info, "Title", f"{sheet['title']} {sheet['number']}".strip())
    _sub(info, "Author", sheet["agency"]["name"])
    _sub(info, "Subject", f"{sheet['case_no']} {sheet['version_label']} {sheet['copy']}")
    _sub(info, "CreationDate", created.isoformat())
    keywords = _sub(info, "Keywords")
    for keyword in (sheet["case_no"], leaf):
        _sub(keywords, "Keyword", keyword)
    _sub(info, "Creator", "留痕 Liuhen")
    custom = _sub(info, "CustomDatas")
    for name, value in (
        ("leaf_hash", leaf),
        ("verify_url", sheet["verify"]["url"]),
        ("version", str(sheet["version"])),
    ):
        _sub(custom, "CustomData", value, Name=name)
    _sub(body, "DocRoot", f"{DOC_ROOT}/Document.xml")
    return _xml(root)


def _document(max_id: int, page_ids: Sequence[str]) -> bytes:
    root = ET.Element(q("Document"))
    common = _sub(root, "CommonData")
    _sub(common, "MaxUnitID", str(max_id))
    _sub(_sub(common, "PageArea"), "PhysicalBox", f"0 0 {_num(PAGE_W)} {_num(PAGE_H)}")
    _sub(common, "PublicRes", "PublicRes.xml")
    _sub(common, "DocumentRes", "DocumentRes.xml")
    pages = _sub(root, "Pages")
    for index, page_id in enumerate(page_ids):
        _sub(pages, "Page", ID=page_id, BaseLoc=f"Pages/Page_{index}/Content.xml")
    return _xml(root)


def _public_res(fonts: Mapping[str, str]) -> bytes:
    root = ET.Element(q("Res"), {"BaseLoc": "Res"})
    listed = _sub(root, "Fonts")
    for key, font_id in fonts.items():
        name, bold = FONTS[key]
        attrs = {
            "ID": font_id,
            "FontName": name,
            "FamilyName": name,
            "Serif": "true" if "Serif" in name else "false",
        }
        if bold:
            attrs["Bold"] = "true"
        _sub(listed, "Font", **attrs)
    return _xml(root)


def _document_res(media: Mapping[str, bytes], media_ids: Mapping[str, str]) -> bytes:
    root = ET.Element(q("Res"), {"BaseLoc": "Res"})
    listed = _sub(root, "MultiMedias")
    for name, data in media.items():
        fmt = _image_format(data)
        assert fmt is not None  # only PNG and JPEG get this far
        item = _sub(listed, "MultiMedia", ID=media_ids[name], Type="Image", Format=fmt)
        _sub(item, "MediaFile", name)
    return _xml(root)


def _page(
    sheet: Mapping[str, Any],
    page: Page,
    number: int,
    total: int,
    ids: _Ids,
    fonts: Mapping[str, str],
    media_ids: Mapping[str, str],
    sizes: Mapping[str, tuple[int, int]],
) -> bytes:
    """One page's ``Content.xml``: a body layer with the text and marks, and a foreground layer with the
    seal, the copy label and the footer."""
    root = ET.Element(q("Page"))
    content = _sub(root, "Content")
    body = _sub(content, "Layer", ID=ids(), Type="Body")
    for placed in page.items:
        item = placed.item
        if isinstance(item, Line):
            _text(body, ids, fonts, item, placed.y)
        else:
            x = LEFT + item.indent
            for name in item.names:
                w, h = _fit(sizes[name], MARK_MM)
                _image(body, ids, media_ids[name], x, placed.y, w, h)
                x += w + 2.0
    front = _sub(content, "Layer", ID=ids(), Type="Foreground")
    for name, cx, cy in page.seals:
        w, h = _fit(sizes[name], SEAL_MM)
        _image(front, ids, media_ids[name], cx - w / 2, cy - h / 2, w, h)
    if number == 1:
        _text(front, ids, fonts, Line(f"（{sheet['copy']}）", 9 * PT, SANS, "right"), TOP - 6.0)
    foot = PAGE_H - BOTTOM + 5.0
    _image(front, ids, media_ids["qr.png"], LEFT, foot, QR_MM, QR_MM)
    note = f"扫码或访问下列地址核验本文书是否载于留痕日志（{sheet['case_no']}，{sheet['version_label']}）"
    y = foot + 2.0
    for text in wrap(note, 7 * PT, TEXT_W - QR_MM - 32.0):
        _text(front, ids, fonts, Line(text, 7 * PT, SANS, indent=QR_MM + 3.0), y)
        y += 7 * PT * LEADING
    for text in wrap(sheet["verify"]["url"], 5.5 * PT, TEXT_W - QR_MM - 32.0):
        _text(front, ids, fonts, Line(text, 5.5 * PT, SANS, indent=QR_MM + 3.0), y)
        y += 5.5 * PT * LEADING
    _text(front, ids, fonts, Line(f"第 {number} 页 共 {total} 页", 7 * PT, SANS, "right"), foot + 5.0)
    return _xml(root)


def _text(layer: ET.Element, ids: _Ids, fonts: Mapping[str, str], line: Line, top: float) -> None:
    """One line as a ``TextObject`` whose boundary is the line's box; the baseline sits where the
    face's ascent puts it (0.88 em below the top of the glyph box)."""
    if not line.text:
        return
    width = text_width(line.text, line.size)
    if line.align == "center":
        x = LEFT + (TEXT_W - width) / 2
    elif line.align == "right":
        x = PAGE_W - RIGHT - width
    else:
        x = LEFT + line.indent
    box = f"{_num(x)} {_num(top)} {_num(width)} {_num(line.height)}"
    obj = _sub(layer, "TextObject", ID=ids(), Boundary=box, Font=fonts[line.font], Size=_num(line.size))
    if FONTS[line.font][1]:
        obj.set("Weight", "700")  # for a reader that substitutes a face without a bold cut
    baseline = (line.height - line.size) / 2 + 0.88 * line.size
    code = _sub(obj, "TextCode", line.text, X="0", Y=_num(baseline))
    if len(line.text) > 1:
        code.set("DeltaX", delta_x(line.text, line.size))


def _image(layer: ET.Element, ids: _Ids, resource: str, x: float, y: float, w: float, h: float) -> None:
    box = f"{_num(x)} {_num(y)} {_num(w)} {_num(h)}"
    _sub(
        layer, "ImageObject", ID=ids(), Boundary=box, CTM=f"{_num(w)} 0 0 {_num(h)} 0 0", ResourceID=resource
    )


def _fit(pixels: tuple[int, int], height: float) -> tuple[float, float]:
    """An image's width and height in mm at ``height``, keeping its aspect."""
    w, h = pixels
    return height * w / h, height


def _image_format(data: bytes) -> str | None:
    return next((fmt for magic, fmt in IMAGE_FORMATS.items() if data.startswith(magic)), None)


def _pixel_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=4, border=0)
    return out.getvalue()


_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _created(shown: str) -> date:
    """The date of the sheet's ``created`` (``2026年3月2日 9时30分``, Beijing time)."""
    found = _CN_DATE.match(shown)
    if found is None:
        raise ValueError(f"not a sheet date: {shown!r}")
    return date(int(found[1]), int(found[2]), int(found[3]))

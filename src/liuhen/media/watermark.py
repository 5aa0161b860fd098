"""Visible watermarks on copies: who made the copy, when, under which approval. Pure: no Django.

A copy (复制) or an external release hands out documents as PDF and photos and A/V viewing copies with
the text burnt in; A/V originals are never altered (they travel bit for bit beside the viewing copy).

- PDF: one transparent overlay page per page size is typeset with typst (the same system font lookup as
  :mod:`liuhen.issuing.render`, the Noto CJK faces) and laid over every page with pikepdf: a large
  diagonal text across the page and one line at the foot that ``pdftotext`` reads back whole. The
  original content streams stay as they are, under the overlay.
- Photos and video: the text is drawn once with Pillow into a tiled RGBA picture the size of the frame;
  a photo is composited with it, a video goes through FFmpeg's ``overlay`` filter
  (:func:`liuhen.media.redact.transcode`) into MP4 (H.264 + AAC).
"""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import typst
from PIL import Image, ImageDraw, ImageFont, ImageOps

from liuhen.media.redact import PRESET, _atomic, _photo_options, transcode, video_geometry
from liuhen.media.thumbnails import MediaError

FAMILY = "Noto Sans CJK SC"
INK = (255, 255, 255, 120)  # light text with a dark edge: readable on dark and on light pictures
EDGE = (0, 0, 0, 96)
PAGE_TEMPLATE = """
#let lines = sys.inputs.text.split("\\n")
#set page(width: {width}pt, height: {height}pt, margin: 0pt, fill: none)
#set text(font: "{family}", fill: rgb(200, 30, 30, 30%), cjk-latin-spacing: none)
#place(center + horizon, rotate(-{angle}deg, reflow: false,
  block(width: {diagonal}pt, align(center, text(size: {big}pt, lines.join(linebreak()))))))
#place(bottom + center, dy: -{foot}pt,
  text(size: {small}pt, fill: rgb(200, 30, 30, 75%), lines.join("  ")))
"""


class FontsMissing(RuntimeError):
    """The Noto CJK faces are not installed (``apt-get install fonts-noto-cjk``)."""


@cache
def _fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


@cache
def _compiler() -> typst.Compiler:
    if FAMILY not in _fonts().families():
        raise FontsMissing(f"缺少中文字体 {FAMILY}：请安装 fonts-noto-cjk")
    return typst.Compiler(font_paths=_fonts())


def font_file() -> tuple[str, int]:
    """Path and collection index of the regular Noto Sans CJK SC face, found as typst finds it."""
    faces = [f for f in _fonts().fonts() if f.family == FAMILY and f.path and f.style == "normal"]
    if not faces:
        raise FontsMissing(f"缺少中文字体 {FAMILY}：请安装 fonts-noto-cjk")
    face = min(faces, key=lambda f: abs(f.weight - 400))
    assert face.path is not None
    return face.path, face.index


# -- PDF ------------------------------------------------------------------------------------------------


def watermark_pdf(pdf: bytes, text: str) -> bytes:
    """``pdf`` with every page overlaid by ``text`` (lines split on ``\\n``): large, diagonal and
    translucent across the page, and once at its foot; ``pdftotext`` extracts it. Content is kept.

    The overlay rewrites the file, so any signature it carried no longer covers it: its signature
    fields (and the validation data kept for them) are dropped rather than left to read as broken; the
    caller seals the copy anew if it should carry a seal."""
    overlays: dict[tuple[float, float], pikepdf.Pdf] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _drop_signatures(document)
        for page in document.pages:
            box = pikepdf.Rectangle(page.trimbox)
            size = (round(box.width, 2), round(box.height, 2))
            if int(page.obj.get("/Rotate", 0)) % 180:  # placed upright on a turned page
                size = (size[1], size[0])
            if size not in overlays:
                overlays[size] = pikepdf.open(io.BytesIO(_overlay_page(*size, text)))
            page.add_overlay(overlays[size].pages[0], box)
        out = io.BytesIO()
        document.save(out)
    for overlay in overlays.values():
        overlay.close()
    return out.getvalue()


def _is_signature(field: pikepdf.Object | None) -> bool:
    """A signature field, or a widget of one (its kind may sit on a parent field)."""
    while isinstance(field, pikepdf.Dictionary):
        if field.get("/FT") == pikepdf.Name.Sig:
            return True
        field = field.get("/Parent")
    return False


def _drop_signatures(document: pikepdf.Pdf) -> None:
    """Remove signature fields, their widgets, the certification permissions and the DSS."""
    root = document.Root
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/Fields" in form:
        form.Fields = pikepdf.Array([f for f in form.Fields if not _is_signature(f)])
        if "/SigFlags" in form:
            del form["/SigFlags"]
    for key in ("/Perms", "/DSS"):
        if key in root:
            del root[key]
    for page in document.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            page.obj.Annots = pikepdf.Array([a for a in annots if not _is_signature(a)])


def _overlay_page(width: float, height: float, text: str) -> bytes:
    """One transparent page of ``width``×``height`` points carrying the watermark."""
    shorter = min(width, height)
    angle = math.degrees(math.atan2(height, width))
    source = PAGE_TEMPLATE.format(
        width=width,
        height=height,
        family=FAMILY,
        angle=round(angle, 2),
        diagonal=round(math.hypot(width, height) * 0.8, 2),
        big=round(max(10.0, shorter / 16), 2),
        small=round(max(5.0, min(9.0, shorter / 60)), 2),
        foot=round(max(4.0, shorter / 70), 2),
    )
    result = _compiler().compile(input=source.encode("utf-8"), format="pdf", sys_inputs={"text": text})
    assert isinstance(result, bytes)
    return result


# -- pictures -------------------------------------------------------------------------------------------


def tiled_text(width: int, height: int, text: str) -> Image.Image:
    """A transparent ``width``×``height`` RGBA picture covered with ``text`` in diagonal rows."""
    path, index = font_file()
    size = max(12, round(min(width, height) / 22))
    font = ImageFont.truetype(path, size=size, index=index)
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    stroke = max(1, size // 16)
    left, top, right, bottom = probe.multiline_textbbox((0, 0), text, font=font, stroke_width=stroke)
    tile = Image.new(
        "RGBA", (math.ceil(right - left) + size * 3, math.ceil(bottom - top) + size * 3), (0, 0, 0, 0)
    )
    ImageDraw.Draw(tile).multiline_text(
        (size * 1.5 - left, size * 1.5 - top),
        text,
        font=font,
        fill=INK,
        stroke_width=stroke,
        stroke_fill=EDGE,
        align="center",
    )
    tile = tile.rotate(30, expand=True, resample=Image.Resampling.BICUBIC)
    sheet = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    step_x, step_y = max(1, tile.width), max(1, tile.height * 3 // 4)
    for row, y in enumerate(range(-tile.height // 2, height, step_y)):
        shift = (row % 2) * step_x // 2
        for x in range(-step_x + shift, width, step_x):
            sheet.alpha_composite(tile, dest=(max(x, 0), max(y, 0)), source=(max(-x, 0), max(-y, 0)))
    return sheet


def watermark_photo(src: Path, dst: Path, text: str) -> None:
    """``src`` (JPEG or PNG) with ``text`` tiled across it, upright by its EXIF orientation, in the same
    format, without metadata (a copy: the original keeps its EXIF)."""
    with Image.open(src) as original:
        fmt = original.format
        if fmt not in {"JPEG", "PNG"}:
            raise MediaError(f"{src}: photo watermarking takes JPEG or PNG, not {fmt}")
        picture = ImageOps.exif_transpose(original)
        mode = picture.mode
        marked = picture.convert("RGBA")
        marked.alpha_composite(tiled_text(marked.width, marked.height, text))
        keep_alpha = "A" in mode or "transparency" in picture.info
        result: Any = marked if keep_alpha and fmt == "PNG" else marked.convert("RGB")
        if mode in {"L", "LA"}:
            result = marked.convert("LA" if keep_alpha and fmt == "PNG" else "L")
        options = _photo_options(original, fmt)
        with _atomic(dst) as part:
            result.save(part, format=fmt, **options)


def watermark_video(src: Path, dst: Path, text: str, *, threads: int = 0, preset: str = PRESET) -> None:
    """A viewing copy of ``src``: MP4 (H.264 + AAC) with ``text`` tiled over every frame, sound and
    timestamps kept. The source is only read."""
    width, height, _ = video_geometry(src)
    if not width:
        raise MediaError(f"{src}: no picture to watermark")
    sheet = tiled_text(width + width % 2, height + height % 2, text)
    transcode(src, dst, overlay=sheet, threads=threads, preset=preset)

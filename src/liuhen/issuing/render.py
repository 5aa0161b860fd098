"""Typeset a sheet (:mod:`liuhen.issuing.sheet`) into PDF/A-3b with typst.

Why typst: it is one Rust library in a wheel (no system libraries to install on Kylin/UOS/Debian), it
writes PDF/A-2b/3b itself (XMP ``pdfaid``, OutputIntent, embedded font subsets), it can attach the
record's JSON (PDF/A-3 associated file), and it typesets a three-page 询问笔录 in tens of milliseconds
(see docs/benchmarks.md). Templates are plain text files an agency can copy and change.

Each render runs in a fresh temporary folder that holds the template, the shared ``liuhen.typ``, the
sheet as ``data.json``, the attached ``record.json``, the QR code and the images; typst may read
nothing outside it.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

import segno
import typst
from django.conf import settings

from liuhen.core.errors import DomainError, FieldError

SHIPPED = Path(__file__).parent / "templates"
LIBRARY = "liuhen.typ"
PDF_STANDARD: Final = "a-3b"
_WHERE = re.compile(r"(?P<name>[^/\\\s]+\.typ):(?P<line>\d+):(?P<col>\d+)")
REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


class RenderError(DomainError):
    """A template that does not compile, with where: ``notice.typ:12:5: unknown variable: foo``. Not the
    reader's fault but not a crash either: the API answers 422 naming the template, the CLI one line."""

    status = 422
    code = "render_failed"

    def __init__(self, message: str) -> None:
        super().__init__(message, errors=[FieldError("template", "render_failed", message)])


class FontsMissing(RenderError):
    """The CJK faces every issued document embeds are not installed."""


def template_names(doc_type: str, family: str) -> tuple[str, ...]:
    """The template files tried for a type, most specific first: its own, then its family's."""
    return (f"{doc_type}.typ", f"{family}.typ")


def resolve(name: str, agency_code: str) -> Path | None:
    """Where template ``name`` comes from: the agency's folder, the installation's, or Liuhen's."""
    base = Path(settings.LIUHEN_TEMPLATE_DIR)
    for folder in (base / agency_code, base, SHIPPED):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def choose_template(doc_type: str, family: str, agency_code: str) -> Path:
    for name in template_names(doc_type, family):
        found = resolve(name, agency_code)
        if found is not None:
            return found
    raise RenderError(f"没有可用的版式模板：{family}.typ")


@cache
def compiler() -> typst.Compiler:
    """One compiler per process: the font book is scanned once (the CJK collections are large)."""
    fonts = typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)
    missing = [family for family in REQUIRED_FAMILIES if family not in fonts.families()]
    if missing:
        raise FontsMissing(f"缺少中文字体 {'、'.join(missing)}：请安装 fonts-noto-cjk（make run 会自动安装）")
    return typst.Compiler(font_paths=fonts)


def qr_svg(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", border=0, xmldecl=False)
    return out.getvalue()


def render_pdf(
    *,
    sheet: Mapping[str, Any],
    record: Mapping[str, Any],
    doc_type: str,
    agency_code: str,
    images: Mapping[str, bytes],
    timestamp: datetime,
) -> bytes:
    """The PDF/A-3b of ``sheet``, with ``record`` attached as ``record.json`` and ``images`` (file name →
    bytes, as named in the sheet) beside the template. ``timestamp`` is the document's creation date in
    the PDF, so the same version renders to the same bytes."""
    template = choose_template(doc_type, sheet["family"], agency_code)
    files = {
        "record.json": json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"),
        "qr.svg": qr_svg(sheet["verify"]["url"]),
        **images,
    }
    return typeset(template, data=sheet, files=files, agency_code=agency_code, timestamp=timestamp)


def typeset(
    template: Path,
    *,
    data: Mapping[str, Any],
    files: Mapping[str, bytes],
    agency_code: str,
    timestamp: datetime,
) -> bytes:
    """PDF/A-3b of ``template`` (a document's, by :func:`render_pdf`, or the archive's case-file cover,
    目录 and 备考表): a fresh folder holding the agency's ``liuhen.typ``, the template, ``data`` as
    ``data.json`` and ``files`` (name → bytes), so it may read nothing else; a template error is a
    :class:`RenderError` naming its line."""
    typesetter = compiler()
    with tempfile.TemporaryDirectory(prefix="liuhen-render-") as folder:
        root = Path(folder)
        library = resolve(LIBRARY, agency_code)
        assert library is not None  # shipped with Liuhen
        shutil.copyfile(library, root / LIBRARY)
        shutil.copyfile(template, root / template.name)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, content in files.items():
            (root / name).write_bytes(content)
        try:
            pdf = typesetter.compile(
                input=str(root / template.name),
                root=str(root),
                format="pdf",
                pdf_standards=[PDF_STANDARD],
                timestamp=timestamp.replace(microsecond=0),
            )
        except typst.TypstError as exc:
            raise RenderError(_located(exc, {template.name: template, LIBRARY: library})) from None
    assert isinstance(pdf, bytes)
    return pdf


def _located(exc: typst.TypstError, sources: dict[str, Path]) -> str:
    """typst's diagnostic as one line naming the template's own file (not the render folder's copy),
    the line and the column: ``版式模板错误：/srv/liuhen/templates/lj/record.typ:12:5：unknown variable``."""
    message = getattr(exc, "message", "") or str(exc).splitlines()[0]
    where = ""
    for line in str(getattr(exc, "diagnostic", "") or exc).splitlines():
        found = _WHERE.search(line)
        if found:
            source = sources.get(found["name"])
            where = f"{source or found['name']}:{found['line']}:{found['col']}"
            break
    return f"版式模板错误：{where or '、'.join(str(p) for p in sources.values())}：{message}"

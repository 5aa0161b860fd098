"""Reading back the PDFs Liuhen issues, as a receiver's tools would: pypdf for the text, pikepdf for the
PDF/A markers (XMP ``pdfaid``, embedded fonts, OutputIntent, no encryption) and the attached record."""

from __future__ import annotations

import io
import re

import pikepdf
import pypdf


def text_of(pdf: bytes) -> str:
    """All pages' text with white space removed (extractors put spaces between Han and Latin runs)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def compact(value: str) -> str:
    return re.sub(r"\s+", "", value)


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def pdfa_problems(pdf: bytes) -> list[str]:
    """What keeps ``pdf`` from carrying PDF/A-3b's markers (empty when none is missing)."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if doc.is_encrypted:
            problems.append("encrypted")
        with doc.open_metadata() as meta:
            if meta.get("pdfaid:part") != "3" or str(meta.get("pdfaid:conformance", "")).upper() != "B":
                problems.append(f"pdfaid {meta.get('pdfaid:part')}/{meta.get('pdfaid:conformance')}")
        intents = doc.Root.get("/OutputIntents")
        if not intents or intents[0].get("/S") != "/GTS_PDFA1" or "/DestOutputProfile" not in intents[0]:
            problems.append("no PDF/A OutputIntent with an ICC profile")
        for page in doc.pages:
            for name, font in (page.Resources.get("/Font") or {}).items():
                if not _embedded(font):
                    problems.append(f"font {name} not embedded")
    return problems


def _embedded(font: pikepdf.Object) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))

"""Real small images and scans for the tests of signature marks and signed copies (made with Pillow)."""

from __future__ import annotations

import io

from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (80, 30), seed: int = 0) -> bytes:
    """A decodable image in ``fmt`` whose bytes differ by ``seed``."""
    out = io.BytesIO()
    Image.new("RGB", size, (seed % 256, 40, 90)).save(out, format=fmt)
    return out.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    """A valid PDF of ``pages`` blank pages (Pillow writes one page per image)."""
    out = io.BytesIO()
    images = [Image.new("RGB", (60, 80), "white") for _ in range(pages)]
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()

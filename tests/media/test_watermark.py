"""watermark_pdf(), watermark_photo(), watermark_video(): visible text on copies, originals untouched.

The PDF's text is read back with poppler's ``pdftotext``; pictures are compared with Pillow.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import av
import pikepdf
import pytest
from PIL import Image, ImageChops, ImageStat

from liuhen.media.watermark import _compiler, watermark_pdf, watermark_photo, watermark_video
from tests.media.test_redact import SIZE, digest, frames, luma, make_clip, textured

TEXT = "复制人：张三\n2026-03-01 10:00\n调阅〔2026〕7号"
FOOT = "复制人：张三 2026-03-01 10:00 调阅〔2026〕7号"  # as pdftotext spaces it, words split once


def _source_pdf() -> bytes:
    """Two pages of different sizes (A4 portrait, A5 landscape), each with its own text."""
    source = (
        '#set text(font: "Noto Serif CJK SC")\n'
        '#set page(paper: "a4")\n询问笔录正文第一页\n'
        '#pagebreak()\n#set page(paper: "a5", flipped: true)\n第二页当事人陈述'
    )
    result = _compiler().compile(input=source.encode("utf-8"), format="pdf")
    assert isinstance(result, bytes)
    return result


def _pdftotext(pdf: bytes, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_given_pdf_when_watermarked_then_pdftotext_reads_the_mark_and_the_original_text_on_every_page():
    """GIVEN a two-page PDF (A4 portrait, A5 landscape) WHEN watermarked with the requester, time and
    approval number THEN pdftotext finds the whole mark and the original text on each page, and the
    page count and sizes are unchanged."""
    source = _source_pdf()
    assert FOOT not in _pdftotext(source, 1)

    marked = watermark_pdf(source, TEXT)

    for page, original in ((1, "询问笔录正文第一页"), (2, "第二页当事人陈述")):
        text = _pdftotext(marked, page)
        assert FOOT in " ".join(text.split()), text
        assert original in text
    with pikepdf.open(io.BytesIO(source)) as before, pikepdf.open(io.BytesIO(marked)) as after:
        assert [tuple(p.mediabox) for p in after.pages] == [tuple(p.mediabox) for p in before.pages]


def test_given_jpeg_with_exif_when_watermarked_then_text_spread_over_the_picture_and_no_metadata(tmp_path):
    """GIVEN a 640x480 JPEG with EXIF WHEN watermarked THEN the output is a same-size JPEG without EXIF,
    changed in every quadrant (tiled text) yet mostly like the source, and the source is unchanged."""
    src = tmp_path / "scene.jpg"
    exif = Image.Exif()
    exif[0x0110] = "Camera-X"
    picture = textured((640, 480))
    picture.save(src, quality=92, exif=exif.tobytes())
    before = digest(src)

    watermark_photo(src, tmp_path / "copy.jpg", TEXT)

    assert digest(src) == before
    assert b"Camera-X" not in (tmp_path / "copy.jpg").read_bytes()
    with Image.open(tmp_path / "copy.jpg") as out:
        assert (out.format, out.size) == ("JPEG", (640, 480))
        diff = ImageChops.difference(out.convert("L"), picture.convert("L"))
        for box in ((0, 0, 320, 240), (320, 0, 640, 240), (0, 240, 320, 480), (320, 240, 640, 480)):
            marked = diff.crop(box).point(lambda v: 255 if v > 40 else 0)
            share = ImageStat.Stat(marked).mean[0] / 255
            assert 0.01 < share < 0.5, (box, share)


def test_given_clip_when_viewing_copy_made_then_mark_burnt_into_every_frame_with_sound(tmp_path):
    """GIVEN a 3 s clip with sound WHEN a watermarked viewing copy is made THEN it is H.264 + AAC with the
    same frame times, each frame carries the mark (differs from the source) but keeps the picture, and
    the source file is unchanged."""
    clip = make_clip(tmp_path / "cam.mp4")
    before = digest(clip)

    watermark_video(clip, tmp_path / "view.mp4", TEXT)

    assert digest(clip) == before
    source, copy = frames(clip), frames(tmp_path / "view.mp4")
    assert [t for t, _ in copy] == [t for t, _ in source]
    whole = (0, 0, *SIZE)
    for (_, original), (t, image) in zip(source, copy, strict=True):
        diff = ImageChops.difference(image.convert("L"), original.convert("L"))
        assert ImageStat.Stat(diff.point(lambda v: 255 if v > 40 else 0)).mean[0] > 2, t
        assert abs(luma(image, whole) - luma(original, whole)) < 25, t
    with av.open(str(tmp_path / "view.mp4")) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"

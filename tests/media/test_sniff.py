"""What type a stored file is served with: sniffed from real files FFmpeg writes, never the uploader's word."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import pytest

from liuhen.media.sniff import HEAD_BYTES, OCTET_STREAM, SAFE_TYPES, delivery, sniff_type
from tests.media.heif_builder import heic


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)


def _video(path: Path, fmt: str, codec: str, pix_fmt: str = "yuv420p") -> Path:
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, pix_fmt
        for i in range(5):
            frame = av.VideoFrame(64, 48, "yuv420p").reformat(format=pix_fmt)
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def _audio(path: Path, fmt: str, codec: str, rate: int = 8000, options: dict | None = None) -> Path:
    with av.open(str(path), "w", format=fmt, options=options or {}) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        sample_format = stream.codec_context.format.name
        samples = stream.codec_context.frame_size or 1024
        for i in range(6):
            frame = av.AudioFrame(format=sample_format, layout="mono", samples=samples)
            frame.sample_rate, frame.pts = rate, i * samples
            for plane in frame.planes:
                plane.update(bytes(plane.buffer_size))
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def _image(path: Path, codec: str, pix_fmt: str, fmt: str = "image2") -> Path:
    frame = av.VideoFrame(64, 48, "rgb24").reformat(format=pix_fmt)
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=1)
        stream.width, stream.height, stream.pix_fmt = 64, 48, pix_fmt
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


REAL_FILES = [
    ("cam.webm", lambda p: _video(p, "webm", "libvpx"), "video/webm"),
    ("cam.mkv", lambda p: _video(p, "matroska", "mpeg4"), "video/x-matroska"),
    ("cam.ts", lambda p: _video(p, "mpegts", "mpeg2video"), "video/mp2t"),
    ("cam.mpg", lambda p: _video(p, "vob", "mpeg2video"), "video/mpeg"),
    ("cam.avi", lambda p: _video(p, "avi", "mpeg4"), "video/x-msvideo"),
    ("cam.3gp", lambda p: _video(p, "3gp", "mpeg4"), "video/3gpp"),
    ("cam.flv", lambda p: _video(p, "flv", "flv"), "video/x-flv"),
    ("cam.wmv", lambda p: _video(p, "asf", "msmpeg4"), "video/x-ms-asf"),
    ("talk.mp3", lambda p: _audio(p, "mp3", "libmp3lame"), "audio/mpeg"),
    ("bare.mp3", lambda p: _audio(p, "mp3", "libmp3lame", options={"id3v2_version": "0"}), "audio/mpeg"),
    ("talk.aac", lambda p: _audio(p, "adts", "aac"), "audio/aac"),
    ("talk.ogg", lambda p: _audio(p, "ogg", "libopus", rate=48000), "audio/ogg"),
    ("talk.flac", lambda p: _audio(p, "flac", "flac"), "audio/flac"),
    ("talk.amr", lambda p: _audio(p, "amr", "libopencore_amrnb"), "audio/amr"),
    ("talk.aiff", lambda p: _audio(p, "aiff", "pcm_s16be"), "audio/aiff"),
    ("shot.png", lambda p: _image(p, "png", "rgb24"), "image/png"),
    ("shot.gif", lambda p: _image(p, "gif", "rgb8", fmt="gif"), "image/gif"),
    ("shot.bmp", lambda p: _image(p, "bmp", "bgr24"), "image/bmp"),
    ("shot.tif", lambda p: _image(p, "tiff", "rgb24"), "image/tiff"),
    ("shot.webp", lambda p: _image(p, "libwebp", "yuv420p"), "image/webp"),
]


@pytest.mark.parametrize(("name", "make", "expected"), REAL_FILES, ids=[n for n, _, _ in REAL_FILES])
def test_given_a_real_av_or_image_file_when_sniffed_then_its_true_type_is_named(
    tmp_path, name, make, expected
):
    """GIVEN a file FFmpeg wrote in a format officers' devices produce WHEN its first bytes are sniffed
    THEN the allow-listed type of that format is named."""
    assert sniff_type(_head(make(tmp_path / name))) == expected


def test_given_the_probe_fixtures_when_sniffed_then_mp4_mov_wav_m4a_and_jpeg_are_recognised(media_files):
    """GIVEN the MP4, MOV, WAV, M4A and JPEG files the probe tests use WHEN sniffed THEN each is its type
    and the junk file labelled .mp4 is not."""
    assert sniff_type(_head(media_files["mp4"])) == "video/mp4"
    assert sniff_type(_head(media_files["mov"])) == "video/quicktime"
    assert sniff_type(_head(media_files["wav"])) == "audio/wav"
    assert sniff_type(_head(media_files["m4a"])) == "audio/mp4"
    assert sniff_type(_head(media_files["jpeg"])) == "image/jpeg"
    assert sniff_type(_head(media_files["junk"])) is None


def test_given_heif_stills_when_sniffed_then_heic_and_avif_are_told_apart():
    """GIVEN a HEIC still and AVIF/HEIF ftyp boxes WHEN sniffed THEN image/heic, image/avif, and nothing
    for a HEIF file of neither kind."""
    assert sniff_type(heic()) == "image/heic"

    def ftyp(major: bytes, *compatible: bytes) -> bytes:
        payload = major + bytes(4) + b"".join(compatible)
        return struct.pack(">I", 8 + len(payload)) + b"ftyp" + payload + b"\0\0\0\x08mdat"

    assert sniff_type(ftyp(b"avif", b"mif1", b"avif")) == "image/avif"
    assert sniff_type(ftyp(b"mif1", b"mif1", b"avif")) == "image/avif"
    assert sniff_type(ftyp(b"mif1", b"mif1", b"jpeg")) is None
    assert sniff_type(ftyp(b"XAVC", b"XAVC", b"mp42", b"iso2")) == "video/mp4"  # a camera maker's brand


SCRIPTABLE = {
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "bare svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "html": b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>",
    "utf-16 html": "\ufeff<html><script>alert(1)</script></html>".encode("utf-16-le"),
    "xhtml": b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script>',
    "pdf": b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    "javascript": b"alert(document.domain)//",
    "text": b"just some notes\n",
    "zip": b"PK\x03\x04" + bytes(40),
    "empty": b"",
    "riff of another kind": b"RIFF\x10\0\0\0CDXAfmt ",
    "lone BM": b"BM<script>alert(1)</script>",
}


@pytest.mark.parametrize("content", SCRIPTABLE.values(), ids=list(SCRIPTABLE))
def test_given_a_document_or_unknown_bytes_when_delivered_then_an_octet_stream_attachment(content):
    """GIVEN SVG, HTML, PDF, script or unknown bytes WHEN their delivery is decided THEN no type is
    sniffed and the file goes out as an application/octet-stream attachment, sandboxed and nosniff."""
    assert sniff_type(content) is None
    served = delivery(content, download=False, name="0123456789abcdef")
    assert served.content_type == OCTET_STREAM and not served.inline
    assert served.headers["Content-Type"] == OCTET_STREAM
    assert served.headers["Content-Disposition"] == 'attachment; filename="0123456789abcdef"'
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == "sandbox"
    assert served.headers["Cache-Control"] == "private, no-store"


def test_given_a_video_when_delivered_then_inline_with_its_type_and_as_a_download_an_attachment(media_files):
    """GIVEN a real MP4 WHEN delivered for playing and for download THEN inline as video/mp4 while
    playing, an attachment named with the .mp4 extension when downloaded, both sandboxed and nosniff."""
    head = _head(media_files["mp4"])
    playing = delivery(head, download=False, name="abc")
    assert playing.inline and playing.headers["Content-Type"] == "video/mp4"
    assert playing.headers["Content-Disposition"] == 'inline; filename="abc.mp4"'
    download = delivery(head, download=True, name="abc")
    assert not download.inline and download.headers["Content-Type"] == "video/mp4"
    assert download.headers["Content-Disposition"] == 'attachment; filename="abc.mp4"'
    for served in (playing, download):
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert served.headers["Content-Security-Policy"] == "sandbox"


def test_given_the_allow_list_when_read_then_it_holds_only_audio_video_and_raster_images():
    """GIVEN every type the sniffer can answer WHEN listed THEN each is audio/*, video/* or a raster
    image/* (no SVG, no XML, no text)."""
    for media_type in SAFE_TYPES:
        major, minor = media_type.split("/")
        assert major in ("audio", "video", "image"), media_type
        assert "svg" not in minor and "xml" not in minor

"""Tiny real media files generated with PyAV itself, in tmp_path."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import pytest

from tests.media.exif_builder import jpeg_bytes


def _video(path: Path, *, codec: str, fmt: str, tags: dict[str, str], seconds: int = 1) -> Path:
    with av.open(str(path), "w", format=fmt) as out:
        out.metadata.update(tags)
        stream = out.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10 * seconds):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(i * 25) % 256]) * plane.buffer_size)
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def _with_exif_datetime(jpeg: bytes, stamp: str) -> bytes:
    """Insert an APP1 EXIF segment whose IFD0 holds DateTime (tag 0x0132) = ``stamp``."""
    value = stamp.encode("ascii") + b"\0"
    tiff = b"MM\0\x2a" + struct.pack(">I", 8)
    tiff += struct.pack(">H", 1) + struct.pack(">HHII", 0x0132, 2, len(value), 26) + struct.pack(">I", 0)
    tiff += value
    payload = b"Exif\0\0" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


@pytest.fixture
def media_files(tmp_path: Path) -> dict[str, Path]:
    """A 1 s H.264 MP4 with creation_time + location, an mpeg4 MOV, WAV, AAC, JPEG (+EXIF), junk."""
    files = {
        "mp4": _video(
            tmp_path / "cam.mp4",
            codec="libx264",
            fmt="mp4",
            tags={"creation_time": "2024-05-01T08:30:00.000000Z", "location": "+31.2304+121.4737+010.000/"},
        ),
        "mov": _video(tmp_path / "cam.mov", codec="mpeg4", fmt="mov", tags={}, seconds=2),
    }
    with av.open(str(tmp_path / "talk.wav"), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=8000, layout="mono")
        frame = av.AudioFrame(format="s16", layout="mono", samples=8000)
        frame.sample_rate = 8000
        frame.planes[0].update(bytes(frame.planes[0].buffer_size))
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    files["wav"] = tmp_path / "talk.wav"
    with av.open(str(tmp_path / "talk.m4a"), "w", format="ipod") as out:
        out.metadata["creation_time"] = "2024-05-01T16:30:00+08:00"
        stream = out.add_stream("aac", rate=8000, layout="mono")
        for i in range(8):
            frame = av.AudioFrame(format="fltp", layout="mono", samples=1024)
            frame.sample_rate, frame.pts = 8000, i * 1024
            frame.planes[0].update(bytes(frame.planes[0].buffer_size))
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    files["m4a"] = tmp_path / "talk.m4a"
    files["jpeg"] = tmp_path / "photo.jpg"
    files["jpeg"].write_bytes(jpeg_bytes())
    files["exif_jpeg"] = tmp_path / "exif.jpg"
    files["exif_jpeg"].write_bytes(_with_exif_datetime(jpeg_bytes(), "2024:05:01 08:30:00"))
    files["junk"] = tmp_path / "notes.mp4"
    files["junk"].write_bytes(b"this is not a video at all\n" * 50)
    return files

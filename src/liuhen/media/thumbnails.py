"""JPEG stills for display: a poster frame for video, a preview for photos. Originals are only read.

Encoding uses FFmpeg's own ``mjpeg`` encoder through PyAV, so no imaging library is needed.
Output is written to a temporary name beside ``out_jpeg`` and renamed into place.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import av


class MediaError(Exception):
    """The file has no decodable picture (not media, corrupt, or audio only)."""


def poster_frame(path: Path | str, out_jpeg: Path | str, *, max_side: int = 640) -> Path:
    """Write a JPEG of the first decodable frame at or after 10% of a video's length."""
    return _still(path, out_jpeg, max_side=max_side, seek_fraction=Fraction(1, 10))


def preview(path: Path | str, out_jpeg: Path | str, *, max_side: int = 1280) -> Path:
    """Write a downscaled JPEG preview of a photo (JPEG, PNG, … anything FFmpeg decodes)."""
    return _still(path, out_jpeg, max_side=max_side, seek_fraction=None)


def _still(path: Path | str, out_jpeg: Path | str, *, max_side: int, seek_fraction: Fraction | None) -> Path:
    try:
        with av.open(str(path), mode="r") as container:
            if not container.streams.video:
                raise MediaError(f"{path}: no picture stream")
            frame = _pick_frame(container, seek_fraction)
            data = _encode_jpeg(frame, max_side)
    except av.FFmpegError as exc:
        raise MediaError(f"{path}: {exc}") from exc
    return _write_atomically(Path(out_jpeg), data)


def _pick_frame(container: Any, seek_fraction: Fraction | None) -> Any:
    stream = container.streams.video[0]
    if seek_fraction is not None and container.duration:
        target = int(container.duration * seek_fraction)
        try:
            container.seek(target, backward=True, any_frame=False)
        except av.FFmpegError:
            container.seek(0)
    for frame in container.decode(stream):
        return frame
    raise MediaError("no frame could be decoded")


def _scaled_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    scale = min(Fraction(1), Fraction(max_side, max(width, height)))
    # even dimensions keep 4:2:0 chroma subsampling exact
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def _encode_jpeg(frame: Any, max_side: int) -> bytes:
    width, height = _scaled_size(frame.width, frame.height, max_side)
    picture = frame.reformat(width=width, height=height, format="yuvj420p")
    picture.pts = None
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = width, height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    packets = encoder.encode(picture) + encoder.encode(None)
    return b"".join(bytes(packet) for packet in packets)


def _write_atomically(out: Path, data: bytes) -> Path:
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out

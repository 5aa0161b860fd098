"""JPEG stills for display: a poster frame for video, a preview for photos. Originals are only read.

Encoding uses FFmpeg's own ``mjpeg`` encoder through PyAV, so no imaging library is needed.
Output is written to a temporary name beside ``out_jpeg`` and renamed into place.

HEIF stills (HEIC, AVIF) are assembled from their primary item as :mod:`liuhen.media.heif` describes
it: a tile grid is decoded tile by tile and joined with FFmpeg's ``tile`` and ``crop`` filters, and the
``irot`` rotation is applied. A HEIF whose item structure cannot be read gets no preview (MediaError).
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from liuhen.media.heif import STILL_BRANDS, HeifStill, read_heif_still

Filters = list[tuple[str, str | None]]
_ROTATIONS: dict[int, Filters] = {  # irot angles are anticlockwise
    90: [("transpose", "cclock")],
    180: [("hflip", None), ("vflip", None)],
    270: [("transpose", "clock")],
}


class MediaError(Exception):
    """The file has no decodable picture (not media, corrupt, audio only, or a format without a decoder).

    The only exception :func:`poster_frame` and :func:`preview` raise for what a file contains."""


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
            if _is_heif(container):
                frame = _heif_frame(container, path)
            else:
                frame = _pick_frame(container, seek_fraction)
            data = _encode_jpeg(frame, max_side)
    except MediaError:
        raise
    except Exception as exc:  # untrusted bytes through a C library: whatever it raises means "no still"
        raise MediaError(f"{path}: {type(exc).__name__}: {exc}") from exc
    return _write_atomically(Path(out_jpeg), data)


def _pick_frame(container: Any, seek_fraction: Fraction | None) -> Any:
    stream = next((s for s in container.streams.video if s.codec_context is not None), None)
    if stream is None:
        raise MediaError("no decoder for the picture stream")
    if seek_fraction is not None and container.duration:
        target = int(container.duration * seek_fraction)
        try:
            container.seek(target, backward=True, any_frame=False)
        except av.FFmpegError:
            container.seek(0)
    for frame in container.decode(stream):
        return frame
    raise MediaError("no frame could be decoded")


def _is_heif(container: Any) -> bool:
    return container.metadata.get("major_brand", "").encode("latin-1", "replace") in STILL_BRANDS


def _heif_frame(container: Any, path: Path | str) -> Any:
    with open(path, "rb") as fh:
        still = read_heif_still(fh)
    if still is None:
        raise MediaError(f"{path}: HEIF item structure not readable, no preview")
    by_item = {stream.id: stream for stream in container.streams.video}
    items = still.grid.tiles if still.grid else (still.primary,)
    if any(item not in by_item for item in items):
        raise MediaError(f"{path}: HEIF primary image ({still.item_type}) has no decodable stream")
    frames = _decode_first_frames(container, [by_item[item] for item in items])
    return _assemble(frames, still)


def _decode_first_frames(container: Any, streams: list[Any]) -> list[Any]:
    """One frame per stream (a HEIF item is a one-sample stream), in the order of ``streams``."""
    frames: dict[int, Any] = {}
    for packet in container.demux(*streams):
        for frame in packet.decode():  # the final empty packet of each stream flushes its decoder
            frames.setdefault(packet.stream.index, frame)
    if len(frames) != len(streams):
        raise MediaError(f"{len(streams) - len(frames)} of {len(streams)} image items did not decode")
    return [frames[stream.index] for stream in streams]


def _assemble(frames: list[Any], still: HeifStill) -> Any:
    chain: Filters = []
    if still.grid is not None:
        chain += [("tile", f"{still.grid.columns}x{still.grid.rows}")]
        chain += [("crop", f"{still.grid.width}:{still.grid.height}:0:0")]
    chain += _ROTATIONS.get(still.rotation, [])
    if not chain:
        return frames[0]
    first = frames[0]
    graph = av.filter.Graph()
    source = graph.add_buffer(
        width=first.width, height=first.height, format=first.format.name, time_base=Fraction(1, 25)
    )
    graph.link_nodes(source, *(graph.add(name, args) for name, args in chain), graph.add("buffersink"))
    graph.configure()
    for index, frame in enumerate(frames):
        if (frame.width, frame.height) != (first.width, first.height):
            raise MediaError("grid tiles differ in size")
        frame.pts = index
        graph.push(frame)
    graph.push(None)
    return graph.pull()


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

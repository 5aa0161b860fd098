"""Redacted derivatives of photos and A/V: black rectangles, muted audio ranges. Pure: no Django.

A reviewer withholds parts of a record handed to a party (R6.2): rectangles in a photo, rectangles over
a time range in a video, and time ranges of the sound. The original is only read; the derivative is
written to a temporary name beside ``dst`` and renamed into place, so a failed render leaves nothing.
Every region and range is checked against the picture and the duration *before* anything is written;
a bad one is a :class:`RegionError` naming it (``regions[1]``), which the API answers with 422.

Video goes through one FFmpeg filter graph per stream (PyAV): ``drawbox`` fills each region for the
frames shown during its range, ``volume`` silences each mute range; the pixels and samples are
handled in C, never in Python. Out comes MP4: H.264 (yuv420p, libx264) and AAC, the source's
timestamps kept. :func:`transcode` is the same engine, shared with the viewing copies of
:mod:`liuhen.media.watermark`.

Coordinates are pixels of the picture as stored (top-left origin); a photo's EXIF orientation is applied
first, so a photo's rectangles are in the picture as it is displayed. A video's rotation tag is not
applied (the derivative is written in the stored orientation).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from PIL import Image, ImageOps

from liuhen.media.thumbnails import MediaError

EPSILON = 0.001  # seconds: a range may end this much after the container's stated duration
MUTE_GRANULE = 256  # samples: the audio is cut into pieces this long so a mute starts within ~5 ms
PRESET = "veryfast"  # libx264: 1080p renders faster than real time on one core (docs/benchmarks.md)
CRF = "20"


class RegionError(ValueError):
    """A rectangle outside the picture, or a time range outside the recording or ending before it starts.

    ``field`` names which one (``regions[1]``, ``mute[0]``, ``rects[0]``), ``reason`` is a stable code
    (``outside_frame``, ``empty``, ``outside_duration``, ``end_before_start``, ``no_picture``) and
    ``message`` says it in Chinese for the reviewer."""

    def __init__(self, field: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Rect:
    """A rectangle in pixels: top-left corner ``x``, ``y``; width ``w``, height ``h``."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class TimeRange:
    """Seconds from the start of the recording."""

    start: float
    end: float


@dataclass(frozen=True)
class VideoRegion:
    """A rectangle filled black for the frames shown between ``start`` and ``end`` (seconds)."""

    rect: Rect
    start: float
    end: float


# -- checks ---------------------------------------------------------------------------------------------


def check_rect(field: str, rect: Rect, width: int, height: int) -> None:
    """RegionError unless ``rect`` is non-empty and lies wholly inside a ``width``×``height`` picture."""
    number = _ordinal(field)
    if rect.w <= 0 or rect.h <= 0:
        raise RegionError(field, "empty", f"{number}区域的宽和高须大于0")
    if rect.x < 0 or rect.y < 0 or rect.x + rect.w > width or rect.y + rect.h > height:
        raise RegionError(
            field,
            "outside_frame",
            f"{number}区域超出画面：画面为 {width}×{height} 像素，"
            f"区域为 ({rect.x}, {rect.y}) 起 {rect.w}×{rect.h} 像素",
        )


def check_range(field: str, start: float, end: float, duration: float) -> None:
    """RegionError unless ``0 <= start < end <= duration``."""
    number = _ordinal(field)
    if end <= start:
        raise RegionError(field, "end_before_start", f"{number}时间段的结束时间须晚于开始时间")
    if start < 0 or end > duration + EPSILON:
        raise RegionError(
            field,
            "outside_duration",
            f"{number}时间段超出录制时长：时长为 {_clock(duration)}，时间段为 {_clock(start)}–{_clock(end)}",
        )


def _ordinal(field: str) -> str:
    index = field.rsplit("[", 1)[-1].rstrip("]")
    return f"第{int(index) + 1}个" if index.isdigit() else ""


def _clock(seconds: float) -> str:
    whole = max(0.0, seconds)
    minutes, rest = divmod(whole, 60)
    return f"{int(minutes)}:{rest:06.3f}"


# -- photos ---------------------------------------------------------------------------------------------


def redact_photo(src: Path, dst: Path, rects: Sequence[Rect]) -> None:
    """Write ``src`` to ``dst`` with each rect filled opaque black, in the same format (JPEG or PNG),
    turned upright by its EXIF orientation, without metadata (EXIF, GPS, XMP, comments). A PNG's
    pixels outside the rects are unchanged; a JPEG is re-encoded with the source's quantisation tables."""
    with Image.open(src) as original:
        fmt = original.format
        if fmt not in {"JPEG", "PNG"}:
            raise MediaError(f"{src}: photo redaction takes JPEG or PNG, not {fmt}")
        picture = ImageOps.exif_transpose(original)
        for index, rect in enumerate(rects):
            check_rect(f"rects[{index}]", rect, picture.width, picture.height)
        picture = _paintable(picture)
        black = tuple(255 if band == "A" else 0 for band in picture.getbands())
        for rect in rects:
            picture.paste(
                black if len(black) > 1 else black[0], (rect.x, rect.y, rect.x + rect.w, rect.y + rect.h)
            )
        options = _photo_options(original, fmt)
        with _atomic(dst) as part:
            picture.save(part, format=fmt, **options)


def _paintable(picture: Image.Image) -> Image.Image:
    """A palette picture as RGB(A), so black is black whatever the palette holds."""
    if picture.mode in {"P", "PA"}:
        return picture.convert("RGBA" if "transparency" in picture.info or picture.mode == "PA" else "RGB")
    if picture.mode == "1":
        return picture.convert("L")
    return picture


def _photo_options(original: Image.Image, fmt: str) -> dict[str, Any]:
    """Save options that keep quality and colour but carry no metadata (no exif=, no pnginfo=)."""
    options: dict[str, Any] = {}
    if original.info.get("icc_profile"):
        options["icc_profile"] = original.info["icc_profile"]  # colour, not personal data
    if fmt == "JPEG":
        from PIL import JpegImagePlugin

        quantization = getattr(original, "quantization", None)
        if quantization:
            options["qtables"] = quantization
        sampling = JpegImagePlugin.get_sampling(original)
        if sampling != -1:
            options["subsampling"] = sampling
    else:
        options["optimize"] = False
    return options


@contextmanager
def _atomic(dst: Path) -> Iterator[Path]:
    """A temporary path beside ``dst``, renamed onto it when the block ends, removed if it fails."""
    part = dst.with_name(f".{dst.name}.part")
    try:
        yield part
        os.replace(part, dst)
    finally:
        part.unlink(missing_ok=True)


# -- video ----------------------------------------------------------------------------------------------


def video_geometry(src: Path) -> tuple[int, int, float]:
    """Width and height of the first video stream (0, 0 for a sound recording) and the duration in
    seconds. MediaError when the file is not media PyAV can read."""
    with _open(src) as container:
        return _geometry(container)


def _geometry(container: Any) -> tuple[int, int, float]:
    width = height = 0
    if container.streams.video:
        context = container.streams.video[0].codec_context
        width, height = context.width, context.height
    if container.duration:
        return width, height, float(Fraction(container.duration, av.time_base))
    spans = [float(s.duration * s.time_base) for s in container.streams if s.duration and s.time_base]
    return width, height, max(spans, default=0.0)


@contextmanager
def _open(src: Path) -> Iterator[Any]:
    try:
        container = av.open(str(src), mode="r")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(f"{src}: {type(exc).__name__}: {exc}") from exc
    try:
        if not container.streams.video and not container.streams.audio:
            raise MediaError(f"{src}: neither picture nor sound")
        yield container
    finally:
        container.close()


def redact_video(
    src: Path,
    dst: Path,
    *,
    regions: Sequence[VideoRegion],
    mute: Sequence[TimeRange],
    threads: int = 0,
    preset: str = PRESET,
) -> None:
    """Write ``src`` to ``dst`` as MP4 (H.264 + AAC) with each region filled black while its range is on
    screen and the sound silent during each mute range. ``threads`` 0 lets FFmpeg choose per codec.
    RegionError (before anything is written) for a rect outside the frame or a range outside
    ``[0, duration]`` or ending before it starts; a sound recording takes no regions."""
    check_video(src, regions=regions, mute=mute)
    transcode(src, dst, regions=regions, mute=mute, threads=threads, preset=preset)


def check_video(src: Path, *, regions: Sequence[VideoRegion], mute: Sequence[TimeRange]) -> None:
    """RegionError for the first region or range :func:`redact_video` would refuse (it reads only the
    container's header: a caller can check at once and render later)."""
    with _open(src) as container:
        width, height, duration = _geometry(container)
        for index, region in enumerate(regions):
            field = f"regions[{index}]"
            if not width:
                raise RegionError(field, "no_picture", f"{_ordinal(field)}区域无效：该录音没有画面")
            check_rect(field, region.rect, width, height)
            check_range(field, region.start, region.end, duration)
        for index, span in enumerate(mute):
            check_range(f"mute[{index}]", span.start, span.end, duration)


def transcode(
    src: Path,
    dst: Path,
    *,
    regions: Sequence[VideoRegion] = (),
    mute: Sequence[TimeRange] = (),
    overlay: Image.Image | None = None,
    threads: int = 0,
    preset: str = PRESET,
) -> None:
    """Re-encode ``src`` into MP4 (H.264 yuv420p + AAC) through the filter graphs: black ``regions``,
    silent ``mute`` ranges, and an RGBA ``overlay`` the size of the frame composited onto every frame.
    Timestamps are the source's. The ranges are not checked here (see :func:`redact_video`)."""
    with _open(src) as container, _atomic(dst) as part, av.open(str(part), mode="w", format="mp4") as out:
        pipes: list[_Pipe] = []
        if container.streams.video:
            pipes.append(_VideoPipe(container.streams.video[0], out, regions, overlay, threads, preset))
        if container.streams.audio:
            pipes.append(_AudioPipe(container.streams.audio[0], out, mute, threads))
        by_stream = {pipe.source.index: pipe for pipe in pipes}
        for packet in container.demux(*(pipe.source for pipe in pipes)):
            pipe = by_stream[packet.stream.index]
            for frame in _decoded(packet):
                pipe.push(frame)
        for pipe in pipes:
            pipe.finish()


def _decoded(packet: Any) -> list[Any]:
    try:
        return list(packet.decode())
    except av.InvalidDataError:  # a damaged packet: skip it as a player would
        return []


class _Pipe:
    """Decoded frames → filter graph → encoder → muxer, for one stream."""

    source: Any
    graph: Any
    head: Any
    sink: Any
    stream: Any
    out: Any

    def push(self, frame: Any) -> None:
        self.head.push(frame)
        self._drain()

    def finish(self) -> None:
        self.head.push(None)
        self._drain()
        self.out.mux(self.stream.encode(None))

    def _drain(self) -> None:
        while True:
            try:
                frame = self.sink.pull()
            except (av.BlockingIOError, av.EOFError):
                return
            self.out.mux(self.stream.encode(frame))

    def _chain(self, first: Any, filters: Sequence[tuple[str, str]]) -> Any:
        node = first
        for name, args in filters:
            following = self.graph.add(name, args)
            node.link_to(following)
            node = following
        return node


class _VideoPipe(_Pipe):
    def __init__(
        self,
        source: Any,
        out: Any,
        regions: Sequence[VideoRegion],
        overlay: Image.Image | None,
        threads: int,
        preset: str,
    ) -> None:
        self.source, self.out = source, out
        source.thread_type = "AUTO"
        source.codec_context.thread_count = threads
        context = source.codec_context
        rate = source.average_rate or source.guessed_rate or Fraction(25)
        frame_span = float(1 / rate)
        self.graph = av.filter.Graph()
        self.head = self.graph.add_buffer(template=source)
        filters: list[tuple[str, str]] = []
        width, height = context.width + context.width % 2, context.height + context.height % 2
        if (width, height) != (context.width, context.height):  # yuv420p needs even sides
            filters.append(("pad", f"{width}:{height}"))
        for region in regions:
            r = region.rect
            # the frame on screen at ``start`` began up to one frame earlier: black it too
            enable = f"between(t,{region.start - frame_span + 1e-6:.6f},{region.end:.6f})"
            filters.append(
                ("drawbox", f"x={r.x}:y={r.y}:w={r.w}:h={r.h}:color=black:t=fill:enable='{enable}'")
            )
        node = self._chain(self.head, filters)
        mark = None
        if overlay is not None:
            mark = self.graph.add_buffer(
                width=overlay.width, height=overlay.height, format="rgba", time_base=source.time_base
            )
            blend = self.graph.add("overlay", "x=0:y=0:eof_action=repeat:format=yuv420")
            node.link_to(blend, 0, 0)
            mark.link_to(blend, 0, 1)
            node = blend
        node = self._chain(node, [("format", "yuv420p")])
        self.sink = self.graph.add("buffersink")
        node.link_to(self.sink)
        self.graph.configure()
        if mark is not None and overlay is not None:
            rgba = overlay.convert("RGBA")
            picture = av.VideoFrame.from_bytes(rgba.tobytes(), rgba.width, rgba.height, format="rgba")
            picture.pts, picture.time_base = 0, source.time_base
            mark.push(picture)
            mark.push(None)  # one picture; the overlay repeats it over every frame
        self.stream = out.add_stream("libx264", rate=rate)
        self.stream.width, self.stream.height, self.stream.pix_fmt = width, height, "yuv420p"
        self.stream.time_base = source.time_base
        self.stream.codec_context.time_base = source.time_base
        self.stream.codec_context.thread_count = threads
        self.stream.options = {"preset": preset, "crf": CRF}
        if source.sample_aspect_ratio:
            self.stream.codec_context.sample_aspect_ratio = source.sample_aspect_ratio


class _AudioPipe(_Pipe):
    def __init__(self, source: Any, out: Any, mute: Sequence[TimeRange], threads: int) -> None:
        self.source, self.out = source, out
        source.codec_context.thread_count = threads
        context = source.codec_context
        rate = context.sample_rate or 48000
        self.graph = av.filter.Graph()
        self.head = self.graph.add_abuffer(template=source)
        filters: list[tuple[str, str]] = []
        if mute:
            granule = MUTE_GRANULE / rate  # a piece that starts this much before a range still overlaps it
            filters.append(("asetnsamples", f"n={MUTE_GRANULE}:p=0"))
            for span in mute:
                enable = f"between(t,{span.start - granule + 1e-6:.6f},{span.end:.6f})"
                filters.append(("volume", f"volume=0:enable='{enable}'"))
        node = self._chain(self.head, filters)
        self.sink = self.graph.add("abuffersink")
        node.link_to(self.sink)
        self.graph.configure()
        layout = context.layout.name if context.layout and context.layout.nb_channels <= 2 else "stereo"
        self.stream = out.add_stream("aac", rate=rate, layout=layout)
        self.stream.codec_context.thread_count = threads
        self.stream.time_base = Fraction(1, rate)
